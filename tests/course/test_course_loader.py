"""Loading module folders: every construct and question type, with source lines."""

from __future__ import annotations

import pytest
from course_support import WriteModule

from mirco_lms.course.loader import LoadResult, load_module, load_modules
from mirco_lms.course.model import (
    AssessmentKind,
    Delivery,
    FillIn,
    Matching,
    MultipleChoice,
    Numeric,
    Ordering,
    Pool,
    SingleChoice,
    TrueFalse,
)
from mirco_lms.errors import DiagnosticsError, SourceError

QUESTIONS = """\
---
title: Final test
shuffle_questions: true
time_limit: 30m
---

Answer every question.

## Which article? {#q-single outcome=LO2 points=2 shuffle=false}

More text of the question.

- ( ) Article 1A
  > Article 1A defines who is a refugee.
- (x) Article 33
- ( ) Article 35

> General feedback.

## Which are forms of exploitation? {#q-multi outcome=LO1,LO2}

- [x] Trafficking
- [ ] Tourism
- [X] Forced labour

## Non-refoulement protects only refugees. {#q-tf outcome=LO2}

- ( ) True
  > No.
- (x) False
  > Right.

## Name the protocol {#q-fill outcome=LO1 case=sensitive}

- = Palermo Protocol
  > Exactly.
- = Palermo

## When? {#q-num outcome=LO1}

- = 1951
- = 3.5 +- 0.5
- = 3.5 ± 1
- = 10..20

## Match {#q-match outcome=LO1}

- Refugee -> Fled persecution
- Migrant → Moves for any reason

## Order the steps {#q-order outcome=LO2}

1. Rescue
2. Disembarkation
3. Screening

## Which year, as text? {#q-text-year outcome=LO1 type=fill-in}

- = 1951

## Tačno ili netačno? {#q-tf-sr outcome=LO1 type=truefalse}

- (x) Da
- ( ) Ne
"""


def load(write_module: WriteModule, files: dict[str, str | bytes | None]) -> LoadResult:
    return load_module(write_module(files))


def test_minimal_module_loads_clean(write_module: WriteModule) -> None:
    result = load(write_module, {})
    assert result.ok and result.diagnostics == []
    module = result.require()
    assert (module.slug, module.id, module.version, module.language) == (
        "mhr",
        "mhr",
        "1.0.0",
        "en",
    )
    assert module.duration_minutes == 120 and module.passing_score == 70
    assert [o.id for o in module.outcomes] == ["LO1", "LO2"]
    assert module.outcomes[1].location.line == 11
    assert module.syllabus[1].location.line == 17 and module.syllabus[1].duration_minutes == 60
    assert module.overview_md.startswith("# Migration and Human Rights")
    assert module.location.line == 22  # line of the overview's first line
    assert module.final_test is not None and module.final_test.kind is AssessmentKind.FINAL
    assert module.pretest is None


def test_every_question_type(write_module: WriteModule) -> None:
    module = load(write_module, {"final-test.md": QUESTIONS}).require()
    final = module.final_test
    assert final is not None
    assert (
        final.title == "Final test" and final.shuffle_questions and final.time_limit_minutes == 30
    )
    assert final.intro_md == "Answer every question."
    q = {question.id: question for question in final.questions}
    single = q["q-single"]
    assert isinstance(single, SingleChoice) and not single.shuffle and single.points == 2
    assert single.stem_md == "Which article?\n\nMore text of the question."
    assert [(c.id, c.text_md, c.correct) for c in single.choices] == [
        ("a", "Article 1A", False),
        ("b", "Article 33", True),
        ("c", "Article 35", False),
    ]
    assert single.choices[0].feedback_md == "Article 1A defines who is a refugee."
    assert single.feedback_md == "General feedback."
    assert single.location.line == 9 and single.choices[1].location.line == 15
    multi = q["q-multi"]
    assert isinstance(multi, MultipleChoice) and multi.outcomes == ("LO1", "LO2")
    assert [c.correct for c in multi.choices] == [True, False, True]
    tf = q["q-tf"]
    assert isinstance(tf, TrueFalse) and tf.answer is False
    assert (tf.feedback_true_md, tf.feedback_false_md) == ("No.", "Right.")
    fill = q["q-fill"]
    assert isinstance(fill, FillIn) and fill.case_sensitive
    assert [(a.text, a.feedback_md, a.location.line) for a in fill.answers] == [
        ("Palermo Protocol", "Exactly.", 35),
        ("Palermo", "", 37),
    ]
    num = q["q-num"]
    assert isinstance(num, Numeric)
    assert [(a.low, a.high) for a in num.answers] == [(1951, 1951), (3, 4), (2.5, 4.5), (10, 20)]
    match = q["q-match"]
    assert isinstance(match, Matching)
    assert [(p.id, p.source_md, p.target_md) for p in match.pairs] == [
        ("1", "Refugee", "Fled persecution"),
        ("2", "Migrant", "Moves for any reason"),
    ]
    order = q["q-order"]
    assert isinstance(order, Ordering)
    assert [(i.id, i.text_md, i.location.line) for i in order.items] == [
        ("1", "Rescue", 53),
        ("2", "Disembarkation", 54),
        ("3", "Screening", 55),
    ]
    assert isinstance(q["q-text-year"], FillIn)
    tf_sr = q["q-tf-sr"]
    assert isinstance(tf_sr, TrueFalse) and tf_sr.answer is True


POOLED = """\
# Final test

Intro.

## Fixed {#q-fixed outcome=LO1}
- (x) a
- ( ) b

# International instruments {#pool-instr draw=2}

## P1 {#q-p1 outcome=LO1}
- (x) a
- ( ) b

## P2 {#q-p2 outcome=LO2}
- (x) a
- ( ) b

## P3 {#q-p3 outcome=LO2}
- (x) a
- ( ) b

# Closing the pool

## After {#q-after outcome=LO2 points=3}
- [x] a
- [ ] b
"""


def test_pools(write_module: WriteModule) -> None:
    module = load(write_module, {"final-test.md": POOLED}).require()
    final = module.final_test
    assert final is not None and final.title == "Final test" and final.intro_md == "Intro."
    kinds = [type(item).__name__ for item in final.items]
    assert kinds == ["SingleChoice", "Pool", "MultipleChoice"]
    pool = final.items[1]
    assert isinstance(pool, Pool)
    assert (pool.id, pool.title, pool.draw, pool.location.line) == (
        "pool-instr",
        "International instruments",
        2,
        9,
    )
    assert [q.id for q in pool.questions] == ["q-p1", "q-p2", "q-p3"]
    assert final.questions_per_attempt == 4 and final.max_points == 6


LESSON_WITH_CHECKS = """\
---
id: custom-id
duration: 40m
---
# Non-refoulement

Text.

::: check {#kc-1 outcome=LO2}
Non-refoulement protects only **recognised** refugees.

Think first.

- ( ) True
  > Feedback for this option.
- (x) False
:::

::: note
::: check {#kc-2 outcome=LO1 points=0}
Pick the sources.

- [x] Treaties
- [ ] Rumours

> Treaties bind states.
:::
:::
"""


def test_lesson_front_matter_and_checks(write_module: WriteModule) -> None:
    module = load(write_module, {"01-foundations.md": LESSON_WITH_CHECKS}).require()
    lesson = module.lessons[0]
    assert (lesson.id, lesson.title, lesson.duration_minutes) == (
        "custom-id",
        "Non-refoulement",
        40,
    )
    assert lesson.location.line == 5 and lesson.body_md.startswith("# Non-refoulement")
    kc1, kc2 = lesson.checks
    assert isinstance(kc1, TrueFalse) and kc1.answer is False and kc1.location.line == 9
    assert kc1.stem_md == "Non-refoulement protects only **recognised** refugees.\n\nThink first."
    assert kc1.feedback_true_md == "Feedback for this option."
    assert (
        isinstance(kc2, MultipleChoice)
        and kc2.points == 0
        and kc2.feedback_md == "Treaties bind states."
    )
    assert kc2.location.line == 20


def test_lesson_order_ids_titles_and_assets(write_module: WriteModule) -> None:
    folder = write_module(
        {
            "01-foundations.md": "# One\n\n![Map](images/map.png)\n",
            "10-ten.md": "# Ten\n\n[Handout](files/handout.pdf)\n",
            "2-two.md": "---\ntitle: Two (front matter)\n---\n# Heading\n\n"
            "![Map](./images/map.png) [3](10-ten.md)\n",
            "README.md": "# Not a lesson\n",
            "images/map.png": b"png",
            "files/handout.pdf": b"pdf",
        }
    )
    module = load_module(folder).require()
    assert [(lesson.id, lesson.title) for lesson in module.lessons] == [
        ("foundations", "One"),
        ("two", "Two (front matter)"),
        ("ten", "Ten"),
    ]
    assert module.assets == ("images/map.png", "files/handout.pdf")
    assert module.lessons[1].assets == ("images/map.png",)


def test_explicit_lesson_order_and_assessment_files(write_module: WriteModule) -> None:
    folder = write_module(
        {
            "02-b.md": "# B\n",
            "pre.md": "## Q {#q-pre outcome=LO1}\n- (x) a\n- ( ) b\n",
            "exam.md": "## Q {#q-exam outcome=LO2}\n- (x) a\n- ( ) b\n\n"
            "## R {#q-exam2 outcome=LO1}\n- (x) a\n- ( ) b\n",
            "final-test.md": None,
        }
    )
    text = (folder / "module.md").read_text()
    text = text.replace(
        "syllabus:",
        "lessons: [02-b.md, 01-foundations]\npretest: pre.md\nfinal_test: exam.md\nsyllabus:",
    )
    (folder / "module.md").write_text(text)
    module = load_module(folder).require()
    assert [lesson.id for lesson in module.lessons] == ["b", "foundations"]
    assert (
        module.pretest is not None
        and module.pretest.id == "pre"
        and module.pretest.title == "Pre-test"
    )
    assert module.final_test is not None and [q.id for q in module.final_test.questions] == [
        "q-exam",
        "q-exam2",
    ]


def test_delivery_keywords_and_durations(write_module: WriteModule) -> None:
    folder = write_module()
    text = (
        (folder / "module.md")
        .read_text()
        .replace(
            "duration: 2h",
            "duration: PT2H\ndelivery: [blended, in-person]\nkeywords: [a, 2024]\n"
            "prerequisites: None\nattempts: 3\ntarget_group: Police",
        )
    )
    (folder / "module.md").write_text(text)
    module = load_module(folder).require()
    assert module.delivery == (Delivery.BLENDED, Delivery.IN_PERSON)
    assert module.keywords == ("a", "2024") and module.prerequisites == ("None",)
    assert (
        module.attempts == 3 and module.target_group == "Police" and module.duration_minutes == 120
    )


def test_require_raises_all_diagnostics(write_module: WriteModule) -> None:
    result = load(write_module, {"01-foundations.md": "# T\n\n![](missing.png)\n"})
    assert not result.ok
    with pytest.raises(DiagnosticsError) as info:
        result.require()
    assert len(info.value.diagnostics) == 2  # no alt text, file missing


def test_load_modules_filters_by_slug(write_module: WriteModule) -> None:
    folder = write_module()
    write_module(slug="second")
    (folder.parent / "not-a-module").mkdir()
    modules_dir = folder.parent
    assert [r.folder.name for r in load_modules(modules_dir) if r.folder] == ["mhr", "second"]
    assert [r.folder.name for r in load_modules(modules_dir, ["second"]) if r.folder] == ["second"]
    with pytest.raises(SourceError) as info:
        load_modules(modules_dir, ["nope"])
    assert "nope" in info.value.message and info.value.hint == "available modules: mhr, second"
    with pytest.raises(SourceError, match="does not exist"):
        load_modules(modules_dir / "missing")
