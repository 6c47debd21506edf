"""``mirco report``: completions, knowledge gain, item analysis, progress, summary — every kind
registered in :mod:`mirco_lms.reports.kinds` — from the LRS."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from mirco_lms.cli import main
from mirco_lms.cli.lrs import db_options, resolve_db
from mirco_lms.config import CONFIG_FILE, ProjectConfig
from mirco_lms.lrs.store import open_report_source
from mirco_lms.reports import kinds
from mirco_lms.reports.render import FORMATS, render_text, text_lines
from mirco_lms.reports.run import build_report


def _project(project_dir: Path) -> tuple[str | None, list[str]]:
    """The project's activity base and module ids (none outside a course project)."""
    if not (project_dir / CONFIG_FILE).is_file():
        return None, []
    config = ProjectConfig.load(project_dir)
    modules = []
    if config.modules_dir.is_dir():
        from mirco_lms.course.frontmatter import load_source

        for folder in sorted(config.modules_dir.iterdir()):
            if (folder / "module.md").is_file():
                meta = load_source(folder / "module.md").meta.plain()
                modules.append(str(meta.get("id") or folder.name))
    return config.tracking.activity_base, modules


class KindType(click.ParamType[Any]):
    """A registered report kind (checked when the command runs, so that kinds registered
    after this module was imported count too)."""

    name = "kind"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        return click.Choice(kinds.names()).convert(value, param, ctx)


class ReportCommand(click.Command):
    """``mirco report``: its help lists the kinds registered when it is shown."""

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        width = max(len(name) for name in kinds.names())
        listed = "\n".join(f"{kind.name:<{width}}  {kind.summary}" for kind in kinds.all_kinds())
        self.help = (f"Report KIND ({', '.join(kinds.names())}) from the statements in the "
                     f"LRS.\n\n\b\n{listed}")
        super().format_help_text(ctx, formatter)


@main.command(cls=ReportCommand)
@click.argument("kind", metavar="KIND", type=KindType())
@click.option("--course", help="Module id (e.g. migration-human-rights) or course IRI.")
@click.option("--lang", "language", help="Language (BCP 47); 'sr' also matches sr-Latn, sr-Cyrl.")
@click.option("--institution", help="Only statements of learners of this institution.")
@click.option("--country", help="Only this country (ISO 3166-1 alpha-2, e.g. RS).")
@click.option("--since", help="From this date or time (YYYY-MM-DD or ISO 8601, UTC if no offset).")
@click.option("--until", help="Up to this date (the whole day) or before this time.")
@click.option("--by", "by", metavar="FIELD",
              help="Group by: course, language, institution, country, month, outcome, "
              "delivery or session (items: language, outcome, delivery or session; each "
              "kind names its own).")
@click.option("--table", "table", metavar="NAME",
              help="Show only this table of the report (gain: summary or pairs).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE (written whole, then moved into place).")
@db_options
def report(
    kind: str, course: str | None, language: str | None, institution: str | None,
    country: str | None, since: str | None, until: str | None, by: str | None, fmt: str,
    output: Path | None, db: str | None, project_dir: Path, table: str | None = None,
) -> None:
    """Report KIND from the statements in the LRS."""
    spec = kinds.parse_spec(kind, course=course, language=language, institution=institution,
                      country=country, since=since, until=until, by=by)
    activity_base, modules = _project(project_dir)
    store = open_report_source(resolve_db(db, project_dir))
    try:
        result = build_report(store, spec, activity_base=activity_base, project_modules=modules)
    finally:
        store.close()
    if table is not None:
        result = result.only(table)
    if output is None and fmt == "table":
        import shutil
        import sys

        # a pipe or file gets the whole table, unfolded
        width = shutil.get_terminal_size().columns if sys.stdout.isatty() else 240
        for line in text_lines(result, width):
            click.echo(line)
        return
    text = render_text(result, fmt)
    if output is None:
        click.echo(text, nl=False)
        return
    partial = output.with_name(output.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(output)
    click.echo(f"wrote {output}", err=True)
