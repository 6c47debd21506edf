"""Interactive blocks authors write in Markdown: one kind per container, one registry.

>>> from mirco_lms import blocks
>>> sorted(blocks.names())
['accordion', 'cards', 'hotspots', 'steps', 'tabs']

Each kind (:class:`~mirco_lms.blocks.base.BlockKind`) checks its blocks and renders them
as HTML that reads well without the runtime; its runtime module (``runtime/<name>.js``
and ``.css``) makes them interactive. The build adds the modules of every registered
kind to the learner runtime.
"""

from pathlib import Path

from mirco_lms.blocks.base import RUNTIME_DIR, Block, BlockKind, Item, Problem
from mirco_lms.blocks.builtin import BUILTIN
from mirco_lms.blocks.markdown import (
    block_problems,
    blocks_plugin,
    for_rendering,
    is_block,
    read_blocks,
)
from mirco_lms.blocks.registry import find, kinds, names, register, unregister

for _kind in BUILTIN:
    register(_kind)


def runtime_scripts() -> list[tuple[str, Path]]:
    """(name, path) of the blocks' JS: the shared part, then one module per kind."""
    own = [(f"blocks/{kind.name}.js", kind.script) for kind in kinds()]
    return [("blocks/blocks.js", RUNTIME_DIR / "blocks.js"), *own]


def runtime_styles() -> list[tuple[str, Path]]:
    """(name, path) of the blocks' CSS: the shared part, then one file per kind."""
    own = [(f"blocks/{kind.name}.css", kind.style) for kind in kinds()]
    return [("blocks/blocks.css", RUNTIME_DIR / "blocks.css"), *own]

__all__ = [
    "Block",
    "BlockKind",
    "Item",
    "Problem",
    "block_problems",
    "blocks_plugin",
    "find",
    "for_rendering",
    "is_block",
    "kinds",
    "names",
    "read_blocks",
    "register",
    "runtime_scripts",
    "runtime_styles",
    "unregister",
]
