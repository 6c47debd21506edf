"""The tracking part of the course data: what the runtime's xAPI sender needs.

Activity ids follow docs/xapi-profile.md §1 (the constants of
:mod:`mirco_lms.xapi.profile`): the same in every language. The profile's IRIs go along
(``profile``), so the runtime sends what the profile says and keeps no copy of them.
Lessons and assessments carry the ids of the learning outcomes they work toward or
assess; ``[project]``'s
institution and country are the provider's (``provider``), never the learner's. The
credential written here ships inside the package, so it must be a write-only one
(``statements/write``). cmi5 packages carry no credential: the LMS gives endpoint and
token at launch.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mirco_lms.config import TrackingSettings
from mirco_lms.xapi.profile import ASSESSMENT, COURSE, LESSON, ActivityIds, runtime_iris

if TYPE_CHECKING:
    from mirco_lms.course.model import Module
    from mirco_lms.render.pages import Page

CMI5 = "cmi5"
"""The package format key whose pages follow the cmi5 launch rules."""
OVERVIEW_PAGE = "overview"
FINISH_PAGE = "finish"
COVER_PAGE = "cover"


@dataclass(frozen=True)
class Activity:
    """An activity id and its ``definition.type``."""

    id: str
    type: str

    def data(self) -> dict[str, str]:
        return {"id": self.id, "type": self.type}


def page_activity(ids: ActivityIds, page: Page) -> Activity:
    """The activity of a page: its lesson or assessment (the overview: the module)."""
    if page.kind == "lesson":
        return Activity(ids.page(page.source_id), LESSON)
    if page.kind == "assessment":
        return Activity(ids.page(page.source_id), ASSESSMENT)
    return Activity(ids.module, COURSE)


def unit_activity(ids: ActivityIds, pages: list[Page], whole: bool) -> Activity:
    """What one launch (SCO, AU) is about: the module, or the one page of a per-lesson SCO."""
    content = [page for page in pages  # the finish ends the last SCO, the cover opens the first
               if page.kind not in (FINISH_PAGE, COVER_PAGE)]
    if whole or len(content) != 1:
        return Activity(ids.module, COURSE)
    return page_activity(ids, content[0])


def page_outcomes(module: Module) -> dict[str, list[str]]:
    """Outcome ids per lesson and assessment id, in the module's outcome order: a lesson's
    are those of its syllabus units, knowledge checks and scenarios; an assessment's those its
    questions assess."""
    found: dict[str, set[str]] = {}
    for unit in module.syllabus:
        for lesson_id in unit.lessons:
            found.setdefault(lesson_id, set()).update(unit.outcomes)
    for lesson in module.lessons:
        found.setdefault(lesson.id, set()).update(o for q in lesson.checks for o in q.outcomes)
        found[lesson.id].update(o for s in lesson.scenarios for o in s.outcomes)
    for assessment in module.assessments:
        found.setdefault(assessment.id, set()).update(
            o for q in assessment.questions for o in q.outcomes)
    order = {o.id: n for n, o in enumerate(module.outcomes)}
    return {key: sorted(ids, key=lambda o: (order.get(o, len(order)), o))
            for key, ids in found.items() if ids}


def basic_auth(key: str, secret: str) -> str:
    """The ``Authorization`` header value of an HTTP Basic credential."""
    return "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode("ascii")


def tracking_data(
    module: Module, pages: list[Page], whole: bool, tracking: TrackingSettings,
    package_format: str, project: tuple[str, str],
) -> dict[str, Any] | None:
    """The ``xapi`` entry of the course data, or None when this package sends nothing."""
    cmi5 = package_format == CMI5
    if not (tracking.enabled or cmi5):
        return None
    ids = ActivityIds(tracking.activity_base, module.id)
    outcomes = page_outcomes(module)
    listed: dict[str, Any] = {}
    for page in pages:
        if page.kind not in (OVERVIEW_PAGE, FINISH_PAGE, COVER_PAGE):
            entry: dict[str, Any] = page_activity(ids, page).data()
            if outcomes.get(page.source_id):
                entry["outcomes"] = outcomes[page.source_id]
            listed[page.id] = entry
    data: dict[str, Any] = {
        "module": Activity(ids.module, COURSE).data(),
        "unit": unit_activity(ids, pages, whole).data(),
        "pages": listed,
        "version": module.version,
        "homepage": tracking.homepage,
        "profile": runtime_iris(),
    }
    institution, country = project
    provider = {"institution": institution, "country": country.upper()}
    if any(provider.values()):
        data["provider"] = {k: v for k, v in provider.items() if v}
    if not cmi5 and tracking.endpoint and tracking.key and tracking.secret:
        data["endpoint"] = tracking.endpoint
        data["auth"] = basic_auth(tracking.key, tracking.secret)
    return data
