"""Lesson plans in a lesson's front matter: read into the model, checked at file:line,
walked for translation; trainer notes left out of every learner rendering."""

from __future__ import annotations

from pathlib import Path

import pytest

from mirco_lms.course.loader import load_module
from mirco_lms.course.markdown import render_markdown
from mirco_lms.course.model import Activity
from mirco_lms.i18n.segments import segments
from mirco_lms.i18n.walker import Source, walk

MODULE_MD = """\
---
id: mhr
title: Migration and Human Rights
version: 1.0.0
language: en
duration: 1h
passing_score: 70
outcomes:
  - id: LO1
    text: Explain the sources.
  - id: LO2
    text: Apply non-refoulement.
syllabus:
  - title: Foundations
    duration: 1h
    outcomes: [LO1, LO2]
    lessons: [foundations]
---

# Migration and Human Rights
"""

FINAL_MD = """\
## Which article? {#q-art33 outcome=LO2}

- ( ) Article 1A
- (x) Article 33
"""

GOOD_PLAN = """\
  - minutes: 20
    method: Lecture
    trainer: Presents the treaties.
    participants: Listen and take notes.
    materials: Slides
    outcomes: [LO1]
  - minutes: 40
    method: Case study
    trainer: Hands out the case.
    participants: Decide whether return is allowed.
    outcomes: [LO1, LO2]
"""

BODY = """\
# Foundations

Learners read this.

::: trainer Model answer
Return is barred: the secret of the trainer.
:::

More text.
"""


def write(tmp_path: Path, plan: str, duration: str = "1h") -> Path:
    folder = tmp_path / "modules" / "mhr"
    folder.mkdir(parents=True)
    (folder / "module.md").write_text(MODULE_MD, encoding="utf-8")
    (folder / "final-test.md").write_text(FINAL_MD, encoding="utf-8")
    head = f"duration: {duration}\n" if duration else ""
    lesson = f"---\nid: foundations\n{head}plan:\n{plan}---\n{BODY}"
    (folder / "01-foundations.md").write_text(lesson, encoding="utf-8")
    return folder


def test_a_plan_is_read_into_the_lesson(tmp_path: Path) -> None:
    result = load_module(write(tmp_path, GOOD_PLAN))
    assert result.ok, [str(d) for d in result.diagnostics]
    lesson = result.require().lessons[0]
    assert lesson.plan == (
        Activity(20, "Lecture", "Presents the treaties.", "Listen and take notes.", ("LO1",),
                 "Slides"),
        Activity(40, "Case study", "Hands out the case.", "Decide whether return is allowed.",
                 ("LO1", "LO2")),
    )
    assert lesson.plan[1].location.line == 11  # the line of its '- minutes:'


@pytest.mark.parametrize(
    ("plan", "duration", "message", "line"),
    [
        (GOOD_PLAN.replace("[LO1, LO2]", "[LO1, LO9]"), "1h",
         "the lesson plan of 'foundations' names an unknown outcome 'LO9'", 11),
        (GOOD_PLAN, "45m", "add up to 60 minutes, but the lesson's duration is 45 minutes", 5),
        (GOOD_PLAN, "", "the lesson 'foundations' has a plan but no duration", 4),
        (GOOD_PLAN.replace("    method: Case study\n", ""), "1h",
         "the lesson plan activity has no 'method'", 11),
        (GOOD_PLAN.replace("    trainer: Presents the treaties.\n", ""), "1h",
         "the lesson plan activity has no 'trainer'", 5),
        (GOOD_PLAN.replace("minutes: 20", "minutes: twenty"), "1h",
         "minutes must be a whole number, not", 5),
        (GOOD_PLAN.replace("minutes: 20", "minutes: 0"), "1h",
         "an activity lasts at least one minute, not 0", 5),
        ("  just text\n", "1h", "plan must be a list of entries", 4),
    ],
)
def test_a_wrong_plan_is_an_error_at_its_line(
    tmp_path: Path, plan: str, duration: str, message: str, line: int
) -> None:
    result = load_module(write(tmp_path, plan, duration))
    errors = [d for d in result.errors if message in d.message]
    assert errors, [str(d) for d in result.diagnostics]
    where = errors[0].location
    assert Path(str(where.file)).name == "01-foundations.md"
    assert where.line == line
    assert errors[0].hint


def test_an_unknown_activity_key_is_a_warning_with_a_suggestion(tmp_path: Path) -> None:
    result = load_module(write(tmp_path, GOOD_PLAN.replace("materials:", "material:")))
    warnings = [d for d in result.diagnostics if "unknown key 'material'" in d.message]
    assert warnings and warnings[0].severity == "warning"
    assert warnings[0].hint == "did you mean 'materials'?"


def test_the_plan_texts_are_walked_for_translation_not_minutes_or_outcomes(
    tmp_path: Path,
) -> None:
    module = load_module(write(tmp_path, GOOD_PLAN)).require()
    seen: list[Source] = []

    def visit(source: Source) -> str:
        seen.append(source)
        return source.text.upper()

    translated = walk(module, visit)
    kinds = {s.text: s.kind for s in seen}
    assert kinds["Presents the treaties."] == "lesson plan: trainer"
    assert kinds["Decide whether return is allowed."] == "lesson plan: participants"
    assert kinds["Case study"] == "lesson plan: method"
    assert kinds["Slides"] == "lesson plan: materials"
    activity = translated.lessons[0].plan[1]
    assert activity.trainer == "HANDS OUT THE CASE."
    assert (activity.minutes, activity.outcomes) == (40, ("LO1", "LO2"))
    # the trainer note's text is translated like any paragraph, its title too
    texts = [s.text for s in segments(BODY)]
    assert "Return is barred: the secret of the trainer." in texts
    assert "Model answer" in texts


def test_trainer_notes_are_left_out_unless_asked_for() -> None:
    learner = render_markdown(BODY)
    assert "secret of the trainer" not in learner and "Model answer" not in learner
    assert "Learners read this." in learner and "More text." in learner
    trainer = render_markdown(BODY, trainer_notes=True)
    assert '<aside class="trainer-note" role="note">' in trainer
    assert "secret of the trainer" in trainer and "Model answer" in trainer
    nested = "::: note\nOuter.\n\n::: trainer\nInner secret.\n:::\n:::\n"
    assert "Inner secret" not in render_markdown(nested)
    assert "Outer." in render_markdown(nested)


def test_a_new_module_has_a_valid_plan_and_a_trainer_note(tmp_path: Path) -> None:
    from mirco_lms.cli.new import scaffold_module

    folder = scaffold_module(tmp_path / "modules", "first-course", "First course")
    result = load_module(folder)
    assert result.ok, [str(d) for d in result.diagnostics]
    lesson = result.require().lessons[0]
    assert sum(a.minutes for a in lesson.plan) == lesson.duration_minutes
    assert "::: trainer" in lesson.body_md
