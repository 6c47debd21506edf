"""The accreditation fields: read into the model, every wrong value at its file:line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from course_support import MODULE_MD, WriteModule

from mirco_lms.cli.new import scaffold_module
from mirco_lms.course.accreditation import (
    Accreditation,
    AccreditationRules,
    AssessmentComponent,
    Bloom,
    ComponentTest,
    Framework,
    GradeBand,
    LearningHours,
    OutcomeDomain,
    Reference,
)
from mirco_lms.course.loader import load_module

# the block starts on line 20 of module.md (MODULE_MD's front matter closes there)
ACCREDITATION = """\
accreditation:
  framework: MQF
  level: 5
  ects: 1
  hours:
    contact: 8h
    online: 2h
    self_study: 14h
    assessment: 1h
  entry_requirements: [Employment in a public institution.]
  languages: [en, sr-Latn]
  assessment:
    components:
      - title: Final test
        test: final
        weight: 60
      - title: Case study
        weight: 40
    pass_mark: 70
    grades:
      - {grade: Pass, from: 70}
      - {grade: Fail, from: 0, passed: false}
  trainer_qualifications: [A law degree.]
  reading:
    - citation: "UNHCR (2019). Handbook on Procedures and Criteria."
      url: https://www.refworld.org
      required: true
  resources:
    - citation: EUR-Lex.
      note: EU law.
  quality_assurance: Reviewed every two years.
  evaluation: A questionnaire at the end.
  approved: 2026-09-15
  approved_by: The academic board
"""
FIRST_LINE = 20


def _module_md(accreditation: str = ACCREDITATION, outcomes: str = "") -> str:
    text = MODULE_MD.replace("    outcomes: [LO2]\n---", "    outcomes: [LO2]\n" + accreditation
                             + "---", 1)
    if outcomes:
        text = text.replace("    text: Explain the sources.\n",
                            "    text: Explain the sources.\n" + outcomes, 1)
    return text


def _changed(old: str, new: str) -> str:
    assert old in ACCREDITATION, old
    return _module_md(ACCREDITATION.replace(old, new, 1))


def _line(key_text: str) -> int:
    """The file line of the first line of ACCREDITATION holding ``key_text``."""
    lines = ACCREDITATION.split("\n")
    return FIRST_LINE + next(i for i, line in enumerate(lines) if key_text in line)


def test_the_fields_are_read_into_the_model(write_module: WriteModule) -> None:
    folder = write_module({"module.md": _module_md(
        outcomes="    domain: knowledge\n    bloom: understand\n")})
    result = load_module(folder)
    assert result.diagnostics == []
    module = result.require()
    assert (module.outcomes[0].domain, module.outcomes[0].bloom) == (
        OutcomeDomain.KNOWLEDGE, Bloom.UNDERSTAND)
    assert (module.outcomes[1].domain, module.outcomes[1].bloom) == (None, None)
    assert module.accreditation == Accreditation(
        framework=Framework.MQF,
        level=5,
        ects=1.0,
        hours=LearningHours(contact=480, online=120, self_study=840, assessment=60),
        entry_requirements=("Employment in a public institution.",),
        languages=("en", "sr-Latn"),
        components=(AssessmentComponent("Final test", 60, ComponentTest.FINAL),
                    AssessmentComponent("Case study", 40)),
        pass_mark=70,
        grades=(GradeBand("Pass", 70), GradeBand("Fail", 0, passed=False)),
        trainer_qualifications=("A law degree.",),
        reading=(Reference("UNHCR (2019). Handbook on Procedures and Criteria.",
                           "https://www.refworld.org", required=True),),
        resources=(Reference("EUR-Lex.", note="EU law."),),
        quality_assurance="Reviewed every two years.",
        evaluation="A questionnaire at the end.",
        approved="2026-09-15",
        approved_by="The academic board",
    )
    acc = module.accreditation
    assert acc.hours is not None and acc.hours.total_minutes == 25 * 60
    shift = 2  # the lines domain: and bloom: above the block
    assert acc.location.line == FIRST_LINE + shift
    assert acc.where("ects").line == _line("ects:") + shift
    assert acc.components[1].location.line == _line("title: Case study") + shift


def test_a_module_without_them_has_none(write_module: WriteModule) -> None:
    assert load_module(write_module()).require().accreditation is None


HOURS = "    contact: 8h\n    online: 2h\n    self_study: 14h\n    assessment: 1h\n"

# (name, module.md, expected message fragment, line)
CASES: list[tuple[str, str, str, int]] = [
    ("not a mapping", _module_md("accreditation: yes\n"), "accreditation must be a mapping",
     FIRST_LINE),
    ("framework", _changed("framework: MQF", "framework: NQF"),
     "the qualifications framework 'NQF' is not one of MQF, EQF", _line("framework:")),
    ("level range", _changed("level: 5", "level: 9"),
     "level 9 is outside the framework's levels 1–8", _line("level:")),
    ("level text", _changed("level: 5", "level: five"),
     "level must be a whole number", _line("level:")),
    ("level without framework", _changed("  framework: MQF\n", ""),
     "the level does not say of which framework", _line("framework:")),
    ("ects negative", _changed("ects: 1", "ects: -1"),
     "ects must be a positive number, not '-1'", _line("ects:")),
    ("ects text", _changed("ects: 1", "ects: one"),
     "ects must be a positive number, not 'one'", _line("ects:")),
    ("ects disagrees with the hours", _changed("ects: 1", "ects: 2"),
     "2 ECTS stand for 50–60 hours of learning, but the hours add up to 25h",
     _line("ects:")),
    ("ects without hours", _changed("  hours:\n" + HOURS, ""),
     "ects is given without the learning hours", _line("ects:")),
    ("hours not a mapping", _changed("  hours:\n" + HOURS, "  hours: 25h\n"),
     "hours must be a mapping", _line("hours:")),
    ("hours empty of parts", _changed(HOURS, "    total: 25h\n"),
     "hours lists none of contact, online, self_study, assessment", _line("hours:")),
    ("hours bare number", _changed("contact: 8h", "contact: 8"),
     "contact '8' is not a duration", _line("contact:")),
    ("hours total", _changed("assessment: 1h\n", "assessment: 1h\n    total: 30h\n"),
     "the learning hours add up to 25h (contact 8h, online 2h, self-study 14h, assessment "
     "1h) but total is 30h", _line("hours:")),
    ("language without script", _changed("[en, sr-Latn]", "[en, sr]"),
     "the language 'sr' does not say which script", _line("languages:")),
    ("language not a tag", _changed("[en, sr-Latn]", "[en, Serbian]"),
     "the language 'Serbian' is not a BCP 47 tag", _line("languages:")),
    ("assessment not a mapping", _changed("  assessment:\n", "  assessment: exam\n  x:\n"),
     "assessment must be a mapping", _line("components:") - 1),
    ("weights", _changed("weight: 40", "weight: 30"),
     "the assessment components' weights add up to 90, not 100", _line("components:")),
    ("weight range", _changed("weight: 40", "weight: 140"),
     "weight 140 is outside 0–100", _line("weight: 40")),
    ("weight missing", _changed("        weight: 40\n", ""),
     "the required key 'weight' is missing", _line("title: Case study")),
    ("component test", _changed("test: final", "test: exam"),
     "the test 'exam' is not one of pretest, final", _line("test: final")),
    ("weighted pre-test", _changed("test: final", "test: pretest"),
     "gives the pre-test a weight of 60", _line("title: Final test")),
    ("pass mark range", _changed("pass_mark: 70", "pass_mark: 170"),
     "pass_mark 170 is outside 0–100", _line("pass_mark:")),
    ("pass mark without its band", _changed("pass_mark: 70", "pass_mark: 60"),
     "no grade band starts at the pass mark of 60 %", _line("pass_mark:")),
    ("pass mark against passing_score",
     _changed("        weight: 60\n      - title: Case study\n        weight: 40\n",
              "        weight: 100\n").replace("pass_mark: 70", "pass_mark: 80")
     .replace("{grade: Pass, from: 70}", "{grade: Pass, from: 80}"),
     "the final test is the whole mark, but the pass mark (80 %) is not the module's "
     "passing_score (70 %)", _line("pass_mark:") - 2),
    ("bands share a limit", _changed("from: 0, passed: false", "from: 70, passed: false"),
     "the grades 'Pass' and 'Fail' both start at 70 %", _line("grade: Fail")),
    ("failing band marked passing", _changed("from: 0, passed: false}", "from: 0}"),
     "the grade 'Fail' from 0 % is passing, but the pass mark is 70 %", _line("grade: Fail")),
    ("no band from zero", _changed("from: 0, passed", "from: 10, passed"),
     "no grade band starts at 0 %", _line("grades:")),
    ("band without limit", _changed("{grade: Pass, from: 70}", "{grade: Pass}"),
     "the required key 'from' is missing", _line("grade: Pass")),
    ("reading url", _changed("url: https://www.refworld.org", "url: www.refworld.org"),
     "the url 'www.refworld.org' is not a web address", _line("url:")),
    ("reading citation", _changed("    - citation: EUR-Lex.", "    - title: EUR-Lex."),
     "the required key 'citation' is missing", _line("citation: EUR-Lex.")),
    ("reading required", _changed("required: true", "required: yes please"),
     "required must be true or false", _line("required:")),
    ("approved", _changed("approved: 2026-09-15", "approved: 15.09.2026"),
     "approved '15.09.2026' is not a date", _line("approved:")),
    ("outcome domain", _module_md(outcomes="    domain: knowlege\n"),
     "the outcome's domain 'knowlege' is not one of knowledge, skills, competence", 11),
    ("outcome bloom", _module_md(outcomes="    bloom: memorise\n"),
     "the Bloom level 'memorise' is not one of remember, understand, apply", 11),
]


@pytest.mark.parametrize(("text", "fragment", "line"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_a_wrong_field_is_an_error_at_its_line(
    write_module: WriteModule, text: str, fragment: str, line: int
) -> None:
    diagnostics = load_module(write_module({"module.md": text})).diagnostics
    found = [d for d in diagnostics if fragment in d.message]
    assert found, "\n".join(d.format() for d in diagnostics)
    assert found[0].severity == "error"
    assert Path(str(found[0].location.file)).name == "module.md"
    assert found[0].location.line == line, found[0].format()
    assert found[0].hint


def test_an_unknown_key_is_a_warning_with_a_suggestion(write_module: WriteModule) -> None:
    folder = write_module({"module.md": _changed("  ects: 1\n", "  ects: 1\n  etcs: 1\n")})
    warnings = [d for d in load_module(folder).diagnostics if d.severity == "warning"]
    assert [(d.message, d.hint, d.location.line) for d in warnings] == [
        ("unknown key 'etcs' in accreditation is ignored", "did you mean 'ects'?",
         _line("ects:") + 1)]


def test_the_hours_per_credit_come_from_the_project(write_module: WriteModule) -> None:
    folder = write_module({"module.md": _module_md()})  # 25 h for 1 ECTS
    assert load_module(folder, rules=AccreditationRules((20, 25))).diagnostics == []
    strict = load_module(folder, rules=AccreditationRules((26, 30))).diagnostics
    assert [d.message for d in strict] == [
        "1 ECTS stand for 26–30 hours of learning, but the hours add up to 25h "
        "(25.0 h per credit)"]
    assert "[accreditation].hours_per_ects" in (strict[0].hint or "")


def test_no_component_for_the_final_test_is_a_warning(write_module: WriteModule) -> None:
    folder = write_module({"module.md": _changed("        test: final\n", "")})
    diagnostics = load_module(folder).diagnostics
    assert [(d.severity, d.message, d.location.line) for d in diagnostics] == [
        ("warning", "no assessment component is the final test", _line("components:"))]


def test_a_component_for_a_missing_test_is_an_error(write_module: WriteModule) -> None:
    folder = write_module({"module.md": _module_md(), "final-test.md": None,
                           "01-foundations.md": "# A\n\n::: check {#kc outcome=LO1}\nQ\n\n"
                           "- (x) a\n- ( ) b\n:::\n\n::: check {#kc2 outcome=LO2}\nQ\n\n"
                           "- (x) a\n- ( ) b\n:::\n"})
    errors = [d for d in load_module(folder).diagnostics if d.severity == "error"]
    assert [(d.message, d.location.line) for d in errors] == [
        ("the component 'Final test' is the final test, but the module has none",
         _line("title: Final test"))]


def test_the_scaffold_block_loads_cleanly_once_uncommented(tmp_path: Path) -> None:
    """`mirco new`'s module.md shows every field commented: uncommented, it is valid."""
    folder = scaffold_module(tmp_path / "modules", "example", "Example")
    text = (folder / "module.md").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^(\s*)# (domain|bloom): ", r"\1\2: ", text)
    text = re.sub(r"(?m)^# (accreditation:|  )", r"\1", text)
    (folder / "module.md").write_text(text, encoding="utf-8")
    result = load_module(folder)
    assert [d.format() for d in result.diagnostics if d.severity == "error"] == []
    acc = result.require().accreditation
    assert acc is not None and acc.ects == 1 and len(acc.components) == 2
    assert result.require().outcomes[0].bloom is Bloom.APPLY


@pytest.mark.parametrize("value", ["x", "-1", ".inf", ".nan", "true", "null", "[1, 2]",
                                   "{a: 1}", "[{}]", "[[1]]", "2026-13-45", "[null]"])
@pytest.mark.parametrize("key", ["framework", "level", "ects", "hours", "languages",
                                 "assessment", "reading", "approved", "quality_assurance"])
def test_any_value_is_a_diagnostic_never_a_traceback(
    write_module: WriteModule, key: str, value: str
) -> None:
    block = (f"accreditation:\n  {key}: {value}\n  hours:\n    contact: {value}\n"
             if key != "hours" else f"accreditation:\n  hours:\n    total: {value}\n")
    block += (f"  assessment:\n    components:\n      - {{title: {value}, weight: {value}, "
              f"test: {value}}}\n    grades:\n      - {{grade: {value}, from: {value}}}\n"
              if key == "assessment" else "")
    block = block.replace(f"  assessment: {value}\n  assessment:", "  assessment:")
    result = load_module(write_module({"module.md": _module_md(block)}))
    assert result.module is not None or result.errors  # a bad date stops the YAML itself
    assert all(d.location.file is not None and d.location.line and d.hint
               for d in result.diagnostics)
