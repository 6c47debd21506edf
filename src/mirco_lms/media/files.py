"""Which file of the module folder a language uses: overrides and the media conventions.

- **Language overrides.** ``images/<lang>/map.png`` (any folder: ``media/<lang>/intro.mp4``)
  replaces ``images/map.png`` in the packages of ``<lang>``; the page keeps pointing at
  ``images/map.png``, the package holds the language's file under that name.
- **Media siblings.** Next to ``media/intro.mp4``: its captions ``media/intro.<lang>.vtt``,
  its transcript ``media/intro.<lang>.md`` and its poster ``media/intro.jpg`` (``.png``,
  ``.webp``) — per language too (``media/intro.mk.vtt``), the language override
  folders apply to them as to any file.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path

from mirco_lms.i18n import locales

VIDEO_EXTENSIONS = frozenset({".mp4", ".webm", ".ogv", ".m4v"})
AUDIO_EXTENSIONS = frozenset({".mp3", ".ogg", ".oga", ".wav", ".m4a", ".opus"})
POSTER_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp")


def extension(url: str) -> str:
    """``.mp4`` of ``media/intro.MP4?x#t=2`` (lower case), or empty."""
    path = url.split("?", 1)[0].split("#", 1)[0]
    dot = path.rfind(".")
    return path[dot:].lower() if dot > path.rfind("/") else ""


def media_kind(url: str) -> str | None:
    """``video``, ``audio``, or None for anything else."""
    ext = extension(url)
    if ext in VIDEO_EXTENSIONS:
        return "video"
    return "audio" if ext in AUDIO_EXTENSIONS else None


def _stem(path: str) -> str:
    return path[: len(path) - len(extension(path))] if extension(path) else path


def localized_path(path: str, language: str, root: Path | None) -> str:
    """The module-relative file ``language`` reads for ``path``: ``dir/<lang>/name`` when
    it exists, else ``path`` itself."""
    if root is None:
        return path
    folder, name = posixpath.split(path)
    candidate = posixpath.join(folder, language, name)
    return candidate if (root / candidate).is_file() else path


def captions_path(media: str, language: str) -> str:
    return f"{_stem(media)}.{language}.vtt"


def transcript_path(media: str, language: str) -> str:
    return f"{_stem(media)}.{language}.md"


def poster_path(media: str, root: Path | None) -> str | None:
    """The poster image next to a video (``intro.jpg`` for ``intro.mp4``), if there is one."""
    if root is None:
        return None
    for ext in POSTER_EXTENSIONS:
        candidate = _stem(media) + ext
        if (root / candidate).is_file():
            return candidate
    return None


@dataclass(frozen=True)
class LanguageFile:
    """A per-language file (captions, transcript) as a package in one language uses it."""

    language: str
    """The language of its text (``srclang``)."""
    path: str
    """Its path in the package."""
    origin: str
    """The module-relative file it is made from."""
    transliterate: bool = False
    """Made by transliterating ``origin`` (sr-Latn → sr-Cyrl)."""


def language_file(
    name: str, language: str, root: Path | None
) -> LanguageFile | None:
    """``name`` (a captions or transcript path of ``language``) as the package makes it:
    the language's own file, else one transliterated from the language it is written from
    (sr-Cyrl from sr-Latn), else None."""
    if root is None:
        return None
    own = localized_path(name, language, root)
    if (root / own).is_file():
        return LanguageFile(language, name, own)
    base = locales.TRANSLITERATED_FROM.get(language)
    if base is not None:
        source = name[: -len(language) - len(extension(name)) - 1] + f".{base}{extension(name)}"
        found = localized_path(source, language, root)
        if (root / found).is_file():
            return LanguageFile(language, name, found, transliterate=True)
    return None


def caption_tracks(
    media: str, language: str, source: str, root: Path | None
) -> list[LanguageFile]:
    """The caption tracks of ``media`` in a package in ``language``: the language's own
    captions first (the default track), then the captions of the spoken (source)
    language; a language without captions of its own gets only the source's."""
    tracks: list[LanguageFile] = []
    for code in dict.fromkeys((language, source)):
        found = language_file(captions_path(media, code), code, root)
        if found is not None:
            tracks.append(found)
    return tracks


def transcript_file(
    media: str, language: str, source: str, root: Path | None
) -> LanguageFile | None:
    """The transcript shown under ``media`` in ``language`` (the source's when the language
    has none)."""
    return (language_file(transcript_path(media, language), language, root)
            or language_file(transcript_path(media, source), source, root))


def resolve_local(url: str) -> str | None:
    """The module-relative path of a media URL written in Markdown, if it is local."""
    from urllib.parse import unquote

    path = unquote(url.split("#", 1)[0].split("?", 1)[0])
    if not path or "://" in path or path.startswith(("/", "\\")) or ":" in path:
        return None
    normal = posixpath.normpath(path)
    return None if normal.startswith("..") else normal


def caption_files(media: str, root: Path) -> list[str]:
    """Every captions file of ``media`` in the module folder (all languages, overrides
    included), module-relative."""
    folder, name = posixpath.split(media)
    stem = name[: len(name) - len(extension(name))]
    out = []
    for directory in [root / folder, *sorted(p for p in (root / folder).glob("*") if p.is_dir())]:
        for path in directory.glob(f"{stem}.*.vtt"):
            out.append(path.relative_to(root).as_posix())
    return out
