"""The graph checks of a scenario: every problem at the ``file:line`` of its node or choice.

Rules (``docs/source-format.md``): node ids are unique; every choice leads to a node of
the same scenario, and a node offers each target once; a node without choices is an
ending (``.ending``) and an ending has no choices; ``.best`` marks an ending; every node
can be reached from the first one; a scenario has at most 36 nodes; and it does not
loop — no choice leads back to a node already on the way (cycles are not allowed: a
path never repeats a node, so it stays short in the LMS and reads as one story; "Start
again" replays the case).
"""

from __future__ import annotations

import re

from mirco_lms.errors import Diagnostic
from mirco_lms.scenarios.model import Scenario, ScenarioNode

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
MAX_NODES = 36
"""SCORM's limit on the choices of a ``choice`` interaction (1.2 writes each node as one
character of ``0-9a-z``), so a path always fits."""


def problems(scenario: Scenario) -> list[Diagnostic]:
    """What is wrong with ``scenario``'s nodes and choices (empty: nothing)."""
    out = _ids(scenario)
    if out:
        return out
    known = {node.id for node in scenario.nodes}
    for node in scenario.nodes:
        out += _node(scenario, node, known)
    if out:
        return out
    return _loops(scenario) or _unreachable(scenario)


def _ids(scenario: Scenario) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    seen: set[str] = set()
    for node in scenario.nodes:
        if node.id in seen:
            out.append(Diagnostic(
                f"the scenario {scenario.id!r} has two nodes with the id {node.id!r}",
                node.location, "give each node its own id"))
        seen.add(node.id)
    if len(scenario.nodes) > MAX_NODES:
        out.append(Diagnostic(
            f"the scenario {scenario.id!r} has {len(scenario.nodes)} nodes, more than "
            f"{MAX_NODES}", scenario.location,
            "split the case in two (a SCORM choice interaction holds at most 36 choices)"))
    if len(scenario.nodes) < 2:
        out.append(Diagnostic(
            f"the scenario {scenario.id!r} has only one node", scenario.location,
            "add the nodes its choices lead to, and at least one ending"))
    return out


def _node(scenario: Scenario, node: ScenarioNode, known: set[str]) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    if node.best and not node.ending:
        out.append(Diagnostic(f"the node {node.id!r} is marked .best but is not an ending",
                              node.location, "write {#" + node.id + " .ending .best}"))
    if node.ending and node.choices:
        out.append(Diagnostic(f"the ending {node.id!r} has choices", node.location,
                              "remove its choice list, or remove .ending"))
    if not node.ending and not node.choices:
        out.append(Diagnostic(
            f"the node {node.id!r} has no choices and is not an ending", node.location,
            "end it with a list of choices ('- [Decision](#node-id)'), or mark it "
            "{#" + node.id + " .ending} and write the debrief"))
    targets: set[str] = set()
    for choice in node.choices:
        if choice.target not in known:
            out.append(Diagnostic(
                f"the choice {choice.text_md!r} leads to an unknown node {choice.target!r}",
                choice.location, f"nodes of the scenario {scenario.id!r}: "
                + ", ".join(n.id for n in scenario.nodes)))
        elif choice.target in targets:
            out.append(Diagnostic(
                f"the node {node.id!r} has two choices leading to {choice.target!r}",
                choice.location, "merge them, or lead one to a node of its own"))
        targets.add(choice.target)
    return out


def _loops(scenario: Scenario) -> list[Diagnostic]:
    """A choice leading back to a node on the way to it (depth-first from the start)."""
    by_id = {node.id: node for node in scenario.nodes}
    done: set[str] = set()
    out: list[Diagnostic] = []

    def visit(node: ScenarioNode, way: list[str]) -> None:
        way.append(node.id)
        for choice in node.choices:
            if choice.target in way:
                out.append(Diagnostic(
                    f"the choice {choice.text_md!r} leads back to {choice.target!r}: a "
                    "scenario cannot loop", choice.location,
                    "lead it to a new node (the learner replays the case with 'Start again')"))
            elif choice.target not in done:
                visit(by_id[choice.target], way)
        way.pop()
        done.add(node.id)

    visit(scenario.start, [])
    return out


def _unreachable(scenario: Scenario) -> list[Diagnostic]:
    by_id = {node.id: node for node in scenario.nodes}
    reached = {scenario.start.id}
    todo = [scenario.start]
    while todo:
        for choice in todo.pop().choices:
            if choice.target not in reached:
                reached.add(choice.target)
                todo.append(by_id[choice.target])
    return [Diagnostic(f"no choice leads to the node {node.id!r}", node.location,
                       "lead a choice to it ('- [Decision](#" + node.id + ")') or remove it")
            for node in scenario.nodes if node.id not in reached]


def module_problems(scenarios: list[Scenario], outcomes: set[str]) -> list[Diagnostic]:
    """Problems across a module's scenarios: ids used twice, unknown outcome ids."""
    out: list[Diagnostic] = []
    seen: set[str] = set()
    hint = f"known outcomes: {', '.join(sorted(outcomes)) or '(none)'}"
    for scenario in scenarios:
        if scenario.id in seen:
            out.append(Diagnostic(f"two scenarios of the module have the id {scenario.id!r}",
                                  scenario.location, "give each scenario its own id"))
        seen.add(scenario.id)
        out.extend(Diagnostic(f"the scenario {scenario.id!r} names an unknown outcome {ref!r}",
                              scenario.location, hint)
                   for ref in scenario.outcomes if ref not in outcomes)
    return out
