"""A module built by hand (no loader): every question type, a pool, a check, an image."""

from __future__ import annotations

from pathlib import Path

import pytest

from mirco_lms.course.model import (
    Assessment,
    AssessmentKind,
    Choice,
    Delivery,
    FillIn,
    Lesson,
    Matching,
    MatchPair,
    Module,
    MultipleChoice,
    Numeric,
    NumericAnswer,
    Ordering,
    OrderItem,
    Outcome,
    Pool,
    SingleChoice,
    SyllabusUnit,
    TextAnswer,
    TrueFalse,
)

# A 1×1 transparent PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def _final() -> Assessment:
    pooled = tuple(
        SingleChoice(id=f"q-pool-{n}", stem_md=f"Pooled question {n}?", outcomes=("LO1",),
                     choices=(Choice("a", "Yes", True), Choice("b", "No", False)))
        for n in (1, 2, 3)
    )
    return Assessment(
        id="final", kind=AssessmentKind.FINAL, title="Final test",
        intro_md="Answer every question.",
        items=(
            SingleChoice(id="q-art33", stem_md="Which article sets out **non-refoulement**?",
                         points=2, outcomes=("LO2",),
                         choices=(Choice("a", "Article 1A", False, "It defines a refugee."),
                                  Choice("b", "Article 33", True, "Correct."),
                                  Choice("c", "Article 35", False))),
            MultipleChoice(id="q-multi", stem_md="Which are forms of exploitation?",
                           outcomes=("LO1",),
                           choices=(Choice("a", "Forced labour", True),
                                    Choice("b", "Tourism", False),
                                    Choice("c", "Servitude", True))),
            TrueFalse(id="q-tf", stem_md="First paragraph.\n\nSecond paragraph: <script>x</script>",
                      answer=False, outcomes=("LO1",)),
            FillIn(id="q-fill", stem_md="Name the 2000 protocol on trafficking.",
                   answers=(TextAnswer("Palermo Protocol"),), outcomes=("LO1",)),
            Numeric(id="q-year", stem_md="In which year was the Convention adopted?",
                    answers=(NumericAnswer(1951, 1951),), outcomes=("LO1",)),
            Matching(id="q-match", stem_md="Match the terms.", outcomes=("LO1",),
                     pairs=(MatchPair("1", "Refugee", "Fear of persecution"),
                            MatchPair("2", "Migrant", "Any person who moves"),
                            MatchPair("3", "Stateless", "No nationality"))),
            Ordering(id="q-order", stem_md="Put the steps in order.", outcomes=("LO2",),
                     items=(OrderItem("1", "Rescue"), OrderItem("2", "Identify"),
                            OrderItem("3", "Refer"))),
            Pool(id="pool-a", title="Pool A", draw=2, questions=pooled),
        ),
    )


def make_module(root: Path) -> Module:
    (root / "images").mkdir(parents=True, exist_ok=True)
    (root / "images" / "boat.png").write_bytes(PNG)
    check = TrueFalse(id="kc-1", stem_md="Non-refoulement protects only refugees.",
                      answer=False, feedback_false_md="Right: it protects everyone.")
    lesson = Lesson(
        id="foundations", title="Foundations",
        body_md=(
            "# Foundations\n\nSome *text* & more.\n\n"
            '![A boat](images/boat.png "Figure 1. A boat.")\n\n'
            "::: check {#kc-1}\nNon-refoulement protects only refugees.\n\n"
            "- ( ) True\n- (x) False\n:::\n"
        ),
        checks=(check,), duration_minutes=45, assets=("images/boat.png",),
    )
    lesson2 = Lesson(id="second", title="Second lesson", body_md="No heading here.",
                     duration_minutes=45)
    pretest = Assessment(
        id="pretest", kind=AssessmentKind.PRETEST, title="Pre-test", intro_md="",
        items=(SingleChoice(id="p-1", stem_md="Warm-up?", outcomes=("LO1",),
                            choices=(Choice("a", "A", True), Choice("b", "B", False))),),
    )
    return Module(
        slug="human-rights", id="human-rights", title="Migration & Human Rights",
        version="1.0.0", language="en", description="Rights of every migrant.",
        overview_md="# Migration & Human Rights\n\nThe overview.",
        keywords=("rights",), target_group="Border police", prerequisites=("None",),
        duration_minutes=90, delivery=(Delivery.SELF_PACED_ONLINE, Delivery.BLENDED),
        outcomes=(Outcome("LO1", "Explain the sources."), Outcome("LO2", "Apply the rule.")),
        syllabus=(
            SyllabusUnit("Foundations", 45, ("LO1",), ("foundations",), methods=("lecture",)),
            SyllabusUnit("Second", 45, ("LO2",), ("second",)),
        ),
        lessons=(lesson, lesson2), pretest=pretest, final_test=_final(),
        passing_score=70, attempts=3, assets=("images/boat.png",), root=root,
    )


@pytest.fixture
def module(tmp_path: Path) -> Module:
    return make_module(tmp_path / "human-rights")
