"""Tokens that stay in Latin script inside Serbian Cyrillic text.

Serbian Cyrillic publishing (the Matica srpska *Pravopis*, and the practice of official
translations of EU and UN texts) keeps some tokens in Latin script:

- **Roman numerals**: *Deo III* → *Део III*, *XXI vek* → *XXI век*;
- **international unit symbols** after a number: *5 km*, *2 kg*, *12 m²*, *20 °C*,
  *100 km/h*, *8 GB* (units of time are written as Serbian abbreviations, *ч*, *мин*,
  *с*: those are converted);
- **designations mixing letters and digits**: paper and model numbers (*A4*, *B2*, *MP3*,
  *3D*), chemical formulas (*H2O*, *CO2*);
- **standard and document numbers**: a standards body followed by a number (*ISO 9001*,
  *ISO/IEC 27001*, *EN 1090-1*), an acronym followed by a document number with a slash
  (*(EU) 2016/399*) and UN document symbols (*A/73/12*); an acronym on its own (*UNHCR*,
  *EU*) or before a plain number (*EU 27*) is transliterated: *УНХЦР*, *ЕУ*;
- **Latin abbreviations that have no Cyrillic form**: *e.g.*, *i.e.*, *et al.*, *cf.*,
  *viz.*, *ibid.*, *op. cit.*, *loc. cit.*, *vs.*, *a.m.*, *p.m.*, *N.B.*;
- **domain names** (*mup.gov.rs*), besides URLs, e-mail addresses and file names.

Roman numerals need context, because some are Serbian words too: a capital ``I`` opening a
sentence is the conjunction *and*, ``VI``, ``MI``, ``LI`` are *you*, *we* and a particle in
text set in capitals, and a capital letter followed by a full stop and a capitalised word is
an initial (*V. Karadžić*). :func:`keeps_roman` decides.
"""

from __future__ import annotations

import re

_UNITS = (
    "km|m|dm|cm|mm|µm|μm|nm|kg|g|dag|mg|µg|μg|t|l|dl|cl|ml|ha|Hz|kHz|MHz|GHz"
    "|W|kW|MW|kWh|MWh|V|kV|mV|A|mA|mAh|Pa|kPa|hPa|bar|N|kN|J|kJ|MJ|kcal|cal|dB|lx|lm|mol"
    "|B|kB|KB|MB|GB|TB|bit|kbit|Mbit|Gbit|bps|kbps|Mbps|Gbps|px|pt|dpi|ppm|rpm"
)

LATIN_TOKENS = r"""
    | (?P<latin>(?<![\w.])(?:e\.\s?g\.|i\.\s?e\.|et\s+al\.|cf\.|viz\.|ibid\.|op\.\s?cit\.
                          |loc\.\s?cit\.|vs\.|a\.\s?m\.|p\.\s?m\.|N\.\s?B\.|etc\.)(?!\w))
    | (?P<docno>\(?\b(?:ISO|IEC|EN|DIN|BS|ASTM|IEEE|ETSI|ITU|ICAO|IMO|CEN|CENELEC|NFPA)
                  (?:/(?:IEC|EN|ISO|TS|TR|R))*\)?\s+\d+(?:[/.:-]\d+)*\b
               | \(?\b[A-Z]{2,}(?:/[A-Z]+)*\)?\s+\d+(?:[/:]\d+)+\b)
    | (?P<docpath>\b[A-Z]{1,5}/\d+(?:/\d+)+\b)
    | (?P<alnum>\b[A-Za-z]+\d[A-Za-z0-9]*\b|\b\d+[A-Z]{1,2}\b)
    | (?P<unit>(?<=\d)\s?(?:°[CFK]|(?:""" + _UNITS + r""")(?:[²³]|/(?:h|s|m|m²|km²))?)(?![\w²³]))
    | (?P<domain>\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:rs|eu|int|org|com|net|gov|edu|info|io
                  |mk|me|ba|hr|si|de|at|uk|ch|fr|it)\b(?![\w-]))
    | (?P<roman>\b[IVXLCDM]+\b|\((?:i{1,3}|iv|vi{0,3}|ix|xi{0,2})\))
"""
"""Alternatives appended to the transliterator's protected-token pattern (verbose mode)."""

_ROMAN = re.compile(r"M{0,4}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})\Z")
_WORDS_TOO = frozenset({"MI", "VI", "LI", "DI", "DIV", "CD", "DC", "MC", "CV", "IV"})
"""Numerals that are Serbian words (or everyday acronyms) when the text is in capitals."""
_WORD = re.compile(r"[^\W\d_]+")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;…]\s*|^\s*[-*+>#]+\s*|\n\s*|[\"“„«(]\s*)\Z")


def keeps_roman(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` (capitals ``IVXLCDM`` only) is a Roman numeral.

    Lower-case numerals in brackets (``(iv)``, list labels) always are; capitals are when
    they form a valid numeral and are not a word of a text set in capitals, and a single
    letter when it neither opens a sentence (``I`` = *and*) nor is an initial
    (``V. Karadžić``).
    """
    token = text[start:end]
    if token.startswith("("):
        return True
    if not _ROMAN.match(token):
        return False
    in_capitals = _neighbour_in_capitals(text, start, end)
    if len(token) > 1:
        return not (in_capitals and token in _WORDS_TOO)
    if in_capitals or _SENTENCE_START.search(text[:start]):
        return False
    after = text[end : end + 3]
    return not re.match(r"\.\s?[A-ZČĆĐŠŽ]", after)


def _neighbour_in_capitals(text: str, start: int, end: int) -> bool:
    before = _WORD.findall(text[max(0, start - 40) : start])
    after = _WORD.findall(text[end : end + 40])
    neighbours = before[-1:] + after[:1]
    return any(
        w.isupper() and len(w) > 1 and not _ROMAN.match(w) for w in neighbours
    )
