"""How the CLI prints bad input: every problem once, as ``file:line: error: message`` + hint.

File paths are relative to the current folder when the file is inside it (as compilers
print them), whichever way the loader reached the file; other files print as given.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from mirco_lms.cli import main

MODULE = Path("modules") / "migration-human-rights"


def lines_of(path: Path, needle: str) -> list[int]:
    """1-based numbers of the lines of ``path`` that contain ``needle``."""
    lines = path.read_text(encoding="utf-8").split("\n")
    return [i for i, line in enumerate(lines, start=1) if needle in line]


def break_module(project: Path) -> tuple[Path, Path]:
    """A missing image in a lesson and a duplicate question id in the final test."""
    lesson = project / MODULE / "03-vulnerable-groups.md"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace(
        "(images/child-referral.svg", "(images/missing.svg", 1), encoding="utf-8")
    final = project / MODULE / "final-test.md"
    final.write_text(final.read_text(encoding="utf-8").replace(
        "{#mhr-f-03 outcome=LO2}", "{#mhr-f-02 outcome=LO2}", 1), encoding="utf-8")
    return lesson, final


def expected_problems(lesson: Path, final: Path, shown: str) -> list[str]:
    """The four lines the two problems print, with the module folder shown as ``shown``."""
    [image] = lines_of(lesson, "images/missing.svg")
    first, second = lines_of(final, "{#mhr-f-02 ")
    return [
        f"{shown}/03-vulnerable-groups.md:{image}: error: the image 'images/missing.svg' "
        "does not exist",
        "  hint: check the file name (letter case counts) and that it is in the module folder",
        f"{shown}/final-test.md:{second}: error: duplicate question id 'mhr-f-02' "
        f"(first used at {shown}/final-test.md:{first})",
        "  hint: give every question its own id",
    ]


@pytest.mark.parametrize("project_arg", ["relative", "absolute"])
def test_build_errors_print_once_relative_to_the_current_folder(
    sample_project: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch, project_arg: str
) -> None:
    lesson, final = break_module(sample_project)
    monkeypatch.chdir(sample_project)
    project = "." if project_arg == "relative" else str(sample_project)
    result = runner.invoke(main, ["build", "--project", project])
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == expected_problems(lesson, final, MODULE.as_posix())
    assert result.stdout == ""
    assert not (sample_project / "dist").exists()


def test_build_errors_outside_the_current_folder_print_full_paths(
    sample_project: Path, tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    lesson, final = break_module(sample_project)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = runner.invoke(main, ["build", "--project", str(sample_project)])
    assert result.exit_code == 2, result.output
    shown = (sample_project / MODULE).as_posix()
    assert result.stderr.splitlines() == expected_problems(lesson, final, shown)


def test_validate_prints_the_same_lines(
    sample_project: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    lesson, final = break_module(sample_project)
    monkeypatch.chdir(sample_project)
    result = runner.invoke(main, ["validate", str(sample_project / MODULE)])
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines() == expected_problems(lesson, final, MODULE.as_posix())
    assert result.stderr == "2 errors, 0 warnings in 1 checked path\n"


def test_a_single_error_prints_file_error_message_and_hint(
    sample_project: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(sample_project)
    result = runner.invoke(main, ["build", "no-such-module"])
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        "modules/no-such-module: error: unknown module 'no-such-module'\n"
        "  hint: available modules: global-migration-governance, migration-human-rights, "
        "smuggling-of-migrants\n"
    )


def test_a_config_error_names_the_line(
    sample_project: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = sample_project / "mirco.toml"
    config.write_text(config.read_text(encoding="utf-8") + "\nbroken = [\n", encoding="utf-8")
    monkeypatch.chdir(sample_project)
    result = runner.invoke(main, ["build"])
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("mirco.toml:"), lines
    assert ": error: invalid TOML: " in lines[0]
    assert lines[0].count("error:") == 1


def test_a_missing_project_prints_one_line_and_a_hint(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["build"])
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        "mirco.toml: error: no mirco.toml in '.'\n"
        "  hint: run mirco in a course project folder, or pass --project DIR\n"
    )
