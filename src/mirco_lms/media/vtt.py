"""A WebVTT reader that checks what browsers need to show captions.

Checked (W3C WebVTT, "WebVTT file" syntax): the ``WEBVTT`` signature on the first line,
the blank line ending the header, each cue's timing line
``[hh:]mm:ss.ttt --> [hh:]mm:ss.ttt [settings]`` (minutes and seconds under 60, three
digits of milliseconds), an end after the start, cues in order of their start time, and
a cue text. ``NOTE``, ``STYLE`` and ``REGION`` blocks are skipped. Every problem names
its line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from mirco_lms.errors import Diagnostic, Location

_TIME = r"(?:(\d{2,}):)?(\d{2}):(\d{2})\.(\d{3})"
_TIMING = re.compile(rf"^{_TIME}[ \t]+-->[ \t]+{_TIME}(?:[ \t]+(.*))?$")
_SIGNATURE = re.compile(r"^WEBVTT(?:[ \t].*)?$")
_SKIPPED = ("NOTE", "STYLE", "REGION")


@dataclass(frozen=True)
class Cue:
    """One caption: when it shows and what it says."""

    start: float
    """Seconds."""
    end: float
    text: str
    line: int
    """1-based line of the timing line."""


@dataclass(frozen=True)
class Captions:
    """A parsed WebVTT file: its cues, and what is wrong with it."""

    cues: tuple[Cue, ...]
    problems: tuple[Diagnostic, ...]


def _seconds(hours: str | None, minutes: str, seconds: str, millis: str) -> float | None:
    if int(minutes) > 59 or int(seconds) > 59:
        return None
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000


def parse_vtt(text: str, where: Location) -> Captions:
    """Read WebVTT ``text``; ``where`` names the file (problems carry their line)."""
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    problems: list[Diagnostic] = []

    def problem(line: int, message: str, hint: str) -> None:
        problems.append(Diagnostic(message, Location(where.file, line), hint))

    if not _SIGNATURE.match(lines[0]):
        problem(1, f"a WebVTT file starts with 'WEBVTT', not {lines[0][:30]!r}",
                "write WEBVTT on the first line, then a blank line, then the cues")
        return Captions((), tuple(problems))
    index = 1
    while index < len(lines) and lines[index].strip():  # header lines
        if "-->" in lines[index]:
            problem(index + 1, "a blank line must separate the WEBVTT line from the cues",
                    "insert an empty line after the header")
            break
        index += 1
    cues: list[Cue] = []
    while index < len(lines):
        while index < len(lines) and not lines[index].strip():
            index += 1
        start = index
        while index < len(lines) and lines[index].strip():
            index += 1
        block = lines[start:index]
        if block:
            cue = _cue(block, start + 1, problem)
            if cue is not None:
                if cues and cue.start < cues[-1].start:
                    problem(cue.line, "this cue starts before the one above it",
                            "order the cues by their start time")
                cues.append(cue)
    return Captions(tuple(cues), tuple(problems))


def _cue(block: list[str], first: int, problem: Callable[[int, str, str], None]) -> Cue | None:
    if block[0].split(None, 1)[0] in _SKIPPED and "-->" not in block[0]:
        return None
    timing_at = 0 if "-->" in block[0] else 1
    if timing_at >= len(block) or "-->" not in block[timing_at]:
        problem(first, f"a cue needs a timing line such as '00:01.000 --> 00:04.000', "
                f"found {block[min(timing_at, len(block) - 1)][:40]!r}",
                "write the start and end time of the cue under its (optional) identifier")
        return None
    line = first + timing_at
    found = _TIMING.match(block[timing_at].strip())
    if found is None:
        problem(line, f"bad cue timing {block[timing_at].strip()!r}",
                "write [hh:]mm:ss.ttt --> [hh:]mm:ss.ttt, e.g. 00:01.000 --> 00:04.500")
        return None
    groups = found.groups()
    start, end = _seconds(*groups[0:4]), _seconds(*groups[4:8])
    if start is None or end is None:
        problem(line, f"minutes and seconds go up to 59 in {block[timing_at].strip()!r}",
                "write 01:05.000 rather than 00:65.000")
        return None
    if end <= start:
        problem(line, "the cue ends before it starts", "the end time must follow the start time")
        return None
    text = "\n".join(block[timing_at + 1:]).strip()
    if not text:
        problem(line, "the cue has no text", "write the caption under its timing line")
        return None
    return Cue(start, end, text, line)


def transliterate_vtt(text: str, convert: Callable[[str], str]) -> str:
    """``text`` with the cue texts passed through ``convert`` (timings, identifiers,
    header and ``NOTE`` blocks unchanged): sr-Latn captions → sr-Cyrl."""
    out: list[str] = []
    in_cue = False
    for line in text.split("\n"):
        if not line.strip():
            in_cue = False
            out.append(line)
        elif "-->" in line:
            in_cue = True
            out.append(line)
        else:
            out.append(convert(line) if in_cue else line)
    return "\n".join(out)
