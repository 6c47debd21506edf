"""``mirco import``: start a module from a document (DOCX, ODT, Markdown or HTML)."""

from __future__ import annotations

from pathlib import Path

import click

from mirco_lms.cli import main
from mirco_lms.cli._options import project_option
from mirco_lms.config import ProjectConfig


@main.command("import")
@click.argument("document", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--module", "slug", default=None, metavar="SLUG",
              help="The new module's folder name (default: from the document's title).")
@click.option("--lang", "language", default=None, metavar="LANG",
              help="The document's language (default: guessed from its letters).")
@project_option
def import_command(document: Path, slug: str | None, language: str | None,
                   project_dir: Path) -> None:
    """Start a module from DOCUMENT (.docx, .odt, .md or .html).

    Each top-level heading becomes a lesson; images go to images/ with their alt text;
    tables, lists, footnotes and links are kept. Values to write are marked TODO-IMPORT
    in the new files and listed below. An existing module is never overwritten.
    """
    from mirco_lms.importer import import_document

    config = ProjectConfig.load(project_dir)
    result = import_document(document, config.modules_dir, slug, language)
    click.echo(f"imported {document.name} → {result.folder} "
               f"({len(result.lessons)} lessons, {len(result.images)} images, "
               f"language {result.language})")
    if result.attention:
        click.echo(f"{len(result.attention)} things need your attention:")
        for item in result.attention:
            click.echo(f"  {item.format()}")
    click.echo(f"next: edit the {result.folder.name} module, then mirco validate "
               f"{result.slug} and mirco build {result.slug}")
