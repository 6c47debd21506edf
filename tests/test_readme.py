"""The README's examples are real: the module and test it shows load without problems."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from mirco_lms.cli import main
from mirco_lms.course.loader import load_module

README = Path(__file__).resolve().parent.parent / "README.md"


def _markdown_blocks() -> list[str]:
    return re.findall(r"```markdown\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def test_readme_module_example_loads(tmp_path: Path) -> None:
    module_md, lesson_md, test_md = _markdown_blocks()[:3]
    folder = tmp_path / "migration-human-rights"
    (folder / "images").mkdir(parents=True)
    (folder / "module.md").write_text(module_md, encoding="utf-8")
    (folder / "01-foundations.md").write_text("# Foundations\n\nText.\n", encoding="utf-8")
    (folder / "02-refugees-non-refoulement.md").write_text(lesson_md, encoding="utf-8")
    (folder / "images" / "timeline.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><title>t</title></svg>', encoding="utf-8")
    (folder / "final-test.md").write_text(test_md.replace("…", "A"), encoding="utf-8")
    result = load_module(folder)
    assert result.module is not None
    errors = [d.format() for d in result.diagnostics if d.severity == "error"]
    assert errors == []
    final = result.module.final_test
    assert final is not None
    kinds = {q.type.value for q in final.questions}
    assert kinds == {"choice", "multiple-choice", "true-false", "fill-in", "numeric",
                     "matching", "sequencing"}


def test_readme_documents_every_command() -> None:
    text = README.read_text(encoding="utf-8")
    runner = CliRunner()
    for name, command in main.commands.items():
        assert f"mirco {name}" in text, name
        sub = getattr(command, "commands", {})
        for child in sub:
            assert f"mirco {name} {child}" in text or f"`{child}`" in text, (name, child)
        assert runner.invoke(main, [name, "--help"]).exit_code == 0
