"""A localized module → its pages: overview, pre-test, lessons and final test.

Each page is an HTML ``<section data-page=…>`` rendered from the theme; the runtime
shows one page at a time. Questions met on the way (assessment questions and the
knowledge checks embedded in lessons) are collected as runtime data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from mirco_lms.course.model import Assessment, Lesson, Pool, Question
from mirco_lms.errors import BuildError
from mirco_lms.render import markup
from mirco_lms.render.localized import DELIVERY_LABELS, LocalizedModule, format_duration
from mirco_lms.render.questions import QuestionView, question_data, question_view
from mirco_lms.render.theme import Theme

ASSESSMENT_FILES = {"pretest": "pretest.html", "final": "final-test.html",
                    "evaluation": "evaluation.html"}


@dataclass(frozen=True)
class Page:
    """One page of a module, rendered."""

    id: str
    """``cover``, ``overview``, ``lesson-<lesson id>``, ``pretest``, ``final`` or ``finish``."""
    kind: str
    """``cover``, ``overview``, ``lesson``, ``assessment`` or ``finish``."""
    title: str
    html: Markup
    """The ``<section>`` element."""
    file_name: str
    """The launch file of this page's SCO when every lesson is its own SCO."""
    questions: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Runtime data of the questions on this page, by id."""
    assessment: dict[str, Any] | None = None
    """Runtime data of the assessment on this page (items, pools, limits)."""
    assets: tuple[str, ...] = ()
    """Module-relative paths of the images and media this page shows."""
    duration_minutes: int | None = None
    source_id: str = ""
    """The author-given id of the lesson or assessment (activity ids use it)."""

    def data(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"id": self.id, "kind": self.kind, "title": self.title}
        if self.duration_minutes:
            entry["duration"] = self.duration_minutes
        if self.assessment is not None:
            entry["assessment"] = self.assessment["kind"]
        return entry


class _PageRenderer:
    """Renders the pages of one localized module with one theme."""

    def __init__(self, localized: LocalizedModule, theme: Theme) -> None:
        self.localized = localized
        self.module = localized.module
        self.theme = theme

    def render(self, template: str, **context: Any) -> Markup:
        base = {
            "module": self.module,
            "language": self.localized.language,
            "duration": lambda minutes: format_duration(minutes, self.localized),
            "delivery_label": lambda d: self.localized.gettext(DELIVERY_LABELS[d]),
        }
        return Markup(self.theme.render(template, base | context, self.localized.translations))

    def cover(self, start: str) -> Page:
        """The first page: artwork, title, duration, outcomes; Start leads to ``start``."""
        html = self.render("cover.html", page_id="cover", start=start)
        assets = (self.module.cover.image,) if self.module.cover else ()
        return Page("cover", "cover", self.localized.gettext("Cover"), html, "index.html",
                    assets=assets)

    def overview(self) -> Page:
        overview = markup.block(self.module.overview_md, self.localized)
        html = self.render("overview.html", page_id="overview", overview=overview,
                           has_title=_starts_with_title(overview))
        lesson_assets = {a for lesson in self.module.lessons for a in lesson.assets}
        own = tuple(a for a in self.module.assets if a not in lesson_assets)
        return Page("overview", "overview", self.localized.gettext("Overview"), html,
                    "index.html", assets=own, duration_minutes=None)

    def finish(self) -> Page:
        """The last page: the result, what is next, how to leave the course cleanly."""
        next_steps = (markup.block(self.module.next_steps, self.localized)
                      if self.module.next_steps.strip() else None)
        html = self.render("finish.html", page_id="finish", next_steps=next_steps)
        return Page("finish", "finish", self.localized.gettext("Finish"), html, "index.html")

    def lesson(self, lesson: Lesson) -> Page:
        checks = {q.id: q for q in lesson.checks}
        found: dict[str, dict[str, Any]] = {}

        def render_check(check_id: str) -> str:
            question = checks.get(check_id)
            if question is None:
                raise BuildError(
                    f"knowledge check {check_id!r} not found in lesson {lesson.id!r}",
                    location=lesson.location,
                )
            view = question_view(question, self.localized, is_check=True)
            found[question.id] = question_data(view, question, self.localized)
            return str(self.render("check.html", question=view))

        body = markup.block(lesson.body_md, self.localized, render_check)
        page_id = f"lesson-{lesson.id}"
        html = self.render("lesson.html", page_id=page_id, lesson=lesson, body=body,
                           has_title=_starts_with_title(body))
        return Page(page_id, "lesson", lesson.title, html, f"{page_id}.html", questions=found,
                    assets=lesson.assets, duration_minutes=lesson.duration_minutes,
                    source_id=lesson.id)

    def assessment(self, assessment: Assessment) -> Page:
        kind = assessment.kind.value
        found: dict[str, dict[str, Any]] = {}
        items: list[dict[str, Any]] = []
        groups: list[dict[str, Any]] = []
        number = 0

        def view(question: Question) -> QuestionView:
            nonlocal number
            number += 1
            qview = question_view(question, self.localized, number=number)
            found[question.id] = question_data(qview, question, self.localized)
            return qview

        for item in assessment.items:
            if isinstance(item, Pool):
                views = [view(q) for q in item.questions]
                groups.append({"pool": item, "questions": views})
                items.append({"pool": item.id, "title": item.title, "draw": item.draw,
                              "questions": [q.id for q in item.questions]})
            else:
                groups.append({"pool": None, "questions": [view(item)]})
                items.append({"question": item.id})
        data = self._assessment_data(assessment, items)
        intro = markup.block(assessment.intro_md, self.localized)
        html = self.render("assessment.html", page_id=kind, assessment=assessment,
                           intro=intro, groups=groups, facts=data)
        return Page(kind, "assessment", assessment.title, html, ASSESSMENT_FILES[kind],
                    questions=found, assessment=data, source_id=assessment.id)

    def _assessment_data(
        self, assessment: Assessment, items: list[dict[str, Any]]
    ) -> dict[str, Any]:
        final = assessment.kind.value == "final"
        evaluation = assessment.kind.value == "evaluation"
        return {
            "id": assessment.id,
            "kind": assessment.kind.value,
            "title": assessment.title,
            "shuffle": assessment.shuffle_questions,
            "timeLimit": assessment.time_limit_minutes,
            "maxPoints": assessment.max_points,
            "questionsPerAttempt": assessment.questions_per_attempt,
            "passingScore": self.module.passing_score if final else None,
            "attempts": self.module.attempts if final else 1 if evaluation else 0,
            "review": assessment.review_rule.value,
            "required": assessment.required,
            "anonymous": assessment.anonymous,
            "items": items,
        }


def _starts_with_title(html: str) -> bool:
    """Whether rendered Markdown opens with its own level-1 heading."""
    return html.lstrip().startswith("<h1")


def render_pages(localized: LocalizedModule, theme: Theme) -> list[Page]:
    """Every page of the module, in reading order: the cover, the overview, the pre-test,
    the lessons, the final test, the finish page — a learner paging with Next meets the
    pre-test before any content."""
    renderer = _PageRenderer(localized, theme)
    module = localized.module
    pages = [renderer.overview()]
    if module.pretest is not None:
        pages.append(renderer.assessment(module.pretest))
    pages.extend(renderer.lesson(lesson) for lesson in module.lessons)
    if module.final_test is not None:
        pages.append(renderer.assessment(module.final_test))
    if module.evaluation is not None:
        pages.append(renderer.assessment(module.evaluation))
    pages.append(renderer.finish())
    return [renderer.cover(pages[0].id), *pages]
