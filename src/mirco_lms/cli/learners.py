"""``mirco lrs learners``: the learner registry (import from CSV, list)."""

from __future__ import annotations

from pathlib import Path

import click

from mirco_lms.cli.lrs import db_options, lrs, resolve_db
from mirco_lms.config import CONFIG_FILE, ProjectConfig, TrackingSettings
from mirco_lms.lrs.store import open_store
from mirco_lms.lrs.store.registry import list_learners, upsert_learners
from mirco_lms.reports.registry_csv import read_learners


def _homepage(homepage: str | None, project_dir: Path) -> str:
    if homepage:
        return homepage
    if (project_dir / CONFIG_FILE).is_file():
        return ProjectConfig.load(project_dir).tracking.homepage
    return TrackingSettings().homepage


@lrs.group()
def learners() -> None:
    """The learner registry: institution, country and unit of each learner, for reports."""


@learners.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--homepage",
    metavar="URL",
    help="The LMS home page of the accounts (default: [tracking].homepage of mirco.toml).",
)
@db_options
def learners_import(file: Path, homepage: str | None, db: str | None, project_dir: Path) -> None:
    """Add or update learners from FILE (CSV with a header row).

    \b
    Columns: account and/or email, name (optional), institution, country (ISO 3166-1
    alpha-2, such as RS), unit (optional), gender (optional: female, male, other).
    Separators: comma, semicolon or tab.
    The whole file is checked first: a bad row stops the import with FILE:ROW: message
    (exit 2) and nothing from the file is stored. Learners already registered (same
    account or e-mail) are updated.
    """
    rows = read_learners(file, _homepage(homepage, project_dir))
    store = open_store(resolve_db(db, project_dir))
    try:
        count = upsert_learners(store, rows)
    finally:
        store.close()
    click.echo(f"{file}: {count.added} learners added, {count.updated} updated")


@learners.command("list")
@click.option("--institution", help="Only learners of this institution.")
@click.option("--country", help="Only learners in this country (ISO 3166-1 alpha-2).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv"]), default="table",
              show_default=True)
@db_options
def learners_list(
    institution: str | None, country: str | None, fmt: str, db: str | None, project_dir: Path
) -> None:
    """List registered learners."""
    import sys

    from mirco_lms import safe_csv

    store = open_store(resolve_db(db, project_dir))
    try:
        found = list_learners(store, institution=institution, country=country)
    finally:
        store.close()
    header = ("account", "email", "name", "institution", "country", "unit", "gender")
    rows = [(x.account, x.email, x.name, x.institution, x.country, x.unit, x.gender)
            for x in found]
    if fmt == "csv":
        writer = safe_csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([[c or "" for c in row] for row in rows])
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(*header, title=f"{len(rows)} learners")
    for row in rows:
        table.add_row(*(c or "" for c in row))
    Console().print(table)
