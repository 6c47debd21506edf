"""``mirco validate``: check module sources, their translations and built packages, print
every problem."""

from __future__ import annotations

from pathlib import Path

import click

from mirco_lms.cli import main
from mirco_lms.cli._options import project_option
from mirco_lms.config import ProjectConfig
from mirco_lms.errors import Diagnostic

MODULE_FILE = "module.md"


def _diagnostics_of(path: Path) -> list[Diagnostic]:
    """Problems of one PATH: a built output, a module folder, a course project or a folder
    of outputs."""
    from mirco_lms.course.loader import load_module, validate_sources

    if _is_output(path):
        return _output_diagnostics(path)
    if path.is_dir() and (path / MODULE_FILE).is_file():
        return load_module(path).diagnostics
    if path.is_dir() and (path / "mirco.toml").is_file():
        from mirco_lms.i18n.readiness import project_warnings

        config = ProjectConfig.load(path)
        return [*_project_diagnostics(config), *project_warnings(config)]
    if path.is_dir() and path.name == "modules":
        return validate_sources(path)
    outputs = sorted(p for p in path.iterdir() if _is_output(p)) if path.is_dir() else []
    if outputs:
        return [d for output in outputs for d in _output_diagnostics(output)]
    raise click.BadParameter(
        f"{str(path)!r} is neither a package (.zip), a folder of packages, a module folder "
        f"(with {MODULE_FILE}) nor a course project (with mirco.toml)",
        param_hint="PATH",
    )


def _is_output(path: Path) -> bool:
    """A package zip, or an output a registered format recognises."""
    from mirco_lms.formats import registry

    if path.name.startswith("."):
        return False
    is_zip = path.is_file() and path.suffix.lower() == ".zip"
    return is_zip or registry.recognise(path) is not None


def _output_diagnostics(path: Path) -> list[Diagnostic]:
    """The problems of an output, by the format that recognises it (a zip that none
    recognises gets the package checks, which say what it lacks)."""
    from mirco_lms.package import validate_package

    return validate_package(path)


def _project_diagnostics(config: ProjectConfig) -> list[Diagnostic]:
    """The sources' problems, then the translations' of every module that loaded cleanly."""
    from mirco_lms.course.loader import load_modules
    from mirco_lms.i18n.pipeline import translation_diagnostics

    results = load_modules(config.modules_dir, check=True, rules=config.accreditation)
    found = [d for result in results for d in result.diagnostics]
    modules = [r.module for r in results if r.module is not None and not r.errors]
    return found + translation_diagnostics(config, modules)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


@main.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path),
                metavar="[PATH]...")
@project_option
def validate_command(paths: tuple[Path, ...], project_dir: Path) -> None:
    """Check module sources, their translations and built packages; print every problem
    as file:line.

    PATH may be a module folder, a course project, a built package (.zip) or a folder of
    packages (dist/); by default the whole project is checked, including which languages
    are translated enough to build (the same rule as mirco build). Exits 0 when there are
    no errors, 1 when problems were found, 2 on a usage error.
    """
    targets = list(paths) or [project_dir]
    if not paths:
        ProjectConfig.load(project_dir)  # a clear error when this is not a project
    diagnostics: list[Diagnostic] = []
    for target in targets:
        diagnostics.extend(_diagnostics_of(target))
    for diagnostic in diagnostics:
        click.echo(diagnostic.format())
    errors = sum(1 for d in diagnostics if d.severity == "error")
    warnings = len(diagnostics) - errors
    click.echo(
        f"{_count(errors, 'error')}, {_count(warnings, 'warning')} in "
        f"{_count(len(targets), 'checked path')}",
        err=True,
    )
    if errors:
        raise click.exceptions.Exit(1)
