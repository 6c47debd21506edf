"""The question types by name: :func:`register` one, :func:`get` it, iterate them.

Types are asked in registration order when an answer list has no ``type=`` (see
:meth:`QuestionKind.detects`), so a type that refines another registers first.
"""

from __future__ import annotations

from collections.abc import Iterator

from mirco_lms.course.model import QuestionBase
from mirco_lms.errors import MircoError
from mirco_lms.questions.base import QuestionKind

_KINDS: dict[str, QuestionKind] = {}


def register(kind: QuestionKind) -> QuestionKind:
    """Add ``kind`` (its name and aliases must be new); returns it."""
    names = (kind.name, *kind.aliases)
    taken = [n for n in names if n in _KINDS or n in _aliases()]
    if taken:
        raise MircoError(f"the question type name {taken[0]!r} is already registered",
                         hint="give the new type its own name and aliases")
    _KINDS[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    """Remove the type ``name`` (tests that register a type of their own)."""
    _KINDS.pop(name, None)


def get(name: str) -> QuestionKind:
    """The type named ``name`` (its own name, as ``Question.type`` holds)."""
    try:
        return _KINDS[name]
    except KeyError:
        raise MircoError(f"unknown question type {name!r}",
                         hint=f"registered types: {', '.join(_KINDS)}") from None


def of(question: QuestionBase) -> QuestionKind:
    """The type of ``question``."""
    return get(question.type)


def find(written: str) -> QuestionKind | None:
    """The type an author means by ``type=written`` (a name or an alias), if any."""
    return _aliases().get(written.lower())


def names() -> list[str]:
    """Every name an author may write as ``type=``, sorted."""
    return sorted(_aliases())


def kinds() -> Iterator[QuestionKind]:
    """The registered types, in registration order."""
    return iter(list(_KINDS.values()))


def inline_kinds() -> frozenset[str]:
    """The translation kinds of every type's one-line texts."""
    return frozenset(k for kind in _KINDS.values() for k in kind.inline_kinds)


def attributes() -> tuple[str, ...]:
    """The heading attributes of every type's own (``QuestionKind.attributes``)."""
    return tuple(dict.fromkeys(a for kind in _KINDS.values() for a in kind.attributes))


def _aliases() -> dict[str, QuestionKind]:
    return {n: kind for kind in _KINDS.values() for n in (kind.name, *kind.aliases)}
