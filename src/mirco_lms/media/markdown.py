"""Images, figures, video and audio in mirco's Markdown dialect (:func:`media_plugin`,
used by :func:`mirco_lms.course.markdown.make_markdown`):

- an image alone in its (visible) paragraph with a title becomes a ``<figure>`` with a
  caption;
- an image whose path ends in a video or audio extension becomes ``<video>``/``<audio>``
  with its captions, poster and transcript (:mod:`.render`), a block of its own when alone
  in its paragraph;
- other images load lazily (``loading="lazy"``) unless the source says otherwise.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from mirco_lms.media import files
from mirco_lms.media.render import render_media


def media_plugin(md: MarkdownIt) -> None:
    """Register the figure and media rules and the image renderer on ``md``."""
    md.core.ruler.push("mirco_media_block", _media_block_rule)
    md.core.ruler.push("mirco_figure", _figure_rule)
    md.add_render_rule("image", _render_image)
    md.add_render_rule("mirco_figcaption", _render_figcaption)


def _render_image(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    src = str(token.attrGet("src") or "")
    ext = _extension(src)
    if ext in files.VIDEO_EXTENSIONS or ext in files.AUDIO_EXTENSIONS:
        alt = self.renderInlineAsText(token.children or [], options, env)
        return render_media(src, alt, token.attrs, env.get("media"),
                            bool(token.meta and token.meta.get("block")))
    # fetched when near the viewport: images of pages not shown yet cost nothing before the
    # first page paints (and are not fetched at all while their page is hidden)
    if token.attrGet("loading") is None:
        token.attrSet("loading", "lazy")
    return str(self.image(tokens, idx, options, env))


def _render_figcaption(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return f"<figcaption>{escapeHtml(tokens[idx].content)}</figcaption>"


def _extension(url: str) -> str:
    path = url.split("?", 1)[0].split("#", 1)[0]
    dot = path.rfind(".")
    return path[dot:].lower() if dot > path.rfind("/") else ""


def _media_block_rule(state: StateCore) -> None:
    """A video or audio alone in its paragraph is a block (``<div class="mirco-media">``,
    or a figure when titled) that may hold its transcript."""
    for i, image in _lone_images(state.tokens):
        if files.media_kind(str(image.attrGet("src") or "")) is None:
            continue
        image.meta = {**(image.meta or {}), "block": True}
        state.tokens[i - 1].tag = state.tokens[i + 1].tag = "div"
        state.tokens[i - 1].attrSet("class", "mirco-media")


def _figure_rule(state: StateCore) -> None:
    """An image alone in its (visible) paragraph with a title becomes a figure."""
    for i, image in _lone_images(state.tokens):
        title = image.attrGet("title")
        if not title:
            continue
        del image.attrs["title"]
        caption = Token("mirco_figcaption", "figcaption", 0, content=str(title))
        state.tokens[i].children = [image, caption]
        state.tokens[i - 1].tag = state.tokens[i + 1].tag = "figure"


def _lone_images(tokens: list[Token]) -> Iterator[tuple[int, Token]]:
    """The index of each visible paragraph's inline token that holds one image and
    nothing else but blanks, with that image."""
    for i in range(1, len(tokens) - 1):
        para, inline = tokens[i - 1], tokens[i]
        if para.type != "paragraph_open" or para.hidden or inline.type != "inline":
            continue
        children = [c for c in inline.children or [] if not _blank(c)]
        if len(children) == 1 and children[0].type == "image":
            yield i, children[0]


def _blank(token: Token) -> bool:
    return token.type == "softbreak" or (token.type == "text" and not token.content.strip())
