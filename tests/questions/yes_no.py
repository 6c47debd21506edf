"""A question type defined outside mirco, as a course project would: yes or no.

Written ``## Is it so? {#q-id type=yes-no}`` with one answer, ``- = yes`` or ``- = no``;
shown as two radio buttons; tracked as a true/false interaction. Its runtime module is
``yes-no.js`` beside this file.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from markupsafe import Markup

from mirco_lms import questions
from mirco_lms.course.answers import AnswerItem
from mirco_lms.course.context import Context
from mirco_lms.course.model import QuestionBase
from mirco_lms.errors import Diagnostic
from mirco_lms.questions import Markdown, OptionView, QuestionKind, Translator

HERE = Path(__file__).resolve().parent
TEMPLATE = """\
<ul class="mirco-options">
{% for option in question.options %}
<li class="mirco-option"><input type="radio" id="{{ question.dom_id }}-{{ option.id }}" \
name="{{ question.dom_id }}" value="{{ option.id }}" data-choice="{{ option.id }}"> \
<label for="{{ question.dom_id }}-{{ option.id }}">{{ option.html }}</label></li>
{% endfor %}
</ul>
"""
"""``templates/questions/yes-no.html`` of a project using the type."""


@dataclass(frozen=True)
class YesNo(QuestionBase):
    answer: str = "yes"
    """``yes`` or ``no`` as written (the check refuses anything else)."""
    explanation_md: str = ""
    """The answer's feedback."""

    @property
    def type(self) -> str:
        return "yes-no"


class YesNoKind(QuestionKind):
    name = "yes-no"
    aliases = ("yesno",)
    model = YesNo
    writes = frozenset({"answer"})
    script = HERE / "yes-no.js"

    def build(self, attrs: dict[str, str], items: Sequence[AnswerItem], common: dict[str, Any],
              ctx: Context, line: int) -> QuestionBase | None:
        if len(items) != 1:
            ctx.error("a yes/no question has one answer", line, "write '- = yes' or '- = no'")
            return None
        return YesNo(**common, answer=items[0].text.lower(), explanation_md=items[0].feedback)

    def check(self, question: Any) -> list[Diagnostic]:
        if question.answer in ("yes", "no"):
            return []
        return [questions.problem(question, f"the answer {question.answer!r} is not yes or no",
                                  "write '- = yes' or '- = no'")]

    def translate(self, question: Any, tr: Translator) -> QuestionBase:
        return replace(question, explanation_md=tr.block(
            question.explanation_md, question.location, question.id, "answer feedback"))

    def options(self, question: Any, md: Markdown) -> tuple[OptionView, ...]:
        return tuple(OptionView(word, Markup.escape(md.gettext(word.capitalize())))
                     for word in ("yes", "no"))

    def correct(self, question: Any) -> list[Any]:
        return [question.answer]

    def data(self, question: Any, sources: Sequence[OptionView], targets: Sequence[OptionView],
             md: Markdown) -> dict[str, Any]:
        return {"explanation": str(md.block(question.explanation_md))}


@dataclass(frozen=True)
class Opinion(YesNo):
    @property
    def type(self) -> str:
        return "opinion"


class OpinionKind(YesNoKind):
    """Yes or no as the learner sees it: recorded, never right or wrong."""

    name = "opinion"
    aliases = ()
    model = Opinion
    graded = False
    script = HERE / "opinion.js"

    def build(self, attrs: dict[str, str], items: Sequence[AnswerItem], common: dict[str, Any],
              ctx: Context, line: int) -> QuestionBase | None:
        built = super().build(attrs, items, common, ctx, line)
        return None if built is None else Opinion(**vars(built))


@contextmanager
def yes_no_registered() -> Iterator[YesNoKind]:
    """The yes/no and opinion types registered for the duration of the block."""
    kind = questions.register(YesNoKind())
    opinion = questions.register(OpinionKind())
    try:
        yield kind
    finally:
        questions.unregister(opinion.name)
        questions.unregister(kind.name)


QUESTION_MD = """
## Is non-refoulement part of customary international law? {#mhr-p-yn outcome=LO2 type=yes-no}

- = yes
  > It binds every State, party to the Refugee Convention or not.
"""
"""A yes/no question, appended to the sample module's pre-test."""
OPINION_MD = """
## Do you feel ready for the lessons? {#mhr-p-op outcome=LO1 type=opinion points=3}

- = yes
  > Thank you: the lessons start from the basics either way.
"""
"""A question that is recorded but never scored."""


def add_to_project(project: Path, question_md: str = QUESTION_MD + OPINION_MD) -> None:
    """Add the questions to ``migration-human-rights``'s pre-test, and the templates."""
    pretest = project / "modules" / "migration-human-rights" / "pretest.md"
    pretest.write_text(pretest.read_text(encoding="utf-8") + question_md, encoding="utf-8")
    folder = project / "templates" / "questions"
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("yes-no", "opinion"):
        (folder / f"{name}.html").write_text(TEMPLATE, encoding="utf-8")
