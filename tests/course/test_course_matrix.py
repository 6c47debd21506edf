"""The outcome × assessment matrix, computed from the sources, and the checks on it."""

from __future__ import annotations

from pathlib import Path

from course_support import MODULE_MD, WriteModule

from mirco_lms.course.loader import load_module
from mirco_lms.course.matrix import CHECKS, FINAL, PRETEST, QuestionRef, outcome_matrix

ROOT = Path(__file__).resolve().parents[2]

PRETEST_MD = """\
## Before {#p1 outcome=LO1 points=2}

- (x) a
- ( ) b
"""

FINAL_MD = """\
## Fixed {#f1 outcome=LO1}

- (x) a
- ( ) b

# Pool {#pl draw=1}

## One {#f2 outcome=LO2 points=3}

- (x) a
- ( ) b

## Two {#f3 outcomes=LO2,LO1 points=3}

- (x) a
- ( ) b
"""

LESSON_MD = "# Foundations\n\n::: check {#kc outcome=LO2}\nQ?\n\n- (x) a\n- ( ) b\n:::\n"


def test_the_matrix_names_questions_tests_points_and_units(write_module: WriteModule) -> None:
    folder = write_module({"pretest.md": PRETEST_MD, "final-test.md": FINAL_MD,
                           "01-foundations.md": LESSON_MD})
    module = load_module(folder).require()
    matrix = outcome_matrix(module)
    lo1, lo2 = matrix.rows
    assert (lo1.outcome.id, lo1.units, lo2.outcome.id, lo2.units) == ("LO1", (1,), "LO2", (2,))
    assert lo1.cell(PRETEST).questions == (QuestionRef("p1", 2.0),)
    assert lo1.cell(FINAL).questions == (QuestionRef("f1", 1.0), QuestionRef("f3", 3.0, "pl"))
    assert lo1.cell(FINAL).points == 4.0 and lo1.cell(FINAL).pooled
    assert lo1.cell(CHECKS).questions == ()
    assert lo2.cell(PRETEST).questions == ()
    assert [q.id for q in lo2.cell(FINAL).questions] == ["f2", "f3"]
    assert lo2.cell(CHECKS).questions == (QuestionRef("kc", 1.0),)
    assert lo1.assessed and lo2.assessed and lo1.taught and lo2.taught
    assert matrix.totals(FINAL) == 4.0 + 6.0  # f3 assesses both outcomes
    assert matrix.row("LO9") is None


def test_the_matrix_of_a_sample_module_covers_every_outcome() -> None:
    module = load_module(ROOT / "modules" / "migration-human-rights").require()
    matrix = outcome_matrix(module)
    assert [row.outcome.id for row in matrix.rows] == [o.id for o in module.outcomes]
    final_ids = {q.id for q in module.final_test.questions} if module.final_test else set()
    for row in matrix.rows:
        assert row.assessed and row.taught, row.outcome.id
        assert {q.id for q in row.cell(FINAL).questions} <= final_ids
        expected = sum(q.points for q in module.final_test.questions  # type: ignore[union-attr]
                       if row.outcome.id in q.outcomes)
        assert row.cell(FINAL).points == expected


def test_an_assessed_outcome_no_unit_teaches_is_a_warning(write_module: WriteModule) -> None:
    text = MODULE_MD.replace("    outcomes: [LO2]\n---", "    outcomes: [LO1]\n---", 1)
    folder = write_module({"module.md": text})
    diagnostics = load_module(folder).diagnostics
    assert [(d.severity, d.message, d.location.line) for d in diagnostics] == [
        ("warning", "the outcome 'LO2' is assessed but no syllabus unit teaches it", 11)]
    assert diagnostics[0].hint == "add LO2 to the 'outcomes:' of the syllabus unit that teaches it"
    row = outcome_matrix(load_module(folder).require()).row("LO2")
    assert row is not None and row.assessed and not row.taught


def test_an_outcome_nobody_assesses_is_still_one_warning(write_module: WriteModule) -> None:
    folder = write_module({"final-test.md": "## Q {#q outcome=LO1}\n- (x) a\n- ( ) b\n"})
    diagnostics = load_module(folder).diagnostics
    assert [d.message for d in diagnostics] == ["no question assesses the outcome 'LO2'"]
    row = outcome_matrix(load_module(folder).require()).row("LO2")
    assert row is not None and not row.assessed and row.taught
