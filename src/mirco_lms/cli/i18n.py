"""``mirco i18n``: extract, update and measure the translations of a course project.

    mirco i18n extract [SLUG]...            templates: translations/templates/<slug>.pot
    mirco i18n update [--lang L]... [SLUG]  catalogs: translations/<L>/LC_MESSAGES/<slug>.po
    mirco i18n status [--lang L]... [--json]
    mirco i18n init LANG [--from OTHER]     a new language: catalogs + mirco.toml
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from mirco_lms.cli import main
from mirco_lms.cli._options import project_option
from mirco_lms.config import ProjectConfig

lang_option = click.option(
    "--lang", "languages", multiple=True, metavar="LANG",
    help="A language (repeat for several; default: [i18n].languages of mirco.toml).",
)


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


@main.group("i18n")
def i18n_group() -> None:
    """Translate modules with gettext catalogs (Poedit, Weblate, any PO editor)."""


@i18n_group.command("extract")
@click.argument("slugs", nargs=-1, metavar="[SLUG]...")
@project_option
def extract_command(slugs: tuple[str, ...], project_dir: Path) -> None:
    """Write one template (POT) per module: translations/templates/<slug>.pot."""
    from mirco_lms.i18n.project import extract

    config = ProjectConfig.load(project_dir)
    for path, changed, count in extract(config, slugs):
        state = "written" if changed else "unchanged"
        click.echo(f"{_relative(path, config.root)}: {count} segments ({state})")


@i18n_group.command("update")
@click.argument("slugs", nargs=-1, metavar="[SLUG]...")
@lang_option
@project_option
def update_command(slugs: tuple[str, ...], languages: tuple[str, ...], project_dir: Path) -> None:
    """Extract, then merge the templates into every language's catalogs.

    Changed source segments keep their old translation marked fuzzy (with the old
    source as '#|'); removed ones become obsolete ('#~'). sr-Cyrl is made from the
    sr-Latn catalog and gets its own only with --lang sr-Cyrl.
    """
    from mirco_lms.i18n.project import update

    config = ProjectConfig.load(project_dir)
    for row in update(config, slugs, languages or None):
        c = row.coverage
        state = "updated" if row.changed else "unchanged"
        click.echo(f"{_relative(row.path, config.root)}: {c.translated}/{c.total} translated, "
                   f"{c.fuzzy} fuzzy, {c.missing} missing ({state})")


@i18n_group.command("status")
@click.argument("slugs", nargs=-1, metavar="[SLUG]...")
@lang_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@project_option
def status_command(
    slugs: tuple[str, ...], languages: tuple[str, ...], as_json: bool, project_dir: Path
) -> None:
    """Translation coverage per module and language: translated / fuzzy / missing."""
    from mirco_lms.i18n.project import status

    config = ProjectConfig.load(project_dir)
    rows = status(config, slugs, languages or None)
    if as_json:
        click.echo(json.dumps([row.data() for row in rows], indent=2, ensure_ascii=False))
        return
    from rich import box
    from rich.console import Console
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("Module", no_wrap=True)
    table.add_column("Language", no_wrap=True)
    for name in ("Translated", "Fuzzy", "Missing", "Total", "Coverage"):
        table.add_column(name, justify="right", no_wrap=True)
    for row in rows:
        c = row.coverage
        percent = c.percent_text
        table.add_row(row.module, row.language, str(c.translated), str(c.fuzzy),
                      str(c.missing), str(c.total), percent if row.ok else f"[red]{percent}[/red]")
    out = Console(highlight=False)
    if not out.is_terminal:
        out = Console(highlight=False, width=max(out.width, 120))
    out.print(table)
    out.print(f"coverage threshold: {config.i18n.coverage_threshold} %")


@i18n_group.command("init")
@click.argument("language", metavar="LANG")
@click.option("--from", "start_from", metavar="OTHER", default=None,
              help="Start every catalog from OTHER's translations, each entry marked fuzzy "
              "for review (e.g. bs or cnr from sr-Latn).")
@project_option
def init_command(language: str, start_from: str | None, project_dir: Path) -> None:
    """Add LANG to the project: its catalogs, and [i18n].languages of mirco.toml.

    Until its catalogs reach the coverage threshold, build and serve list LANG as
    untranslated or partial (--allow-partial builds it with source-language fallbacks).
    """
    from mirco_lms.i18n.add_language import init_language
    from mirco_lms.i18n.locales import language_name

    config = ProjectConfig.load(project_dir)
    added = init_language(config, language, start_from)
    for row in added.catalogs:
        c = row.coverage
        click.echo(f"{_relative(row.path, config.root)}: {c.translated}/{c.total} translated, "
                   f"{c.fuzzy} fuzzy, {c.missing} missing")
    if start_from:
        click.echo(f"{added.prefilled} entries started from {start_from}, marked fuzzy: "
                   "review them in a PO editor (fuzzy entries are not used until reviewed)")
    click.echo(f"added {language} ({language_name(language, 'en')}) to [i18n].languages "
               "of mirco.toml")
    click.echo(f"next: translate translations/{language}/LC_MESSAGES/*.po, then "
               f"mirco i18n status --lang {language}; mirco serve --lang {language} "
               "--allow-partial previews it meanwhile")
