"""Hostile or degenerate sources get a clear error at file:line, never "internal error":
front matter nested thousands of levels deep, a module with nothing to learn."""

from __future__ import annotations

from pathlib import Path

import pytest

from mirco_lms.cli import main
from mirco_lms.course.frontmatter import MAX_DEPTH

LESSON = "modules/migration-human-rights/01-foundations.md"


def _with_front_matter(path: Path, yaml_lines: list[str]) -> None:
    body = path.read_text(encoding="utf-8").split("---\n", 2)[2]
    path.write_text("---\n" + "\n".join(yaml_lines) + "\n---\n" + body, encoding="utf-8")


@pytest.mark.parametrize(
    ("yaml_lines", "line"),
    [
        (["id: foundations", "title: " + "[" * 5000 + "]" * 5000], 3),
        (["id: foundations", "title: " + "{a: " * 5000 + "}" * 5000], 3),
        (["id: foundations", "title:"] + ["  " * i + "-" for i in range(1, 5001)],
         3 + MAX_DEPTH),
    ],
    ids=["flow lists", "flow mappings", "block lists"],
)
def test_deep_front_matter_is_an_error_at_its_line(  # type: ignore[no-untyped-def]
    runner, sample_project: Path, yaml_lines: list[str], line: int
) -> None:
    lesson = sample_project / LESSON
    _with_front_matter(lesson, yaml_lines)
    commands = [["validate"], ["build"]] if "[" in yaml_lines[1] else [["validate"]]
    for command in commands:
        out = runner.invoke(main, [*command, "--project", str(sample_project)])
        assert out.exit_code in (1, 2), out.output
        assert f"{LESSON}:{line}: error: the front matter nests values more than" in out.output
        assert "hint:" in out.output and "internal error" not in out.output


def test_moderate_nesting_still_reads(runner, sample_project: Path) -> None:  # type: ignore[no-untyped-def]
    lesson = sample_project / LESSON
    _with_front_matter(lesson, ["id: foundations", "title: Foundations",
                                "notes: " + "[" * 20 + "]" * 20])
    out = runner.invoke(main, ["validate", "--project", str(sample_project)])
    assert "nests values" not in out.output


def test_a_module_without_lessons_or_tests_is_an_error(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project = tmp_path / "project"
    folder = project / "modules" / "empty"
    folder.mkdir(parents=True)
    (project / "mirco.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    (folder / "module.md").write_text(
        "---\nid: empty\ntitle: Empty\nversion: 1.0.0\nlanguage: en\nduration: 1h\n"
        "outcomes:\n  - id: LO1\n    text: Know.\n---\n\n# Empty\n\nNothing here.\n",
        encoding="utf-8")
    out = runner.invoke(main, ["build", "--project", str(project)])
    assert out.exit_code == 2, out.output
    assert "modules/empty/module.md:12: error: the module has no lessons and no tests" \
        in out.output
    assert not (project / "dist").exists() or not any((project / "dist").iterdir())
