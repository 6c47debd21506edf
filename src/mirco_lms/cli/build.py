"""``mirco build``: build the course project's modules into SCORM packages.

The pipeline and rich are imported when the command runs, so that ``mirco --help`` and
the other commands start fast.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

import click

from mirco_lms.cli import main
from mirco_lms.cli._options import project_option
from mirco_lms.config import FORMATS, ProjectConfig

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import TaskID

    from mirco_lms.build import BuildProgress, BuildReport

STAGES = {"check": "Checking", "build": "Building"}


def _size(size: int) -> str:
    for unit in ("B", "KB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return str(size)


class _ProgressDisplay:
    """A rich progress bar per stage on stderr, shown only on a terminal."""

    def __init__(self, console: Console) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self.progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[module]}"), TimeElapsedColumn(),
            console=console, transient=True,
        )
        self.tasks: dict[str, TaskID] = {}

    def __call__(self, event: BuildProgress) -> None:
        if event.total < 2:
            return
        task = self.tasks.get(event.stage)
        if task is None:
            task = self.tasks[event.stage] = self.progress.add_task(
                STAGES.get(event.stage, event.stage), total=event.total, module=""
            )
        self.progress.update(task, completed=event.done, module=event.module)


def _print_report(report: BuildReport, console: Console) -> None:
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("Package", no_wrap=True)
    table.add_column("Format", no_wrap=True)
    for name in ("Size", "Pages", "Questions"):
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    for row in report.rows:
        status = "built" if row.status == "built" else "[dim]skipped (up to date)[/dim]"
        table.add_row(row.path.name, row.format, _size(row.size), str(row.pages),
                      str(row.questions), status)
    console.print(table)
    for path in report.descriptors:
        console.print(f"descriptor: {path.name}")
    where = report.out_dir
    console.print(
        f"{len(report.built)} built, {len(report.skipped)} up to date → {where} "
        f"({report.seconds:.1f} s)"
    )


@main.command("build")
@click.argument("slugs", nargs=-1, metavar="[SLUG]...")
@click.option("--format", "fmt", type=click.Choice([*FORMATS, "all"]), default=None,
              help="Package format (default: [build].formats of mirco.toml; all: every "
              "format this installation can build).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: [build].out of mirco.toml, dist/).")
@click.option("--force", is_flag=True, help="Rebuild every module, even unchanged ones.")
@click.option("--sco-per-lesson/--single-sco", "sco_per_lesson", default=None,
              help="One SCO per lesson and per test, instead of one SCO per module.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: one per core).")
@click.option("--lang", "languages", multiple=True, metavar="LANG",
              help="Build this language (repeat for several; default: [i18n].languages).")
@click.option("--allow-partial", is_flag=True,
              help="Build languages under the coverage threshold; untranslated segments "
              "are shown in the source language and listed.")
@project_option
def build_command(
    slugs: tuple[str, ...], fmt: str | None, out_dir: Path | None, force: bool,
    sco_per_lesson: bool | None, jobs: int | None, languages: tuple[str, ...],
    allow_partial: bool, project_dir: Path,
) -> None:
    """Build SCORM packages of the modules (all of them, or the SLUGs given).

    Unchanged modules whose packages exist are skipped. Nothing in the output folder
    changes unless every package of the run was built and validated.
    """
    from rich.console import Console

    from mirco_lms.build import BuildOptions, build
    from mirco_lms.package import FORMATS as AVAILABLE

    config = ProjectConfig.load(project_dir)
    formats = tuple(sorted(AVAILABLE)) if fmt == "all" else ((fmt,) if fmt else None)
    options = BuildOptions(
        slugs=slugs, formats=formats, force=force, sco_per_lesson=sco_per_lesson, jobs=jobs,
        languages=languages or None, allow_partial=allow_partial,
        out_dir=out_dir.resolve() if out_dir is not None else None,
    )
    err = Console(stderr=True)
    display = _ProgressDisplay(err) if err.is_terminal else None
    live: AbstractContextManager[object] = display.progress if display else nullcontext()
    with live:
        report = build(config, options, progress=display)
    for warning in report.warnings:
        click.echo(warning.format(), err=True)
    out = Console(highlight=False)
    if not out.is_terminal:
        out = Console(highlight=False, width=max(out.width, 132))
    _print_report(report, out)
