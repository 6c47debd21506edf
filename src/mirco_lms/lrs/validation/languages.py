"""RFC 5646 language tags and xAPI language maps (Data 4.2).

The grammar is the ABNF of RFC 5646 section 2.1 plus the two rules of section 2.2.5-2.2.6
that a regular expression cannot express: a variant and an extension singleton may each
appear only once in a tag (``de-DE-1901-1901`` and ``zh-z-aaa-z-bbb`` are invalid).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from .common import fail, received

_ALNUM = "[A-Za-z0-9]"
_LANGTAG = re.compile(
    r"^(?P<language>[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4}|[A-Za-z]{5,8})"
    r"(?:-(?P<script>[A-Za-z]{4}))?"
    r"(?:-(?P<region>[A-Za-z]{2}|\d{3}))?"
    rf"(?P<variants>(?:-(?:{_ALNUM}{{5,8}}|\d{_ALNUM}{{3}}))*)"
    rf"(?P<extensions>(?:-[0-9A-WY-Za-wy-z](?:-{_ALNUM}{{2,8}})+)*)"
    rf"(?:-[xX](?:-{_ALNUM}{{1,8}})+)?\Z",
    re.ASCII,
)
_PRIVATE = re.compile(rf"^[xX](?:-{_ALNUM}{{1,8}})+\Z")
_GRANDFATHERED = {
    tag.lower()
    for tag in (
        "en-GB-oed i-ami i-bnn i-default i-enochian i-hak i-klingon i-lux i-mingo i-navajo "
        "i-pwn i-tao i-tay i-tsu sgn-BE-FR sgn-BE-NL sgn-CH-DE art-lojban cel-gaulish "
        "no-bok no-nyn zh-guoyu zh-hakka zh-min zh-min-nan zh-xiang"
    ).split()
}

RULE = "Data 4.2 (RFC 5646, XAPI-00013)"


def is_language_tag(tag: Any) -> bool:
    """True when ``tag`` is a well-formed RFC 5646 language tag."""
    return isinstance(tag, str) and _is_tag_text(tag)


@lru_cache(maxsize=4096)
def _is_tag_text(tag: str) -> bool:
    if tag.lower() in _GRANDFATHERED or _PRIVATE.match(tag):
        return True
    match = _LANGTAG.match(tag)
    if match is None:
        return False
    variants = [v.lower() for v in match["variants"].split("-") if v]
    if len(variants) != len(set(variants)):
        return False
    singletons = [s.lower() for s in re.findall(r"-([0-9A-WY-Za-wy-z])(?=-)", match["extensions"])]
    return len(singletons) == len(set(singletons))


def validate_language_tag(tag: Any, path: str = "$", rule: str = RULE) -> str:
    """``tag`` must be an RFC 5646 language tag such as ``en-US`` or ``sr-Latn-RS``."""
    if not isinstance(tag, str):
        raise fail(f"a language tag must be a string, got {received(tag)}", path, rule)
    if not is_language_tag(tag):
        raise fail(
            f"{tag!r} is not a valid RFC 5646 language tag (examples: 'en-US', 'sr-Latn', 'de')",
            path,
            rule,
        )
    return tag


def validate_language_map(
    value: Any, path: str, rule: str = "Data 4.2 (Language Map)"
) -> dict[str, str]:
    """A language map: an object whose keys are language tags and values strings."""
    if not isinstance(value, dict):
        raise fail(
            f'a language map must be an object like {{"en-US": "text"}}, got {received(value)}',
            path,
            rule,
        )
    for key, text in value.items():
        validate_language_tag(key, f"{path}[{key!r}]")
        if not isinstance(text, str):
            raise fail(
                f"language map values must be strings, got {received(text)}",
                f"{path}[{key!r}]",
                rule,
            )
    return value
