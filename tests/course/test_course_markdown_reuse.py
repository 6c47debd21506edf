"""Parsing once: kept parses, the plain-line fast path and the target shortcut change no output."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from mirco_lms.course import markdown
from mirco_lms.course.markdown import (
    collapse_checks,
    keeping_parses,
    parse,
    render_markdown,
)
from mirco_lms.course.targets import find_targets, targets_in

LESSON = """# Lesson {#top}

Some *text* with a [link](02-next.md) and a footnote.[^1]

![A boat](images/boat.jpg "A boat at dawn")

::: note Careful
A callout.
:::

::: check {#kc-1 outcome=LO1}
Is it?

- (x) Yes
- ( ) No
:::

[^1]: The footnote.
"""


def full_render(text: str, **options: Any) -> str:
    """render_markdown without the fast path or kept parses: parse, then render."""
    md = markdown._shared_markdown()
    env: dict[str, Any] = {"render_check": options.get("render_check"),
                           "callout_labels": options.get("callout_labels")}
    tokens = collapse_checks(md.parse(text, env))
    if options.get("rewrite_url") is not None:
        markdown._rewrite_urls(tokens, options["rewrite_url"])
    return str(md.renderer.render(tokens, md.options, env))


def test_a_kept_parse_renders_like_a_fresh_one() -> None:
    options: dict[str, Any] = {
        "render_check": lambda qid: f"<check {qid}>",
        "rewrite_url": lambda url: url.replace(".md", ".html"),
        "callout_labels": {"note": "Napomena"},
    }
    expected = full_render(LESSON, **options)
    with keeping_parses():
        parse(LESSON)
        assert markdown._kept is not None and LESSON in markdown._kept
        assert render_markdown(LESSON, **options) == expected
        assert LESSON not in markdown._kept  # used once: rendering rewrites the tokens
        assert render_markdown(LESSON, **options) == expected
    assert markdown._kept is None


def test_parses_are_kept_only_inside_the_block() -> None:
    parse(LESSON)
    assert markdown._kept is None
    with keeping_parses():
        with keeping_parses():
            parse("inner")
            assert markdown._kept == {"inner": markdown._kept["inner"]}
        assert markdown._kept == {}
    assert markdown._kept is None


def pieces(alphabet: str, *words: str) -> st.SearchStrategy[str]:
    """Texts made of the characters of ``alphabet`` and the given words."""
    return st.lists(st.sampled_from([*alphabet, *words]), max_size=16).map("".join)


@settings(max_examples=400, deadline=None)
@given(pieces("aZč Ж09,.;:?!'\"()/%+-_*`[]<>&\\{}~|#=\t\n^$@", "  "),
       st.sampled_from(["", "a", "Ж", "1", "-"]))
def test_the_plain_line_fast_path_renders_like_markdown_it(text: str, first: str) -> None:
    text = first + text
    assert render_markdown(text) == full_render(text)


def test_plain_lines_take_the_fast_path() -> None:
    for text in ("Correct: the officer refers the child.", "Yes", 'He said "no" (twice).'):
        assert markdown._PLAIN_LINE.match(text), text
    for text in ("1. Item", "- item", "Yes  ", "a *b*", "a_b", "see [x](y)", "a\nb", "A & B"):
        assert not markdown._PLAIN_LINE.match(text), text


@settings(max_examples=300, deadline=None)
@given(pieces("ab1 ()>:/.@!*_`\\\n#-x", "http://e.org", "](", "^1"))
def test_text_without_brackets_or_angles_has_no_targets(text: str) -> None:
    assert find_targets(text) == targets_in(parse(text), text) == []
