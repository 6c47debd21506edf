"""A scenario container as HTML: a markdown-it plugin of the course's Markdown dialect.

Each node becomes ``<div class="mirco-node" data-node="id">`` around its heading (id
``scn-<scenario>-<node>``, focusable), text and choices; each choice a link to the
heading of the node it leads to, so that without JavaScript every node is readable in
order and the links still work. An ending carries a hidden debrief footer (the path the
learner took, "Start again") that the runtime (``runtime/src/scenario.js``) fills in.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

from mirco_lms.course.context import blocks
from mirco_lms.scenarios import syntax

SCENARIO_LABELS = {"scenario-path": "Your path", "scenario-again": "Start again"}
"""The debrief footer's words (translated like the callouts' default titles)."""


def N_(message: str) -> str:
    """Mark ``message`` for the UI catalogs (translated when rendered)."""
    return message


N_("Your path")
N_("Start again")


def node_anchor(scenario_id: str, node_id: str) -> str:
    """The HTML id of a node's heading (the target of the choices leading to it)."""
    return f"scn-{scenario_id}-{node_id}"


def scenario_plugin(md: MarkdownIt) -> None:
    """Render the tokens :func:`expand_scenarios` makes."""
    md.add_render_rule("mirco_scenario_html", _render_html)


def _render_html(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    if token.meta.get("labels"):
        labels = {**SCENARIO_LABELS, **(env.get("callout_labels") or {})}
        return token.content.format(**{k.replace("-", "_"): escapeHtml(labels[k])
                                       for k in SCENARIO_LABELS})
    return token.content


def _html(content: str, labels: bool = False) -> Token:
    token = Token("mirco_scenario_html", "", 0, block=True, content=content)
    token.meta = {"labels": labels}
    return token


def expand_scenarios(tokens: list[Token], md: MarkdownIt, env: dict[str, Any]) -> list[Token]:
    """``tokens`` (of :func:`~mirco_lms.course.markdown.parse`) with each scenario container
    replaced by its nodes' HTML, ready to render (parsing keeps the container as written,
    for :mod:`.parse`)."""
    if not any(token.type == syntax.OPEN for token in tokens):
        return tokens
    for start, end in reversed(syntax.containers(tokens)):
        inner = tokens[start + 1 : end]
        tokens = [*tokens[:start], *_scenario(md, env, tokens[start], inner), *tokens[end + 1 :]]
    return tokens


def _scenario(md: MarkdownIt, env: dict[str, Any], opening: Token, inner: list[Token]
              ) -> list[Token]:
    title, attrs, _ = syntax.info_parts(opening.info)
    scenario_id = attrs.get("id", "")
    outcomes = " ".join(syntax.outcome_ids(attrs))
    label = f' aria-label="{escapeHtml(title)}"' if title else ""
    out = [_html(f'<section class="mirco-scenario" data-scenario="{escapeHtml(scenario_id)}" '
                 f'data-outcomes="{escapeHtml(outcomes)}"{label}>\n')]
    if title:  # a heading one level above the nodes' (a paragraph above h1/h2 nodes)
        heads = [t.tag for t in inner if t.type == "heading_open"]
        tag = f"h{int(heads[0][1]) - 1}" if heads and heads[0] in ("h3", "h4", "h5", "h6") else "p"
        out.append(_html(f'<{tag} class="mirco-scenario-title">{escapeHtml(title)}</{tag}>\n'))
    level = None
    ending = False
    for block in blocks(inner):
        first = block[0]
        if first.type == "heading_open" and first.tag == (level or first.tag):
            if level is not None:
                out.append(_close_node(ending))
            level = first.tag
            ending = _open_node(md, env, scenario_id, block, out)
        elif first.type == "bullet_list_open" and level is not None:
            out.extend(_choice_list(scenario_id, block))
        else:
            out.extend(block)
    if level is not None:
        out.append(_close_node(ending))
    out.append(_html("</section>\n"))
    return out


def _open_node(md: MarkdownIt, env: dict[str, Any], scenario_id: str, block: list[Token],
               out: list[Token]) -> bool:
    """Open the node of heading ``block``; whether it is an ending."""
    heading, inline = block[0], block[1]
    title, node_id, classes, _ = syntax.heading_parts(inline.content)
    node_id = node_id or ""
    flags = "".join(f" data-{c}" for c in syntax.NODE_CLASSES if c in classes)
    out.append(_html(f'<div class="mirco-node" data-node="{escapeHtml(node_id)}"{flags}>\n'))
    heading.attrSet("id", node_anchor(scenario_id, node_id))
    heading.attrSet("tabindex", "-1")
    inline.content = title
    inline.children = md.parseInline(title, env)[0].children
    out.extend(block)
    return "ending" in classes


def _close_node(ending: bool) -> Token:
    if not ending:
        return _html("</div>\n")
    return _html('<div class="mirco-debrief" hidden>'
                 '<p class="mirco-path-label">{scenario_path}</p><ol class="mirco-path"></ol>'
                 '<button type="button" class="mirco-button mirco-again" data-action="replay">'
                 '{scenario_again}</button></div>\n</div>\n', labels=True)


def _choice_list(scenario_id: str, block: list[Token]) -> list[Token]:
    """A bullet list; when its items are links to nodes, the node's choices."""
    items = blocks(block[1:-1])
    links = [syntax.choice_link(item) for item in items]
    if not any(links):
        return block
    block[0].attrSet("class", "mirco-choices")
    for item, link in zip(items, links, strict=True):
        if link is None:
            continue
        inline = next(t for t in item if t.type == "inline")
        opening = (inline.children or [])[0]
        opening.attrSet("href", "#" + node_anchor(scenario_id, link[0]))
        opening.attrSet("data-go", link[0])
    return block
