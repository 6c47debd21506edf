"""Paths named by authors and clients, kept inside a folder.

A name from a module's YAML, a Markdown link or a preview URL may hold what no file
name can: a NUL byte (the operating system's calls raise ValueError), a name too long
(OSError), ``..`` or an absolute path that leaves the folder. :func:`inside` is the one
answer to "which file of ``root`` is this?": the path, or None — never an exception.
"""

from __future__ import annotations

from pathlib import Path


def inside(root: Path, name: str) -> Path | None:
    """``root / name`` resolved, if it is ``root`` itself or under it (links followed);
    None when it leaves ``root`` or cannot be a path on this system (a name too long may
    still come back: no file has it, which :func:`inside_file` says)."""
    try:
        base = root.resolve()
        path = (root / name).resolve()
    except (ValueError, OSError, RuntimeError):  # a NUL byte; a loop of links
        return None
    return path if path == base or path.is_relative_to(base) else None


def inside_file(root: Path, name: str) -> Path | None:
    """:func:`inside`, and an existing file there (None otherwise)."""
    path = inside(root, name)
    try:
        return path if path is not None and path.is_file() else None
    except (ValueError, OSError):
        return None
