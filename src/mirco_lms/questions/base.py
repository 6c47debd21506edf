"""What a question type is: one class that owns everything that depends on the type.

A :class:`QuestionKind` turns the items of an answer list into a model question, checks
it, walks its translatable texts and renders its parts and its runtime data. What happens
in the learner's browser (reading, restoring and scoring an answer, its SCORM interaction
in 1.2 and 2004 and its xAPI interaction definition) is the type's runtime module,
``runtime/src/questions/<name>.js``, registered under the same name. Everything else
(stems, points, outcomes, general feedback, pools) is shared and handled once, outside
the types.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Protocol

from markupsafe import Markup

from mirco_lms.course.answers import AnswerItem
from mirco_lms.course.context import Context
from mirco_lms.course.model import QuestionBase
from mirco_lms.errors import Diagnostic, Location


@dataclass(frozen=True)
class OptionView:
    """An option, pair side or ordering item as shown."""

    id: str
    html: Markup
    feedback: Markup = Markup("")


@dataclass(frozen=True)
class PaperForm:
    """A question as printed on a paper test, and its answer key (the trainer's guide).

    ``layout`` names the template that prints the response area,
    ``print/responses/<layout>.html`` of the theme: a type with a response of its own
    brings its own template. The built-in layouts: ``tick-one`` and ``tick-many`` (boxes
    before ``options``), ``write`` (``lines`` lines to write on), ``match`` (``options``
    numbered on the left, ``targets`` lettered on the right) and ``order`` (``options``
    lettered, a box for the order).
    """

    layout: str
    options: tuple[OptionView, ...] = ()
    """What is ticked, matched or ordered, in printed order."""
    targets: tuple[OptionView, ...] = ()
    """The right-hand column of a matching question, in printed order."""
    key: tuple[Markup, ...] = ()
    """The answer key: one line per correct answer, as the paper labels it."""
    lines: int = 2
    """Lines to write on (``write``)."""


def letter(index: int) -> str:
    """Labels printed on paper: 0 → ``A``, 25 → ``Z``, 26 → ``AA``…"""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(ord("A") + rest) + out
    return out


class Markdown(Protocol):
    """What rendering a question's parts needs, in the language being built."""

    def inline(self, text_md: str) -> Markup:
        """One line of Markdown as phrasing HTML."""

    def block(self, text_md: str) -> Markup:
        """Block Markdown as HTML."""

    def gettext(self, message: str) -> str:
        """A UI string in the language being built."""


class Translator(Protocol):
    """What walking a question's translatable texts needs (see ``i18n/walker.py``)."""

    def text(self, kind: str, value: str, where: Location, question: str | None = None) -> str:
        """One line of text (an option, a matching side…), translated."""

    def block(self, value: str, where: Location, question: str | None = None,
              kind: str | None = None) -> str:
        """Block Markdown (feedback…), translated segment by segment."""

    def alternatives(self, texts: Sequence[str], where: Location, question: str) -> list[str]:
        """Accepted answers as one message: the translation's alternatives."""


def problem(question: QuestionBase, message: str, hint: str,
            where: Location | None = None) -> Diagnostic:
    """An error about ``question`` (at ``where``, else at the question)."""
    return Diagnostic(f"question {question.id!r}: {message}", where or question.location, hint)


def shuffled(items: Sequence[OptionView], seed: str) -> tuple[OptionView, ...]:
    """A stable shuffle that never shows the correct order (when there is more than one)."""
    out = list(items)
    random.Random(seed).shuffle(out)
    if len(out) > 1 and [o.id for o in out] == [o.id for o in items]:
        out = out[1:] + out[:1]
    return tuple(out)


class QuestionKind:
    """One question type. Subclasses set the class attributes and override what applies."""

    name: ClassVar[str]
    """The type's name: ``Question.type``, the runtime's ``type`` and the template name
    (``questions/<name>.html``); the runtime registers its JS module under it too."""
    aliases: ClassVar[tuple[str, ...]] = ()
    """Names an author may write as ``type=`` (``name`` is always one)."""
    model: ClassVar[type[QuestionBase]]
    """The frozen dataclass of its questions."""
    writes: ClassVar[frozenset[str]]
    """The answer item kinds it is written with (``radio``, ``checkbox``, ``answer``,
    ``pair``, ``plain``)."""
    inline_kinds: ClassVar[tuple[str, ...]] = ()
    """The translation kinds of its one-line texts (checked as one option each)."""
    graded: ClassVar[bool] = True
    """False: answers are recorded but never right or wrong (an opinion, a survey item);
    its questions carry no points, the runtime shows no verdict and journals the
    interaction as ``neutral``."""
    attributes: ClassVar[tuple[str, ...]] = ()
    """Heading attributes of its own (``max=``…), besides those every question takes."""
    answers_optional: ClassVar[bool] = False
    """True: written without an answer list (then only with ``type=``), as a rating is."""
    script: ClassVar[Path | None] = None
    """The type's runtime module (registering the type by ``name`` in the runtime's
    ``questions.js``), for types defined outside mirco; the built-in types' modules are
    part of the runtime (``runtime/src/questions/``)."""

    # --- source ------------------------------------------------------------------------

    def detects(self, kind: str, items: Sequence[AnswerItem], ordered: bool) -> bool:
        """Whether answers all written as ``kind`` (without ``type=``) are this type.

        Types are asked in registration order; the first that says yes wins."""
        return False

    def build(self, attrs: dict[str, str], items: Sequence[AnswerItem], common: dict[str, Any],
              ctx: Context, line: int) -> QuestionBase | None:
        """The question, from its answer items (``common``: id, stem, points…)."""
        raise NotImplementedError(f"the question type {self.name!r} cannot be built")

    def check(self, question: Any) -> list[Diagnostic]:
        """What makes ``question`` impossible (or wrong) to answer."""
        return []

    # --- translation -------------------------------------------------------------------

    def translate(self, question: Any, tr: Translator) -> QuestionBase:
        """``question`` with its type's own texts translated (stem and feedback are done)."""
        translated: QuestionBase = question
        return translated

    # --- rendering ---------------------------------------------------------------------

    def options(self, question: Any, md: Markdown) -> tuple[OptionView, ...]:
        """The options to choose from, in source order (choice types)."""
        return ()

    def sources(self, question: Any, md: Markdown) -> tuple[OptionView, ...]:
        """The left sides, in source order (matching)."""
        return ()

    def targets(self, question: Any, md: Markdown, seed: str) -> tuple[OptionView, ...]:
        """Shuffled with ``seed``: the right sides (matching) or the items (ordering)."""
        return ()

    def correct(self, question: Any) -> list[Any]:
        """The correct response(s), in the shape the runtime scores against."""
        return []

    def data(self, question: Any, sources: Sequence[OptionView], targets: Sequence[OptionView],
             md: Markdown) -> dict[str, Any]:
        """The type's own entries of the runtime's question data."""
        return {}

    def extras(self, question: Any, md: Markdown) -> dict[str, Any]:
        """What its template shows beyond the shared view (``question.extras``)."""
        return {}

    # --- paper -------------------------------------------------------------------------

    def paper(self, question: Any, md: Markdown, seed: str) -> PaperForm:
        """The question on a printed test (shuffled with ``seed`` where the type shuffles)
        and its answer key. The default: lines to write the answer on, the key made of
        :meth:`correct`; a type whose answers are not text overrides it."""
        return PaperForm("write", key=tuple(Markup.escape(str(c)) for c in self.correct(question)))
