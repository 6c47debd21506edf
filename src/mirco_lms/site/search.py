"""The e-library's search index, made at build time: a JavaScript file per language that
the search page loads with a ``<script>`` element, so that search works from a web
server, from a USB stick and from ``file://``, offline.

Words are *folded* the same way here and in ``search.js``: decomposed (NFKD), marks
removed, lowercased, then Cyrillic letters spelled in Latin (Serbian and Macedonian
letters) — so ``zastita``, ``zaštita`` and ``заштита`` find the same pages. The fold
table travels in the index, so the browser folds queries with the very same table.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

FOLD = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "dj", "е": "e", "ж": "z",
    "з": "z", "и": "i", "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n",
    "њ": "nj", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "ћ": "c", "у": "u",
    "ф": "f", "х": "h", "ц": "c", "ч": "c", "џ": "dz", "ш": "s", "ѕ": "dz", "đ": "dj",
}
"""Letters after decomposition (``ѓ`` is ``г`` + a mark) → their Latin spelling."""
_WORD = re.compile(r"[^\W_]+")
MIN_LENGTH = 2
EXCERPT = 200


def fold(text: str) -> str:
    """``text`` as the index compares it (see the module docstring)."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return "".join(FOLD.get(ch, ch) for ch in bare)


def words(text: str) -> list[str]:
    """The folded words of ``text`` that the index keeps."""
    return [w for w in _WORD.findall(fold(text)) if len(w) >= MIN_LENGTH]


@dataclass(frozen=True)
class Document:
    """One page of the site, as search finds it."""

    url: str
    """Relative to the language's folder (``<slug>/lesson-x.html``)."""
    title: str
    module: str
    text: str
    """The page's visible text."""


def index_script(documents: Sequence[Document]) -> str:
    """``search-index.js``: the documents and, for every word, the pages that have it."""
    terms: dict[str, dict[int, int]] = {}
    for number, doc in enumerate(documents):
        for word in words(f"{doc.title} {doc.title} {doc.text}"):
            counts = terms.setdefault(word, {})
            counts[number] = counts.get(number, 0) + 1
    data = {
        "fold": FOLD,
        "docs": [{"url": d.url, "title": d.title, "module": d.module,
                  "excerpt": _excerpt(d.text)} for d in documents],
        "terms": {word: [[n, c] for n, c in sorted(counts.items())]
                  for word, counts in sorted(terms.items())},
    }
    body = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return f"window.MIRCO_SEARCH = {body};\n"


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= EXCERPT:
        return text
    cut = text[:EXCERPT].rsplit(" ", 1)[0]
    return cut + " …"
