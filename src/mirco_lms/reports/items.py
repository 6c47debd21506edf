"""The ``items`` report: classical item analysis of pre-test and final-test questions.

For every question: n, difficulty (proportion correct), discrimination (corrected
point-biserial correlation: item correct 0/1 against the rest score of the attempt) and
how often each option was chosen. Question ids are the same in every language, so
``--by language`` compares translations item by item.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from mirco_lms.reports import labels, stats
from mirco_lms.reports.data import Row, name_of
from mirco_lms.reports.model import Chart, Column, Table
from mirco_lms.xapi import profile as p

GROUP_FIELDS = {"language": "language", "delivery": "delivery", "session": "session_id"}
"""What ``--by`` groups items by: the row's field."""
OPTION_TYPES = ("choice", "multiple-choice", "true-false")
"""Interactions counted per option (a response may hold several); the others (matching,
sequencing, fill-in, numeric) per distinct whole response."""
NOTES = (
    "Only each learner's FIRST attempt at each assessment is analysed (as Moodle's quiz "
    "statistics do by default); within it, the first answer to each question.",
    "Item score = result.score.raw of the 'answered' statement (else 1 if result.success, "
    "else 0); the attempt's total = the sum of its item scores.",
    "Difficulty = proportion of answers with result.success = true.",
    "Discrimination = corrected point-biserial correlation: Pearson's r between the item "
    "(1 correct / 0 not) and the rest score (total − this item's score) over the attempts "
    "that answered it; empty when either does not vary. Below 0.2 flags a weak item.",
    "Options: how often each option was part of a response (choice, multiple-choice, "
    "true-false), or each distinct response (matching, ordering, fill-in, numeric), shown "
    "with the labels the learners saw in their language (matching as source → target, "
    "ordering as first → next; fill-in and numeric as answered); ✓ marks a correct option "
    "or response.",
    "Knowledge checks inside lessons are not analysed.",
)


class Answer(NamedTuple):
    """An answer as the item analysis (and ``--by outcome``) reads it: the few fields of
    its ``answered`` statement that matter, kept per attempt instead of the whole row."""

    statement_id: str
    course_id: str | None
    assessment: str | None
    success: bool | None
    score_raw: float | None
    score_max: float | None
    response: str | None
    language: str | None
    delivery: str | None
    session_id: str | None

    @classmethod
    def of(cls, row: Row) -> Answer:
        return cls(row.statement_id, row.course_id, row.assessment, row.success,
                   row.score_raw, row.score_max, row.response, row.language, row.delivery,
                   row.session_id)


@dataclass
class Attempt:
    """One attempt at an assessment: the first answer to each question."""

    first_time: str
    answers: dict[str, Answer] = field(default_factory=dict)

    @property
    def total(self) -> float:
        return sum(answer_score(row) for row in self.answers.values())


def answer_score(row: Answer) -> float:
    """An answer's score: ``score.raw``, else 1 if right and 0 if not."""
    if row.score_raw is not None:
        return row.score_raw
    return 1.0 if row.success else 0.0


def first_attempts(rows: Sequence[Row]) -> list[Attempt]:
    """Each learner's first attempt at each assessment (``rows`` are oldest first); the
    reports stream them instead (:func:`.scan.first_attempts`)."""
    attempts: dict[tuple[Any, ...], Attempt] = {}
    first: dict[tuple[str, str], tuple[Any, ...]] = {}
    for row in rows:
        if row.verb_id != p.ANSWERED or not row.question_id or row.assessment not in (
            p.PRETEST, p.FINAL
        ):
            continue
        key = (row.actor_id, row.lesson_id, row.registration or "", row.attempt or 1)
        attempt = attempts.setdefault(key, Attempt(row.time))
        if row.question_id not in attempt.answers:
            attempt.answers[row.question_id] = Answer.of(row)
        first.setdefault((str(row.actor_id), str(row.lesson_id)), key)
    return [attempts[key] for key in first.values()]


def _parts(row: Answer, kind: str) -> list[str]:
    response = (row.response or "").strip()
    if kind in OPTION_TYPES:
        return [part for part in response.split(p.RESPONSE_SEPARATOR) if part]
    if kind in ("fill-in", "long-fill-in"):
        response = response.lower()
    return [response] if response else []


def options(answers: Sequence[Answer], definition: dict[str, Any], language: str | None) -> list[
    dict[str, Any]
]:
    """How often each option (or whole response) was chosen, labelled in ``language``: the
    definition's options in order, then the other responses by frequency."""
    kind = str(definition.get("interactionType") or "")
    split: dict[str | None, list[str]] = {}  # few distinct responses: each split once

    def parts(row: Answer) -> list[str]:
        found = split.get(row.response)
        if found is None:
            found = split[row.response] = _parts(row, kind)
        return found

    counts = Counter(part for row in answers for part in parts(row))
    right = {part for row in answers if row.success for part in parts(row)}
    patterns = [str(x) for x in definition.get("correctResponsesPattern") or []]
    if kind in OPTION_TYPES and patterns:
        right = set(patterns[0].split(p.RESPONSE_SEPARATOR))
    out = []
    if kind in ("choice", "multiple-choice"):
        for ident in labels.component_labels(definition, "choices", language):
            out.append(_option(ident, counts.pop(ident, 0), ident in right, kind, definition,
                               language))
    for ident, count in counts.most_common():
        out.append(_option(ident, count, ident in right, kind, definition, language))
    return out


def _option(ident: str, count: int, correct: bool, kind: str, definition: dict[str, Any],
            language: str | None) -> dict[str, Any]:
    label = labels.response_label(ident, kind, definition, language)
    return {"id": ident, "label": label if label != ident else "", "count": count,
            "correct": correct}


def _question_sort(key: tuple[str, str, str, str]) -> tuple[Any, ...]:
    course, assessment, question, group = key
    natural = [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", question)]
    return (course, assessment != p.PRETEST, natural, group)


def table(
    attempts: Sequence[Attempt], by: str | None,
    definition_of: Callable[[str, str | None], dict[str, Any]],
    language: str | None,
) -> Table:
    """The analysis of ``attempts`` (each learner's first, :func:`first_attempts`)."""
    cells: dict[tuple[str, str, str, str], list[tuple[Attempt, Answer]]] = defaultdict(list)
    totals: dict[int, float] = {}  # each attempt's total score, summed once
    for attempt in attempts:
        totals[id(attempt)] = attempt.total
        for question, row in attempt.answers.items():
            group = (getattr(row, GROUP_FIELDS[by]) or "(unknown)") if by in GROUP_FIELDS \
                else "all"
            cells[(str(row.course_id), str(row.assessment), question, group)].append(
                (attempt, row)
            )
    out = []
    for key in sorted(cells, key=_question_sort):
        course, assessment, question, group = key
        pairs = cells[key]
        correct = [1.0 if row.success else 0.0 for _, row in pairs]
        rest = [totals[id(attempt)] - answer_score(row) for attempt, row in pairs]
        difficulty = stats.mean(correct)
        r = stats.pearson(correct, rest)
        lang = group if by == "language" else _language(pairs, language)
        definition = definition_of(question, lang)
        out.append({
            **({"group": group} if by in ("delivery", "session") else {}),
            "course": p.short_id(course), "assessment": assessment,
            "question": p.short_id(question), "question_id": question,
            "text": name_of(definition, lang, "description") or name_of(definition, lang),
            "language": group if by == "language" else None,
            "n": len(pairs), "difficulty": difficulty, "discrimination": r,
            "options": options([row for _, row in pairs], definition, lang),
            "flag": _flag(difficulty, r, len(pairs)),
        })
    columns = [Column("course", "course"), Column("assessment", "test"),
               Column("question", "question"), Column("text", "text")]
    if by == "language":
        columns.append(Column("language", "language"))
    elif by in ("delivery", "session"):
        columns.append(Column("group", by))
    columns += [Column("n", "n", "int"), Column("difficulty", "difficulty (p)", "rate"),
                Column("discrimination", "discrimination (r)", "r"),
                Column("options", "options chosen", "options"), Column("flag", "review")]
    return Table("Item analysis" + (f" by {by}" if by else ""), tuple(columns), tuple(out))


def _language(pairs: Sequence[tuple[Attempt, Answer]], wanted: str | None) -> str | None:
    """The language to label options in: the exact tag of the answers matching ``wanted``
    (``sr`` → ``sr-Latn``), else ``wanted``."""
    if wanted:
        for _, row in pairs:
            if row.language and row.language.lower().startswith(wanted.lower()):
                return row.language
    return wanted


def _flag(difficulty: float | None, r: float | None, n: int) -> str:
    notes = []
    if difficulty is not None and difficulty < 0.2:
        notes.append("very hard")
    if difficulty is not None and difficulty > 0.9:
        notes.append("very easy")
    if r is not None and r < 0.2:
        notes.append("weak discrimination")
    if n < 10:
        notes.append("few answers")
    return ", ".join(notes)


def charts(items: Table) -> tuple[Chart, ...]:
    labels = tuple(
        f"{r['question']}" + (f" {r['language']}" if r.get("language") else "")
        for r in items.rows
    )
    return (
        Chart("bars", "Item difficulty (proportion correct)", labels,
              tuple(None if r["difficulty"] is None else r["difficulty"] * 100
                    for r in items.rows), "%"),
        Chart("bars", "Item discrimination (corrected point-biserial r)", labels,
              tuple(r["discrimination"] for r in items.rows), "r",
              note="below 0.2: weak"),
    )
