"""A video or audio file of the module as HTML: the browser's own player, its caption
tracks, its poster, and the transcript in a ``<details>`` under the player.

Written in Markdown as an image: ``![Alt text](media/intro.mp4 "Caption")``; the files
next to it are found by :mod:`.files`' conventions. With no :class:`MediaContext` (a
text rendered outside a module) only the player is written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it.common.utils import escapeHtml

from mirco_lms.i18n import locales
from mirco_lms.i18n.translit import transliterate
from mirco_lms.media import files

PASSED_ATTRS = ("id", "class", "width", "height")
"""Attributes of ``{…}`` after a media file copied onto the player."""
MEDIA_ATTRS = (*PASSED_ATTRS, "captions")
"""Attributes a media file may have: ``captions=none`` marks media without speech."""
NO_CAPTIONS = "none"


def N_(message: str) -> str:
    """Mark ``message`` for extraction into the UI catalogs."""
    return message


TRANSCRIPT_LABEL = N_("Transcript")


@dataclass(frozen=True)
class MediaContext:
    """What rendering media in one module and language needs."""

    root: Path | None
    """The module folder (captions, transcripts and posters are looked up there)."""
    language: str
    source: str
    """The module's source language: the language spoken in its media."""
    gettext: Callable[[str], str] = field(default=lambda text: text)
    render_markdown: Callable[[str], str] | None = None
    """Renders a transcript (block Markdown) to HTML."""


def _attrs(attrs: Mapping[str, object]) -> str:
    return "".join(f' {name}="{escapeHtml(str(value))}"'
                   for name, value in attrs.items() if name in PASSED_ATTRS)


def track_label(code: str) -> str:
    """The name of a caption language in that language (``македонски``)."""
    return locales.language_name(code)


def render_media(
    src: str, alt: str, attrs: Mapping[str, object], context: MediaContext | None,
    block: bool,
) -> str:
    """The player of ``src`` (``block``: alone in its paragraph, so the transcript may
    follow it)."""
    kind = files.media_kind(src) or "video"
    head = f'<{kind} controls preload="metadata" src="{escapeHtml(src)}"'
    if context is None:
        return f"{head}{_attrs(attrs)}>{escapeHtml(alt)}</{kind}>"
    poster = files.poster_path(src, context.root) if kind == "video" else None
    if poster is not None:
        head += f' poster="{escapeHtml(poster)}"'
    tracks = ""
    if kind == "video" and attrs.get("captions") != NO_CAPTIONS:
        found = files.caption_tracks(src, context.language, context.source, context.root)
        for index, track in enumerate(found):
            tracks += (f'<track kind="captions" src="{escapeHtml(track.path)}" '
                       f'srclang="{escapeHtml(track.language)}" '
                       f'label="{escapeHtml(track_label(track.language))}"'
                       + (" default>" if index == 0 else ">"))
    html = f"{head}{_attrs(attrs)}>{tracks}{escapeHtml(alt)}</{kind}>"
    if block:
        html += _transcript(src, context)
    return html


def _transcript(src: str, context: MediaContext) -> str:
    found = files.transcript_file(src, context.language, context.source, context.root)
    if found is None or context.root is None or context.render_markdown is None:
        return ""
    text = (context.root / found.origin).read_text(encoding="utf-8")
    if found.transliterate:
        text = transliterate(text)
    label = escapeHtml(context.gettext(TRANSCRIPT_LABEL))
    body = context.render_markdown(text)
    return (f'<details class="mirco-transcript" lang="{escapeHtml(found.language)}">'
            f"<summary>{label}</summary>{body}</details>")
