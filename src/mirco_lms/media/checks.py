"""Checks of the video and audio a module shows, at the Markdown line that shows them.

Captions are what makes speech accessible (WCAG 2.2, 1.2.2 Captions (Prerecorded)),
and a transcript is the alternative to audio-only content (1.2.1), so, as Moodle, Rise
and Adapt ask of authors:

- a video needs captions in the module's language (``<name>.<lang>.vtt``) — an error
  unless it has no speech, said with ``{captions=none}``;
- an audio file needs a transcript in the module's language (``<name>.<lang>.md``);
- every captions file next to a media file must be valid WebVTT (errors at its line);
- a video or audio stands alone in its paragraph (the player and its transcript are
  blocks);
- an SVG image must be well-formed XML (its texts are translated).

A language with no captions of its own is reported when the build makes its packages
(:mod:`.budget`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from markdown_it.token import Token

from mirco_lms.course.markdown import parse
from mirco_lms.course.model import Module
from mirco_lms.errors import Diagnostic, Location
from mirco_lms.media import files
from mirco_lms.media.render import NO_CAPTIONS
from mirco_lms.media.svg import read_diagrams
from mirco_lms.media.vtt import parse_vtt

_MEDIA_URL = re.compile(
    r"\.(?:" + "|".join(e[1:] for e in sorted(files.VIDEO_EXTENSIONS | files.AUDIO_EXTENSIONS))
    + r")\b", re.IGNORECASE)


def _texts(module: Module) -> Iterator[tuple[Path | None, int, str]]:
    root = module.root
    yield (root / "module.md" if root else None), module.location.line or 1, module.overview_md
    for lesson in module.lessons:
        yield lesson.source, lesson.location.line or 1, lesson.body_md


def _media_tokens(text: str) -> Iterator[tuple[Token, int]]:
    """Every video or audio image token of ``text`` with its 0-based line."""
    for block in parse(text):
        if block.type != "inline" or not block.children:
            continue
        start = (block.map or (0, 1))[0]
        offset = 0
        for child in block.children:
            if child.type in ("softbreak", "hardbreak"):
                offset += 1
            elif child.type == "image" and files.media_kind(str(child.attrGet("src"))):
                yield child, start + offset


def check_media(module: Module) -> list[Diagnostic]:
    """Every problem of the module's video, audio and SVG files (errors)."""
    out: list[Diagnostic] = []
    root = module.root
    for file, base, text in _texts(module):
        if not _MEDIA_URL.search(text):
            continue
        for token, line in _media_tokens(text):
            out += _check_one(token, Location(file, base + line), module.language, root)
    if root is not None:
        out += read_diagrams(root, module.assets)[1]
    return out


def _check_one(token: Token, where: Location, source: str, root: Path | None) -> list[Diagnostic]:
    src = str(token.attrGet("src") or "")
    kind = files.media_kind(src)
    out: list[Diagnostic] = []
    if not (token.meta or {}).get("block"):
        out.append(Diagnostic(
            f"the {kind} {src!r} shares its paragraph with text",
            where, "put the media on a line of its own, with blank lines around it"))
    captions = token.attrGet("captions")
    if captions is not None and (kind != "video" or captions != NO_CAPTIONS):
        out.append(Diagnostic(
            f"captions={captions!r}: only a video takes captions=none",
            where, "write {captions=none} after a video without speech (music, ambient "
            "sound); otherwise give it captions: " + files.captions_path(src, source)))
    if root is None or files.resolve_local(src) is None:
        return out
    local = files.resolve_local(src) or src
    if kind == "video" and captions != NO_CAPTIONS and \
            files.language_file(files.captions_path(local, source), source, root) is None:
        out.append(Diagnostic(
            f"the video {src!r} has no captions in {source}",
            where, f"write {files.captions_path(local, source)} (WebVTT), or mark a video "
            "without speech {captions=none}"))
    if kind == "audio" and \
            files.language_file(files.transcript_path(local, source), source, root) is None:
        out.append(Diagnostic(
            f"the audio {src!r} has no transcript in {source}",
            where, f"write {files.transcript_path(local, source)} (Markdown)"))
    for path in sorted(files.caption_files(local, root)):
        captions_file = root / path
        text = captions_file.read_text(encoding="utf-8", errors="replace")
        out += parse_vtt(text, Location(captions_file)).problems
    return out
