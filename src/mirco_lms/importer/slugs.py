"""Names for what the import writes: ASCII slugs from titles in any script, and a guess
at the document's language from its letters."""

from __future__ import annotations

import re
import unicodedata

_CYRILLIC = dict(zip(
    "абвгдђежзијклљмнњопрстћуфхцчџшѓќѕ",
    ["a", "b", "v", "g", "d", "dj", "e", "z", "z", "i", "j", "k", "l", "lj", "m", "n", "nj",
     "o", "p", "r", "s", "t", "c", "u", "f", "h", "c", "c", "dz", "s", "g", "k", "dz"],
    strict=True))
_LATIN = {"đ": "dj", "ß": "ss", "æ": "ae", "ø": "o"}


def slugify(text: str, limit: int = 48) -> str:
    """``text`` as lowercase ASCII words joined by hyphens (Cyrillic transliterated)."""
    letters = "".join(_CYRILLIC.get(ch, _LATIN.get(ch, ch)) for ch in text.lower())
    ascii_text = unicodedata.normalize("NFKD", letters).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return slug[:limit].rstrip("-")


def unique(slug: str, taken: set[str]) -> str:
    """``slug``, or ``slug-2``, ``slug-3``… when it is taken; added to ``taken``."""
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        candidate = f"{slug}-{number}"
    taken.add(candidate)
    return candidate


def guess_language(text: str) -> str:
    """``mk``, ``sr-Cyrl``, ``sr-Latn`` or ``en``, from the letters ``text`` uses most."""
    lowered = text.lower()
    cyrillic = sum(1 for ch in lowered if "а" <= ch <= "я" or ch in "ђјљњћџѓќѕ")
    latin = sum(1 for ch in lowered if "a" <= ch <= "z" or ch in "čćšžđ")
    if cyrillic > latin:
        macedonian = sum(lowered.count(ch) for ch in "ѓќѕ")
        serbian = sum(lowered.count(ch) for ch in "ђћ")
        return "mk" if macedonian > serbian else "sr-Cyrl"
    return "sr-Latn" if any(ch in lowered for ch in "čćšžđ") else "en"
