"""``mirco lrs sessions|attendance|results``: classroom sessions, attendance sheets and
paper test results in the collector."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from mirco_lms.classroom.writing import ImportReport
from mirco_lms.cli.lrs import db_options, lrs, resolve_db
from mirco_lms.lrs.store import open_store
from mirco_lms.xapi import profile as p

_FILE = click.Path(dir_okay=False, path_type=Path)


@lrs.group()
def sessions() -> None:
    """Classroom sessions: a course module given on dates, at a venue, by trainers."""


@sessions.command("add")
@click.argument("session_id", metavar="SESSION")
@click.option("--course", required=True, help="Module id, such as migration-human-rights.")
@click.option("--lang", "language", required=True, help="Language of the session (BCP 47).")
@click.option("--start", required=True, help="First day, YYYY-MM-DD.")
@click.option("--end", help="Last day, YYYY-MM-DD (default: the first).")
@click.option("--venue", help="Where it takes place.")
@click.option("--trainer", "trainers", multiple=True, required=True,
              help="'Name <name@example.org>'; repeat for several.")
@click.option("--delivery", type=click.Choice(p.CLASSROOM_DELIVERIES), default="in-person",
              show_default=True)
@db_options
def sessions_add(session_id: str, course: str, language: str, start: str, end: str | None,
                 venue: str | None, trainers: tuple[str, ...], delivery: str, db: str | None,
                 project_dir: Path) -> None:
    """Add (or update) the classroom session SESSION."""
    from mirco_lms.classroom.project import Project
    from mirco_lms.classroom.sessions import parse_session, save_sessions

    session = parse_session({
        "session": session_id, "course": course, "language": language, "start": start,
        "end": end or "", "venue": venue or "", "trainers": "; ".join(trainers),
        "delivery": delivery})
    Project.load(project_dir).module(session.course)
    store = open_store(resolve_db(db, project_dir))
    try:
        added, _updated = save_sessions(store, [session])
    finally:
        store.close()
    click.echo(f"session {session.id} {'added' if added else 'updated'}")


@sessions.command("import")
@click.argument("file", type=_FILE)
@db_options
def sessions_import(file: Path, db: str | None, project_dir: Path) -> None:
    """Add or update sessions from FILE (CSV with a header row).

    \b
    Columns: session, course, language, start, end, venue, trainers ('Name <e-mail>',
    separated by ';'), delivery (in-person, live-online or blended). The whole file is
    checked first: a bad row stops the import with FILE:ROW: message (exit 2).
    """
    from mirco_lms.classroom.project import Project
    from mirco_lms.classroom.sessions import read_sessions, save_sessions
    from mirco_lms.errors import ConfigError
    from mirco_lms.sheets import row_error

    found = read_sessions(file)
    project = Project.load(project_dir)
    for session in found:
        try:
            project.module(session.course)
        except ConfigError as exc:
            raise row_error(file, None, f"session {session.id}: {exc.message}",
                            exc.hint or "") from exc
    store = open_store(resolve_db(db, project_dir))
    try:
        added, updated = save_sessions(store, found)
    finally:
        store.close()
    click.echo(f"{file}: {added} sessions added, {updated} updated")


@sessions.command("list")
@click.option("--course", help="Only sessions of this module.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv"]), default="table",
              show_default=True)
@db_options
def sessions_list(course: str | None, fmt: str, db: str | None, project_dir: Path) -> None:
    """List classroom sessions, oldest first."""
    import sys

    from mirco_lms import safe_csv
    from mirco_lms.classroom.sessions import COLUMNS, load_sessions

    store = open_store(resolve_db(db, project_dir))
    try:
        found = load_sessions(store, course)
    finally:
        store.close()
    rows = [(s.id, s.course, s.language, _day(s.start), _day(s.end), s.venue or "",
             "; ".join(f"{t.name} <{t.email}>" for t in s.trainers), s.delivery)
            for s in found.values()]
    if fmt == "csv":
        writer = safe_csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(*COLUMNS, title=f"{len(rows)} sessions")
    for row in rows:
        table.add_row(*row)
    Console().print(table)


def _day(value: date) -> str:
    return value.isoformat()


@lrs.group()
def attendance() -> None:
    """Attendance of classroom sessions, as xAPI statements."""


@attendance.command("import")
@click.argument("file", type=_FILE)
@click.option("--min-attendance", default=80.0, show_default=True,
              type=click.FloatRange(0, 100),
              help="Percent of the session's days (or of the module's hours) that "
              "completes the module.")
@db_options
def attendance_import(file: Path, min_attendance: float, db: str | None,
                      project_dir: Path) -> None:
    """Import an attendance sheet (CSV): learner, session, and hours or the days present.

    \b
    The whole file is checked first (FILE:ROW: message, exit 2, nothing stored), then
    stored in one transaction. Importing the same file again changes nothing; a
    corrected file voids the statements of the rows it changes.
    """
    from mirco_lms.classroom.attendance import import_attendance
    from mirco_lms.classroom.project import Project

    project = Project.load(project_dir)
    store = open_store(resolve_db(db, project_dir))
    try:
        report = import_attendance(store, file, project, min_attendance=min_attendance)
    finally:
        store.close()
    _summary(file, report)


@lrs.group()
def results() -> None:
    """Paper pre-tests and final tests of classroom sessions, as xAPI statements."""


@results.command("import")
@click.argument("file", type=_FILE)
@db_options
def results_import(file: Path, db: str | None, project_dir: Path) -> None:
    """Import paper test results (CSV): learner, session, assessment (pretest or final),
    attempt, date, and the answers per question id or the total score.

    \b
    Answers are scored against the module's sources. The whole file is checked first
    (FILE:ROW: message, exit 2, nothing stored), then stored in one transaction.
    Importing the same file again changes nothing; a corrected file voids the statements
    of the rows it changes.
    """
    from mirco_lms.classroom.project import Project
    from mirco_lms.classroom.results import import_results

    project = Project.load(project_dir)
    store = open_store(resolve_db(db, project_dir))
    try:
        report = import_results(store, file, project)
    finally:
        store.close()
    _summary(file, report)


def _summary(file: Path, report: ImportReport) -> None:
    click.echo(f"{file}: {report.rows} rows, {report.statements} statements "
               f"({report.new} new), {report.voided} voided")
