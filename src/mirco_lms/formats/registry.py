"""The registry of output formats: every format mirco can build, validate and serve.

The built-in formats (:mod:`.builtin`) are registered the first time the registry is
asked; a project or a plug-in adds one with :func:`register`. Everything that names
formats asks here: mirco.toml's ``[build].formats``, ``mirco build --format``, the build
and its cache, ``mirco validate`` and ``mirco serve``.
"""

from __future__ import annotations

from pathlib import Path

from mirco_lms.formats.base import CourseFormat, Format, ModuleFormat

_FORMATS: dict[str, Format] = {}
_loaded = False


def _registry() -> dict[str, Format]:
    global _loaded
    if not _loaded:
        _loaded = True
        from mirco_lms.formats import builtin

        for fmt in builtin.FORMATS:
            _FORMATS.setdefault(fmt.name, fmt)
    return _FORMATS


def register(fmt: Format) -> Format:
    """Add ``fmt`` (after the formats already there); its name must be new."""
    formats = _registry()
    if fmt.name in formats:
        raise ValueError(f"the output format {fmt.name!r} is already registered")
    formats[fmt.name] = fmt
    return fmt


def unregister(name: str) -> None:
    """Remove the format ``name`` (when it is registered)."""
    _registry().pop(name, None)


def get(name: str) -> Format | None:
    return _registry().get(name)


def module_format(name: str) -> ModuleFormat:
    """The module format ``name``; KeyError when there is none."""
    fmt = _registry().get(name)
    if not isinstance(fmt, ModuleFormat):
        raise KeyError(name)
    return fmt


def course_format(name: str) -> CourseFormat | None:
    fmt = _registry().get(name)
    return fmt if isinstance(fmt, CourseFormat) else None


def formats() -> tuple[Format, ...]:
    """Every registered format, in registration order."""
    return tuple(_registry().values())


def names() -> tuple[str, ...]:
    """The formats ``[build].formats`` and ``--format`` accept, in registration order."""
    return tuple(f.name for f in formats() if f.selectable)


def default_names() -> tuple[str, ...]:
    """The formats built when mirco.toml names none."""
    return tuple(f.name for f in formats() if f.selectable and f.default)


def label(name: str) -> str:
    """The format's label, or ``name`` itself when no format has that name."""
    fmt = get(name)
    return fmt.label if fmt is not None else name


def implicit() -> tuple[str, ...]:
    """Module formats built with every module whatever is selected (the descriptor)."""
    return tuple(f.name for f in formats() if isinstance(f, ModuleFormat) and not f.selectable)


def recognise(path: Path) -> Format | None:
    """The first format (in registration order) that says ``path`` is one of its outputs."""
    for fmt in formats():
        if fmt.recognises(path):
            return fmt
    return None
