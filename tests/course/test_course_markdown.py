"""The Markdown dialect: rendering (figures, callouts, checks, safety) and target listing."""

from __future__ import annotations

import pytest

from mirco_lms.course.markdown import (
    make_markdown,
    parse_attrs,
    render_markdown,
    split_trailing_attrs,
)
from mirco_lms.course.targets import find_targets


def test_raw_html_is_escaped_not_rendered() -> None:
    html = render_markdown('Hi <script>alert(1)</script>\n\n<div onclick="x">b</div>\n')
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<div onclick" not in html


def test_javascript_links_are_not_links() -> None:
    assert "href" not in render_markdown("[x](javascript:alert(1))")


def test_titled_image_alone_becomes_figure() -> None:
    html = render_markdown('![A boat at dawn](images/boat.jpg "Figure 1. The route.")\n')
    assert html.strip() == (
        '<figure><img src="images/boat.jpg" alt="A boat at dawn" loading="lazy" />'
        "<figcaption>Figure 1. The route.</figcaption></figure>"
    )


def test_image_without_title_or_with_text_stays_inline() -> None:
    assert "<figure>" not in render_markdown("![A](a.png)\n")
    assert "<figure>" not in render_markdown('Look: ![A](a.png "T")\n')


def test_media_images_become_players_and_attrs_are_filtered() -> None:
    html = render_markdown(
        "![Interview](media/talk.mp4){width=320 onclick=evil}\n\n![Song](a.mp3)\n"
    )
    assert (
        '<video controls preload="metadata" src="media/talk.mp4" width="320">Interview</video>'
        in html
    )
    assert "onclick" not in html
    assert '<audio controls preload="metadata" src="a.mp3">Song</audio>' in html


@pytest.mark.parametrize("kind", ["note", "tip", "warning", "important", "example"])
def test_callouts_with_default_title(kind: str) -> None:
    html = render_markdown(f"::: {kind}\nBody **bold**.\n:::\n")
    assert f'<aside class="callout callout-{kind}" role="note">' in html
    assert f'<p class="callout-title">{kind.capitalize()}</p>' in html
    assert "<strong>bold</strong>" in html and html.rstrip().endswith("</aside>")


def test_callout_title_is_escaped_and_labels_translatable() -> None:
    html = render_markdown("::: warning Common <b>mistake</b>\nx\n:::\n")
    assert "Common &lt;b&gt;mistake&lt;/b&gt;" in html
    html = render_markdown("::: note\nx\n:::\n", callout_labels={"note": "Napomena"})
    assert '<p class="callout-title">Napomena</p>' in html


CHECK = """\
Before.

::: check {#kc-1 outcome=LO2}
Is it so?

- (x) True
- ( ) False
:::

After.
"""


def test_check_block_is_replaced_by_render_check() -> None:
    default = render_markdown(CHECK)
    assert '<div class="mirco-check" data-question="kc-1"></div>' in default
    assert "Is it so?" not in default and "After." in default
    custom = render_markdown(CHECK, render_check=lambda qid: f"<quiz {qid}>")
    assert "<quiz kc-1>" in custom


def test_tables_strikethrough_footnotes_no_linkify() -> None:
    html = render_markdown(
        "| a | b |\n|---|---|\n| ~~c~~ | d |\n\nSee www.example.org[^1]\n\n[^1]: Note.\n"
    )
    assert "<table>" in html and "<s>c</s>" in html
    assert 'class="footnotes"' in html and '<a href="http' not in html


def test_rewrite_url_applies_to_links_and_images() -> None:
    html = render_markdown("[n](02-x.md) ![a](images/b.png)", rewrite_url=lambda u: "X/" + u)
    assert 'href="X/02-x.md"' in html and 'src="X/images/b.png"' in html


def test_factory_gives_independent_instances() -> None:
    assert make_markdown() is not make_markdown()


def test_find_targets_with_lines_and_alt() -> None:
    text = (
        "# T\n\nSome text\nand ![Boat](images/boat.jpg) here\n\n"
        "- [next](02-b.md)\n\n| ![](x.png) |\n|---|\n"
    )
    targets = find_targets(text)
    assert [(t.kind, t.url, t.line, t.alt) for t in targets] == [
        ("image", "images/boat.jpg", 3, "Boat"),
        ("link", "02-b.md", 5, ""),
        ("image", "x.png", 7, ""),
    ]


def test_parse_attrs() -> None:
    attrs, bad = parse_attrs('#q-1 outcome=LO1,LO2 points=2 title="a \\"b\\"" .x .y')
    assert attrs == {
        "id": "q-1",
        "outcome": "LO1,LO2",
        "points": "2",
        "title": 'a "b"',
        "class": "x y",
    }
    assert bad == []
    assert parse_attrs("#a {oops z=1")[1] == ["{oops"]


def test_split_trailing_attrs() -> None:
    assert split_trailing_attrs("Which one? {#q outcome=LO1}") == ("Which one?", "#q outcome=LO1")
    assert split_trailing_attrs("No attrs") == ("No attrs", None)
