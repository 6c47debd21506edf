"""Who has earned a certificate: the module's completion rule, read from the statements.

The rule is the one the completions report counts (``docs/xapi-profile.md``):

- ``completed``: a ``completed`` statement on the module;
- ``completed-and-passed`` (a module with a final test): that, and a ``passed`` statement
  on the module or its final test. A learner who completed with the final test failed
  (every attempt used) earns nothing.

The module's own rule decides when the course project is known (its final test);
otherwise the statements do: a course whose statements mention a final test or a
pass/fail result has one. Classroom results imported as statements of the mirco
profile count like eLearning ones; ``session`` keeps only the statements that carry the
classroom session as a context activity (``grouping`` or ``other``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select

from mirco_lms.lrs.store import schema
from mirco_lms.lrs.store.packing import unpack
from mirco_lms.lrs.store.reads import ReportSource
from mirco_lms.reports.data import Row, fetch
from mirco_lms.reports.enrolments import Enrolment, enrolments
from mirco_lms.reports.spec import ReportSpec
from mirco_lms.xapi import profile as p

COMPLETED = "completed"
"""Rule: the module was completed."""
COMPLETED_AND_PASSED = "completed-and-passed"
"""Rule: the module was completed and its final test passed."""
RULES = (COMPLETED, COMPLETED_AND_PASSED)


@dataclass(frozen=True)
class Achievement:
    """A learner who met a course's rule, with the statements that show it."""

    actor_id: str
    course_id: str
    name: str | None
    """As the statements (else the learner registry) name the learner."""
    language: str | None
    """The language the learner took the course in (the statements' ``context.language``)."""
    rule: str
    achieved: str
    """When the rule was met: the time of the newest evidence statement (UTC text)."""
    evidence: tuple[tuple[str, str], ...]
    """(statement id, role: ``completed`` or ``passed``) of each statement it rests on."""


def session_iri(activity_base: str, session_id: str) -> str:
    """The classroom session's activity id, as the classroom imports write it."""
    return p.session_activity(activity_base, session_id)


def has_final_test(rows: Iterable[Row]) -> bool:
    """Whether a course's statements show a final test (a result or an assessment)."""
    return any(r.assessment == p.FINAL or r.is_result for r in rows)


def achievement(enrolment: Enrolment, rule: str) -> Achievement | None:
    """The enrolment's achievement under ``rule``, or None when it falls short."""
    completed = next((r for r in enrolment.rows if r.verb_id == p.COMPLETED and r.is_module),
                     None)
    if completed is None:
        return None
    evidence = [(completed, COMPLETED)]
    if rule == COMPLETED_AND_PASSED:
        passed = next((r for r in enrolment.rows if r.is_result and r.verb_id == p.PASSED),
                      None)
        if passed is None:
            return None
        evidence.append((passed, "passed"))
    return Achievement(
        actor_id=enrolment.actor_id, course_id=enrolment.course_id, name=enrolment.name,
        language=enrolment.language, rule=rule,
        achieved=max(row.time for row, _ in evidence),
        evidence=tuple((row.statement_id, role) for row, role in evidence),
    )


def eligible(
    source: ReportSource, engine: Engine, course_iri: str, *,
    final_test: bool | None = None, session: str | None = None,
    since: datetime | None = None,
) -> tuple[str, list[Achievement]]:
    """The course's rule and every learner who met it, in order of achievement.

    ``final_test``: whether the module has one (None: judged from the statements);
    ``session``: a session activity id the statements must carry; ``since``: only
    statements from then on count.
    """
    rows = fetch(source, ReportSpec("certificates", since=since), course_iri,
                 verbs=(p.COMPLETED, p.PASSED, p.FAILED))
    if final_test is None:
        final_test = has_final_test(rows)
    rule = COMPLETED_AND_PASSED if final_test else COMPLETED
    if session is not None:
        carrying = statements_in_session(engine, session, [r.statement_id for r in rows])
        rows = [r for r in rows if r.statement_id in carrying]
    found = [a for e in enrolments(rows) if (a := achievement(e, rule)) is not None]
    return rule, sorted(found, key=lambda a: (a.achieved, a.actor_id))


_CHUNK = 500


def statements_in_session(engine: Engine, session: str, ids: Sequence[str]) -> set[str]:
    """Those of ``ids`` whose ``context.contextActivities`` (grouping or other) hold the
    activity ``session``."""
    table = schema.statements
    found: set[str] = set()
    with engine.connect() as conn, conn.begin():
        for start in range(0, len(ids), _CHUNK):
            chunk = list(ids[start : start + _CHUNK])
            query = select(table.c.id, table.c.full).where(table.c.id.in_(chunk))
            for statement_id, full in conn.execute(query):
                if session in _context_activity_ids(json.loads(unpack(full))):
                    found.add(statement_id)
    return found


def _context_activity_ids(statement: dict[str, Any]) -> set[str]:
    activities = (statement.get("context") or {}).get("contextActivities") or {}
    ids: set[str] = set()
    for key in ("grouping", "other"):
        listed = activities.get(key) or []
        for item in listed if isinstance(listed, list) else [listed]:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                ids.add(item["id"])
    return ids
