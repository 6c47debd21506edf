"""Each question type prints itself: the response area its paper form names, and an answer
key that labels the right answers as the paper prints them (seeded shuffles included)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import pytest
from markupsafe import Markup

from mirco_lms import questions
from mirco_lms.course.model import (
    Choice,
    FillIn,
    Matching,
    MatchPair,
    Module,
    MultipleChoice,
    Numeric,
    NumericAnswer,
    Ordering,
    OrderItem,
    QuestionBase,
    SingleChoice,
    TextAnswer,
    TrueFalse,
)
from mirco_lms.printed.views import PrintMarkdown, paper_question, render_question
from mirco_lms.questions.base import PaperForm, letter
from mirco_lms.render import LocalizedModule, Theme

CHOICES = tuple(Choice(c, f"Option {c}", c in "bd", f"Why {c}.") for c in "abcde")
SINGLE = SingleChoice(id="q-single", stem_md="One?", choices=tuple(
    Choice(c.id, c.text_md, c.id == "c", c.feedback_md) for c in CHOICES))
MULTI = MultipleChoice(id="q-multi", stem_md="Several?", choices=CHOICES)
TF = TrueFalse(id="q-tf", stem_md="True?", answer=False)
FILL = FillIn(id="q-fill", stem_md="Name it.", answers=(TextAnswer("Palermo"), TextAnswer("UNTOC")))
NUMBER = Numeric(id="q-year", stem_md="When?", answers=(NumericAnswer(1951, 1951),
                                                        NumericAnswer(1.5, 2.5)))
MATCH = Matching(id="q-match", stem_md="Match.", pairs=tuple(
    MatchPair(str(n), f"Left {n}", f"Right {n}") for n in range(1, 6)))
ORDER = Ordering(id="q-order", stem_md="Order.", items=tuple(
    OrderItem(str(n), f"Step {n}") for n in range(1, 6)))


@pytest.fixture
def md() -> PrintMarkdown:
    module = Module(slug="m", id="m", title="M", version="1", language="en",
                    description="", overview_md="")
    return PrintMarkdown(LocalizedModule(module, "en"))


@pytest.mark.parametrize("question", [SINGLE, MULTI])
def test_choices_are_keyed_by_their_printed_letter(question: Any, md: PrintMarkdown) -> None:
    form = questions.of(question).paper(question, md, "seed-1")
    right = {c.id for c in question.choices if c.correct}
    assert form.layout == ("tick-one" if question is SINGLE else "tick-many")
    assert sorted(o.id for o in form.options) == [c.id for c in question.choices]
    assert [o.id for o in form.options] != [c.id for c in question.choices]  # shuffled
    assert form.key == tuple(Markup(f"{letter(i)}. {o.html}")
                             for i, o in enumerate(form.options) if o.id in right)
    assert form == questions.of(question).paper(question, md, "seed-1")  # seeded
    assert form != questions.of(question).paper(question, md, "seed-2")


def test_true_false_fill_in_and_numeric_keys(md: PrintMarkdown) -> None:
    tf = questions.of(TF).paper(TF, md, "s")
    assert tf.layout == "tick-one" and tf.key == (Markup("B. False"),)
    fill = questions.of(FILL).paper(FILL, md, "s")
    assert fill.layout == "write" and fill.key == (Markup("Palermo / UNTOC"),)
    number = questions.of(NUMBER).paper(NUMBER, md, "s")
    assert number.key == (Markup("1951"), Markup("1.5 – 2.5"))


def test_matching_and_ordering_keys_follow_the_printed_letters(md: PrintMarkdown) -> None:
    match = questions.of(MATCH).paper(MATCH, md, "s")
    assert match.layout == "match" and [o.id for o in match.options] == list("12345")
    place = {o.id: letter(i) for i, o in enumerate(match.targets)}
    assert match.key == tuple(Markup(f"{n}. Left {n} → {place[str(n)]}") for n in range(1, 6))
    order = questions.of(ORDER).paper(ORDER, md, "s")
    labels = {o.id: letter(i) for i, o in enumerate(order.options)}
    assert order.key == (Markup(", ".join(labels[str(n)] for n in range(1, 6))),)
    assert [o.id for o in order.options] != list("12345")


def test_every_registered_type_prints_with_a_template_of_the_theme(md: PrintMarkdown) -> None:
    theme = Theme.for_project(None)
    for question in (SINGLE, MULTI, TF, FILL, NUMBER, MATCH, ORDER):
        view = paper_question(question, md, "s", number=3)
        assert theme.find(f"print/responses/{view.form.layout}.html") is not None
        learner = render_question(theme, md, view, key=False)
        trainer = render_question(theme, md, view, key=True)
        assert "Question 3" in learner and "Answer key" not in learner
        assert "Answer key" in trainer
        for key in view.form.key:
            assert str(key) in trainer


@dataclass(frozen=True)
class Scale(QuestionBase):
    low: str = "never"
    high: str = "always"

    @property
    def type(self) -> str:
        return "scale"


class ScaleKind(questions.QuestionKind):
    name = "scale"
    model = Scale
    writes: ClassVar[frozenset[str]] = frozenset()
    graded = False

    def paper(self, question: Any, md: Any, seed: str) -> PaperForm:
        return PaperForm("scale", options=(questions.OptionView("low", Markup(question.low)),
                                           questions.OptionView("high", Markup(question.high))))


def test_a_new_type_brings_its_own_print_form(tmp_path: Path, md: PrintMarkdown) -> None:
    questions.register(ScaleKind())
    try:
        templates = tmp_path / "templates" / "print" / "responses"
        templates.mkdir(parents=True)
        (templates / "scale.html").write_text(
            '<p class="scale">{{ question.form.options[0].html }} 1 2 3 4 5 '
            "{{ question.form.options[1].html }}</p>", encoding="utf-8")
        theme = Theme.for_project(tmp_path / "templates")
        view = paper_question(Scale(id="q-scale", stem_md="How often?"), md, "s", number=1)
        printed = render_question(theme, md, view, key=True)
        assert '<p class="scale">never 1 2 3 4 5 always</p>' in printed
        assert "any answer (not graded)" in printed
    finally:
        questions.unregister("scale")
