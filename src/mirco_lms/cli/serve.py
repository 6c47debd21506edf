"""``mirco serve``: preview the course project in a browser, rebuilt as you edit."""

from __future__ import annotations

from pathlib import Path

import click

from mirco_lms.cli import main
from mirco_lms.cli._options import project_option
from mirco_lms.errors import ConfigError, Location


@main.command()
@project_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="Port to listen on.")
@click.option("--sco-per-lesson/--single-sco", default=None,
              help="Package shape to preview (default: as mirco.toml says).")
@click.option("--lang", "languages", multiple=True, metavar="LANG",
              help="Preview this language (repeat for several; default: [i18n].languages).")
@click.option("--allow-partial", is_flag=True,
              help="Preview languages under the coverage threshold too (untranslated "
              "segments in the source language).")
def serve(project_dir: Path, host: str, port: int, sco_per_lesson: bool | None,
          languages: tuple[str, ...], allow_partial: bool) -> None:
    """Preview every module in a SCORM test frame, rebuilt when a source changes.

    Every module is previewed in its source language; a language under the coverage
    threshold is listed as partial or untranslated (and previewed with --allow-partial).
    """
    import uvicorn

    from mirco_lms.serve import PreviewSite, create_app

    if not (project_dir / "mirco.toml").is_file():
        raise ConfigError(
            "no mirco.toml here: this is not a course project",
            location=Location(file=project_dir.resolve()),
            hint="run mirco serve in a project folder, or pass --project DIR",
        )
    from mirco_lms.config import ProjectConfig
    from mirco_lms.i18n.pipeline import build_languages

    build_languages(ProjectConfig.load(project_dir), languages)  # unknown --lang: exit 2
    site = PreviewSite(project_dir.resolve(), sco_per_lesson=sco_per_lesson,
                       languages=languages or None, allow_partial=allow_partial)
    click.echo(f"mirco preview on http://{host}:{port}/ (Ctrl+C to stop)", err=True)
    try:
        uvicorn.run(create_app(site), host=host, port=port, log_level="warning")
    finally:
        site.close()
