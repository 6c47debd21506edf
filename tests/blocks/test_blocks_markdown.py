"""The interactive blocks in Markdown: their HTML, their checks at file:line, the registry."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from mirco_lms import blocks
from mirco_lms.blocks.base import BlockKind
from mirco_lms.course.loader import load_module
from mirco_lms.course.markdown import parse, render_markdown
from mirco_lms.errors import MircoError

MODULE_MD = """\
---
id: mhr
title: Migration and Human Rights
version: 1.0.0
language: en
duration: 1h
outcomes:
  - id: LO1
    text: Explain the sources.
---

# Migration and Human Rights

Overview.
"""


def md(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def problems(text: str) -> list[tuple[int, str]]:
    return [(p.line, p.message) for p in blocks.block_problems(parse(md(text)))]


TABS = """
::: tabs
### Global
The *UN* frame.

#### Detail
Deeper heading, part of the tab.

### Regional
Regional text.
:::
"""


def test_tabs_render_as_sections_with_headings_and_their_text() -> None:
    html = render_markdown(md(TABS))
    assert html.startswith('<div class="mirco-block mirco-tabs" data-block="tabs">\n'
                           '<div class="mirco-items">\n<div class="mirco-item">\n'
                           '<h3 class="mirco-item-title">Global</h3>\n'
                           '<div class="mirco-item-body">\n<p>The <em>UN</em> frame.</p>\n')
    assert html.count('class="mirco-item"') == 2
    assert '<h4>Detail</h4>' in html  # deeper headings stay in the section
    assert html.rstrip().endswith("<p>Regional text.</p>\n</div>\n</div>\n</div>\n</div>")


@pytest.mark.parametrize(("kind", "list_tag", "item_tag"), [
    ("accordion", "div", "div"), ("cards", "ul", "li"), ("steps", "ol", "li"),
])
def test_each_kind_has_its_list(kind: str, list_tag: str, item_tag: str) -> None:
    html = render_markdown(f"::: {kind}\n## One\nFirst.\n## Two\nSecond.\n:::\n")
    assert f'<div class="mirco-block mirco-{kind}" data-block="{kind}">' in html
    assert f'<{list_tag} class="mirco-items">' in html
    assert html.count(f'<{item_tag} class="mirco-item">') == 2
    assert '<h2 class="mirco-item-title">Two</h2>' in html
    assert problems(f"::: {kind}\n## One\nFirst.\n## Two\nSecond.\n:::\n") == []


HOTSPOTS = """
::: hotspots
![Three circles](images/layers.svg "Figure 1. Layers.")

### Human rights law {x=50 y=24.5}
Everyone.

### Refugee *law* {x=15 y=55}
Refugees.
:::
"""


def test_hotspots_keep_the_image_and_carry_their_place() -> None:
    html = render_markdown(md(HOTSPOTS))
    assert '<figure><img src="images/layers.svg" alt="Three circles" loading="eager" />' in html
    assert '<ol class="mirco-items">' in html
    assert '<li class="mirco-item" data-x="50" data-y="24.5">' in html
    assert '<h3 class="mirco-item-title">Refugee <em>law</em></h3>' in html  # no {…}
    assert "{x=" not in html
    assert problems(HOTSPOTS) == []


def test_text_around_blocks_and_other_containers_is_unchanged() -> None:
    text = "# Title\n\n::: note Hi\nA note.\n:::\n\n::: accordion\n## A\nx\n:::\n\nAfter.\n"
    html = render_markdown(text)
    assert html.startswith('<h1>Title</h1>\n<aside class="callout callout-note"')
    assert html.endswith("</div>\n<p>After.</p>\n")


def test_blocks_nest_with_longer_fences() -> None:
    html = render_markdown(md("""
        :::: accordion
        ## Outer
        ::: tabs
        ### A
        a
        ### B
        b
        :::
        ::::
        """))
    assert html.count('data-block="accordion"') == 1 and html.count('data-block="tabs"') == 1
    assert html.index('data-block="tabs"') > html.index('<h2 class="mirco-item-title">Outer')


@pytest.mark.parametrize(("text", "expected"), [
    ("::: tabs\n### Only one\nx\n:::\n",
     [(0, "the tabs block has 1 tab(s); it needs at least 2 sections")]),
    ("::: accordion\nNo heading at all.\n:::\n",
     [(0, "the accordion block has 0 section(s); it needs a section")]),
    ("::: tabs\n### One\nx\n###\ny\n:::\n",
     [(3, "a tab of a tabs block has no title")]),
    ("::: cards Key terms\n### A\nx\n:::\n",
     [(0, "unexpected text 'Key terms' after '::: cards'")]),
    ("::: steps\n### A {#a}\nx\n### B {color=red}\ny\n:::\n",
     [(1, "unknown attribute 'id' on a step of a steps block"),
      (3, "unknown attribute 'color' on a step of a steps block")]),
    ("::: hotspots\n### A {x=1 y=2}\nx\n:::\n", [(0, "the hotspots block has no image")]),
    ("::: hotspots\n![a](i.svg)\n\n### Port {x=30}\nx\n:::\n",
     [(3, "the hotspot 'Port' has no y coordinate")]),
    ("::: hotspots\n![a](i.svg)\n\n### Port {x=130 y=-2}\nx\n:::\n",
     [(3, "the hotspot 'Port' has x='130'; expected a number from 0 to 100 (% from the left)"),
      (3, "the hotspot 'Port' has y='-2'; expected a number from 0 to 100 (% from the top)")]),
    ("::: hotspots\n![a](i.svg)\n\n### {x=3 y=4}\nx\n:::\n",
     [(3, "a hotspot of a hotspots block has no title")]),
    ("::: hotspots\n![a](i.svg)\n\n### Port {x=half y=4}\nx\n:::\n",
     [(3, "the hotspot 'Port' has x='half'; expected a number from 0 to 100 (% from the left)")]),
])
def test_mistakes_are_found_at_their_line(text: str, expected: list[tuple[int, str]]) -> None:
    assert problems(text) == expected


def test_the_loader_reports_block_mistakes_at_file_line_with_a_hint(tmp_path: Path) -> None:
    folder = tmp_path / "modules" / "mhr"
    folder.mkdir(parents=True)
    (folder / "module.md").write_text(MODULE_MD, encoding="utf-8")
    (folder / "01-foundations.md").write_text(
        "---\nduration: 1h\n---\n\n# Foundations\n\nText.\n\n::: hotspots\n"
        "![Layers](images/l.svg)\n\n### Refugee law {x=15 y=155}\nText.\n:::\n",
        encoding="utf-8")
    (folder / "images").mkdir()
    (folder / "images" / "l.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    result = load_module(folder)
    found = [d for d in result.diagnostics if "hotspot" in d.message]
    assert len(found) == 1
    assert str(found[0].location).endswith("01-foundations.md:12")
    assert found[0].message == ("the hotspot 'Refugee law' has y='155'; expected a number "
                                "from 0 to 100 (% from the top)")
    assert found[0].hint is not None and "{x=30 y=40}" in found[0].hint
    with pytest.raises(MircoError, match="y='155'"):
        result.require()


def test_a_kind_registered_from_outside_gets_its_container() -> None:
    class Quote(BlockKind):
        name = "quotes"
        section = "quote"

    blocks.register(Quote())
    try:
        html = render_markdown("::: quotes\n## Said\nSomething.\n:::\n")
        assert '<div class="mirco-block mirco-quotes" data-block="quotes">' in html
        with pytest.raises(MircoError, match="already registered"):
            blocks.register(Quote())
    finally:
        blocks.unregister("quotes")
    assert "data-block" not in render_markdown("::: quotes\n## Said\nSomething.\n:::\n")


def test_every_kind_ships_its_runtime_module() -> None:
    names = [name for name, _ in blocks.runtime_scripts()]
    assert names[0] == "blocks/blocks.js"
    for kind in blocks.kinds():
        assert kind.script.is_file() and kind.style.is_file()
        assert f'registerBlock("{kind.name}"' in kind.script.read_text(encoding="utf-8")


def test_checks_and_trainer_notes_inside_a_section_keep_their_rules() -> None:
    text = md("""
        :::: accordion
        ## Article 33
        Text.

        ::: trainer
        Only for the trainer.
        :::

        ::: check {#kc-1 outcome=LO1}
        Is it absolute?

        - ( ) Yes
        - (x) No
        :::
        ## Article 1A
        Definition.
        ::::
        """)
    html = render_markdown(text, render_check=lambda qid: f"<fieldset id='{qid}'></fieldset>")
    assert "Only for the trainer" not in html
    assert "<fieldset id='kc-1'></fieldset>" in html
    assert html.index("kc-1") < html.index('<h2 class="mirco-item-title">Article 1A')
    assert "Only for the trainer" in render_markdown(text, trainer_notes=True)
    assert problems(text) == []
