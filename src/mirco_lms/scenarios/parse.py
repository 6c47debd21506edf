"""A lesson's ``::: scenario`` containers (its tokens) → :class:`Scenario` models.

Structural problems (no id, no outcome, text before the first node, a choice that is not
one link to a node) are collected in the lesson's :class:`Context` at ``file:line``;
:func:`mirco_lms.scenarios.validate.problems` then checks the graph. A scenario with any
problem is left out of the model (never half-built).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from markdown_it.token import Token

from mirco_lms.course.context import Context, blocks, line_of
from mirco_lms.scenarios import syntax
from mirco_lms.scenarios.model import Scenario, ScenarioChoice, ScenarioNode
from mirco_lms.scenarios.validate import ID_PATTERN, problems

SYNTAX_HINT = "write '::: scenario Title {#case-id outcome=LO1}'"
NODE_HINT = "start each node with a heading such as '## At the checkpoint {#start}'"


@dataclass
class _Draft:
    heading: list[Token]
    body: list[list[Token]] = field(default_factory=list)


def scenarios_in(tokens: Sequence[Token], ctx: Context) -> list[Scenario]:
    """Every valid scenario of a lesson body, in source order."""
    out: list[Scenario] = []
    for start, end in syntax.containers(tokens):
        before = len(ctx.diagnostics)
        scenario = _scenario(tokens[start], list(tokens[start + 1 : end]), ctx)
        if scenario is not None:
            ctx.diagnostics.extend(problems(scenario))
        if scenario is not None and len(ctx.diagnostics) == before:
            out.append(scenario)
    return out


def _scenario(opening: Token, inner: list[Token], ctx: Context) -> Scenario | None:
    line = opening.map[0] if opening.map else 0
    title, attrs, bad = syntax.info_parts(opening.info)
    if bad:
        ctx.error(f"cannot read {' '.join(bad)!r} in the scenario's attributes", line,
                  SYNTAX_HINT)
    unknown = sorted(set(attrs) - set(syntax.ATTRS))
    if unknown:
        ctx.error(f"unknown scenario attribute {unknown[0]!r}", line,
                  f"a scenario takes: {', '.join(syntax.ATTRS)}")
    scenario_id = attrs.get("id", "")
    if not ID_PATTERN.match(scenario_id):
        ctx.error(f"the scenario has no valid id ({scenario_id!r})" if scenario_id
                  else "the scenario has no id", line,
                  f"{SYNTAX_HINT}; ids use letters, digits, '-', '_' and '.'")
        return None
    outcomes = syntax.outcome_ids(attrs)
    if not outcomes:
        ctx.error(f"the scenario {scenario_id!r} names no learning outcome", line,
                  "add outcome=LO1 (the outcome the case trains) to its attributes")
    nodes = [n for n in (_node(d, ctx) for d in _drafts(inner, scenario_id, line, ctx)) if n]
    if not nodes:
        return None
    return Scenario(scenario_id, title or nodes[0].title, outcomes, tuple(nodes), ctx.loc(line))


def _drafts(inner: list[Token], scenario_id: str, line: int, ctx: Context) -> list[_Draft]:
    drafts: list[_Draft] = []
    level = None
    for block in blocks(inner):
        first = block[0]
        if first.type == syntax.OPEN:
            ctx.error("a scenario cannot hold another scenario", line_of(block),
                      "close the first one (':::') before the next begins")
            return []
        if first.type == "heading_open" and first.tag == (level or first.tag):
            level = first.tag
            drafts.append(_Draft(block))
        elif not drafts:
            ctx.error(f"the scenario {scenario_id!r} has text before its first node",
                      line_of(block), NODE_HINT)
            return []
        else:
            drafts[-1].body.append(block)
    if not drafts:
        ctx.error(f"the scenario {scenario_id!r} has no nodes", line, NODE_HINT)
    return drafts


def _node(draft: _Draft, ctx: Context) -> ScenarioNode | None:
    line = line_of(draft.heading)
    title, node_id, classes, bad = syntax.heading_parts(draft.heading[1].content)
    if bad or classes - set(syntax.NODE_CLASSES):
        pieces = [*bad, *sorted(f".{c}" for c in classes - set(syntax.NODE_CLASSES))]
        ctx.error(f"cannot read {' '.join(pieces)!r} in the node's attributes", line,
                  "a node takes '{#id}', '{#id .ending}' or '{#id .ending .best}'")
    if not node_id or not ID_PATTERN.match(node_id):
        ctx.error(f"the scenario node {title!r} has no valid id", line,
                  "give it one: '## " + (title or "Title") + " {#node-id}'")
        return None
    if not title:
        ctx.error(f"the scenario node {node_id!r} has no title", line,
                  "write the heading's text before its attributes: '## Title {#" + node_id + "}'")
        return None
    body = draft.body
    choices: list[ScenarioChoice] = []
    if body and body[-1][0].type == "bullet_list_open":
        found = _choices(body[-1], ctx)
        if found is not None:
            choices, body = found, body[:-1]
    return ScenarioNode(node_id, title, ctx.source(body), tuple(choices), "ending" in classes,
                        "best" in classes, ctx.loc(line))


def _choices(block: list[Token], ctx: Context) -> list[ScenarioChoice] | None:
    """The choices of a node's last bullet list (None when it is no choice list: none of
    its items is a link to ``#node``)."""
    items = blocks(block[1:-1])
    links = [syntax.choice_link(item) for item in items]
    if not any(links) and not any(syntax.starts_with_node_link(item) for item in items):
        return None
    out: list[ScenarioChoice] = []
    for item, link in zip(items, links, strict=True):
        if link is None:
            ctx.error("this choice is not one link to a node", line_of(item),
                      "write each choice as '- [What the officer does](#node-id)'")
            continue
        out.append(ScenarioChoice(link[0], link[1], ctx.loc(line_of(item))))
    return out
