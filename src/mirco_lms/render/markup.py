"""Markdown → HTML for the render stage, on top of the course's MarkdownIt setup."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from markdown_it import MarkdownIt
from markupsafe import Markup

from mirco_lms.course.markdown import DEFAULT_CALLOUT_LABELS, make_markdown, render_markdown
from mirco_lms.media.render import MediaContext
from mirco_lms.render.localized import LocalizedModule
from mirco_lms.scenarios.render import SCENARIO_LABELS

_SINGLE_PARAGRAPH = re.compile(r"\A<p>((?:(?!</?p[ >]).)*)</p>\s*\Z", re.DOTALL)


@lru_cache(maxsize=1)
def _inline_md() -> MarkdownIt:
    return make_markdown()


def block(
    text: str, localized: LocalizedModule, render_check: Callable[[str], str] | None = None
) -> Markup:
    """Block Markdown (paragraphs, lists, figures…) as trusted HTML.

    The default titles of callouts (``Note``, ``Warning``…) and the words of a scenario's
    debrief are translated into the language of ``localized``.
    """
    if not text.strip():
        return Markup("")
    labels = {kind: localized.gettext(label) for kind, label in DEFAULT_CALLOUT_LABELS.items()}
    labels |= {key: localized.gettext(label) for key, label in SCENARIO_LABELS.items()}
    return Markup(render_markdown(text, render_check=render_check, callout_labels=labels,
                                  media=media_context(localized)))


def media_context(localized: LocalizedModule) -> MediaContext:
    """How media of ``localized`` render: its folder, language and transcript rendering."""
    module = localized.module
    return MediaContext(module.root, localized.language, module.language, localized.gettext,
                        lambda text: str(block(text, localized)))


def inline(text: str) -> Markup:
    """One line of Markdown (an option, a pair side) as phrasing HTML, no ``<p>``."""
    if not text.strip():
        return Markup("")
    return Markup(_inline_md().renderInline(text.strip()))


def as_phrasing(html: str) -> Markup | None:
    """The content of ``html`` when it is one paragraph (so it may sit in a ``<legend>``)."""
    found = _SINGLE_PARAGRAPH.match(html.strip())
    if found is None or "<div" in found.group(1) or "<figure" in found.group(1):
        return None
    return Markup(found.group(1))
