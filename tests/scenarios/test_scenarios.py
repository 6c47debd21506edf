"""Branching scenarios from Markdown: the model, every problem at file:line, the HTML,
translation keeping the ids, and the CLI's exit code for a broken scenario."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from mirco_lms.cli import main
from mirco_lms.course.context import Context
from mirco_lms.course.loader import load_module
from mirco_lms.course.markdown import parse, render_markdown
from mirco_lms.i18n.segments import segments, translate_markdown
from mirco_lms.scenarios.model import Scenario
from mirco_lms.scenarios.parse import scenarios_in

CASE = """\
# Lesson

::: scenario A boy at the crossing {#child outcome=LO1}
## Night shift {#start}

A boy of about 14 is found **alone** in a car.

- [Ask his age and call the guardianship authority](#ask)
- [Send him back across the border](#back)

## You ask {#ask}

He says he is 15.

- [Refer him to the social welfare centre](#referred)

## Referred {#referred .ending .best}

Best interests of the child.

## Sent back {#back .ending}

Refoulement risk.
:::
"""


def read(text: str, path: Path = Path("lesson.md")) -> tuple[list[Scenario], list[str]]:
    """The scenarios of ``text`` (a lesson body starting at file line 1), and the problems
    as ``line: message``."""
    ctx = Context(path, text.split("\n"), 1)
    found = scenarios_in(parse(text), ctx)
    return found, [f"{d.location.line}: {d.message}" for d in ctx.diagnostics]


def test_the_model() -> None:
    [scenario], problems = read(CASE)
    assert problems == []
    assert (scenario.id, scenario.title, scenario.outcomes) == (
        "child", "A boy at the crossing", ("LO1",))
    assert [n.id for n in scenario.nodes] == ["start", "ask", "referred", "back"]
    assert [(c.target, c.text_md) for c in scenario.start.choices] == [
        ("ask", "Ask his age and call the guardianship authority"),
        ("back", "Send him back across the border")]
    assert scenario.start.body_md == "A boy of about 14 is found **alone** in a car."
    assert [(n.id, n.best) for n in scenario.endings] == [("referred", True), ("back", False)]
    assert scenario.start.location.line == 4 and scenario.start.choices[1].location.line == 9


def broken(old: str, new: str) -> list[str]:
    assert old in CASE
    found, problems = read(CASE.replace(old, new))
    assert found == []  # never half-built
    return problems


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("(#back)", "(#nowhere)",
     "9: the choice 'Send him back across the border' leads to an unknown node 'nowhere'"),
    ("{#ask}", "{#start}", "11: the scenario 'child' has two nodes with the id 'start'"),
    ("- [Refer him to the social welfare centre](#referred)", "",
     "11: the node 'ask' has no choices and is not an ending"),
    ("(#referred)", "(#start)",
     "15: the choice 'Refer him to the social welfare centre' leads back to 'start': a "
     "scenario cannot loop"),
    ("- [Send him back across the border](#back)", "",
     "21: no choice leads to the node 'back'"),
    (" outcome=LO1", "", "3: the scenario 'child' names no learning outcome"),
    ("{#child outcome=LO1}", "{outcome=LO1}", "3: the scenario has no id"),
    ("## Night shift {#start}", "## Night shift", "4: the scenario node 'Night shift' has no "
     "valid id"),
    ("{#referred .ending .best}", "{#referred .best}",
     "17: the node 'referred' is marked .best but is not an ending"),
    ("Best interests of the child.", "- [Go on](#back)", "17: the ending 'referred' has choices"),
    ("- [Send him back across the border](#back)", "- Send him back",
     "9: this choice is not one link to a node"),
    ("## Night shift {#start}", "Some text first.\n\n## Night shift {#start}",
     "4: the scenario 'child' has text before its first node"),
    ("{#back .ending}", "{#back .end}", "21: cannot read '.end' in the node's attributes"),
    ("{#child outcome=LO1}", "{#child outcome=LO1 scored=true}",
     "3: unknown scenario attribute 'scored'"),
    ("- [Send him back across the border](#back)",
     "- [Send him back across the border](#back) at once",
     "9: this choice is not one link to a node"),
    ("## You ask {#ask}", "## {#ask}", "11: the scenario node 'ask' has no title"),
    ("He says he is 15.", "::: scenario {#inner outcome=LO1}\n## X {#x}\n:::",
     "13: a scenario cannot hold another scenario"),
])
def test_each_problem_at_its_line(old: str, new: str, expected: str) -> None:
    assert expected in broken(old, new)


def test_the_html() -> None:
    html = render_markdown(CASE, callout_labels={"scenario-path": "Vaš put"})
    assert '<section class="mirco-scenario" data-scenario="child" data-outcomes="LO1" ' \
           'aria-label="A boy at the crossing">' in html
    assert '<p class="mirco-scenario-title">A boy at the crossing</p>' in html
    assert re.findall(r'<div class="mirco-node" data-node="(\w+)"([^>]*)>', html) == [
        ("start", ""), ("ask", ""), ("referred", " data-ending data-best"),
        ("back", " data-ending")]
    assert '<h2 id="scn-child-start" tabindex="-1">Night shift</h2>' in html
    assert '<ul class="mirco-choices">\n<li><a href="#scn-child-ask" data-go="ask">' in html
    assert html.count('<div class="mirco-debrief" hidden>') == 2
    assert '<p class="mirco-path-label">Vaš put</p>' in html and ">Start again</button>" in html
    assert "{#" not in html and "<strong>alone</strong>" in html


def test_title_heading_sits_above_h3_nodes() -> None:
    html = render_markdown(CASE.replace("## ", "### "))
    assert '<h2 class="mirco-scenario-title">A boy at the crossing</h2>' in html


def test_translation_never_touches_ids() -> None:
    messages = [s.text for s in segments(CASE)]
    assert "A boy at the crossing" in messages and "Night shift" in messages
    assert not [m for m in messages if "{#" in m]
    words = {"A boy at the crossing": "Dečak na prelazu", "Night shift": "Noćna smena",
             "Ask his age": "Pitajte ga za uzrast"}

    def translate(segment):  # type: ignore[no-untyped-def]
        text = segment.text
        for english, serbian in words.items():
            text = text.replace(english, serbian)
        return text

    translated = translate_markdown(CASE, translate)
    [scenario], problems = read(translated)
    assert problems == [] and scenario.title == "Dečak na prelazu"
    assert scenario.start.title == "Noćna smena"
    assert scenario.start.choices[0].text_md.startswith("Pitajte ga za uzrast")
    assert [n.id for n in scenario.nodes] == ["start", "ask", "referred", "back"]


def test_module_checks_and_cli(write_module, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = write_module({"02-case.md": CASE.replace("LO1", "LO9")})
    result = load_module(folder)
    assert [(d.location.line, d.message) for d in result.errors] == [
        (3, "the scenario 'child' names an unknown outcome 'LO9'")]
    folder = write_module({"02-case.md": CASE.replace("(#back)", "(#gone)")})
    out = CliRunner().invoke(main, ["validate", str(tmp_path / "modules" / "mhr")])
    assert out.exit_code != 0
    assert "02-case.md:9: error: the choice 'Send him back across the border' leads to an " \
           "unknown node 'gone'" in out.output
    assert "Traceback" not in out.output


def test_docs_example_is_valid() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "source-format.md").read_text()
    example = docs.split("## Branching scenarios", 1)[1].split("```markdown\n", 1)[1]
    example = textwrap.dedent(example.split("```", 1)[0])
    found, problems = read(example)
    assert problems == [] and len(found) == 1


def test_at_most_36_nodes() -> None:
    nodes = "".join(f"## Step {i} {{#n{i}}}\n\n- [Next](#n{i + 1})\n\n" for i in range(36))
    text = f"::: scenario {{#long outcome=LO1}}\n{nodes}## End {{#n36 .ending}}\n\nDone.\n:::\n"
    found, problems = read(text)
    assert found == [] and problems == ["1: the scenario 'long' has 37 nodes, more than 36"]


def test_a_lesson_works_toward_its_scenarios_outcomes(write_module) -> None:  # type: ignore[no-untyped-def]
    from mirco_lms.render.xapi import page_outcomes

    result = load_module(write_module({"02-case.md": CASE.replace("LO1", "LO2")}))
    assert result.errors == [] and result.module is not None
    assert [s.id for s in result.module.lessons[1].scenarios] == ["child"]
    assert "LO2" in page_outcomes(result.module)["case"]
