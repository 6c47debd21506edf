"""The interactive block kinds by name: :func:`register` one, :func:`get` it, iterate them."""

from __future__ import annotations

from collections.abc import Iterator

from mirco_lms.blocks.base import BlockKind
from mirco_lms.errors import MircoError

_KINDS: dict[str, BlockKind] = {}


def register(kind: BlockKind) -> BlockKind:
    """Add ``kind`` (its name must be new); returns it."""
    if kind.name in _KINDS:
        raise MircoError(f"the block kind {kind.name!r} is already registered",
                         hint="give the new block kind its own container name")
    _KINDS[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    """Remove the kind ``name`` (tests that register a kind of their own)."""
    _KINDS.pop(name, None)


def find(name: str) -> BlockKind | None:
    """The kind whose container is ``::: name``, if any."""
    return _KINDS.get(name)


def names() -> frozenset[str]:
    """Every block container name."""
    return frozenset(_KINDS)


def kinds() -> Iterator[BlockKind]:
    """The registered kinds, in registration order."""
    return iter(list(_KINDS.values()))
