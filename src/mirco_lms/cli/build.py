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
from mirco_lms.config import ProjectConfig
from mirco_lms.formats import registry

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import TaskID
    from rich.table import Table

    from mirco_lms.build import BuildProgress, BuildReport

STAGES = {"check": "Checking", "build": "Building"}


class FormatChoice(click.Choice[str]):
    """``--format``: a registered format's name, or ``all``, read from the registry when
    the command line is parsed (so that formats registered after import are offered)."""

    def __init__(self) -> None:
        super().__init__(())

    @property
    def choices(self) -> tuple[str, ...]:
        return (*registry.names(), "all")

    @choices.setter
    def choices(self, value: object) -> None:
        """The choices are the registry's; click's own assignment is ignored."""


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


_STATUS = {"built": "built", "skipped": "[dim]up to date[/dim]"}


def report_table(report: BuildReport) -> Table:
    """The build's table, one row per package; it fits 80 columns (a long module name
    wraps at its hyphens). Files are named ``<module>-<version>-<lang>-<format>.zip``."""
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 0, 0, 1))
    table.add_column("Module", overflow="fold", min_width=12)
    for name in ("Lang", "Format"):
        table.add_column(name, no_wrap=True)
    for name in ("Size", "Pages", "Qs"):
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    for row in report.rows:
        table.add_row(escape(row.module), row.language, row.format, _size(row.size),
                      str(row.pages), str(row.questions),
                      _STATUS.get(row.status, escape(row.status)))
    return table


def _print_report(report: BuildReport, console: Console) -> None:
    from rich.markup import escape

    if report.rows:
        console.print(report_table(report))
        console.print(f"packages: {escape(str(report.out_dir))}/"
                      "<module>-<version>-<lang>-<format>.zip", soft_wrap=True)
    for path in report.descriptors:
        console.print(f"descriptor: {escape(path.name)}", soft_wrap=True)
    by_module: dict[str, list[str]] = {}
    for status in report.withheld:
        by_module.setdefault(status.module, []).append(
            f"{status.language} ({status.state}, {status.percent_text})")
    for module, languages in by_module.items():
        console.print(f"[yellow]not built[/yellow] (under the coverage threshold): "
                      f"{escape(module)} in {escape(', '.join(languages))}", soft_wrap=True)
    withheld = f", {len(report.withheld)} not built" if report.withheld else ""
    console.print(
        f"{len(report.built)} built, {len(report.skipped)} up to date{withheld} → "
        f"{escape(str(report.out_dir))} ({report.seconds:.1f} s)", soft_wrap=True,
    )


@main.command("build")
@click.argument("slugs", nargs=-1, metavar="[SLUG]...")
@click.option("--format", "fmt", type=FormatChoice(), default=None,
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
    changes unless every package of the run was built and validated. A language under
    the coverage threshold is not built (and reported) unless --allow-partial is given;
    the exit status is 1 when that language was asked for with --lang.
    """
    from rich.console import Console

    from mirco_lms.build import BuildOptions, build
    from mirco_lms.i18n.readiness import withheld_warning

    config = ProjectConfig.load(project_dir)
    every = tuple(sorted(f.name for f in registry.formats()
                         if f.selectable and f.scope == "module"))
    formats = every if fmt == "all" else ((fmt,) if fmt else None)
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
    for status in report.withheld:
        click.echo(withheld_warning(config, status).format(), err=True)
    _print_report(report, Console(highlight=False))
    if any(s.language in languages for s in report.withheld):
        raise click.exceptions.Exit(1)  # a language asked for by name was not built
