"""``mirco build`` through the CLI: bad input never writes, never shows a traceback."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from mirco_lms.cli import main

MODULE = "migration-human-rights"


REPO = Path(__file__).resolve().parents[2]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones included) with its bytes."""
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _broken_yaml(m: Path) -> str:
    edit(m / "module.md", "version: 1.0.0", "version: [1.0.0")
    return "module.md"


def _missing_field(m: Path) -> str:
    edit(m / "module.md", "title: Migration and Human Rights\n", "")
    return "module.md"


def _unknown_type(m: Path) -> str:
    edit(m / "final-test.md", "{#mhr-f-03 outcome=LO2}", "{#mhr-f-03 outcome=LO2 type=essay}")
    return "final-test.md"


def _no_correct_answer(m: Path) -> str:
    edit(m / "final-test.md", "- (x) Being outside", "- ( ) Being outside")
    return "final-test.md"


def _duplicate_id(m: Path) -> str:
    edit(m / "final-test.md", "{#mhr-f-03 outcome=LO2}", "{#mhr-f-02 outcome=LO2}")
    return "final-test.md"


def _missing_image(m: Path) -> str:
    edit(m / "03-vulnerable-groups.md", "(images/child-referral.svg", "(images/missing.svg")
    return "03-vulnerable-groups.md"


def _escaping_image(m: Path) -> str:
    edit(m / "03-vulnerable-groups.md", "(images/child-referral.svg", "(../../etc/passwd")
    return "03-vulnerable-groups.md"


def _not_utf8(m: Path) -> str:
    path = m / "01-foundations.md"
    path.write_bytes(path.read_bytes() + "\nCaf\u00e9 au lait.\n".encode("latin-1"))
    return "01-foundations.md"


BAD_INPUTS: dict[str, Callable[[Path], str]] = {
    "broken-yaml": _broken_yaml,
    "missing-field": _missing_field,
    "unknown-question-type": _unknown_type,
    "no-correct-answer": _no_correct_answer,
    "duplicate-id": _duplicate_id,
    "missing-image": _missing_image,
    "image-outside-module": _escaping_image,
    "not-utf8": _not_utf8,
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_reported_and_nothing_is_written(
    case: str, sample_project: Path, runner: CliRunner
) -> None:
    first = runner.invoke(main, ["build", "--project", str(sample_project), "-j", "1"])
    assert first.exit_code == 0, first.output
    dist = sample_project / "dist"
    before = snapshot(dist)
    assert before

    file_name = BAD_INPUTS[case](sample_project / "modules" / MODULE)
    result = runner.invoke(main, ["build", "--project", str(sample_project), "--force"])

    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert re.search(rf"{re.escape(file_name)}:\d+: ", result.output), result.output
    assert snapshot(dist) == before


def test_bad_input_on_first_build_creates_no_output_folder(
    sample_project: Path, runner: CliRunner
) -> None:
    _no_correct_answer(sample_project / "modules" / MODULE)
    result = runner.invoke(main, ["build", "--project", str(sample_project)])
    assert result.exit_code == 2
    assert "final-test.md:" in result.output
    assert not (sample_project / "dist").exists()


def test_build_prints_a_summary_table(sample_project: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["build", "--project", str(sample_project)])
    assert result.exit_code == 0, result.output
    zips = sorted((sample_project / "dist").glob("*.zip"))
    assert zips
    lines = result.output.splitlines()
    for path in zips:  # <module>-<version>-<lang>-<format>.zip: a row with those parts
        module, _, rest = path.stem.partition("-1.0.0-")
        language, _, fmt = rest.rpartition("-")
        assert any(line.split()[:3] == [module, language, fmt] for line in lines), path.name
    assert "<module>-<version>-<lang>-<format>.zip" in result.output
    assert "Qs" in result.output and "built" in result.output
    table = lines[:next(i for i, line in enumerate(lines) if line.startswith("packages:"))]
    assert max(len(line) for line in table) <= 80

    again = runner.invoke(main, ["build", "--project", str(sample_project)])
    assert again.exit_code == 0
    assert again.output.count("up to date") == len(zips) + 1
    assert f"0 built, {len(zips)} up to date" in again.output


def test_format_and_out_options(sample_project: Path, runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "elsewhere"
    result = runner.invoke(main, ["build", MODULE, "--format", "scorm12", "--out", str(out),
                                  "--project", str(sample_project)])
    assert result.exit_code == 0, result.output
    assert [p.name for p in out.glob("*.zip")] == [f"{MODULE}-1.0.0-en-scorm12.zip"]
    assert (out / f"{MODULE}-1.0.0-en-descriptor.html").is_file()
    assert not (sample_project / "dist").exists()


def test_sco_per_lesson_option(sample_project: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["build", MODULE, "--sco-per-lesson", "--format", "scorm2004",
                                  "--project", str(sample_project)])
    assert result.exit_code == 0, result.output
    (path,) = (sample_project / "dist").glob("*.zip")
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        manifest = archive.read("imsmanifest.xml").decode()
    assert {"index.html", "pretest.html", "final-test.html"} <= names
    assert manifest.count('adlcp:scormType="sco"') >= 5


def test_unknown_slug_is_a_usage_error(sample_project: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["build", "no-such-module", "--project", str(sample_project)])
    assert result.exit_code == 2
    assert "unknown module 'no-such-module'" in result.output
    assert "hint: available modules:" in result.output


def test_not_a_project(tmp_path: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["build", "--project", str(tmp_path)])
    assert result.exit_code == 2
    assert "no mirco.toml" in result.output


def test_project_template_override(sample_project: Path, runner: CliRunner) -> None:
    templates = sample_project / "templates"
    templates.mkdir(exist_ok=True)  # the sample has its own
    (templates / "lesson.html").write_text(
        '<section class="mirco-page custom-lesson" id="page-{{ page_id }}" '
        'data-page="{{ page_id }}">{{ body }}<p>Custom footer</p></section>\n',
        encoding="utf-8",
    )
    result = runner.invoke(main, ["build", MODULE, "--format", "scorm12",
                                  "--project", str(sample_project)])
    assert result.exit_code == 0, result.output
    (path,) = (sample_project / "dist").glob("*.zip")
    with zipfile.ZipFile(path) as archive:
        html = archive.read("index.html").decode()
    assert html.count("Custom footer") == 3  # one per lesson
    assert "mirco-assessment" in html  # the other templates still come from the default theme


def test_broken_template_override_names_the_template_line(
    sample_project: Path, runner: CliRunner
) -> None:
    templates = sample_project / "templates"
    templates.mkdir(exist_ok=True)  # the sample has its own
    (templates / "lesson.html").write_text("<section>\n{{ no_such_variable }}\n</section>\n")
    result = runner.invoke(main, ["build", MODULE, "--project", str(sample_project)])
    assert result.exit_code == 2
    assert re.search(r"lesson\.html:2: ", result.output), result.output
    assert "Traceback" not in result.output
    assert not (sample_project / "dist").exists()


@pytest.mark.parametrize("command", ["build", "validate", "new"])
def test_help(command: str, runner: CliRunner) -> None:
    result = runner.invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert f"Usage: main {command}" in result.output or "Usage:" in result.output


def test_build_table_is_readable_at_80_columns(tmp_path: Path) -> None:
    """The longest sample module name and every column fit a terminal of 80 columns."""
    from rich.console import Console

    from mirco_lms.build import BuildReport, BuildRow
    from mirco_lms.cli.build import report_table

    slugs = sorted(p.name for p in (REPO / "modules").iterdir() if p.is_dir())
    rows = tuple(
        BuildRow(slug, "1.0.0", lang, fmt, tmp_path / f"{slug}-1.0.0-{lang}-{fmt}.zip",
                 123_456, 6, 33, status)
        for slug in slugs for lang in ("en", "sr-Latn", "sr-Cyrl", "mk")
        for fmt, status in (("scorm12", "built"), ("scorm2004", "skipped")))
    console = Console(width=80, record=True, force_terminal=False, color_system=None)
    console.print(report_table(BuildReport(tmp_path, rows)))
    lines = console.export_text().splitlines()
    assert max(len(line) for line in lines) <= 80
    assert lines[0].split() == ["Module", "Lang", "Format", "Size", "Pages", "Qs", "Status"]
    table = [line.split() for line in lines[2:] if line.strip()]
    assert len(table) == len(rows)  # one line per package: nothing wrapped
    assert table[1] == [slugs[0], "en", "scorm2004", "120.6", "KB", "6", "33", "up", "to", "date"]
