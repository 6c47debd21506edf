"""The one Markdown dialect of mirco: a MarkdownIt factory and rendering (the targets of
links and images are listed by :mod:`.targets`).

Every stage that reads or renders course Markdown goes through :func:`make_markdown`, so
the loader, the checks and the renderer agree on what a source means:

- CommonMark with tables, strikethrough and footnotes; raw HTML is *not* rendered
  (``html=False``: it is escaped), links are not auto-detected;
- ``{width=… .class}`` attributes after images;
- callouts ``::: note|tip|warning|important|example [title]`` and knowledge checks
  ``::: check {#id outcome=…}``; interactive blocks ``::: tabs``, ``::: accordion``…
  (:mod:`mirco_lms.blocks`);
- branching scenarios ``::: scenario [title] {#id outcome=…}`` (:mod:`mirco_lms.scenarios`);
- trainer notes ``::: trainer [title]``: left out of what learners see, rendered only
  with ``trainer_notes=True`` (the trainer's guide);
- an image alone in its paragraph with a title becomes a ``<figure>`` with a caption;
  images whose path ends in a video or audio extension become ``<video>``/``<audio>``
  with their captions, poster and transcript (:mod:`mirco_lms.media.markdown`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin

from mirco_lms.blocks import blocks_plugin, for_rendering, is_block
from mirco_lms.media.markdown import media_plugin
from mirco_lms.media.render import MEDIA_ATTRS, MediaContext

CALLOUT_KINDS = ("note", "tip", "warning", "important", "example")
DEFAULT_CALLOUT_LABELS: Mapping[str, str] = {
    "note": "Note",
    "tip": "Tip",
    "warning": "Warning",
    "important": "Important",
    "example": "Example",
}
TRAINER_KIND = "trainer"
"""The container of trainer notes (``::: trainer``): never in a learner's output."""
IMAGE_ATTRS = ("id", "class", "width", "height")

_PLAIN_LINE = re.compile(r"[^\W\d_](?:[^\W_]|[ ,.;:?!'\"()/%+-])*(?<! )\Z")
"""One line of words and punctuation that no Markdown rule acts on: it renders as one
paragraph of its (escaped) text. It starts with a letter (so it is no list item, heading…)
and holds none of the characters that start inline syntax (``* _ ` [ < & \\ { ~ |``…)."""
_ATTRS_AT_END = re.compile(r"\s*\{([^{}]*)\}\s*$")
_ATTR_PIECE = re.compile(r'\s*(?:#([^\s}]+)|\.([^\s}=]+)|([\w-]+)=("(?:[^"\\]|\\.)*"|[^\s"]+))')


def default_render_check(question_id: str) -> str:
    """The placeholder a knowledge check renders to unless the renderer says otherwise."""
    return f'<div class="mirco-check" data-question="{escapeHtml(question_id)}"></div>'


# --- attributes ----------------------------------------------------------------------------


def parse_attrs(text: str) -> tuple[dict[str, str], list[str]]:
    """Parse ``#id .class key=value key="quoted value"`` into a dict.

    Returns the attributes (``id`` for ``#id``; classes joined under ``class``) and the
    pieces that could not be read.
    """
    attrs: dict[str, str] = {}
    bad: list[str] = []
    pos, text = 0, text.strip()
    while pos < len(text):
        match = _ATTR_PIECE.match(text, pos)
        if match is None or match.end() == pos:
            rest = text[pos:].split(None, 1)
            bad.append(rest[0])
            pos = len(text) - len(rest[1]) if len(rest) > 1 else len(text)
            continue
        ident, cls, key, value = match.groups()
        if ident is not None:
            attrs["id"] = ident
        elif cls is not None:
            attrs["class"] = f"{attrs['class']} {cls}" if "class" in attrs else cls
        else:
            if value.startswith('"'):
                value = value[1:-1].replace('\\"', '"')
            attrs[key] = value
        pos = match.end()
    return attrs, bad


def check_info_attrs(info: str) -> tuple[dict[str, str], list[str]]:
    """Attributes of a check container's info string: ``check {#id outcome=LO1}``."""
    rest = info.strip()[len("check") :].strip()
    if rest.startswith("{") and rest.endswith("}"):
        rest = rest[1:-1]
    return parse_attrs(rest)


def split_trailing_attrs(text: str) -> tuple[str, str | None]:
    """Split ``Heading text {#id a=b}`` into ``("Heading text", "#id a=b")``."""
    match = _ATTRS_AT_END.search(text)
    if match is None:
        return text, None
    return text[: match.start()].rstrip(), match.group(1)


# --- the factory ---------------------------------------------------------------------------


def make_markdown() -> MarkdownIt:
    """A fresh MarkdownIt configured with mirco's dialect (safe: raw HTML is escaped)."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    allowed = tuple(dict.fromkeys((*IMAGE_ATTRS, *MEDIA_ATTRS)))
    md.use(attrs_plugin, after=("image",), allowed=allowed)
    md.use(anchors_plugin, min_level=2, max_level=3)
    # one container rule for every kind (a rule per kind would run at every line, each
    # time); a core rule then names the tokens by kind: container_note_open, …
    md.use(container_plugin, name="mirco", validate=_is_container)
    md.core.ruler.after("block", "mirco_container_kinds", _container_kinds)
    for kind in CALLOUT_KINDS:
        md.add_render_rule(f"container_{kind}_open", _render_callout)
        md.add_render_rule(f"container_{kind}_close", _render_callout)
    md.add_render_rule(f"container_{TRAINER_KIND}_open", _render_trainer_note)
    md.add_render_rule(f"container_{TRAINER_KIND}_close", _render_trainer_note)
    md.add_render_rule("container_check_open", _render_check_container)
    md.add_render_rule("container_check_close", _render_check_container)
    md.use(blocks_plugin)  # the interactive blocks (::: tabs …), one registry of kinds
    md.use(media_plugin)  # figures, video and audio, lazy images
    # courses repeat their links: normalise each URL once (mdurl parsing is costly)
    md.normalizeLink = lru_cache(maxsize=4096)(md.normalizeLink)  # type: ignore[method-assign]
    md.normalizeLinkText = lru_cache(maxsize=4096)(md.normalizeLinkText)  # type: ignore[method-assign]
    md.add_render_rule("mirco_check", _render_collapsed_check)
    md.use(scenario_plugin)
    return md


SCENARIO_KIND = "scenario"
"""Branching scenarios (``::: scenario {#id outcome=…}``): :mod:`mirco_lms.scenarios`."""
CONTAINER_KINDS = frozenset((*CALLOUT_KINDS, "check", TRAINER_KIND, SCENARIO_KIND))


def _is_container(params: str, *args: Any) -> bool:
    """Whether ``::: params`` opens a container: its first word is a known kind."""
    word = params.strip().split(" ", 2)[0]
    return word in CONTAINER_KINDS or is_block(word)


def _container_kinds(state: StateCore) -> None:
    """Rename the container rule's tokens by kind (``container_mirco_open`` →
    ``container_check_open``); a closing token takes the kind of the container it closes."""
    open_kinds: list[str] = []
    for token in state.tokens:
        if token.type == "container_mirco_open":
            kind = token.info.strip().split(" ", 2)[0]
            open_kinds.append(kind)
            token.type = f"container_{kind}_open"
        elif token.type == "container_mirco_close":
            token.type = f"container_{open_kinds.pop()}_close"


@lru_cache(maxsize=1)
def _shared_markdown() -> MarkdownIt:
    return make_markdown()


_kept: dict[str, tuple[list[Token], dict[str, Any]]] | None = None
r"""Inside :func:`keeping_parses`: the tokens (and parse env) of every text :func:`parse`\ d."""


def parse(text: str) -> list[Token]:
    """Block and inline tokens of ``text``; token maps are 0-based lines of ``text``.

    Callers only read the tokens: inside :func:`keeping_parses` they are handed on to
    :func:`render_markdown` of the same text.
    """
    env: dict[str, Any] = {}
    tokens = _shared_markdown().parse(text, env)
    if _kept is not None:
        _kept[text] = (tokens, env)
    return tokens


@contextmanager
def keeping_parses() -> Iterator[None]:
    """Within the block, :func:`render_markdown` reuses what :func:`parse` made of a text.

    The build loads a module and renders it in the same process: its lessons are then
    parsed once, not once to load and once more to render. Each kept parse is used by
    one rendering (rendering rewrites the tokens); everything is dropped on exit.
    """
    global _kept
    outer, _kept = _kept, {}
    try:
        yield
    finally:
        _kept = outer


def _parsed(md: MarkdownIt, text: str, env: dict[str, Any]) -> list[Token]:
    """``md.parse(text, env)``, or the tokens :func:`parse` kept for ``text``."""
    kept = _kept.pop(text, None) if _kept is not None else None
    if kept is None:
        return md.parse(text, env)
    tokens, parse_env = kept
    env.update({key: value for key, value in parse_env.items() if key not in env})
    return tokens


def callout_parts(info: str) -> tuple[str, str]:
    """``"warning Common mistake"`` → ``("warning", "Common mistake")``."""
    kind, _, title = info.strip().partition(" ")
    return kind, title.strip()


def _render_callout(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    if token.nesting != 1:
        return "</aside>\n"
    kind, title = callout_parts(token.info)
    labels = env.get("callout_labels") or DEFAULT_CALLOUT_LABELS
    title_html = escapeHtml(title or labels.get(kind, kind.capitalize()))
    return (
        f'<aside class="callout callout-{kind}" role="note">\n'
        f'<p class="callout-title">{title_html}</p>\n'
    )


def _render_trainer_note(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    token = tokens[idx]
    if token.nesting != 1:
        return "</aside>\n"
    _, title = callout_parts(token.info)
    labels = env.get("callout_labels") or {}
    title_html = escapeHtml(title or labels.get(TRAINER_KIND, "Trainer's note"))
    return (
        f'<aside class="trainer-note" role="note">\n'
        f'<p class="callout-title">{title_html}</p>\n'
    )


def _render_check_container(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    token = tokens[idx]
    if token.nesting != 1:
        return "</div>\n"
    attrs, _ = check_info_attrs(token.info)
    return f'<div class="mirco-check" data-question="{escapeHtml(attrs.get("id", ""))}">\n'


def _render_collapsed_check(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    render = env.get("render_check") or default_render_check
    return str(render(tokens[idx].meta["question_id"])) + "\n"


# --- rendering -----------------------------------------------------------------------------


def render_markdown(
    text: str,
    *,
    render_check: Callable[[str], str] | None = None,
    rewrite_url: Callable[[str], str] | None = None,
    callout_labels: Mapping[str, str] | None = None,
    trainer_notes: bool = False,
    media: MediaContext | None = None,
) -> str:
    """Render course Markdown to HTML.

    Each ``::: check {#id …}`` block is replaced by ``render_check(id)`` (default: a
    ``<div class="mirco-check" data-question="id">`` placeholder). ``rewrite_url`` maps
    every link ``href`` and image ``src`` (e.g. ``02-x.md`` → ``02-x.html``).
    ``callout_labels`` gives the (translated) default title of each callout kind.
    Trainer notes (``::: trainer``) are left out unless ``trainer_notes`` is true.
    ``media`` (the module and language) gives videos their captions and transcripts.
    """
    if _PLAIN_LINE.match(text):
        return f"<p>{escapeHtml(text)}</p>\n"
    md = _shared_markdown()
    env: dict[str, Any] = {"render_check": render_check, "callout_labels": callout_labels,
                           "media": media}
    tokens = collapse_checks(_parsed(md, text, env))
    tokens = expand_scenarios(tokens, md, env)
    if not trainer_notes:
        tokens = drop_trainer_notes(tokens)
    if rewrite_url is not None:
        _rewrite_urls(tokens, rewrite_url)
    tokens = for_rendering(tokens)
    return str(md.renderer.render(tokens, md.options, env))


def expand_scenarios(tokens: list[Token], md: MarkdownIt, env: dict[str, Any]) -> list[Token]:
    """Each ``::: scenario`` container as its nodes' HTML (:mod:`mirco_lms.scenarios`)."""
    from mirco_lms.scenarios.render import expand_scenarios as expand  # it imports this module

    return expand(tokens, md, env)


def scenario_plugin(md: MarkdownIt) -> None:
    from mirco_lms.scenarios.render import scenario_plugin as plugin  # it imports this module

    plugin(md)


def collapse_checks(tokens: list[Token]) -> list[Token]:
    """Replace each check container (with everything inside) by one ``mirco_check`` token."""
    out: list[Token] = []
    depth = 0
    for token in tokens:
        if token.type == "container_check_open":
            if depth == 0:
                attrs, _ = check_info_attrs(token.info)
                check = Token("mirco_check", "div", 0, block=True, map=token.map)
                check.meta = {"question_id": attrs.get("id", "")}
                out.append(check)
            depth += 1
        elif token.type == "container_check_close":
            depth -= 1
        elif depth == 0:
            out.append(token)
    return out


def drop_trainer_notes(tokens: list[Token]) -> list[Token]:
    """``tokens`` without the trainer notes (each ``::: trainer`` container, whole)."""
    opening, closing = f"container_{TRAINER_KIND}_open", f"container_{TRAINER_KIND}_close"
    if not any(token.type == opening for token in tokens):
        return tokens
    out: list[Token] = []
    depth = 0
    for token in tokens:
        if token.type == opening:
            depth += 1
        elif token.type == closing:
            depth -= 1
        elif depth == 0:
            out.append(token)
    return out


def _rewrite_urls(tokens: list[Token], rewrite: Callable[[str], str]) -> None:
    for token in walk_tokens(tokens):
        for name in ("href", "src"):
            value = token.attrGet(name)
            if value is not None and token.type in ("link_open", "image"):
                token.attrSet(name, rewrite(str(value)))


def walk_tokens(tokens: Sequence[Token]) -> Iterator[Token]:
    for token in tokens:
        yield token
        if token.children:
            yield from walk_tokens(token.children)
