"""Block text reaches the translation catalogs and comes back translated, attributes kept."""

from __future__ import annotations

from pathlib import Path

from mirco_lms.course.markdown import render_markdown
from mirco_lms.i18n.segments import HEADING, PARAGRAPH, segments, translate_markdown

SOURCE = """\
::: hotspots
![Three circles](images/layers.svg)

### Refugee law {x=15 y=55}
Adds protection
for refugees.
:::

::: tabs
### Global
The UN frame.

### Regional
The *regional* frame.
:::
"""

SR = {
    "Three circles": "Tri kruga",
    "Refugee law": "Izbegličko pravo",
    "Adds protection for refugees.": "Dodaje zaštitu izbeglicama.",
    "Global": "Globalni",
    "The UN frame.": "Okvir UN.",
    "Regional": "Regionalni",
    "The *regional* frame.": "*Regionalni* okvir.",
}


def test_titles_and_texts_of_blocks_are_segments_without_their_attributes() -> None:
    found = [(s.kind, s.text, s.line) for s in segments(SOURCE)]
    assert (HEADING, "Refugee law", 3) in found
    assert (PARAGRAPH, "Adds protection for refugees.", 4) in found
    assert [text for _, text, _ in found] == list(SR)
    assert not any("{" in text for _, text, _ in found)


def test_translations_go_back_into_the_block_and_render() -> None:
    translated = translate_markdown(SOURCE, lambda segment: SR.get(segment.text))
    assert "### Izbegličko pravo {x=15 y=55}\n" in translated
    assert translated.startswith("::: hotspots\n![Tri kruga](images/layers.svg)\n")
    html = render_markdown(translated)
    assert '<li class="mirco-item" data-x="15" data-y="55">' in html
    assert '<h3 class="mirco-item-title">Izbegličko pravo</h3>' in html
    assert "<p><em>Regionalni</em> okvir.</p>" in html
    assert html.count('class="mirco-item"') == 3


def test_the_sample_course_catalogs_hold_every_block_title() -> None:
    repo = Path(__file__).resolve().parents[2]
    lesson = (repo / "modules/migration-human-rights/01-foundations.md").read_text("utf-8")
    catalog = (repo / "translations/mk/LC_MESSAGES/migration-human-rights.po").read_text(
        "utf-8")
    assert "::: hotspots" in lesson and "### Refugee law {x=15 y=55}" in lesson
    assert 'msgid "Refugee law"\nmsgstr "Бегалско право"' in catalog
    assert "{x=" not in catalog
