"""Typed reading of front-matter fields, each problem a diagnostic at the field's line.

:class:`Fields` wraps one YAML mapping (:class:`~mirco_lms.course.frontmatter.YamlNode`)
and reads values as the model needs them (text, whole numbers, lists, durations). A
wrong value is reported with what was expected, what was found and where; the reader
then returns a default so loading can go on and find the next problem.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable
from pathlib import Path

from mirco_lms.course.frontmatter import YamlNode
from mirco_lms.errors import Diagnostic, Location

_HOURS_MINUTES = re.compile(
    r"^(?:(\d+(?:\.\d+)?)\s*h(?:ours?|rs?)?)?\s*(?:(\d+)\s*m(?:in(?:utes?|s)?)?)?$", re.I
)
_ISO = re.compile(
    r"^P(?:(\d+)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$", re.I
)
DURATION_HINT = "write a duration such as 6h, 90m, 1h 30m or PT6H30M"


def parse_duration(text: str) -> int:
    """Minutes in ``"6h"``, ``"90m"``, ``"1h 30m"``, ``"1.5h"`` or ISO 8601 ``"PT6H30M"``.

    Raises ValueError for anything else (a bare number is ambiguous and refused).
    """
    text = text.strip()
    match = _HOURS_MINUTES.match(text)
    if match and text and any(match.groups()):
        hours, minutes = match.groups()
        return round(float(hours or 0) * 60 + int(minutes or 0))
    match = _ISO.match(text)
    if match and text.upper() not in ("P", "PT") and not text.upper().endswith("T"):
        days, hours, minutes, seconds = (float(g or 0) for g in match.groups())
        return round(days * 1440 + hours * 60 + minutes + seconds / 60)
    raise ValueError(f"not a duration: {text!r}")


class Fields:
    """Reads the fields of one YAML mapping, collecting problems as diagnostics."""

    def __init__(self, node: YamlNode, path: Path, diagnostics: list[Diagnostic]) -> None:
        self.node = node
        self.values: dict[str, YamlNode] = node.value if isinstance(node.value, dict) else {}
        self.path = path
        self.diagnostics = diagnostics

    def __contains__(self, key: str) -> bool:
        return key in self.values and self.values[key].value is not None

    def line(self, key: str | None = None) -> int:
        if key is not None and key in self.values:
            return self.node.key_lines.get(key, self.values[key].line)
        return self.node.line

    def error(self, key: str | None, message: str, hint: str | None = None) -> None:
        self.diagnostics.append(Diagnostic(message, Location(self.path, self.line(key)), hint))

    def warn(self, key: str | None, message: str, hint: str | None = None) -> None:
        self.diagnostics.append(
            Diagnostic(message, Location(self.path, self.line(key)), hint, "warning")
        )

    def check_unknown(self, known: Iterable[str], where: str = "") -> None:
        """Warn about keys this mapping does not use (with a 'did you mean')."""
        known = list(known)
        for key in self.values:
            if key in known:
                continue
            close = difflib.get_close_matches(key, known, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"known keys: {', '.join(known)}"
            self.warn(key, f"unknown key {key!r}{where} is ignored", hint)

    def require(self, *keys: str) -> None:
        for key in keys:
            if key not in self:
                self.error(
                    None,
                    f"the required key {key!r} is missing",
                    f"add a line '{key}: …' to the front matter",
                )

    def text(self, key: str, default: str = "") -> str:
        """A scalar as written (numbers and dates included: ``1.10`` stays ``1.10``)."""
        if key not in self:
            return default
        node = self.values[key]
        if not node.is_scalar or isinstance(node.value, bool | bytes):
            self.error(
                key,
                f"{key} must be text, not {_describe(node)}",
                f"write '{key}: some text' (quote it if it contains ': ')",
            )
            return default
        return (node.text if node.text is not None else str(node.value)).strip()

    def integer(self, key: str, default: int, example: int | None = None) -> int:
        """A whole number; a wrong value's hint shows ``example`` (else ``default``)."""
        if key not in self:
            return default
        node = self.values[key]
        if (
            isinstance(node.value, bool)
            or not isinstance(node.value, int | float)
            or (isinstance(node.value, float) and not node.value.is_integer())
        ):
            self.error(
                key,
                f"{key} must be a whole number, not {_describe(node)}",
                f"write e.g. '{key}: {default if example is None else example}'",
            )
            return default
        return int(node.value)

    def boolean(self, key: str, default: bool) -> bool:
        if key not in self:
            return default
        node = self.values[key]
        if not isinstance(node.value, bool):
            self.error(
                key,
                f"{key} must be true or false, not {_describe(node)}",
                f"write '{key}: true' or '{key}: false'",
            )
            return default
        return node.value

    def strings(self, key: str) -> tuple[str, ...]:
        """A list of texts; a single text counts as a list of one."""
        if key not in self:
            return ()
        node = self.values[key]
        items = node.value if node.is_list else [node]
        out: list[str] = []
        for item in items:
            if not item.is_scalar or item.value is None or isinstance(item.value, bool):
                self.error(
                    key,
                    f"every entry of {key} must be text, not {_describe(item)}",
                    f"write '{key}: [first, second]'",
                )
                continue
            out.append((item.text if item.text is not None else str(item.value)).strip())
        return tuple(out)

    def duration(self, key: str) -> int | None:
        """Minutes, or None when absent or wrong (wrong is reported)."""
        if key not in self:
            return None
        node = self.values[key]
        try:
            if not isinstance(node.value, str):
                raise ValueError
            minutes = parse_duration(node.value)
        except ValueError:
            self.error(key, f"{key} {_describe(node)} is not a duration", DURATION_HINT)
            return None
        return minutes

    def maps(self, key: str) -> list[Fields]:
        """A list of mappings (``outcomes:``, ``syllabus:``), each as its own reader."""
        if key not in self:
            return []
        node = self.values[key]
        if not node.is_list:
            self.error(
                key,
                f"{key} must be a list of entries, not {_describe(node)}",
                f"write each entry of {key} on a line starting with '- '",
            )
            return []
        out: list[Fields] = []
        for item in node.value:
            if not item.is_map:
                self.diagnostics.append(
                    Diagnostic(
                        f"each entry of {key} must be 'key: value' lines, not {_describe(item)}",
                        Location(self.path, item.line),
                        f"write e.g. '- id: X' then '  text: …' under {key}",
                    )
                )
                continue
            out.append(Fields(item, self.path, self.diagnostics))
        return out


def _describe(node: YamlNode) -> str:
    if node.is_list:
        return "a list"
    if node.is_map:
        return "a mapping"
    if node.value is None:
        return "an empty value"
    if isinstance(node.value, float) and not math.isfinite(node.value):
        return repr(node.text)
    return repr(node.text if node.text is not None else node.value)
