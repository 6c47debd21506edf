"""``--by outcome``: the completions, gain and items reports per learning outcome.

Statements carry the ids of the outcomes they concern (extension ``outcomes``, read through
the view ``mirco_statement_outcomes``). An enrolment counts under every outcome its
statements carry. Its outcome scores come from its answers:

- the attempts: answers to pre-test and final-test questions, per (registration, attempt
  extension); the first answer to each question counts;
- the pre-test attempt is the learner's FIRST; the final-test attempt is the one with the
  highest whole-test score (Σ item score / Σ item maximum; ties: the earliest) — as the
  gain report pairs the first pre-test with the best final test;
- the outcome's score in an attempt = Σ item score / Σ item maximum × 100 over the answered
  items assessing that outcome (item score = ``score.raw``, else 1 if ``success`` else 0;
  maximum = ``score.max``, else 1); none such items → no score.

Completions per outcome keep the module's completion and pass (an outcome is not passed
on its own); their score is the outcome's score in the best final attempt. Gain per outcome
pairs the outcome's pre-test and final-test scores. The groups' "all" row is the whole
test's. Items per outcome list each question under every outcome it assesses, with the
figures of the whole analysis (a question's difficulty does not depend on the grouping).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from mirco_lms.reports import completions, gain
from mirco_lms.reports.data import Row
from mirco_lms.reports.enrolments import UNKNOWN, Enrolment
from mirco_lms.reports.model import Column, Table
from mirco_lms.xapi import profile as p

NOTES = (
    "By outcome: an enrolment counts under every learning outcome its statements carry "
    "(extension 'outcomes'). An outcome's score is Σ item score / Σ item maximum × 100 over "
    "the answered items assessing it, in the learner's first pre-test attempt and in the "
    "final-test attempt with the best whole-test score. Completion and pass are the "
    "module's. The 'all' row is the whole test's.",
)


@dataclass
class OutcomeEnrolment(Enrolment):
    """An enrolment seen through one outcome: its scores are the outcome's."""

    outcome: str = ""
    outcome_pretest: float | None = None
    outcome_final: float | None = None

    @property
    def pretest_score(self) -> float | None:
        return self.outcome_pretest

    @property
    def final_score(self) -> float | None:
        return self.outcome_final


@dataclass
class _Attempt:
    kind: str
    first_time: str
    answers: dict[str, Row]

    def percent(self, questions: Iterable[str] | None = None) -> float | None:
        chosen = [self.answers[q] for q in (questions if questions is not None else self.answers)]
        top = sum(_maximum(r) for r in chosen)
        return sum(_score(r) for r in chosen) / top * 100 if chosen and top > 0 else None


def _score(row: Row) -> float:
    return row.score_raw if row.score_raw is not None else (1.0 if row.success else 0.0)


def _maximum(row: Row) -> float:
    return row.score_max if row.score_max is not None else 1.0


def _attempts(rows: Sequence[Row]) -> list[_Attempt]:
    found: dict[tuple[Any, ...], _Attempt] = {}
    for row in rows:
        if row.verb_id != p.ANSWERED or not row.question_id or row.assessment not in (
            p.PRETEST, p.FINAL
        ):
            continue
        key = (row.assessment, row.registration or "", row.attempt or 1)
        attempt = found.setdefault(key, _Attempt(row.assessment, row.time, {}))
        attempt.answers.setdefault(row.question_id, row)
    return sorted(found.values(), key=lambda a: a.first_time)


def label(outcome: str, course_id: str, one_course: bool) -> str:
    """The group name: the outcome id, prefixed by the module id when several courses mix."""
    return outcome if one_course else f"{p.short_id(course_id)}/{outcome}"


def expand(
    found: Sequence[Enrolment], outcomes_of: Mapping[str, Sequence[str]], one_course: bool
) -> list[OutcomeEnrolment]:
    """One :class:`OutcomeEnrolment` per enrolment and outcome its statements carry."""
    out = []
    for e in found:
        carried = sorted({o for r in e.rows for o in outcomes_of.get(r.statement_id, ())})
        attempts = _attempts(e.rows)
        pre = next((a for a in attempts if a.kind == p.PRETEST), None)
        finals = [a for a in attempts if a.kind == p.FINAL]
        best = max(finals, key=lambda a: a.percent() or 0.0, default=None)
        for outcome in carried:
            out.append(OutcomeEnrolment(
                e.actor_id, e.course_id, e.rows, outcome=label(outcome, e.course_id, one_course),
                outcome_pretest=_outcome_score(pre, outcome, outcomes_of),
                outcome_final=_outcome_score(best, outcome, outcomes_of),
            ))
    return out


def _outcome_score(
    attempt: _Attempt | None, outcome: str, outcomes_of: Mapping[str, Sequence[str]]
) -> float | None:
    if attempt is None:
        return None
    questions = [q for q, r in attempt.answers.items()
                 if outcome in outcomes_of.get(r.statement_id, ())]
    return attempt.percent(questions)


def _whole(table: Table, all_row: dict[str, Any]) -> Table:
    rows = [r for r in table.rows if r["group"] != "all"]
    return replace(table, rows=(*rows, all_row))


def completions_table(
    found: Sequence[Enrolment], outcomes_of: Mapping[str, Sequence[str]], one_course: bool
) -> Table:
    table = completions.table(expand(found, outcomes_of, one_course), "outcome")
    return _whole(table, completions.summarize("all", found))


def gain_tables(
    found: Sequence[Enrolment], outcomes_of: Mapping[str, Sequence[str]], one_course: bool
) -> tuple[Table, ...]:
    summary, *rest = gain.tables(expand(found, outcomes_of, one_course), "outcome")
    return (_whole(summary, gain.summarize("all", found)), *rest)


def items_table(
    table: Table, rows: Sequence[Row], outcomes_of: Mapping[str, Sequence[str]],
    one_course: bool,
) -> Table:
    """The item analysis ``table`` (made without grouping) with each question listed under
    every outcome it assesses."""
    by_question: dict[str, set[str]] = {}
    for row in rows:
        if row.question_id:
            by_question.setdefault(row.question_id, set()).update(
                label(o, str(row.course_id), one_course)
                for o in outcomes_of.get(row.statement_id, ()))
    listed = []
    for n, item in enumerate(table.rows):
        for outcome in sorted(by_question.get(item["question_id"]) or {UNKNOWN}):
            listed.append((outcome == UNKNOWN, outcome, n, {"outcome": outcome, **item}))
    listed.sort(key=lambda entry: entry[:3])
    return Table("Item analysis by outcome", (Column("outcome", "outcome"), *table.columns),
                 tuple(entry[3] for entry in listed))
