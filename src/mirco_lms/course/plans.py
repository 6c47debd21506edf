"""Lesson plans: the timed activities of a lesson taught in a classroom.

A lesson's front matter may carry a ``plan:`` list, one entry per activity::

    duration: 45m
    plan:
      - minutes: 15
        method: Lecture
        trainer: Presents the three layers of protection with slides 1-6.
        participants: Listen, note questions.
        materials: Slides, flip chart
        outcomes: [LO1]

The trainer's guide prints it (see :mod:`mirco_lms.printed`); the learner's packages
never show it. :func:`read_plan` reads it (wrong values are diagnostics at their line);
:func:`check_plans` checks it against the module: known outcomes, minutes that add up to
the lesson's ``duration``.
"""

from __future__ import annotations

from collections.abc import Iterator

from mirco_lms.course.fields import Fields
from mirco_lms.course.model import Activity, Lesson, Module
from mirco_lms.errors import Diagnostic, Location

PLAN_KEY = "plan"
ACTIVITY_KEYS = ("minutes", "method", "trainer", "participants", "materials", "outcomes")
REQUIRED_KEYS = ("minutes", "method", "trainer", "participants", "outcomes")


def read_plan(f: Fields) -> tuple[Activity, ...]:
    """The activities of the ``plan:`` of a lesson's front matter ``f``."""
    out: list[Activity] = []
    for item in f.maps(PLAN_KEY):
        item.check_unknown(ACTIVITY_KEYS, " in a lesson plan activity")
        for key in REQUIRED_KEYS:
            if key not in item:
                item.error(None, f"the lesson plan activity has no {key!r}",
                           f"add '{key}: …' to the activity (keys: {', '.join(ACTIVITY_KEYS)})")
        minutes = item.integer("minutes", 0, example=15)
        if "minutes" in item and minutes <= 0:
            item.error("minutes", f"an activity lasts at least one minute, not {minutes}",
                       "write e.g. 'minutes: 15'")
        out.append(Activity(
            minutes=max(minutes, 0),
            method=item.text("method"),
            trainer=item.text("trainer"),
            participants=item.text("participants"),
            outcomes=item.strings("outcomes"),
            materials=item.text("materials"),
            location=Location(f.path, item.line()),
        ))
    return tuple(out)


def check_plans(module: Module) -> list[Diagnostic]:
    """The problems of every lesson plan of ``module``."""
    known = {o.id for o in module.outcomes}
    out: list[Diagnostic] = []
    for lesson in module.lessons:
        out.extend(_check_outcomes(lesson, known))
        out.extend(_check_minutes(lesson))
    return out


def _check_outcomes(lesson: Lesson, known: set[str]) -> Iterator[Diagnostic]:
    for activity in lesson.plan:
        for ref in activity.outcomes:
            if ref not in known:
                yield Diagnostic(
                    f"the lesson plan of {lesson.id!r} names an unknown outcome {ref!r}",
                    activity.location,
                    f"outcome ids of the module: {', '.join(sorted(known)) or '(none)'}",
                )


def _check_minutes(lesson: Lesson) -> Iterator[Diagnostic]:
    if not lesson.plan:
        return
    total = sum(activity.minutes for activity in lesson.plan)
    where = lesson.plan[0].location
    if lesson.duration_minutes is None:
        yield Diagnostic(
            f"the lesson {lesson.id!r} has a plan but no duration",
            where,
            f"add 'duration: {total}m' to the lesson's front matter (the plan's minutes add "
            f"up to {total})",
        )
    elif total != lesson.duration_minutes:
        yield Diagnostic(
            f"the activities of the lesson plan of {lesson.id!r} add up to {total} minutes, "
            f"but the lesson's duration is {lesson.duration_minutes} minutes",
            where,
            "make the activities' 'minutes' add up to the lesson's 'duration', or correct "
            "'duration'",
        )
