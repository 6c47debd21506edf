"""The outcome × assessment matrix: which questions of which test assess each outcome.

Computed from the sources (the questions' ``outcome=`` and the syllabus units'
``outcomes:``), never written by hand, so the programme document cannot disagree with
the tests. Knowledge checks inside lessons are a column of their own (formative, not
scored).

>>> matrix = outcome_matrix(module)
>>> [(row.outcome.id, row.cell("final").points) for row in matrix.rows]
[('LO1', 3.0), ('LO2', 2.0)]
"""

from __future__ import annotations

from dataclasses import dataclass

from mirco_lms.course.model import Module, Outcome, Pool, Question

PRETEST = "pretest"
FINAL = "final"
CHECKS = "checks"
COLUMNS = (PRETEST, FINAL, CHECKS)
"""The matrix's columns: the pre-test, the final test, the lessons' knowledge checks."""


@dataclass(frozen=True)
class QuestionRef:
    """A question that assesses an outcome."""

    id: str
    points: float
    pool: str | None = None
    """The pool it is drawn from (None: asked in every attempt)."""


@dataclass(frozen=True)
class Cell:
    """The questions of one column that assess one outcome."""

    column: str
    questions: tuple[QuestionRef, ...] = ()

    @property
    def points(self) -> float:
        """The points of these questions (in a pool, of every question of the bank)."""
        return sum(q.points for q in self.questions)

    @property
    def pooled(self) -> bool:
        return any(q.pool is not None for q in self.questions)


@dataclass(frozen=True)
class Row:
    """One outcome: where it is taught and how it is assessed."""

    outcome: Outcome
    units: tuple[int, ...]
    """Numbers (1-based) of the syllabus units that teach it."""
    cells: tuple[Cell, ...]
    """One per column of :data:`COLUMNS`, in that order."""

    def cell(self, column: str) -> Cell:
        return self.cells[COLUMNS.index(column)]

    @property
    def assessed(self) -> bool:
        """Assessed by a question of the pre-test or the final test."""
        return bool(self.cell(PRETEST).questions or self.cell(FINAL).questions)

    @property
    def taught(self) -> bool:
        return bool(self.units)


@dataclass(frozen=True)
class Matrix:
    rows: tuple[Row, ...]
    columns: tuple[str, ...] = COLUMNS

    def row(self, outcome_id: str) -> Row | None:
        return next((r for r in self.rows if r.outcome.id == outcome_id), None)

    def totals(self, column: str) -> float:
        return sum(row.cell(column).points for row in self.rows)


def _column(module: Module, column: str) -> list[tuple[Question, str | None]]:
    """(question, pool id) of a column, in source order."""
    if column == CHECKS:
        return [(q, None) for lesson in module.lessons for q in lesson.checks]
    test = module.pretest if column == PRETEST else module.final_test
    out: list[tuple[Question, str | None]] = []
    for item in test.items if test is not None else ():
        if isinstance(item, Pool):
            out.extend((q, item.id) for q in item.questions)
        else:
            out.append((item, None))
    return out


def outcome_matrix(module: Module) -> Matrix:
    """The matrix of ``module`` (a translated module gives the same ids and points)."""
    columns = {column: _column(module, column) for column in COLUMNS}
    rows = []
    for outcome in module.outcomes:
        units = tuple(n for n, unit in enumerate(module.syllabus, start=1)
                      if outcome.id in unit.outcomes)
        cells = tuple(
            Cell(column, tuple(QuestionRef(q.id, q.points, pool)
                               for q, pool in columns[column] if outcome.id in q.outcomes))
            for column in COLUMNS
        )
        rows.append(Row(outcome, units, cells))
    return Matrix(tuple(rows))
