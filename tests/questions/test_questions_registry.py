"""The question type registry: built-in types by name, and a type registered from outside
(tests/questions/yes_no.py) parsed, checked, translated, rendered and packaged like them."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from yes_no import QUESTION_MD, YesNo, add_to_project, yes_no_registered

from mirco_lms import questions
from mirco_lms.build import BuildOptions, build
from mirco_lms.config import ProjectConfig
from mirco_lms.course.loader import load_module, validate_sources
from mirco_lms.errors import MircoError
from mirco_lms.i18n.walker import walk
from mirco_lms.render.assemble import QUESTION_SOURCES, RUNTIME_DIR, runtime_bundle
from mirco_lms.render.theme import DEFAULT_THEME_DIR

BUILT_IN = ["true-false", "choice", "multiple-choice", "numeric", "fill-in", "sequencing",
            "matching", "essay", "likert"]


def test_the_built_in_types_in_detection_order() -> None:
    assert [kind.name for kind in questions.kinds()] == BUILT_IN
    assert questions.find("Ordering") is questions.get("sequencing")
    assert questions.find("hotspot") is None
    assert questions.inline_kinds() == {"option", "matching left", "matching right",
                                        "ordering item"}


@pytest.mark.parametrize("name", BUILT_IN)
def test_each_built_in_type_has_its_runtime_module_and_template(name: str) -> None:
    source = f"src/questions/{name}.js"
    assert source in QUESTION_SOURCES
    assert f'registerQuestionType("{name}"' in (RUNTIME_DIR / source).read_text(encoding="utf-8")
    assert (DEFAULT_THEME_DIR / "questions" / f"{name}.html").is_file()
    assert questions.get(name).script is None  # part of the runtime, not added


def test_a_name_or_alias_is_registered_once() -> None:
    with yes_no_registered() as kind, pytest.raises(MircoError, match="'yes-no' is already"):
        questions.register(kind)
    with pytest.raises(MircoError, match="unknown question type 'yes-no'"):
        questions.get("yes-no")


def _pretest_question(project: Path, qid: str) -> Any:
    result = load_module(project / "modules" / "migration-human-rights")
    assert result.module is not None and result.module.pretest is not None
    return next(q for q in result.module.pretest.questions if q.id == qid)


def test_a_registered_type_is_parsed_checked_and_translated(sample_project: Path) -> None:
    add_to_project(sample_project)
    with yes_no_registered() as kind:
        assert "yesno" in questions.names()
        question = _pretest_question(sample_project, "mhr-p-yn")
        assert isinstance(question, YesNo) and questions.of(question) is kind
        assert (question.answer, question.points, question.outcomes) == ("yes", 1.0, ("LO2",))
        assert question.explanation_md.startswith("It binds every State")
        assert validate_sources(sample_project / "modules") == []
        opinion = _pretest_question(sample_project, "mhr-p-op")
        assert questions.of(opinion).graded is False and opinion.points == 0  # not points=3

        module = load_module(sample_project / "modules" / "migration-human-rights").module
        assert module is not None
        seen: list[tuple[str, str | None]] = []

        def visit(source: Any) -> str:
            seen.append((source.kind, source.question))
            return source.text.upper()

        shouted = walk(module, visit)
        assert ("answer feedback: paragraph", "mhr-p-yn") in seen
        assert shouted.pretest is not None
        translated = next(q for q in shouted.pretest.questions if q.id == "mhr-p-yn")
        assert translated.explanation_md.startswith("IT BINDS EVERY STATE")
        assert translated.answer == "yes"


def test_a_registered_type_has_its_checks(sample_project: Path) -> None:
    add_to_project(sample_project, QUESTION_MD.replace("- = yes", "- = maybe"))
    with yes_no_registered():
        errors = [d for d in validate_sources(sample_project / "modules")
                  if d.severity == "error"]
    assert [d.message for d in errors] == [
        "question 'mhr-p-yn': the answer 'maybe' is not yes or no"]
    assert errors[0].location.line is not None and errors[0].location.line > 1


def test_an_unregistered_type_name_is_an_error_naming_the_known_ones(
    sample_project: Path,
) -> None:
    add_to_project(sample_project, QUESTION_MD)
    errors = validate_sources(sample_project / "modules")
    assert [d.message for d in errors] == ["unknown question type 'yes-no'"]
    assert errors[0].hint is not None and "sequencing" in errors[0].hint


def test_a_registered_type_is_rendered_and_packaged(sample_project: Path,
                                                    tmp_path: Path) -> None:
    add_to_project(sample_project)
    config = ProjectConfig.load(sample_project)
    with yes_no_registered():
        report = build(config, BuildOptions(slugs=("migration-human-rights",),
                                            formats=("scorm2004",), out_dir=tmp_path / "out",
                                            jobs=1))
        bundle = runtime_bundle()
    [row] = report.rows
    with zipfile.ZipFile(row.path) as archive:
        names = archive.namelist()
        html = next(archive.read(n).decode() for n in names
                    if 'data-question="mhr-p-yn"' in archive.read(n).decode(errors="ignore"))
        script = archive.read("_mirco/mirco.js").decode()
    assert 'data-type="yes-no"' in html
    assert 'id="mq-mhr-p-yn-yes"' in html and 'id="mq-mhr-p-yn-no"' in html
    found = re.search(r'<script[^>]*type="application/json"[^>]*>(.*?)</script>', html, re.S)
    assert found is not None
    data = json.loads(found.group(1))["questions"]["mhr-p-yn"]
    assert data["type"] == "yes-no" and data["correct"] == ["yes"]
    assert [c["id"] for c in data["choices"]] == ["yes", "no"]
    assert "It binds every State" in data["explanation"]
    assert "graded" not in data
    opinion = json.loads(found.group(1))["questions"]["mhr-p-op"]
    assert (opinion["type"], opinion["graded"], opinion["points"]) == ("opinion", False, 0)
    assert 'registerQuestionType("yes-no"' in script
    assert script.index("questions/yes-no.js") < script.index("questions/opinion.js")
    assert script.index("questions/yes-no.js") < script.index("src/player.js")
    assert 'registerQuestionType("yes-no"' in bundle.decode()
    assert 'registerQuestionType("yes-no"' not in runtime_bundle().decode()
