"""The languages mirco builds in, and the babel locale behind each (script kept).

Language codes are BCP 47 tags with the script where it matters. ``sr-Latn`` and
``sr-Cyrl`` are two languages everywhere (catalogs, formatting, ``<html lang>``, file
names); a bare ``sr`` is refused. babel has no locale data for Montenegrin: ``cnr`` is
formatted with ``sr_Latn_ME`` but stays ``cnr`` everywhere else.

babel is imported lazily so that importing this module (from ``config.py``) stays cheap.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale

SUPPORTED: tuple[str, ...] = ("en", "sr-Latn", "sr-Cyrl", "bs", "cnr", "mk", "sq")
"""Every language mirco ships UI catalogs and locale data for, in catalogue order."""

BABEL_LOCALES: dict[str, str] = {
    "en": "en",
    "sr-Latn": "sr_Latn",
    "sr-Cyrl": "sr_Cyrl",
    "bs": "bs",
    "cnr": "sr_Latn_ME",
    "mk": "mk",
    "sq": "sq",
}
"""The babel locale whose data (numbers, dates, plural rules) formats each language."""

NATIVE_NAMES: dict[str, str] = {"cnr": "crnogorski"}
"""Names babel does not know (or would give as another language's)."""

TRANSLITERATED_FROM: dict[str, str] = {"sr-Cyrl": "sr-Latn"}
"""Languages produced from another one's catalog by transliteration."""

_HINT = "supported languages: " + ", ".join(SUPPORTED)


def supported_hint() -> str:
    """The hint every 'unknown language' error ends with."""
    return _HINT


def language_problem(code: str) -> str | None:
    """Why ``code`` is not a language mirco builds in (``None`` when it is)."""
    if code in SUPPORTED:
        return None
    folded = {c.lower().replace("_", "-"): c for c in SUPPORTED}
    if code.lower() in ("sr", "sr-rs", "sr-me", "sr-ba"):
        return f"the language {code!r} does not say which script: write sr-Latn or sr-Cyrl"
    if code.lower().replace("_", "-") in folded:
        return f"unknown language {code!r}: write it {folded[code.lower().replace('_', '-')]!r}"
    if code.lower() in ("me", "sr-latn-me"):
        return f"unknown language {code!r}: Montenegrin is 'cnr'"
    return f"unknown language {code!r}"


@cache
def babel_locale(code: str) -> Locale:
    """The babel :class:`~babel.Locale` whose data formats ``code``."""
    from babel import Locale

    return Locale.parse(BABEL_LOCALES.get(code, code.replace("-", "_")))


def language_name(code: str, in_language: str | None = None) -> str:
    """The name of ``code`` in ``in_language`` (default: in itself): ``srpski (latinica)``."""
    display = babel_locale(in_language or code)
    if code == "cnr":
        if display.language in ("sr", "bs"):
            return "црногорски" if display.script == "Cyrl" else NATIVE_NAMES[code]
        return "Montenegrin" if display.language == "en" else NATIVE_NAMES[code]
    return str(babel_locale(code).get_display_name(display) or code)


def plural_forms(code: str) -> str:
    """The ``Plural-Forms`` PO header of ``code`` (from babel's plural rules)."""
    from babel.messages.plurals import get_plural

    plural = get_plural(babel_locale(code))
    expr = plural.plural_expr
    if not (expr.startswith("(") and expr.endswith(")")):
        expr = f"({expr})"
    return f"nplurals={plural.num_plurals}; plural={expr};"


def po_language(code: str) -> str:
    """The ``Language`` PO header: the gettext spelling (``sr_Latn``), ``cnr`` kept."""
    return code.replace("-", "_")
