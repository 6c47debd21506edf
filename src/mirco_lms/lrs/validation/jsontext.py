"""The one JSON reader of the collector: :func:`loads_json`.

Every JSON text the LRS reads from a client goes through it — request bodies, JSON query
parameters (``agent``), documents merged by POST, ``more`` tokens and each line of
``mirco lrs import``. Beyond RFC 8259 it refuses what a later step could not handle:

- nesting deeper than :data:`MAX_DEPTH` (Python's parser and every recursive walk over
  the value would otherwise end in ``RecursionError``);
- numbers too large for a double (``1e400``, a 400-digit integer), which become
  ``inf`` in reports, sums and ``format=canonical`` answers;
- the NUL character (``\\u0000``), which PostgreSQL's text and ``jsonb`` cannot hold;
- ``NaN``/``Infinity`` and lone UTF-16 surrogates (``\\ud800``), which are not JSON
  values or characters.

Each refusal is a :class:`JsonRefused` (a ``ValueError``) naming the JSON path.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

MAX_DEPTH = 64
"""Deepest nesting of arrays and objects accepted (a statement needs about 10)."""
MAX_INT_DIGITS = 308
"""Integers with more digits are beyond any double."""

_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE_ESCAPE_BYTES = re.compile(rb"\\u[dD][89a-fA-F]")
_TOO_BIG = float("inf")


class JsonRefused(ValueError):
    """Valid-looking JSON the LRS does not accept; ``path`` says where."""

    def __init__(self, message: str, path: str = "$") -> None:
        super().__init__(f"{path}: {message}" if path != "$" else message)
        self.path = path


def _no_constant(name: str) -> Any:
    raise JsonRefused(f"{name} is not a JSON value (JSON has no NaN or Infinity)")


def _float(text: str) -> float:
    return float(text)  # 1e400 → inf, found with its path by the walk


def _int(text: str) -> int | float:
    digits = len(text) - (text[0] == "-")
    return _TOO_BIG if digits > MAX_INT_DIGITS else int(text)


def loads_json(text: str | bytes) -> Any:
    """Parse JSON (``ValueError`` if it is not JSON, :class:`JsonRefused` for the limits
    above)."""
    try:
        data = json.loads(
            text, parse_constant=_no_constant, parse_float=_float, parse_int=_int
        )
    except RecursionError:
        raise JsonRefused(
            f"nested deeper than {MAX_DEPTH} arrays or objects",
        ) from None
    if isinstance(text, bytes):
        encoding = json.detect_encoding(text)
        decoded = text.decode(encoding, "replace") if not encoding.startswith("utf-8") else None
        escaped = (
            _SURROGATE_ESCAPE.search(decoded)
            if decoded is not None
            else _SURROGATE_ESCAPE_BYTES.search(text)
        )
        nul = b"\\u0000" in text if decoded is None else "\\u0000" in decoded
    else:
        escaped = _SURROGATE_ESCAPE.search(text)
        nul = "\\u0000" in text
    if isinstance(data, dict | list):
        _check(data, check_text=bool(escaped) or nul)
    elif isinstance(data, float | str):
        _check_leaf(data, "$")
    return data


def _check(root: dict[str, Any] | list[Any], *, check_text: bool) -> None:
    """Depth, numbers and (when the text has escapes that can make them) characters, by
    an explicit stack: nothing here can recurse."""
    stack: list[tuple[Any, int, Any]] = [(root, 1, None)]
    while stack:
        value, depth, trail = stack.pop()
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            if check_text and isinstance(key, str):
                _check_leaf(key, _path((trail, key)))
            if isinstance(item, dict | list):
                if depth >= MAX_DEPTH:
                    raise JsonRefused(
                        f"nested deeper than {MAX_DEPTH} arrays or objects", _path((trail, key))
                    )
                if item:
                    stack.append((item, depth + 1, (trail, key)))
            elif (isinstance(item, float) and not math.isfinite(item)) or (
                check_text and isinstance(item, str)
            ):
                _check_leaf(item, _path((trail, key)))


def _check_leaf(value: float | str, path: str) -> None:
    if isinstance(value, float):
        if not math.isfinite(value):
            raise JsonRefused("the number is too large (the limit is about 1e308)", path)
        return
    if "\x00" in value:
        raise JsonRefused("holds the NUL character \\u0000, which is not allowed", path)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = value[exc.start]
        raise JsonRefused(
            f"holds a lone surrogate \\u{ord(bad):04x}, which is not a character", path
        ) from None


def _path(trail: Any) -> str:
    keys: list[Any] = []
    while trail is not None:
        trail, key = trail
        keys.append(key)
    out = "$"
    for key in reversed(keys):
        out += f"[{key}]" if isinstance(key, int) else f".{key}"
    return out
