"""``mirco new``: a new module folder from the scaffold, ready to build."""

from __future__ import annotations

from pathlib import Path

import click

from mirco_lms.cli import main
from mirco_lms.cli._options import project_option
from mirco_lms.config import ProjectConfig
from mirco_lms.errors import Location, SourceError

SCAFFOLD_DIR = Path(__file__).resolve().parent.parent / "scaffold" / "module"
"""The module scaffold shipped with mirco; ``__SLUG__`` and ``__TITLE__`` are replaced."""
TEXT_SUFFIXES = frozenset({".md", ".txt", ".yml", ".yaml", ".toml", ".svg", ".html", ".css"})


def _title_of(slug: str) -> str:
    return " ".join(word.capitalize() for word in slug.split("-"))


def _yaml_safe(title: str) -> str:
    """The title as it may stand in YAML front matter: quoted when it has special characters."""
    if any(ch in title for ch in ':#{}[],&*?|<>=!%@`"\'') or title != title.strip():
        return '"' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return title


def scaffold_module(modules_dir: Path, slug: str, title: str) -> Path:
    """Create ``modules_dir/slug`` from the scaffold; refuse a bad slug or an existing folder."""
    from mirco_lms.course.loader import SLUG_PATTERN

    if not SLUG_PATTERN.match(slug):
        raise SourceError(
            f"invalid module slug {slug!r}",
            hint="use lowercase letters, digits and single hyphens, e.g. 'border-management'",
        )
    dest = modules_dir / slug
    if dest.exists():
        raise SourceError(
            f"the module folder {slug!r} already exists", location=Location(file=dest),
            hint="choose another slug, or edit the existing module",
        )
    if not SCAFFOLD_DIR.is_dir():
        raise SourceError(
            "the module scaffold is missing from this installation",
            location=Location(file=SCAFFOLD_DIR), hint="reinstall mirco",
        )
    replacements = {"__SLUG__": slug, "__TITLE__": title}
    staging = modules_dir / f".{slug}.new"
    for source in sorted(SCAFFOLD_DIR.rglob("*")):
        if not source.is_file() or source.name.startswith(".") or "__pycache__" in source.parts:
            continue
        relative = source.relative_to(SCAFFOLD_DIR).as_posix().replace("__SLUG__", slug)
        target = staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        data = source.read_bytes()
        if source.suffix.lower() in TEXT_SUFFIXES:
            text = data.decode("utf-8")
            for marker, value in replacements.items():
                text = text.replace(marker, value)
            data = text.encode("utf-8")
        target.write_bytes(data)
    staging.rename(dest)
    return dest


def next_steps(config: ProjectConfig, dest: Path, slug: str) -> list[str]:
    """What to do after ``mirco new``, true for this project's languages and threshold."""
    from mirco_lms.course.frontmatter import load_source

    meta = load_source(dest / "module.md").meta.value
    source = str(meta["language"].value) if "language" in meta else "en"
    others = [lang for lang in config.i18n.languages if lang != source]
    threshold = config.i18n.coverage_threshold
    lines = [f"it builds and previews in {source} as it is: mirco build {slug}, mirco serve"]
    if others and threshold > 0:
        lines.append(
            f"{', '.join(others)}: untranslated until its catalogs reach the "
            f"{threshold} % coverage threshold (build and serve list them as such; "
            "--allow-partial shows untranslated text in " + source + ")")
        lines.append(f"translate: mirco i18n update {slug}, then edit "
                     f"translations/<lang>/LC_MESSAGES/{slug}.po")
    elif others:
        lines.append(f"{', '.join(others)}: built at once, untranslated text in {source} "
                     f"(translate: mirco i18n update {slug})")
    lines.append(f"next: edit {dest / 'module.md'}, then run: mirco validate {dest}")
    return lines


@main.command("new")
@click.argument("slug")
@click.option("--title", default=None, help="The module's title (default: from the slug).")
@project_option
def new_command(slug: str, title: str | None, project_dir: Path) -> None:
    """Create modules/SLUG/ from the module scaffold.

    It builds and previews in its source language at once; the project's other
    languages follow once translated (mirco i18n update SLUG).
    """
    config = ProjectConfig.load(project_dir)
    config.modules_dir.mkdir(parents=True, exist_ok=True)
    dest = scaffold_module(config.modules_dir, slug, _yaml_safe(title or _title_of(slug)))
    click.echo(f"created {dest}")
    for line in next_steps(config, dest, slug):
        click.echo(line)
