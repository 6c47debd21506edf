"""A module in one language, ready to render: the input of the render stage."""

from __future__ import annotations

import gettext
from dataclasses import dataclass, field

from mirco_lms.course.model import Delivery, Module


@dataclass(frozen=True)
class LocalizedModule:
    """A :class:`Module` whose texts are in ``language``, with the UI catalog to use.

    :mod:`mirco_lms.i18n` hands over the translated module and the UI catalog of the
    language; numbers (and so durations) are formatted with the language's locale data.
    """

    module: Module
    """The module, its Markdown already in ``language``."""
    language: str
    """BCP 47 tag with script where it matters (``sr-Cyrl``): ``<html lang>`` and file names."""
    translations: gettext.NullTranslations = field(
        default_factory=gettext.NullTranslations, compare=False
    )
    """The catalog of the theme's UI strings (``{% trans %}``, ``_()``) in ``language``."""

    @property
    def direction(self) -> str:
        """``rtl`` for right-to-left scripts, else ``ltr`` (for ``<html dir>``)."""
        primary = self.language.split("-")[0].lower()
        return "rtl" if primary in {"ar", "fa", "he", "ur", "ps", "ckb"} else "ltr"

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for extraction; it is translated later, where it is shown."""
    return message


DELIVERY_LABELS: dict[Delivery, str] = {
    Delivery.SELF_PACED_ONLINE: N_("Self-paced online"),
    Delivery.IN_PERSON: N_("In person"),
    Delivery.BLENDED: N_("Blended"),
    Delivery.LIVE_ONLINE: N_("Live online"),
}

RUNTIME_STRINGS: dict[str, str] = {
    "next": N_("Next"),
    "previous": N_("Previous"),
    "pageOf": N_("Page {current} of {total}"),
    "check": N_("Check answer"),
    "submit": N_("Submit answers"),
    "correct": N_("Correct"),
    "incorrect": N_("Incorrect"),
    "partlyCorrect": N_("Partly correct"),
    "score": N_("Your score: {score} %"),
    "passed": N_("Passed"),
    "failed": N_("Not passed"),
    "retry": N_("Try again"),
    "attemptsLeft": N_("Attempts left: {count}"),
    "noLms": N_("No learning management system found: your progress is not recorded."),
    "completed": N_("You have completed this module."),
    "moveUp": N_("Move up"),
    "moveDown": N_("Move down"),
    "grabbed": N_(
        "{item}: grabbed, position {position} of {total}. The arrow keys move it, Space "
        "drops it, Escape cancels."
    ),
    "moved": N_("{item}: position {position} of {total}."),
    "dropped": N_("{item}: dropped at position {position} of {total}."),
    "cancelled": N_("{item}: move cancelled, back at position {position} of {total}."),
    "standalone": N_(
        "No learning management system found: your progress is kept in this browser only."
    ),
    "lmsError": N_(
        "The learning management system did not respond: your progress may not be recorded."
    ),
    "resumed": N_("Welcome back: you continue where you left off."),
    "question": N_("Question {number}"),
    "correctAnswer": N_("Correct answer: {answer}"),
    "notAnswered": N_("Not answered."),
    "numberExpected": N_("Enter a number, for example 12 or 3.5."),
    "noAttempts": N_("You have used every attempt."),
    "attemptOf": N_("Attempt {current} of {total}"),
    "pretestNote": N_("The pre-test does not count toward your result."),
    "evaluationSent": N_("Thank you: your evaluation has been sent."),
    "review": N_("Review: each question shows whether your answer was correct."),
    "reviewAfterLast": N_(
        "The correct answers are shown once you pass or have used every attempt."
    ),
    "reviewAfterPass": N_("The correct answers are shown once you pass."),
    "reviewNever": N_("This test does not show the correct answers."),
    "pretestFirst": N_(
        "Start with the pre-test: the lessons open once you have submitted it."
    ),
    "progress": N_("{percent} % done"),
    "visited": N_("(visited)"),
    "closeWindow": N_("Your results are saved: you can close this window."),
    "notComplete": N_("Not completed yet: {percent} % done."),
    "finalNotTaken": N_("You have not taken the final test yet."),
    "xapiWaiting": N_("Results waiting to be sent: {count}"),
    "xapiStopped": N_(
        "Results not sent: the results server refused this course's access key."
    ),
    "timeLeft": N_("Time left: {time}"),
    "timeUp": N_("Time is up: your answers were submitted."),
    "openFromMenu": N_(
        "“{title}” is a separate part of this course: open it from your learning "
        "platform's course menu."
    ),
    "stepOf": N_("Step {current} of {total}"),
    "stoppedAt": N_("You stopped at “{title}”."),
}
"""UI strings the learner runtime shows (passed to it in the course data, translated)."""


def format_duration(minutes: int | None, localized: LocalizedModule) -> str:
    """``1 h 30 min`` (translated); empty for an unknown duration."""
    if not minutes:
        return ""
    from mirco_lms.i18n.formatting import format_number

    hours, rest = divmod(int(minutes), 60)
    parts: list[str] = []
    if hours:
        number = format_number(hours, localized.language)
        parts.append(localized.gettext("{hours} h").format(hours=number))
    if rest:
        number = format_number(rest, localized.language)
        parts.append(localized.gettext("{minutes} min").format(minutes=number))
    return " ".join(parts)
