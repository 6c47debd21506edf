"""Statements of many learners following the mirco xAPI profile, for the scale benchmarks.

The statements are built by the reports' test dataset's :class:`Script`
(``tests/reports/reports_dataset.py``, what the course runtime sends): each learner opens
a module, answers the pre-test's questions (sometimes twice), reads lessons, answers the
final test's questions (one or two attempts), passes or fails, completes, and ends one to
three sessions. Learners come from 12 institutions in 6 countries, study in 5 languages,
and most of them are in the learner registry (some statements carry no institution: the
registry says where they work). As the runtime does, the lessons, the answers and the
tests' results carry the learning outcomes they concern (extension ``outcomes``), so
that the reports by outcome read real outcome lists.

:func:`load` stores them through the store's own write path (validation, the grouped
writer), in batches, and reports its progress, so a benchmark times what ``POST
/statements`` does minus HTTP.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "reports"))

import reports_dataset as dataset  # noqa: E402
from reports_dataset import Person, Script  # noqa: E402

from mirco_lms.lrs.resources import statement_writes as writes  # noqa: E402
from mirco_lms.lrs.store import SqlStore  # noqa: E402
from mirco_lms.lrs.store.registry import Learner, upsert_learners  # noqa: E402
from mirco_lms.xapi import profile as p  # noqa: E402

INSTITUTIONS = [
    ("MUP", "RS"), ("KIRS", "RS"), ("MSB", "BA"), ("SPS", "BA"), ("MVR", "MK"),
    ("BP", "MK"), ("ASP", "AL"), ("MB", "AL"), ("UP", "ME"), ("MUP-ME", "ME"),
    ("KP", "XK"), ("AKM", "XK"),
]
LANGUAGES = ["en", "sr-Latn", "mk", "sq", "bs"]
COURSES = ["migration-human-rights", "smuggling-of-migrants", "asylum-procedures",
           "border-management"]
LESSONS = ["foundations", "legal-framework", "identification", "interviews", "referral",
           "case-studies"]
ANSWERS = "abc"
QUESTION_OUTCOMES = {"q1": ["LO1"], "q2": ["LO2"], "q3": ["LO1", "LO3"]}
"""The outcomes each question of both tests assesses."""
LESSON_OUTCOMES = {lesson: [f"LO{1 + n % 3}"] for n, lesson in enumerate(LESSONS)}
TEST_OUTCOMES = ["LO1", "LO2", "LO3"]


def person(index: int, rng: random.Random) -> Person:
    institution, country = INSTITUTIONS[index % len(INSTITUTIONS)]
    return Person(f"L{index}", f"Learner {index}", institution, country,
                  rng.choice(LANGUAGES), sends_org=rng.random() > 0.1)


def learner_statements(index: int, rng: random.Random) -> list[dict[str, Any]]:
    """One learner's enrolment in one course, in time order (about 20 statements)."""
    who = person(index, rng)
    start = datetime(2024, 1, 1, 8, tzinfo=UTC) + timedelta(minutes=17 * index)
    s = Script(who, COURSES[index % len(COURSES)], start)
    s.module(0, p.INITIALIZED)
    for attempt in range(1, 2 + (rng.random() < 0.2)):
        answers = "".join(rng.choice(ANSWERS) for _ in dataset.CORRECT)
        s.answers(0.1 * attempt, "pretest", p.PRETEST, attempt, answers)
        right = sum(a == dataset.CORRECT[q] for a, q in zip(answers, dataset.CORRECT, strict=True))
        s.pretest(0.1 * attempt, right / 3, attempt)
    for hours, lesson in enumerate(rng.sample(LESSONS, rng.randint(3, len(LESSONS)))):
        s.lesson(0.5 + hours * 0.3, lesson)
    attempts = 1 + (rng.random() < 0.35)
    for attempt in range(1, attempts + 1):
        answers = "".join(rng.choice(ANSWERS) for _ in dataset.CORRECT)
        raw = sum(a == dataset.CORRECT[q] for a, q in zip(answers, dataset.CORRECT, strict=True))
        s.final(3 + attempt, raw / 3, attempt, answers, raw)
    if rng.random() < 0.8:
        s.module(6, p.COMPLETED, completion=True)
    for session in range(rng.randint(1, 3)):
        s.session_end(6.5 + session, f"PT{rng.randint(10, 90)}M")
    for stmt in s.out:
        outcomes = _outcomes(stmt)
        if outcomes:
            stmt["context"]["extensions"][p.EXT_OUTCOMES] = outcomes
    return s.out


def _outcomes(stmt: dict[str, Any]) -> list[str]:
    """The outcomes the runtime puts on ``stmt``: a question's, a lesson's, a test's."""
    kind = stmt["object"]["definition"]["type"]
    last = stmt["object"]["id"].rsplit("/", 1)[-1]
    if kind == p.INTERACTION:
        return QUESTION_OUTCOMES[last]
    if kind == p.LESSON:
        return LESSON_OUTCOMES[last]
    return TEST_OUTCOMES if kind == p.ASSESSMENT else []


def statements(total: int, seed: int = 21) -> Iterator[tuple[int, dict[str, Any]]]:
    """``total`` statements of as many learners as it takes, learner after learner, each
    with the index of its learner."""
    rng = random.Random(seed)
    made = index = 0
    while made < total:
        for stmt in learner_statements(index, rng)[: total - made]:
            made += 1
            yield index, stmt
        index += 1


def registry(learners: int, seed: int = 21) -> list[Learner]:
    """The registry rows of the first ``learners`` learners (nine in ten are registered)."""
    rng = random.Random(seed + 1)
    rows = []
    for index in range(learners):
        institution, country = INSTITUTIONS[index % len(INSTITUTIONS)]
        if rng.random() < 0.9:
            rows.append(Learner(dataset.ifi(f"L{index}"), f"l{index}", None, f"Learner {index}",
                                institution, country, f"Unit {index % 7}"))
    return rows


def load(
    store: SqlStore, total: int, *, batch: int = 100, seed: int = 21,
    every: int = 100_000, progress: Callable[[int, float], None] | None = None,
) -> int:
    """Store ``total`` statements in batches of ``batch`` (and the registry); calls
    ``progress(stored, seconds_for_the_last_step)`` every ``every`` statements. Returns
    the number of learners."""
    pending: list[dict[str, Any]] = []
    done, mark, learners = 0, time.perf_counter(), 0
    for index, stmt in statements(total, seed):
        learners = index + 1
        pending.append(stmt)
        if len(pending) == batch:
            writes.save_statements(store, writes.Batch(pending), dataset.SUBMITTER, "1.0.3")
            done += len(pending)
            pending = []
            if progress is not None and done % every == 0:
                now = time.perf_counter()
                progress(done, now - mark)
                mark = now
    if pending:
        writes.save_statements(store, writes.Batch(pending), dataset.SUBMITTER, "1.0.3")
    upsert_learners(store, registry(learners, seed))
    return learners
