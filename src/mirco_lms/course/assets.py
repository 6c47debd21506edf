"""Which files a module's Markdown points at: classification of link/image targets.

Used by the loader (``Module.assets``) and by the checks (broken, unsafe or remote
targets). Paths are normalized POSIX paths relative to the module folder.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import unquote

from markdown_it.token import Token

from mirco_lms.course.model import Question
from mirco_lms.course.targets import Target, find_targets, may_hide_targets, targets_in

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
REMOTE_SCHEMES = frozenset({"http", "https"})
CONTACT_SCHEMES = frozenset({"mailto", "tel"})


# --- targets (links, images) ---------------------------------------------------------------


@dataclass(frozen=True)
class Resolved:
    """What a link or image target points at."""

    kind: str
    """``local``, ``anchor``, ``remote``, ``contact``, ``data``, ``scheme``, ``absolute``,
    ``outside``, ``backslash`` or ``empty``."""
    path: str = ""
    """For ``local``: the normalized POSIX path relative to the module folder."""


def resolve_target(url: str) -> Resolved:
    """Classify a link/image target written in a module's Markdown."""
    url = url.strip()
    if not url:
        return Resolved("empty")
    if url.startswith("#"):
        return Resolved("anchor")
    if url.startswith("//"):
        return Resolved("remote")
    scheme = _SCHEME.match(url)
    if scheme and len(scheme.group(1)) > 1:
        name = scheme.group(1).lower()
        if name in REMOTE_SCHEMES:
            return Resolved("remote")
        if name in CONTACT_SCHEMES:
            return Resolved("contact")
        return Resolved("data" if name == "data" else "scheme")
    path = unquote(url.split("#", 1)[0].split("?", 1)[0])
    if scheme or path.startswith("/"):
        return Resolved("absolute", path)
    if "\\" in path:
        return Resolved("backslash", path)
    if not path:
        return Resolved("anchor")
    normal = posixpath.normpath(path)
    if normal == ".." or normal.startswith("../"):
        return Resolved("outside", path)
    return Resolved("local", normal)


FindTargets = Callable[[str], Sequence[Target]]
"""A function giving the link and image targets of a Markdown text."""


class TargetCache:
    """Link and image targets of Markdown texts, each text parsed at most once.

    The loader adds the targets of every document it parses anyway (from the
    same tokens); the assets and the checks then look texts up instead of parsing again.
    Calling the cache with a text it has not seen parses that text.
    """

    def __init__(self) -> None:
        self._by_text: dict[str, list[Target]] = {}

    def add(self, text: str, tokens: Sequence[Token]) -> None:
        """Remember the targets of ``text`` from ``tokens`` (its :func:`parse` result)."""
        if text not in self._by_text:
            self._by_text[text] = (find_targets(text) if may_hide_targets(text)
                                   else targets_in(tokens, text))

    def __call__(self, text: str) -> list[Target]:
        targets = self._by_text.get(text)
        if targets is None:
            targets = self._by_text[text] = find_targets(text)
        return targets


def local_assets(text: str, find: FindTargets = find_targets) -> list[str]:
    """Module-relative paths of the images, media and files that ``text`` uses.

    Links to other Markdown files (lessons) are not assets; unsafe paths are left out
    (the checks report them). ``find`` gives the targets of a text (e.g. a
    :class:`TargetCache`).
    """
    out: dict[str, None] = {}
    for target in find(text):
        resolved = resolve_target(target.url)
        if resolved.kind != "local" or resolved.path == ".":
            continue
        if target.kind == "link" and resolved.path.lower().endswith(".md"):
            continue
        out[resolved.path] = None
    return list(out)


def question_markdown(question: Question) -> str:
    """All Markdown of a question (stem, options, feedback) as one text, for scanning."""
    parts = [question.stem_md, question.feedback_md]
    for name in ("choices", "answers", "pairs", "items"):
        for part in getattr(question, name, ()):
            parts.extend(
                str(getattr(part, attr, ""))
                for attr in ("text_md", "source_md", "target_md", "feedback_md")
            )
    parts += [getattr(question, "feedback_true_md", ""), getattr(question, "feedback_false_md", "")]
    return "\n\n".join(p for p in parts if p)
