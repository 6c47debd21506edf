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

from collections import namedtuple
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from functools import cache
from operator import attrgetter
from typing import Any

from mirco_lms.reports import completions, gain
from mirco_lms.reports.data import Row
from mirco_lms.reports.enrolments import FACT_NAMES, UNKNOWN, Enrolment, Facts
from mirco_lms.reports.items import Answer, Attempt, answer_score
from mirco_lms.reports.model import Column, Table
from mirco_lms.xapi import profile as p

NOTES = (
    "By outcome: an enrolment counts under every learning outcome its statements carry "
    "(extension 'outcomes'). An outcome's score is Σ item score / Σ item maximum × 100 over "
    "the answered items assessing it, in the learner's first pre-test attempt and in the "
    "final-test attempt with the best whole-test score. Completion and pass are the "
    "module's. The 'all' row is the whole test's.",
)


_OWN = ("outcome", "pretest_score", "final_score")
"""What an enrolment seen through one outcome holds of the outcome: its label and scores."""


@cache
def outcome_enrolment(names: tuple[str, ...]) -> Callable[..., Any]:
    """The type of an enrolment seen through one outcome, holding the facts ``names`` (of
    :data:`~.enrolments.FACT_NAMES`, the learner and course always) read once from the
    enrolment and shared by all its outcomes, then the outcome's label and (pre-test,
    final) scores (:data:`_OWN`): a named tuple, as a Facts reader reads attributes —
    150,000 of them at 1,000,000 statements, made at C speed."""
    return namedtuple("OutcomeEnrolment", (*names, *_OWN))  # noqa: PYI024


def _maximum(row: Answer) -> float:
    return row.score_max if row.score_max is not None else 1.0


def label(outcome: str, course_id: str, one_course: bool) -> str:
    """The group name: the outcome id, prefixed by the module id when several courses mix."""
    return outcome if one_course else f"{p.short_id(course_id)}/{outcome}"


Scores = dict[str, tuple[float | None, float | None]]
"""An enrolment's (pre-test, final-test) score per outcome its answers assess."""


def attempt_scores(attempts: Iterable[Attempt],
                   outcomes_of: Mapping[str, Sequence[str]]) -> Scores:
    """The (pre-test, final-test) score of each outcome the answers of an enrolment's
    first pre-test attempt and best final-test attempt assess (``outcomes_of``: the
    outcome ids of each answer, by statement id); an outcome neither assesses has none."""
    held = []
    for attempt in sorted(attempts, key=lambda a: a.first_time):
        first = next(iter(attempt.answers.values()))
        its = HeldAttempt(first.assessment)
        for question, r in attempt.answers.items():
            assessed = tuple(dict.fromkeys(outcomes_of.get(r.statement_id, ())))
            its.answers[question] = (answer_score(r), _maximum(r), assessed)
        held.append(its)
    return held_scores(held)


class HeldAttempt:
    """An attempt as :func:`held_scores` reads it: its assessment (pre-test or final) and
    the first answer to each question, in the order answered, as (its score, its maximum,
    the distinct outcome ids it assesses) — the few numbers the scores need of an
    :class:`~.items.Answer`, without one (``--by outcome`` holds them as they stream by,
    :func:`~.aggregate.outcome_scores`)."""

    __slots__ = ("assessment", "answers")

    def __init__(self, assessment: str | None) -> None:
        self.assessment = assessment
        self.answers: dict[str, tuple[float, float, tuple[str, ...]]] = {}


def held_scores(attempts: Iterable[HeldAttempt]) -> Scores:
    """The (pre-test, final-test) score of each outcome the answers of an enrolment's
    first pre-test attempt and best final-test attempt assess, its attempts given in the
    order they began; an outcome neither assesses has none. Every sum is made in the
    attempt's order, from 0, as ``sum()`` adds."""
    pre: HeldAttempt | None = None
    finals: list[HeldAttempt] = []
    for attempt in attempts:
        if attempt.assessment == p.PRETEST:
            pre = pre or attempt
        elif attempt.assessment == p.FINAL:
            finals.append(attempt)
    best = finals[0] if len(finals) == 1 else max(
        finals, key=lambda a: _percent(a) or 0.0, default=None)
    before, after = _outcome_scores(pre), _outcome_scores(best)
    return {o: (before.get(o), after.get(o)) for o in sorted(before.keys() | after.keys())}


def _percent(attempt: HeldAttempt) -> float | None:
    chosen = attempt.answers.values()
    top = sum(high for _, high, _ in chosen)
    return sum(score for score, _, _ in chosen) / top * 100 if chosen and top > 0 else None


def _outcome_scores(attempt: HeldAttempt | None) -> dict[str, float | None]:
    if attempt is None:
        return {}
    sums: dict[str, list[float]] = {}  # outcome: [Σ score, Σ maximum]
    for score, top, assessed in attempt.answers.values():
        for outcome in assessed:
            its = sums.get(outcome)
            if its is None:
                its = sums[outcome] = [0.0, 0.0]  # from 0, as sum() adds
            its[0] += score
            its[1] += top
    return {o: score / top * 100 if top > 0 else None for o, (score, top) in sums.items()}


def expand(
    found: Sequence[Facts], carried: Mapping[tuple[str, str], Collection[str]],
    scores: Mapping[tuple[str, str], Scores], one_course: bool,
    names: Iterable[str] = FACT_NAMES,
) -> list[Any]:
    """One :func:`outcome_enrolment` row per enrolment and outcome its statements carry
    (``carried`` and ``scores``, by learner and course: :func:`attempt_scores`), with the
    facts ``names`` (the learner and course always)."""
    copied = tuple(name for name in dict.fromkeys(("actor_id", "course_id", *names))
                   if name not in _OWN)
    made, read = outcome_enrolment(copied), attrgetter(*copied)
    labels: dict[tuple[str, str], str] = {}  # few outcomes and courses: each named once
    out = []
    for e in found:
        key = (e.actor_id, e.course_id)
        listed = carried.get(key)
        if not listed:
            continue
        its = scores.get(key, {})
        facts = read(e)
        for outcome in sorted(listed):
            pre, final = its.get(outcome, (None, None))
            named = labels.get((outcome, e.course_id))
            if named is None:
                named = labels[outcome, e.course_id] = label(outcome, e.course_id, one_course)
            out.append(made(*facts, named, pre, final))
    return out


def carried_by_rows(
    found: Sequence[Enrolment], outcomes_of: Mapping[str, Sequence[str]]
) -> dict[tuple[str, str], set[str]]:
    """The outcome ids each enrolment's statements carry, from its rows."""
    return {(e.actor_id, e.course_id): {o for r in e.rows
                                        for o in outcomes_of.get(r.statement_id, ())}
            for e in found}


def scores_by_rows(
    found: Sequence[Enrolment], outcomes_of: Mapping[str, Sequence[str]]
) -> dict[tuple[str, str], Scores]:
    """Each enrolment's outcome scores, from its rows' attempts."""
    return {(e.actor_id, e.course_id): attempt_scores(e.attempts.values(), outcomes_of)
            for e in found}


def completions_table(
    found: Sequence[Facts], carried: Mapping[tuple[str, str], Collection[str]],
    scores: Mapping[tuple[str, str], Scores], one_course: bool
) -> Table:
    return completions.table(expand(found, carried, scores, one_course, completions.FACTS),
                             "outcome", whole=found)


def gain_tables(
    found: Sequence[Facts], carried: Mapping[tuple[str, str], Collection[str]],
    scores: Mapping[tuple[str, str], Scores], one_course: bool
) -> tuple[Table, ...]:
    return gain.tables(expand(found, carried, scores, one_course, gain.FACTS), "outcome",
                       whole=found)


def questions_by_rows(
    rows: Iterable[Row], outcomes_of: Mapping[str, Sequence[str]]
) -> set[tuple[str, str, str]]:
    """(question, course, outcome) of every answer in ``rows`` carrying outcomes."""
    return {(row.question_id, str(row.course_id), o) for row in rows if row.question_id
            for o in outcomes_of.get(row.statement_id, ())}


def items_table(
    table: Table, assessed: Iterable[tuple[str, str, str]], one_course: bool,
) -> Table:
    """The item analysis ``table`` (made without grouping) with each question listed under
    every outcome it assesses (``assessed``: (question, course, outcome) triples)."""
    by_question: dict[str, set[str]] = {}
    for question, course, outcome in assessed:
        by_question.setdefault(question, set()).add(label(outcome, course, one_course))
    listed = []
    for n, item in enumerate(table.rows):
        for outcome in sorted(by_question.get(item["question_id"]) or {UNKNOWN}):
            listed.append((outcome == UNKNOWN, outcome, n, {"outcome": outcome, **item}))
    listed.sort(key=lambda entry: entry[:3])
    return Table("Item analysis by outcome", (Column("outcome", "outcome"), *table.columns),
                 tuple(entry[3] for entry in listed))
