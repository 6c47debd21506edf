"""One walk over a :class:`Module` that visits every translatable text.

Extraction and translation use the same walk, so what is extracted is exactly what is
translated: the visitor sees each :class:`Source` (kind, text, location, context) and
returns the text to use (the source itself when extracting). The walk rebuilds the
module with what the visitor returned; ids, types, points, outcomes and correct
answers are never visited, so they are the same in every language.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from mirco_lms import questions
from mirco_lms.course.accreditation import Accreditation
from mirco_lms.course.model import (
    Activity,
    Assessment,
    Diagram,
    Lesson,
    Pool,
    Question,
    SyllabusUnit,
)
from mirco_lms.course.model import Module as CourseModule
from mirco_lms.errors import Location
from mirco_lms.i18n.segments import Segment, translate_markdown

FILL_IN_CONTEXT = "fill-in answers"
"""The msgctxt of a fill-in question's accepted answers."""
FILL_IN_HINT = (
    "Accepted answers, separated by ' | '. Write the answers learners may give in your "
    "language: add or remove alternatives freely, keep at least one. Write a literal "
    "'|' as '\\|'."
)
_ANSWER_SPLIT = re.compile(r"(?<!\\)\|")
_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")


@dataclass(frozen=True)
class Source:
    """A translatable text met by the walk."""

    kind: str
    """What it is: ``title``, ``paragraph``, ``option``, ``fill-in answers``…"""
    text: str
    location: Location
    context: str | None = None
    """The msgctxt (only where a text must not share a translation with prose)."""
    question: str | None = None
    """The id of the question it belongs to."""

    @property
    def comment(self) -> str:
        where = f" (question {self.question})" if self.question else ""
        if self.context == FILL_IN_CONTEXT:
            return f"{self.kind}{where}: {FILL_IN_HINT}"
        return f"{self.kind}{where}"


Visit = Callable[[Source], str]


def join_answers(answers: tuple[str, ...] | list[str]) -> str:
    return " | ".join(a.replace("|", "\\|") for a in answers)


def split_answers(text: str) -> list[str]:
    """``a | b \\| c`` → ``["a", "b | c"]`` (empty alternatives dropped)."""
    parts = (p.strip().replace("\\|", "|") for p in _ANSWER_SPLIT.split(text))
    return [p for p in parts if p]


def translatable(text: str) -> bool:
    """Whether ``text`` has letters at all (``1``, ``1951.``… are kept as they are).

    Unit abbreviations count: ``2 h`` is ``2 ч`` in Macedonian.
    """
    return any(ch.isalpha() for ch in text)


class ModuleWalk:
    """Visits the texts of one module and rebuilds it from the visitor's answers."""

    def __init__(self, visit: Visit) -> None:
        self.visit = visit
        self._key_lines: dict[str, dict[str, int]] = {}

    def visit_source(self, source: Source) -> str:
        return self.visit(source) if translatable(source.text) else source.text

    def text(self, kind: str, value: str, where: Location, question: str | None = None) -> str:
        if not value.strip():
            return value
        return self.visit_source(Source(kind, value, where, question=question))

    def key(self, file: object, key: str) -> Location:
        """The line of a front-matter ``key:`` in ``file`` (for source references)."""
        name = str(file)
        if name not in self._key_lines:
            lines: dict[str, int] = {}
            try:
                text = Path(name).read_text(encoding="utf-8")
            except OSError:
                text = ""
            for number, line in enumerate(text.split("\n"), start=1):
                found = _KEY.match(line)
                if found and found.group(1) not in lines:
                    lines[found.group(1)] = number
            self._key_lines[name] = lines
        return Location(file, self._key_lines[name].get(key, 1))  # type: ignore[arg-type]

    def block(self, value: str, where: Location, question: str | None = None,
              kind: str | None = None) -> str:
        """Block Markdown: one visit per segment (paragraph, heading, cell…)."""
        if not value.strip():
            return value
        base = where.line or 1

        def one(segment: Segment) -> str:
            location = Location(where.file, base + segment.line)
            label = segment.kind if kind is None else f"{kind}: {segment.kind}"
            return self.visit_source(Source(label, segment.text, location, question=question))

        return translate_markdown(value, one)

    # --- the module ------------------------------------------------------------------------

    def module(self, module: CourseModule) -> CourseModule:
        file = module.location.file
        return replace(
            module,
            title=self.text("module title", module.title, self.key(file, "title")),
            description=self.text("module description", module.description,
                                  self.key(file, "description")),
            keywords=tuple(self.text("keyword", k, self.key(file, "keywords"))
                           for k in module.keywords),
            target_group=self.text("target group", module.target_group,
                                   self.key(file, "target_group")),
            next_steps=self.text("next steps", module.next_steps,
                                 self.key(file, "next_steps")),
            prerequisites=tuple(self.text("prerequisite", p, self.key(file, "prerequisites"))
                                for p in module.prerequisites),
            outcomes=tuple(
                replace(o, text=self.text(f"learning outcome {o.id}", o.text, o.location))
                for o in module.outcomes
            ),
            syllabus=tuple(self.unit(u) for u in module.syllabus),
            overview_md=self.block(module.overview_md, module.location),
            lessons=tuple(self.lesson(lesson) for lesson in module.lessons),
            pretest=self.assessment(module.pretest),
            final_test=self.assessment(module.final_test),
            evaluation=self.assessment(module.evaluation),
            accreditation=self.accreditation(module.accreditation),
            diagrams=tuple(self.diagram(d) for d in module.diagrams),
            cover=module.cover and replace(
                module.cover, alt=self.text("cover image alt text", module.cover.alt,
                                            module.cover.location)),
        )

    def diagram(self, diagram: Diagram) -> Diagram:
        """The text runs of an SVG diagram, each a segment (its element named in the
        comment)."""
        return replace(diagram, texts=tuple(
            replace(t, text=self.text(f"diagram text {t.element}", t.text, t.location))
            for t in diagram.texts))

    def accreditation(self, acc: Accreditation | None) -> Accreditation | None:
        """The accreditation texts; citations, URLs, numbers and dates stay as written."""
        if acc is None:
            return None

        def texts(kind: str, key: str, values: tuple[str, ...]) -> tuple[str, ...]:
            return tuple(self.text(kind, v, acc.where(key)) for v in values)

        return replace(
            acc,
            entry_requirements=texts("entry requirement", "entry_requirements",
                                     acc.entry_requirements),
            trainer_qualifications=texts("trainer qualification", "trainer_qualifications",
                                         acc.trainer_qualifications),
            components=tuple(replace(
                c, title=self.text("assessment component", c.title, c.location),
                description=self.text("assessment component description", c.description,
                                      c.location)) for c in acc.components),
            grades=tuple(replace(g, grade=self.text("grade", g.grade, g.location))
                         for g in acc.grades),
            reading=tuple(replace(r, note=self.text("reading note", r.note, r.location))
                          for r in acc.reading),
            resources=tuple(replace(r, note=self.text("resource note", r.note, r.location))
                            for r in acc.resources),
            quality_assurance=self.text("quality assurance", acc.quality_assurance,
                                        acc.where("quality_assurance")),
            evaluation=self.text("course evaluation", acc.evaluation, acc.where("evaluation")),
            approved_by=self.text("approved by", acc.approved_by, acc.where("approved_by")),
        )

    def unit(self, unit: SyllabusUnit) -> SyllabusUnit:
        where = unit.location
        return replace(
            unit,
            title=self.text("syllabus unit title", unit.title, where),
            description=self.text("syllabus unit description", unit.description, where),
            methods=tuple(self.text("teaching method", m, where) for m in unit.methods),
        )

    def lesson(self, lesson: Lesson) -> Lesson:
        head = self.key(lesson.location.file, "title")
        return replace(
            lesson,
            title=self.text("lesson title", lesson.title, head),
            body_md=self.block(lesson.body_md, lesson.location),
            checks=tuple(self.question(q) for q in lesson.checks),
            plan=tuple(self.activity(a) for a in lesson.plan),
        )

    def activity(self, activity: Activity) -> Activity:
        """A lesson plan activity: its method, the trainer's and participants' parts and
        its materials (minutes and outcomes are the same in every language)."""
        where = activity.location
        return replace(
            activity,
            method=self.text("lesson plan: method", activity.method, where),
            trainer=self.text("lesson plan: trainer", activity.trainer, where),
            participants=self.text("lesson plan: participants", activity.participants, where),
            materials=self.text("lesson plan: materials", activity.materials, where),
        )

    def assessment(self, assessment: Assessment | None) -> Assessment | None:
        if assessment is None:
            return None
        head = self.key(assessment.location.file, "title")
        items: list[Question | Pool] = []
        for item in assessment.items:
            if isinstance(item, Pool):
                questions = tuple(self.question(q) for q in item.questions)
                title = self.text("pool title", item.title, item.location)
                items.append(replace(item, title=title, questions=questions))
            else:
                items.append(self.question(item))
        return replace(
            assessment,
            title=self.text("test title", assessment.title, head),
            intro_md=self.block(assessment.intro_md, assessment.location),
            items=tuple(items),
        )

    # --- questions -------------------------------------------------------------------------

    def question(self, q: Question) -> Question:
        where, qid = q.location, q.id
        common = replace(
            q,
            stem_md=self.block(q.stem_md, where, qid, "question"),
            feedback_md=self.block(q.feedback_md, where, qid, "feedback"),
        )
        return questions.of(common).translate(common, self)

    def alternatives(self, texts: Sequence[str], where: Location, question: str) -> list[str]:
        """Accepted answers (fill-in) as one message: the alternatives the visitor gives."""
        joined = join_answers(list(texts))
        result = self.visit(Source("fill-in answers", joined, where, FILL_IN_CONTEXT, question))
        return split_answers(result) if result != joined else list(texts)


def walk(module: CourseModule, visit: Visit) -> CourseModule:
    """``module`` rebuilt with every translatable text replaced by ``visit(source)``."""
    return ModuleWalk(visit).module(module)
