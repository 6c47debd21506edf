"""Bad input: every problem is reported with its file, line and a hint (never raised)."""

from __future__ import annotations

from pathlib import Path

import pytest
from course_support import FINAL_MD, MODULE_MD, WriteModule

from mirco_lms.course.assets import resolve_target
from mirco_lms.course.loader import load_module, validate_sources
from mirco_lms.errors import Diagnostic


def _module(old: str, new: str) -> str:
    assert old in MODULE_MD
    return MODULE_MD.replace(old, new, 1)


def _test(question: str) -> str:
    return "## Q {#q-ok outcome=LO1}\n- (x) a\n- ( ) b\n\n## X {#q-x outcome=LO2}\n" + question


# (files, expected message fragment, file name, line)
CASES: list[tuple[str, dict[str, str | bytes | None], str, str, int]] = [
    (
        "duplicate outcome",
        {"module.md": _module("id: LO2", "id: LO1")},
        "duplicate outcome id 'LO1'",
        "module.md",
        11,
    ),
    (
        "duplicate question",
        {"final-test.md": FINAL_MD.replace("#q-src", "#q-art33")},
        "duplicate question id 'q-art33'",
        "final-test.md",
        10,
    ),
    (
        "duplicate check id",
        {"01-foundations.md": "# A\n\n::: check {#q-art33}\nQ?\n\n- (x) a\n- ( ) b\n:::\n"},
        "duplicate question id 'q-art33'",
        "01-foundations.md",
        3,
    ),
    (
        "duplicate lesson",
        {"02-foundations.md": "# Again\n"},
        "duplicate lesson/assessment id 'foundations'",
        "02-foundations.md",
        1,
    ),
    (
        "syllabus outcome",
        {"module.md": _module("outcomes: [LO2]", "outcomes: [LO9]")},
        "unknown outcome 'LO9'",
        "module.md",
        17,
    ),
    (
        "question outcome",
        {"final-test.md": FINAL_MD.replace("outcome=LO1", "outcome=LO7")},
        "names an unknown outcome 'LO7'",
        "final-test.md",
        10,
    ),
    (
        "durations",
        {"module.md": _module("duration: 2h", "duration: 3h")},
        "add up to 2h but the module's duration is 3h",
        "module.md",
        14,
    ),
    (
        "two right",
        {"final-test.md": _test("- (x) a\n- (x) b\n- ( ) c\n")},
        "exactly one right answer, found 2",
        "final-test.md",
        5,
    ),
    (
        "none right",
        {"final-test.md": _test("- ( ) a\n- ( ) b\n")},
        "exactly one right answer, found 0",
        "final-test.md",
        5,
    ),
    (
        "multiple none",
        {"final-test.md": _test("- [ ] a\n- [ ] b\n")},
        "at least one right answer",
        "final-test.md",
        5,
    ),
    (
        "one option",
        {"final-test.md": _test("- (x) a\n")},
        "at least two options",
        "final-test.md",
        5,
    ),
    (
        "empty fill-in",
        {"final-test.md": _test("- =\n")},
        "needs accepted answers",
        "final-test.md",
        5,
    ),
    (
        "empty answer line",
        {"final-test.md": _test("- = a\n- =\n")},
        "accepted answer is empty",
        "final-test.md",
        7,
    ),
    (
        "low > high",
        {"final-test.md": _test("- = 1\n- = 20..10\n")},
        "the range 20..10 is empty",
        "final-test.md",
        7,
    ),
    (
        "not a number",
        {"final-test.md": "## X {#q-x outcome=LO2 type=numeric}\n- = many\n"},
        "'many' is not a number",
        "final-test.md",
        2,
    ),
    ("one pair", {"final-test.md": _test("- a -> b\n")}, "at least two pairs", "final-test.md", 5),
    ("one item", {"final-test.md": _test("1. only\n")}, "at least two items", "final-test.md", 5),
    (
        "draw too big",
        {
            "final-test.md": FINAL_MD
            + "\n# Pool {#pool-a draw=3}\n\n## P {#q-p outcome=LO1}\n- (x) a\n- ( ) b\n"
        },
        "draws 3 of 1 questions",
        "final-test.md",
        15,
    ),
    (
        "draw zero",
        {
            "final-test.md": FINAL_MD
            + "\n# Pool {#pool-a draw=0}\n\n## P {#q-p outcome=LO1}\n- (x) a\n- ( ) b\n"
        },
        "draws 0 of 1 questions",
        "final-test.md",
        15,
    ),
    (
        "pool without id",
        {
            "final-test.md": FINAL_MD
            + "\n# Pool {draw=1}\n\n## P {#q-p outcome=LO1}\n- (x) a\n- ( ) b\n"
        },
        "the pool 'Pool' has no id",
        "final-test.md",
        15,
    ),
    (
        "broken lesson link",
        {"01-foundations.md": "# A\n\nSee [next](02-next.md#part).\n"},
        "points to no lesson",
        "01-foundations.md",
        3,
    ),
    (
        "missing image",
        {"01-foundations.md": "# A\n\ntext\n\n![Boat](images/boat.jpg)\n"},
        "'images/boat.jpg' does not exist",
        "01-foundations.md",
        5,
    ),
    (
        "missing linked file",
        {"01-foundations.md": "# A\n\n[Handout](files/h.pdf)\n"},
        "linked file 'files/h.pdf' does not exist",
        "01-foundations.md",
        3,
    ),
    (
        "leaves folder",
        {"01-foundations.md": "# A\n\n![x](../../etc/passwd)\n"},
        "leaves the module folder",
        "01-foundations.md",
        3,
    ),
    (
        "link leaves folder",
        {"01-foundations.md": "# A\n\n[x](../other/01-a.md)\n"},
        "leaves the module folder",
        "01-foundations.md",
        3,
    ),
    (
        "absolute",
        {"01-foundations.md": "# A\n\n![x](/etc/passwd)\n"},
        "is an absolute path",
        "01-foundations.md",
        3,
    ),
    (
        "windows path",
        {"01-foundations.md": "# A\n\n![x](C:\\img\\a.png)\n"},
        "is an absolute path",
        "01-foundations.md",
        3,
    ),
    (
        "ftp image",
        {"01-foundations.md": "# A\n\n![x](ftp://host/x.png)\n"},
        "is not a file in the module folder",
        "01-foundations.md",
        3,
    ),
    (
        "empty alt",
        {"01-foundations.md": "# A\n\n![](img.png)\n", "img.png": b"x"},
        "has no alt text",
        "01-foundations.md",
        3,
    ),
    (
        "remote image",
        {"01-foundations.md": "# A\n\n![Map](https://example.org/map.png)\n"},
        "is on the web",
        "01-foundations.md",
        3,
    ),
    (
        "image in question",
        {"final-test.md": _test("- (x) ![A](gone.png)\n- ( ) b\n")},
        "'gone.png' does not exist",
        "final-test.md",
        5,
    ),
    (
        "unknown delivery",
        {"module.md": _module("duration: 2h", "duration: 2h\ndelivery: [online, blended]")},
        "unknown delivery mode 'online'",
        "module.md",
        7,
    ),
    (
        "passing score",
        {"module.md": _module("passing_score: 70", "passing_score: 150")},
        "passing_score 150 is outside 0–100",
        "module.md",
        7,
    ),
    (
        "negative attempts",
        {"module.md": _module("passing_score: 70", "passing_score: 70\nattempts: -1")},
        "attempts -1 is negative",
        "module.md",
        8,
    ),
    (
        "lessons longer than the module",
        {"01-foundations.md": "---\nduration: 1h 30m\n---\n# Foundations\n",
         "02-refugees.md": "---\nduration: 1h\n---\n# Refugees\n"},
        "the lessons' durations add up to 2h 30m, more than the module's duration of 2h "
        "(foundations 1h 30m, refugees 1h)",
        "module.md",
        6,
    ),
    (
        "no passing score",
        {"module.md": _module("passing_score: 70\n", "")},
        "final test but no passing_score",
        "module.md",
        2,
    ),
    (
        "passing score text",
        {"module.md": _module("passing_score: 70", "passing_score: seventy")},
        "passing_score must be a whole number, not 'seventy'",
        "module.md",
        7,
    ),
    (
        "unknown type",
        {"final-test.md": "## X {#q-x outcome=LO2 type=hotspot}\n- (x) a\n- ( ) b\n"},
        "unknown question type 'hotspot'",
        "final-test.md",
        1,
    ),
    (
        "type mismatch",
        {"final-test.md": "## X {#q-x outcome=LO2 type=matching}\n- (x) a\n- ( ) b\n"},
        "does not fit answers written as ( ) / (x)",
        "final-test.md",
        1,
    ),
    (
        "missing title",
        {"module.md": _module("title: Migration and Human Rights\n", "")},
        "required key 'title' is missing",
        "module.md",
        2,
    ),
    (
        "no outcomes",
        {
            "module.md": _module(
                "outcomes:\n  - id: LO1\n    text: Explain the sources.\n"
                "  - id: LO2\n    text: Apply non-refoulement.\n",
                "outcomes: []\n",
            )
        },
        "outcomes is empty",
        "module.md",
        8,
    ),
    (
        "outcome without text",
        {"module.md": _module("    text: Apply non-refoulement.\n", "")},
        "required key 'text' is missing",
        "module.md",
        11,
    ),
    (
        "serbian without script",
        {"module.md": _module("language: en", "language: sr")},
        "does not say which script",
        "module.md",
        5,
    ),
    (
        "bad duration",
        {"module.md": _module("duration: 2h", "duration: six hours")},
        "is not a duration",
        "module.md",
        6,
    ),
    (
        "bare number duration",
        {
            "module.md": _module(
                "    duration: 1h\n    outcomes: [LO1]", "    duration: 60\n    outcomes: [LO1]"
            )
        },
        "duration '60' is not a duration",
        "module.md",
        15,
    ),
    (
        "bad module id",
        {"module.md": _module("id: mhr", "id: 'm h r'")},
        "module id 'm h r' is not valid",
        "module.md",
        2,
    ),
    (
        "missing lesson file",
        {"module.md": _module("syllabus:", "lessons: [01-foundations.md, 09-gone.md]\nsyllabus:")},
        "lesson file '09-gone.md' does not exist",
        "module.md",
        13,
    ),
    (
        "missing final test file",
        {"module.md": _module("syllabus:", "final_test: exam.md\nsyllabus:")},
        "final_test file 'exam.md' does not exist",
        "module.md",
        13,
    ),
    (
        "not utf-8",
        {"01-foundations.md": b"# A\n\n" + "Čačak".encode("cp1250")},
        "is not valid UTF-8",
        "01-foundations.md",
        3,
    ),
    (
        "broken yaml",
        {"01-foundations.md": "---\ntitle: [a\nid: x\n---\n# A\n"},
        "invalid YAML",
        "01-foundations.md",
        3,
    ),
    (
        "list front matter",
        {"01-foundations.md": "---\n- a\n---\n# A\n"},
        "must be a mapping",
        "01-foundations.md",
        2,
    ),
    (
        "lesson without title",
        {"01-foundations.md": "Just text.\n"},
        "has no title",
        "01-foundations.md",
        1,
    ),
    (
        "question without id",
        {"final-test.md": FINAL_MD.replace(" {#q-src outcome=LO1}", "")},
        "the question 'Which source?' has no id",
        "final-test.md",
        10,
    ),
    (
        "check without id",
        {"01-foundations.md": "# A\n\n::: check\nQ?\n\n- (x) a\n- ( ) b\n:::\n"},
        "knowledge check has no id",
        "01-foundations.md",
        3,
    ),
    (
        "unknown attribute",
        {"final-test.md": FINAL_MD.replace("outcome=LO1", "outcom=LO1")},
        "unknown attribute 'outcom'",
        "final-test.md",
        10,
    ),
    (
        "bad points",
        {"final-test.md": FINAL_MD.replace("outcome=LO1", "outcome=LO1 points=many")},
        "points='many' is not a number",
        "final-test.md",
        10,
    ),
    (
        "mixed kinds",
        {"final-test.md": _test("- (x) a\n- [ ] b\n")},
        "mix different kinds",
        "final-test.md",
        5,
    ),
    (
        "no answer list",
        {"final-test.md": _test("Just text.\n")},
        "has no answer list",
        "final-test.md",
        5,
    ),
    (
        "text after answers",
        {"final-test.md": _test("- (x) a\n- ( ) b\n\nNot a quote.\n")},
        "unexpected content after the answers",
        "final-test.md",
        9,
    ),
    (
        "plain answers",
        {"final-test.md": _test("- a\n- b\n")},
        "cannot tell the type",
        "final-test.md",
        5,
    ),
    (
        "true/false forced, two right",
        {"final-test.md": "## X {#q-x outcome=LO2 type=truefalse}\n- (x) Da\n- (x) Ne\n"},
        "needs exactly two options",
        "final-test.md",
        1,
    ),
    (
        "syllabus unknown lesson",
        {"module.md": _module("    outcomes: [LO1]", "    outcomes: [LO1]\n    lessons: [nope]")},
        "names an unknown lesson 'nope'",
        "module.md",
        14,
    ),
    (
        "empty test",
        {"final-test.md": "Only an introduction.\n"},
        "has no questions",
        "final-test.md",
        1,
    ),
]


@pytest.mark.parametrize(
    ("files", "fragment", "file_name", "line"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_input_is_reported_with_file_line_and_hint(
    write_module: WriteModule,
    files: dict[str, str | bytes | None],
    fragment: str,
    file_name: str,
    line: int,
) -> None:
    folder = write_module(files)
    diagnostics = validate_sources(folder.parent)
    found = [d for d in diagnostics if fragment in d.message]
    assert found, "\n".join(d.format() for d in diagnostics)
    diagnostic = found[0]
    assert diagnostic.severity == "error"
    assert Path(str(diagnostic.location.file)).name == file_name
    assert diagnostic.location.line == (line or None)
    assert diagnostic.hint


def _messages(diagnostics: list[Diagnostic], severity: str) -> list[str]:
    return [d.message for d in diagnostics if d.severity == severity]


def test_sound_module_has_no_diagnostics(write_module: WriteModule) -> None:
    assert validate_sources(write_module().parent) == []


def test_unassessed_outcome_is_a_warning(write_module: WriteModule) -> None:
    folder = write_module(
        {
            "final-test.md": "## Q {#q outcome=LO1}\n- (x) a\n- ( ) b\n",
            "01-foundations.md": "# A\n\n::: check {#kc outcome=LO1}\nQ\n\n- (x) a\n- ( ) b\n:::\n",
        }
    )
    result = load_module(folder)
    assert result.ok
    assert _messages(result.diagnostics, "warning") == ["no question assesses the outcome 'LO2'"]
    assert result.diagnostics[0].location.line == 11


def test_outcome_only_in_checks_warns_about_the_final_test(write_module: WriteModule) -> None:
    folder = write_module(
        {
            "final-test.md": "## Q {#q outcome=LO1}\n- (x) a\n- ( ) b\n",
            "01-foundations.md": "# A\n\n::: check {#kc outcome=LO2}\nQ\n\n- (x) a\n- ( ) b\n:::\n",
        }
    )
    assert _messages(load_module(folder).diagnostics, "warning") == [
        "the final test does not assess the outcome 'LO2'"
    ]


def test_unknown_keys_warn_with_suggestion(write_module: WriteModule) -> None:
    folder = write_module({"module.md": _module("version: 1.0.0", "version: 1.0.0\ntitel: X")})
    warnings = [d for d in load_module(folder).diagnostics if d.severity == "warning"]
    assert warnings[0].message == "unknown key 'titel' is ignored"
    assert warnings[0].hint == "did you mean 'title'?" and warnings[0].location.line == 5


def test_pool_with_unequal_points_warns(write_module: WriteModule) -> None:
    pool = (
        "\n# P {#pool draw=1}\n\n## A {#q-a outcome=LO1}\n- (x) a\n- ( ) b\n\n"
        "## B {#q-b outcome=LO1 points=2}\n- (x) a\n- ( ) b\n"
    )
    result = load_module(write_module({"final-test.md": FINAL_MD + pool}))
    assert result.ok and "carry different points" in _messages(result.diagnostics, "warning")[0]


def test_many_problems_are_collected_at_once(write_module: WriteModule) -> None:
    folder = write_module(
        {
            "module.md": _module("language: en", "language: sr"),
            "01-foundations.md": "# A\n\n![](x.png) [b](nope.md)\n",
            "final-test.md": _test("- ( ) a\n- ( ) b\n"),
        }
    )
    errors = _messages(validate_sources(folder.parent), "error")
    assert len(errors) >= 4


def test_module_folder_without_module_md(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = load_module(tmp_path / "empty")
    assert result.module is None and "has no module.md" in result.diagnostics[0].message


def test_remote_links_are_fine(write_module: WriteModule) -> None:
    folder = write_module(
        {"01-foundations.md": "# A\n\n[a](https://x.org) [m](mailto:a@b.org) [s](#top)\n"}
    )
    assert validate_sources(folder.parent) == []


@pytest.mark.parametrize(
    ("url", "kind", "path"),
    [
        ("images/a.png", "local", "images/a.png"),
        ("./images/../images/a%20b.png", "local", "images/a b.png"),
        ("02-x.md#sec", "local", "02-x.md"),
        ("#sec", "anchor", ""),
        ("https://x", "remote", ""),
        ("//cdn/x.png", "remote", ""),
        ("mailto:a@b", "contact", ""),
        ("data:image/png;base64,AA", "data", ""),
        ("../x.png", "outside", "../x.png"),
        ("/x.png", "absolute", "/x.png"),
        ("ftp://x", "scheme", ""),
    ],
)
def test_resolve_target(url: str, kind: str, path: str) -> None:
    resolved = resolve_target(url)
    assert (resolved.kind, resolved.path) == (kind, path)


def test_lesson_no_syllabus_unit_lists_is_a_warning(write_module: WriteModule) -> None:
    folder = write_module({
        "module.md": _module("    outcomes: [LO1]\n",
                             "    outcomes: [LO1]\n    lessons: [foundations]\n"),
        "02-refugees.md": "# Refugees\n",
    })
    [found] = [d for d in validate_sources(folder.parent) if "no syllabus unit" in d.message]
    assert found.severity == "warning"
    assert found.message == "no syllabus unit lists the lesson 'refugees'"
    assert Path(str(found.location.file)).name == "02-refugees.md" and found.location.line == 1
    assert "add refugees to the 'lessons:'" in (found.hint or "")


def test_whole_number_hints_suggest_a_sensible_value(write_module: WriteModule) -> None:
    folder = write_module({"module.md": _module(
        "passing_score: 70", "passing_score: high\nattempts: many")})
    hints = {d.message.split()[0]: d.hint for d in validate_sources(folder.parent)
             if "whole number" in d.message}
    assert hints == {"passing_score": "write e.g. 'passing_score: 70'",
                     "attempts": "write e.g. 'attempts: 3'"}
