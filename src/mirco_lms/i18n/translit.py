"""Serbian Latin → Cyrillic transliteration of (inline Markdown) text.

The mapping is the official one-to-one correspondence of the two Serbian alphabets,
with the digraphs ``lj``, ``nj`` and ``dž`` becoming ``љ``, ``њ`` and ``џ``. Words in which
those letter pairs are *not* digraphs (``injekcija``, ``nadživeti``…) are listed in
:data:`SPLIT_DIGRAPHS`.

Never transliterated:

- inline code, link and image targets, reference labels, footnote labels, attribute
  blocks ``{…}``, HTML entities and tags, autolinks;
- URLs (``https://…``, ``www.…``), e-mail addresses and file names with an extension;
- placeholders of UI strings (``{score}``, ``%(count)s``);
- words with letters outside the Serbian Latin alphabet (``q w x y``): foreign names
  such as *Frontex* or *Twitter*;
- the tokens Serbian Cyrillic publishing keeps in Latin script (see :mod:`.latin_tokens`
  and docs/translation.md): Roman numerals (*Deo III*, *Dublin III*), unit symbols after
  a number (*5 km*, *20 °C*, *12 m²*), designations mixing letters and digits (*A4*,
  *H2O*, *CO2*), standard and document numbers (*ISO 9001*, *(EU) 2016/399*), Latin
  abbreviations with no Cyrillic form (*e.g.*, *i.e.*, *et al.*), domain names;
- opt-out spans written ``[text]{.notranslit}`` (the marker is removed from the output;
  see :func:`strip_optouts` for languages that are not transliterated).
"""

from __future__ import annotations

import re

from mirco_lms.i18n.latin_tokens import LATIN_TOKENS, keeps_roman

_SINGLE = dict(
    zip(
        "abcčćdđefghijklmnoprsštuvzž",
        "абцчћдђефгхијклмнопрсштувзж",
        strict=True,
    )
)
_SINGLE.update({k.upper(): v.upper() for k, v in list(_SINGLE.items())})
_DIGRAPHS = {
    "lj": "љ", "Lj": "Љ", "LJ": "Љ", "lJ": "љ",
    "nj": "њ", "Nj": "Њ", "NJ": "Њ", "nJ": "њ",
    "dž": "џ", "Dž": "Џ", "DŽ": "Џ", "dŽ": "џ",
    "ǉ": "љ", "ǈ": "Љ", "Ǉ": "Љ", "ǌ": "њ", "ǋ": "Њ", "Ǌ": "Њ", "ǆ": "џ", "ǅ": "Џ", "Ǆ": "Џ",
}
_DIGRAPH = re.compile("|".join(sorted(map(re.escape, _DIGRAPHS), key=len, reverse=True)))
_SPLIT = "\u2060"  # a word joiner: keeps two letters apart while transliterating

SPLIT_DIGRAPHS: tuple[str, ...] = (
    # n + j: a prefix (in-, kon-, van-, pan-) before a stem starting with j
    "in|jekc", "in|jekt", "kon|jug", "kon|junk", "van|jezi", "van|jevrop", "pan|jelin",
    # d + ž: a prefix (nad-, od-, pod-) before a stem starting with ž
    "nad|živ", "nad|žnj", "nad|žanj", "od|žali", "pod|žanr", "pod|župan",
)
"""Stems in which ``nj`` or ``dž`` are two letters, not one (``|`` marks the split).

Only stems that cannot be read otherwise are listed: *odžak* (chimney) is *оџак*, and
*Tanjug* is *Танјуг*, so neither ``od|ž`` nor ``tan|jug`` is a rule."""
_SPLITS = [
    (re.compile(re.escape(stem.replace("|", "")), re.IGNORECASE), stem.index("|"))
    for stem in SPLIT_DIGRAPHS
]

OPTOUT = re.compile(r"\[((?:[^\[\]\\]|\\.)*)\]\{\s*\.notranslit\s*\}")
"""``[text]{.notranslit}``: text kept as written (the marker itself is removed)."""

_PROTECTED = re.compile(
    r"""
      (?P<code>(?P<ticks>`+)(?:.|\n)*?(?P=ticks))             # inline code
    | (?P<dest>\]\((?:[^()\s]|\([^()\s]*\))*)                  # ](target of a link or image
    | (?P<ref>\]\[[^\]]*\])                                    # ][label] of a reference link
    | (?P<foot>\[\^[^\]]*\])                                   # [^label] footnote
    | (?P<attrs>\{[^{}\n]*\})                                  # {attributes} / {placeholder}
    | (?P<pct>%\(\w+\)[sdifr]|%[sd])                           # %(name)s placeholders
    | (?P<auto><(?:https?|mailto|ftp):[^>\s]*>|<[A-Za-z][^>\n]*>|</[A-Za-z][^>\n]*>)
    | (?P<entity>&(?:\#\d+|\#x[0-9a-fA-F]+|\w+);)
    | (?P<url>(?:https?://|ftp://|www\.)[^\s<>()\]]*[^\s<>()\].,;:!?'"])
    | (?P<mail>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)
    | (?P<file>\b[\w-]+\.(?:md|html?|pdf|docx?|xlsx?|pptx?|odt|ods|epub|zip|png|jpe?g|svg|gif
                            |webp|mp4|mp3|webm|vtt|csv|json|xml|ya?ml|toml|txt|po|pot|py|js|css)\b)
    """
    + LATIN_TOKENS,
    re.VERBOSE,
)
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)
_FOREIGN = re.compile(r"[qwxyQWXYäöüßÄÖÜéèêàâîôûÉÈçÇ]")


def transliterate(text: str) -> str:
    """``text`` (Serbian Latin, inline Markdown allowed) in Serbian Cyrillic.

    Markdown syntax, targets, code, URLs, e-mail addresses and opt-out spans survive
    unchanged; opt-out markers are removed.
    """
    out: list[str] = []
    pos = 0
    for match in OPTOUT.finditer(text):
        out.append(_protected(text[pos : match.start()]))
        out.append(match.group(1))
        pos = match.end()
    out.append(_protected(text[pos:]))
    return "".join(out)


def strip_optouts(text: str) -> str:
    """``text`` with ``[x]{.notranslit}`` written as ``x`` (for untransliterated output)."""
    return OPTOUT.sub(lambda m: m.group(1), text) if "notranslit" in text else text


def _protected(text: str) -> str:
    out: list[str] = []
    pos = 0
    for match in _PROTECTED.finditer(text):
        if match.lastgroup == "roman" and not keeps_roman(text, match.start(), match.end()):
            continue  # a word that only looks like a numeral (``VI``, ``I`` in capitals)
        out.append(_words(text[pos : match.start()]))
        out.append(match.group(0))
        pos = match.end()
    out.append(_words(text[pos:]))
    return "".join(out)


_HOUR = re.compile(r"(?<=\d)(\s*)h\b")
"""The hour symbol after a number (``2 h``): ``ч`` in Serbian Cyrillic, not ``х``."""


def _words(text: str) -> str:
    text = _HOUR.sub(lambda m: m.group(1) + "ч", text)
    return _WORD.sub(lambda m: transliterate_word(m.group(0)), text)


def transliterate_word(word: str) -> str:
    """One word: foreign-looking words (``q w x y``…) are kept as they are."""
    if _FOREIGN.search(word):
        return word
    lower = word.lower()
    for pattern, at in _SPLITS:
        found = pattern.search(lower)
        if found is not None:
            cut = found.start() + at
            word = word[:cut] + _SPLIT + word[cut:]
            lower = word.lower()
    converted = _DIGRAPH.sub(lambda m: _DIGRAPHS[m.group(0)], word)
    return "".join(_SINGLE.get(ch, ch) for ch in converted).replace(_SPLIT, "")


_LATIN_LETTER = re.compile(r"[A-Za-zČčĆćĐđŠšŽž]")


def latin_letters(text: str) -> bool:
    """Whether ``text`` holds any Latin letter (used to check Cyrillic output)."""
    return _LATIN_LETTER.search(text) is not None
