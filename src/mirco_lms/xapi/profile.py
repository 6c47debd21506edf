"""The mirco xAPI profile as constants: verbs, activity types, extensions and activity ids.

``docs/xapi-profile.md`` is the prose of this module. The build writes the IRIs the
learner runtime sends into each package's course data (:func:`runtime_iris`), so the
runtime keeps no copy of them; the flattened view (:mod:`mirco_lms.lrs.store.views`) and
the reports read statements with the same names. Nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

ADL_VERBS = "http://adlnet.gov/expapi/verbs/"
ADL_ACTIVITIES = "http://adlnet.gov/expapi/activities/"

INITIALIZED = ADL_VERBS + "initialized"
EXPERIENCED = ADL_VERBS + "experienced"
ANSWERED = ADL_VERBS + "answered"
COMPLETED = ADL_VERBS + "completed"
PASSED = ADL_VERBS + "passed"
FAILED = ADL_VERBS + "failed"
SUSPENDED = ADL_VERBS + "suspended"
RESUMED = ADL_VERBS + "resumed"
TERMINATED = ADL_VERBS + "terminated"
ATTENDED = ADL_VERBS + "attended"
"""A learner attended (a day of) a classroom session (imported, never sent by packages)."""
VOIDED = ADL_VERBS + "voided"
VERBS = (INITIALIZED, EXPERIENCED, ANSWERED, COMPLETED, PASSED, FAILED, SUSPENDED, RESUMED,
         TERMINATED)

COURSE = ADL_ACTIVITIES + "course"
"""A mirco module (the unit learners enrol in, complete and pass)."""
LESSON = ADL_ACTIVITIES + "lesson"
ASSESSMENT = ADL_ACTIVITIES + "assessment"
"""The pre-test or the final test of a module."""
INTERACTION = ADL_ACTIVITIES + "cmi.interaction"
"""A question (of an assessment, or a knowledge check in a lesson)."""
MEETING = ADL_ACTIVITIES + "meeting"
"""A classroom session (``context.contextActivities.other`` of imported statements)."""

EXTENSIONS = "https://w3id.org/xapi/mirco/extensions/"
EXT_MODULE_VERSION = EXTENSIONS + "module-version"
EXT_INSTITUTION = EXTENSIONS + "institution"
"""The learner's institution (profile v2; in v1 packages wrote ``[project]``'s here)."""
EXT_COUNTRY = EXTENSIONS + "country"
"""The learner's country, ISO 3166-1 alpha-2 (v2; in v1: ``[project]``'s)."""
EXT_UNIT = EXTENSIONS + "unit"
EXT_PROVIDER_INSTITUTION = EXTENSIONS + "provider-institution"
"""The training provider's institution: ``[project].institution`` (profile v2)."""
EXT_PROVIDER_COUNTRY = EXTENSIONS + "provider-country"
"""The training provider's country: ``[project].country`` (profile v2)."""
EXT_OUTCOMES = EXTENSIONS + "outcomes"
"""The learning outcome ids (of the module) a question assesses or a lesson or assessment
works toward: a list of strings (profile v2)."""
EXT_ASSESSMENT = EXTENSIONS + "assessment"
"""``pretest`` or ``final``: on statements about an assessment or one of its questions."""
EXT_ATTEMPT = EXTENSIONS + "attempt"
"""1-based number of the assessment attempt within the registration."""
EXT_SCENARIO = EXTENSIONS + "scenario"
"""In the activity definition of a branching scenario (a ``choice`` interaction whose
``result.response`` is the path taken, node ids joined by ``[,]``): ``{"endings": [node
ids], "best": [node ids]}`` — what marks the interaction as a scenario, its endings and
the ones the author recommends (profile v2, ``docs/xapi-profile.md``)."""
EXT_DELIVERY = EXTENSIONS + "delivery"
"""How a classroom statement's course was delivered: one of :data:`CLASSROOM_DELIVERIES`
(statements without it are eLearning: :data:`ELEARNING` in the view)."""
EXT_SESSION = EXTENSIONS + "session"
"""The id of the classroom session a statement comes from (as ``mirco lrs sessions``)."""
EXT_SHEET = EXTENSIONS + "sheet"
"""The paper record an imported statement comes from: ``attendance``, or
``<assessment>/<attempt>`` (``final/1``); a correction voids the statements of the same
learner, session and sheet that it replaces."""

ELEARNING = "elearning"
"""The delivery of statements sent by packages (the view's ``delivery`` column)."""
CLASSROOM_DELIVERIES = ("in-person", "live-online", "blended")
"""Deliveries of a classroom session."""

CATEGORY_V1 = "https://w3id.org/xapi/mirco/v1"
"""Profile version 1: ``institution`` and ``country`` held ``[project]``'s values."""
CATEGORY_V2 = "https://w3id.org/xapi/mirco/v2"
"""Profile version 2: provider and learner apart; outcome ids."""
CATEGORY = CATEGORY_V2
"""The profile category activity packages send (``context.contextActivities.category``)."""

CMI5_CATEGORIES = "https://w3id.org/xapi/cmi5/context/categories/"
CMI5_DEFINED = CMI5_CATEGORIES + "cmi5"
"""The category of cmi5 defined statements (cmi5 9.6.2.1), sent in cmi5 packages."""
CMI5_MOVEON = CMI5_CATEGORIES + "moveon"
"""The category of statements that satisfy moveOn (cmi5 9.6.2.2)."""
CMI5_MASTERY_SCORE = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"
"""The mastery score extension of cmi5 passed / failed statements (cmi5 9.6.3.2)."""

PRETEST = "pretest"
FINAL = "final"
EVALUATION = "evaluation"
"""The ``assessment`` extension of a course evaluation survey and its answers (ratings:
``likert`` interactions, comments: ``long-fill-in``); never scored."""

RESPONSE_SEPARATOR = "[,]"
"""Separates the parts of a ``result.response`` (xAPI Data 2.4.4.1)."""


def runtime_iris() -> dict[str, dict[str, str]]:
    """The IRIs the learner runtime's statements use, as the course data carries them
    (``xapi.profile``): verbs by their last segment, extensions by theirs (the cmi5
    mastery score as ``masteryscore``), categories and activity types by name."""
    return {
        "verbs": {short_id(verb): verb for verb in VERBS},
        "types": {"lesson": LESSON, "interaction": INTERACTION},
        "extensions": {
            short_id(ext): ext
            for ext in (EXT_MODULE_VERSION, EXT_PROVIDER_INSTITUTION, EXT_PROVIDER_COUNTRY,
                        EXT_OUTCOMES, EXT_ASSESSMENT, EXT_ATTEMPT, EXT_SCENARIO,
                        CMI5_MASTERY_SCORE)
        },
        "categories": {"mirco": CATEGORY, "cmi5": CMI5_DEFINED, "moveon": CMI5_MOVEON},
    }


@dataclass(frozen=True)
class ActivityIds:
    """The activity ids of one module under ``[tracking].activity_base``.

    They do not depend on the language: the same question has the same id in every
    translation, so reports compare languages question by question.
    """

    base: str
    module_id: str

    @property
    def module(self) -> str:
        return f"{self.base.rstrip('/')}/{self.module_id}"

    def page(self, page_id: str) -> str:
        """A lesson or an assessment (``pretest``, ``final-test``: the page id)."""
        return f"{self.module}/{page_id}"

    def question(self, page_id: str, question_id: str) -> str:
        """A question, under the assessment or lesson it appears in."""
        return f"{self.page(page_id)}/{question_id}"


def session_activity(base: str, session_id: str) -> str:
    """A classroom session's activity id: ``<base>/sessions/<session id>``."""
    return f"{base.rstrip('/')}/sessions/{session_id}"


def short_id(iri: str | None) -> str:
    """The last path segment of an IRI (``…/migration-human-rights`` → the module id)."""
    if not iri:
        return ""
    return iri.rstrip("/").rsplit("/", 1)[-1]
