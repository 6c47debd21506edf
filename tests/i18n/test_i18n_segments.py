"""Markdown → segments → translated Markdown, keeping markup, targets and structure."""

from __future__ import annotations

from mirco_lms.course.markdown import render_markdown
from mirco_lms.i18n.segments import segments, translate_markdown
from mirco_lms.i18n.walker import join_answers, split_answers

SOURCE = """# A *title*

A paragraph with [a link](https://x.org/a)
over two lines.

- item one
  > feedback in a quote
- item **two**

| Term | Meaning |
|---|---|
| A \\| B | two |

![Alt text](images/a.png "Figure 1. Caption."){width=50}

::: warning Be careful
Inside.
:::

::: check {#kc-1}
Not a segment here.

- (x) Yes
- ( ) No
:::
"""


def test_segments_kinds_and_lines() -> None:
    found = [(s.kind, s.text, s.line) for s in segments(SOURCE)]
    assert found == [
        ("heading", "A *title*", 0),
        ("paragraph", "A paragraph with [a link](https://x.org/a) over two lines.", 2),
        ("list item", "item one", 5),
        ("quote", "feedback in a quote", 6),
        ("list item", "item **two**", 7),
        ("table cell", "Term", 9),
        ("table cell", "Meaning", 9),
        ("table cell", "A \\| B", 11),
        ("table cell", "two", 11),
        ("alt text", "Alt text", 13),
        ("caption", "Figure 1. Caption.", 13),
        ("callout title", "Be careful", 15),
        ("paragraph", "Inside.", 16),
    ]


def test_translation_keeps_markup_targets_and_structure() -> None:
    table = {
        "A *title*": "Naslov *lekcije*",
        "A paragraph with [a link](https://x.org/a) over two lines.":
            "Pasus sa [vezom](https://x.org/a).",
        "item one": "stavka jedan",
        "feedback in a quote": "povratna informacija",
        "Term": "Pojam",
        "A \\| B": "A | B",
        "Alt text": "Opis slike",
        "Figure 1. Caption.": 'Slika 1. "Natpis".',
        "Be careful": "Oprez",
    }
    out = translate_markdown(SOURCE, lambda s: table.get(s.text))
    html = render_markdown(out)
    assert "<h1>Naslov <em>lekcije</em></h1>" in html
    assert '<a href="https://x.org/a">vezom</a>' in html
    assert "<li>stavka jedan\n<blockquote>\n<p>povratna informacija</p>" in html
    assert "<li>item <strong>two</strong></li>" in html  # untranslated: kept
    assert "<th>Pojam</th>" in html and "<td>A | B</td>" in html
    assert '<img src="images/a.png" alt="Opis slike" width="50" loading="lazy" />' in html
    assert '<figcaption>Slika 1. &quot;Natpis&quot;.</figcaption>' in html
    assert '<p class="callout-title">Oprez</p>' in html
    assert 'data-question="kc-1"' in html


def test_translation_cannot_turn_a_paragraph_into_a_list() -> None:
    out = translate_markdown("The Convention was adopted in 1951.\n",
                             lambda s: "1951. godine usvojena je Konvencija.\n- ne lista")
    html = render_markdown(out)
    assert html == "<p>1951. godine usvojena je Konvencija.\n- ne lista</p>\n"


def test_fill_in_answers_round_trip() -> None:
    joined = join_answers(["a | b", "c"])
    assert joined == "a \\| b | c"
    assert split_answers(joined) == ["a | b", "c"]
    assert split_answers(" x ||  | y ") == ["x", "y"]
