"""Rules a translation must keep: placeholders, one option per option, answers left.

Each rule returns a message (or None); callers raise it as a
:class:`~mirco_lms.errors.TranslationError` at the PO line of the translation.
"""

from __future__ import annotations

import re
from collections import Counter

_PLACEHOLDER = re.compile(r"%\([A-Za-z_]\w*\)[sdifr]|%[sd]|\{[A-Za-z_]\w*\}")
_LONE_PERCENT = re.compile(r"%(?!%|\([A-Za-z_]\w*\)[sdifr]|[sd])")
_LIST_LINE = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s")


def placeholders(text: str) -> Counter[str]:
    """``{score}`` and ``%(score)s`` style placeholders of ``text``, counted."""
    return Counter(_PLACEHOLDER.findall(text.replace("%%", "")))


def placeholder_problem(msgid: str, msgstr: str, percent_format: bool) -> str | None:
    """What is wrong with the placeholders of ``msgstr`` compared to ``msgid``."""
    source, target = placeholders(msgid), placeholders(msgstr)
    missing = sorted(set(source) - set(target))
    extra = sorted(set(target) - set(source))
    if missing or extra:
        parts = []
        if missing:
            parts.append("drops " + ", ".join(missing))
        if extra:
            parts.append("adds " + ", ".join(extra))
        return (f"the translation {' and '.join(parts)} (the source {msgid!r} has "
                f"{', '.join(sorted(source)) or 'no placeholders'})")
    if percent_format and _LONE_PERCENT.search(msgstr.replace("%%", "")):
        return "the translation has a lone '%' in a python-format string: write '%%'"
    return None


def is_percent_format(msgid: str) -> bool:
    """Strings formatted with ``%`` (jinja2's gettext): ``%%`` is how they write ``%``."""
    return "%%" in msgid or re.search(r"%\([A-Za-z_]\w*\)[sdifr]", msgid) is not None


def option_problem(msgstr: str) -> str | None:
    """An option's translation must be one option (no bundled list of options)."""
    lines = [line for line in msgstr.split("\n") if line.strip()]
    if len(lines) > 1 and any(_LIST_LINE.match(line) for line in lines[1:]):
        return (f"the translation bundles {len(lines)} options into one; the source has one "
                "option here and every option is translated on its own")
    if len(lines) > 1:
        return "an option is one line: the translation spans several lines"
    return None


def answers_problem(alternatives: list[str]) -> str | None:
    if not alternatives:
        return "the translated fill-in question has no accepted answers left"
    return None
