"""Essays, ratings and the course evaluation from Markdown: what they read into, the errors
at file:line, never a point or a pass mark, what the runtime and the paper test get."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from course_support import MODULE_MD, WriteModule

from mirco_lms import questions
from mirco_lms.course.loader import load_module
from mirco_lms.course.model import AssessmentKind, Module, Review
from mirco_lms.printed.views import PrintMarkdown, paper_question, render_question
from mirco_lms.questions.essay import DEFAULT_MAX, Essay
from mirco_lms.questions.likert import Likert
from mirco_lms.render import LocalizedModule, Theme
from mirco_lms.render.questions import question_data, question_view

LESSON = """\
---
title: Foundations
---

# Foundations

Text.

::: check {{#kc-essay outcome=LO1 type=essay{attrs}}}
Reflect: what would you do first?

{answers}
:::
"""
MODEL = "- = Listen, record the fear, refer the case.\n  > Did you mention the referral?"
FINAL = """\
---
title: Final test
---

## Which article? {#q-art33 outcome=LO2}

- ( ) Article 1A
- (x) Article 33

## In your words: why? {#q-why outcome=LO1 type=essay points=5}
"""
EVALUATION = """\
---
title: Tell us
{extra}
---

Two minutes.

## The module was clear. {{#ev-clear type=likert}}

## Anything else? {{#ev-comments type=essay max=500}}
"""


def _lesson(attrs: str = "", answers: str = MODEL) -> dict[str, str]:
    return {"01-foundations.md": LESSON.format(attrs=attrs, answers=answers)}


def _module(write_module: WriteModule, files: dict[str, str]) -> Module:
    return load_module(write_module(files)).require()


def test_an_essay_check_reads_into_the_model(write_module: WriteModule) -> None:
    module = _module(write_module, _lesson(" max=1500 points=3"))
    [essay] = module.lessons[0].checks
    assert isinstance(essay, Essay) and essay.type == "essay"
    assert (essay.model_md, essay.model_note_md) == ("Listen, record the fear, refer the case.",
                                                      "Did you mention the referral?")
    assert essay.max_chars == 1500 and essay.points == 0  # points=3 is ignored: never scored
    assert questions.of(essay).graded is False
    assert questions.find("reflection") is questions.of(essay)


def test_an_essay_in_a_test_counts_toward_no_score(write_module: WriteModule) -> None:
    module = _module(write_module, {"final-test.md": FINAL})
    final = module.final_test
    assert final is not None and final.max_points == 1.0  # the essay's points=5: none
    essay = final.questions[1]
    assert isinstance(essay, Essay) and essay.model_md == "" and essay.max_chars == DEFAULT_MAX


@pytest.mark.parametrize(("attrs", "answers", "message", "line"), [
    (" max=0", MODEL, "max='0' is not a number of characters from 1 to 4,000", 9),
    (" max=5000", MODEL, "max='5000' is not a number of characters from 1 to 4,000", 9),
    (" max=many", MODEL, "max='many' is not a number of characters", 9),
    ("", "- = One.\n- = Two.", "an essay question has one model answer, not 2 answers", 9),
    ("", "- (x) Yes\n- ( ) No", "type=essay does not fit answers written as", 9),
])
def test_bad_essays_name_file_and_line(write_module: WriteModule, attrs: str, answers: str,
                                       message: str, line: int) -> None:
    result = load_module(write_module(_lesson(attrs, answers)))
    [error] = result.errors
    assert message in error.message, error.message
    assert (Path(str(error.location.file)).name, error.location.line) == ("01-foundations.md",
                                                                          line)
    assert error.hint


def test_the_evaluation_reads_ratings_and_comments(write_module: WriteModule) -> None:
    module = _module(write_module, {"evaluation.md": EVALUATION.format(extra="anonymous: true")})
    survey = module.evaluation
    assert survey is not None and survey.kind is AssessmentKind.EVALUATION
    assert (survey.title, survey.anonymous, survey.required) == ("Tell us", True, False)
    assert survey.review_rule is Review.NEVER and survey.max_points == 0
    rating, comment = survey.questions
    assert isinstance(rating, Likert) and isinstance(comment, Essay)
    assert comment.max_chars == 500 and comment.model_md == ""
    assert module.assessments[-1] is survey
    assert [lesson.id for lesson in module.lessons] == ["foundations"]  # not a lesson


@pytest.mark.parametrize(("files", "message", "name", "line"), [
    ({"evaluation.md": EVALUATION.format(extra="review: always")},
     "an evaluation has no answers to review", "evaluation.md", 3),
    ({"final-test.md": FINAL.replace("title: Final test", "title: F\nanonymous: true")},
     "a final cannot be anonymous", "final-test.md", 3),
    ({"evaluation.md": EVALUATION.format(extra="").replace(
        "{#ev-clear type=likert}", "{#ev-clear type=likert}\n\n- (x) Yes")},
     "type=likert does not fit answers written as", "evaluation.md", 8),
])
def test_bad_evaluations_name_file_and_line(write_module: WriteModule, files: dict[str, str],
                                            message: str, name: str, line: int) -> None:
    [error] = load_module(write_module(files)).errors
    assert message in error.message, error.message
    assert (Path(str(error.location.file)).name, error.location.line) == (name, line)


def test_a_required_evaluation_and_module_md_naming_it(write_module: WriteModule) -> None:
    files = {"evaluation.md": None, "survey.md": EVALUATION.format(extra="required: true"),
             "module.md": MODULE_MD.replace("passing_score: 70\n",
                                            "passing_score: 70\nevaluation: survey.md\n")}
    module = load_module(write_module(files)).require()
    assert module.evaluation is not None and module.evaluation.required
    assert module.evaluation.source is not None and module.evaluation.source.name == "survey.md"


def test_runtime_data_and_form(write_module: WriteModule) -> None:
    module = _module(write_module, {**_lesson(" max=900"),
                                    "evaluation.md": EVALUATION.format(extra="")})
    localized = LocalizedModule(module, "en")
    [essay] = module.lessons[0].checks
    view = question_view(essay, localized, is_check=True)
    data = question_data(view, essay, localized)
    assert (data["type"], data["graded"], data["points"], data["max"]) == ("essay", False, 0, 900)
    theme = Theme.for_project(None)
    html = theme.render("questions/essay.html", {"question": view})
    assert 'maxlength="900"' in html and "At most 900 characters" in html
    assert "Did you mention the referral?" in html
    assert re.findall(r'value="(\w+)" data-choice', html) == ["all", "most", "some", "none"]
    assert module.evaluation is not None
    rating = module.evaluation.questions[0]
    rdata = question_data(question_view(rating, localized), rating, localized)
    assert [c["id"] for c in rdata["choices"]] == ["1", "2", "3", "4", "5"]
    assert rdata["graded"] is False and json.dumps(rdata)


def test_the_paper_test_prints_lines_for_the_essay(write_module: WriteModule) -> None:
    module = _module(write_module, _lesson(" max=800"))
    [essay] = module.lessons[0].checks
    md = PrintMarkdown(LocalizedModule(module, "en"))
    view = paper_question(essay, md, "s", number=2)
    assert (view.form.layout, view.form.lines) == ("write", 10)
    theme = Theme.for_project(None)
    learner = render_question(theme, md, view, key=False)
    trainer = render_question(theme, md, view, key=True)
    assert "Reflect: what would you do first?" in learner
    assert learner.count('class="line"') == 10
    assert "Listen, record the fear" not in learner
    assert "any answer (not graded): <p>Listen, record the fear" in trainer
