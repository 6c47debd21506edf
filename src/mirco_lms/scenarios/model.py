"""The branching scenario model: nodes with ids, choices pointing to node ids, endings.

Like the rest of the course model these are frozen dataclasses keeping their source
location; Markdown is kept as Markdown (rendered once per language).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mirco_lms.errors import Location


@dataclass(frozen=True)
class ScenarioChoice:
    """One choice of a node: a list item whose link points to the node it leads to."""

    target: str
    """The id of the node the choice leads to; also the choice's id in tracking (a node
    never offers two choices leading to the same node)."""
    text_md: str
    """The link text: what the learner decides to do."""
    location: Location = field(default_factory=Location, compare=False)


@dataclass(frozen=True)
class ScenarioNode:
    """One step of the case: a heading with ``{#id}``, its text and its choices."""

    id: str
    title: str
    body_md: str
    """The node's text (situation or consequence), its choice list left out."""
    choices: tuple[ScenarioChoice, ...] = ()
    ending: bool = False
    """An ending (``{#id .ending}``): no choices; its text is the debrief."""
    best: bool = False
    """The ending the author recommends (``{#id .ending .best}``), marked in reports."""
    location: Location = field(default_factory=Location, compare=False)


@dataclass(frozen=True)
class Scenario:
    """A branching case; the first node is where it starts."""

    id: str
    """Author-given id, unique in the module, the same in every language."""
    title: str
    """The container's title (``::: scenario Title {#id …}``), else the first node's."""
    outcomes: tuple[str, ...]
    """The learning outcomes the case works toward."""
    nodes: tuple[ScenarioNode, ...]
    location: Location = field(default_factory=Location, compare=False)

    @property
    def start(self) -> ScenarioNode:
        return self.nodes[0]

    @property
    def endings(self) -> tuple[ScenarioNode, ...]:
        return tuple(node for node in self.nodes if node.ending)

    def node(self, node_id: str) -> ScenarioNode | None:
        return next((n for n in self.nodes if n.id == node_id), None)
