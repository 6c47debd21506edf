"""``mirco new`` and ``mirco validate`` through the CLI."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from mirco_lms.cli import main


@pytest.fixture
def empty_project(tmp_path: Path, sample_project: Path) -> Path:
    project = tmp_path / "empty"
    project.mkdir()
    (project / "mirco.toml").write_bytes((sample_project / "mirco.toml").read_bytes())
    return project


def test_new_then_validate_then_build(empty_project: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["new", "border-checks", "--title", "Border checks: basics",
                                  "--project", str(empty_project)])
    assert result.exit_code == 0, result.output
    folder = empty_project / "modules" / "border-checks"
    assert (folder / "module.md").is_file()
    text = "\n".join(p.read_text(encoding="utf-8") for p in folder.rglob("*.md"))
    assert "__SLUG__" not in text and "__TITLE__" not in text
    assert 'title: "Border checks: basics"' in (folder / "module.md").read_text(encoding="utf-8")

    checked = runner.invoke(main, ["validate", "--project", str(empty_project)])
    assert checked.exit_code == 0, checked.output
    assert "0 errors" in checked.output

    built = runner.invoke(main, ["build", "--project", str(empty_project)])
    assert built.exit_code == 0, built.output
    zips = sorted((empty_project / "dist").glob("border-checks-*.zip"))
    assert len(zips) == 2
    with zipfile.ZipFile(zips[0]) as archive:
        assert "Border checks: basics" in archive.read("index.html").decode()
    again = runner.invoke(main, ["validate", *map(str, zips)])
    assert again.exit_code == 0, again.output
    folder = runner.invoke(main, ["validate", str(empty_project / "dist")])
    assert folder.exit_code == 0, folder.output
    assert "in 1 checked path" in folder.output


@pytest.mark.parametrize("slug", ["Bad_Slug", "trailing-", "two--hyphens", "ü", "a/b"])
def test_new_refuses_an_invalid_slug(slug: str, empty_project: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["new", slug, "--project", str(empty_project)])
    assert result.exit_code == 2
    assert "invalid module slug" in result.output
    assert not (empty_project / "modules" / slug).exists()


def test_new_refuses_an_existing_folder(sample_project: Path, runner: CliRunner) -> None:
    module_md = sample_project / "modules" / "migration-human-rights" / "module.md"
    before = module_md.read_bytes()
    result = runner.invoke(main, ["new", "migration-human-rights",
                                  "--project", str(sample_project)])
    assert result.exit_code == 2
    assert "already exists" in result.output
    assert module_md.read_bytes() == before


def test_validate_clean_project(sample_project: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate", "--project", str(sample_project)])
    assert result.exit_code == 0, result.output


def test_validate_reports_every_problem_with_file_and_line(
    sample_project: Path, runner: CliRunner
) -> None:
    module = sample_project / "modules" / "migration-human-rights"
    final = module / "final-test.md"
    final.write_text(final.read_text(encoding="utf-8").replace(
        "{#mhr-f-03 outcome=LO2}", "{#mhr-f-02 outcome=LO2}", 1), encoding="utf-8")
    lesson = module / "03-vulnerable-groups.md"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace(
        "(images/child-referral.svg", "(images/missing.svg", 1), encoding="utf-8")
    result = runner.invoke(main, ["validate", str(module)])
    assert result.exit_code == 1, result.output
    assert re.search(r"final-test\.md:\d+: error: .*mhr-f-02", result.output), result.output
    assert re.search(r"03-vulnerable-groups\.md:\d+: error: .*missing\.svg", result.output)
    assert "hint:" in result.output
    assert "Traceback" not in result.output


def test_validate_a_broken_package(tmp_path: Path, runner: CliRunner) -> None:
    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("index.html", "<p>no manifest</p>")
    result = runner.invoke(main, ["validate", str(broken)])
    assert result.exit_code == 1
    assert "broken.zip" in result.output and "imsmanifest.xml" in result.output


def test_validate_usage_errors(tmp_path: Path, runner: CliRunner) -> None:
    missing = runner.invoke(main, ["validate", str(tmp_path / "nope")])
    assert missing.exit_code == 2
    neither = runner.invoke(main, ["validate", str(tmp_path)])
    assert neither.exit_code == 2
    assert "neither a package" in neither.output
    no_project = runner.invoke(main, ["validate", "--project", str(tmp_path)])
    assert no_project.exit_code == 2
    assert "no mirco.toml" in no_project.output


def test_new_validate_build_in_a_project_that_needs_full_translations(
    sample_project_all_languages: Path, runner: CliRunner
) -> None:
    """The author's first steps never dead-end: the source language builds at once, the
    languages still to translate are reported the same way by validate and build."""
    project = sample_project_all_languages
    config = project / "mirco.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        'formats = ["scorm12", "scorm2004"]', 'formats = ["scorm12"]'), encoding="utf-8")
    created = runner.invoke(main, ["new", "fresh", "--project", str(project)])
    assert created.exit_code == 0, created.output
    assert "it builds and previews in en as it is" in created.output
    assert "sr-Latn, sr-Cyrl, mk: untranslated until its catalogs reach the 100 %" in created.output
    assert "mirco i18n update fresh" in created.output

    checked = runner.invoke(main, ["validate", "--project", str(project)])
    assert checked.exit_code == 0, checked.output
    warned = sorted(re.findall(r"fresh \[([\w-]+)\] is untranslated", checked.output))
    assert warned == ["mk", "sr-Cyrl", "sr-Latn"]
    assert "0 errors, 3 warnings" in checked.output

    built = runner.invoke(main, ["build", "fresh", "--project", str(project)])
    assert built.exit_code == 0, built.output
    assert [p.name for p in (project / "dist").glob("fresh-*.zip")] == [
        "fresh-0.1.0-en-scorm12.zip"]
    assert sorted(re.findall(r"fresh \[([\w-]+)\] is untranslated", built.output)) == warned
    assert "not built (under the coverage threshold): fresh in sr-Latn (untranslated, 0 %)" \
        in built.output

    partial = runner.invoke(main, ["build", "fresh", "--lang", "mk", "--allow-partial",
                                   "--project", str(project)])
    assert partial.exit_code == 0, partial.output
    assert (project / "dist" / "fresh-0.1.0-mk-scorm12.zip").is_file()
    refused = runner.invoke(main, ["build", "fresh", "--lang", "sr-Latn",
                                   "--project", str(project)])
    assert refused.exit_code == 1
    assert "mirco i18n update --lang sr-Latn fresh" in refused.output
