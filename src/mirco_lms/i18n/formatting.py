"""Numbers, dates and durations in a language, with babel's locale data (script kept)."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from typing import Any

from mirco_lms.i18n.locales import babel_locale


def format_number(value: float, language: str) -> str:
    """``2.5`` → ``2,5`` in sr-Latn; whole numbers without decimals."""
    from babel.numbers import format_decimal

    return str(format_decimal(value, locale=babel_locale(language)))


def format_percent(value: float, language: str) -> str:
    """``0.8`` → ``80 %`` (the locale's spacing and sign)."""
    from babel.numbers import format_percent as percent

    return str(percent(value, locale=babel_locale(language)))


def number_symbols(language: str) -> dict[str, str]:
    """The decimal and grouping signs of ``language`` (``,`` and ``.`` in sr and mk).

    The runtime writes scores with them: browsers' ``Intl`` data may lack a language
    (Chromium builds without Macedonian print ``10.53``), the build's babel data does not.
    """
    from babel.numbers import get_decimal_symbol, get_group_symbol

    locale = babel_locale(language)
    return {"decimal": str(get_decimal_symbol(locale)), "group": str(get_group_symbol(locale))}


def format_date(value: _dt.date, language: str, format: str = "long") -> str:
    """``2024-05-01`` → ``1. maj 2024.`` in sr-Latn."""
    from babel.dates import format_date as date

    return str(date(value, format=format, locale=babel_locale(language)))


def localized_output(language: str) -> Callable[[Any], Any]:
    """Jinja ``finalize``: a number with decimals printed by a template in ``language``.

    ``{{ 66.67 }}`` renders ``66,67`` in sr-Latn and mk; whole numbers, strings and
    everything else pass through unchanged.
    """

    def finalize(value: Any) -> Any:
        if isinstance(value, float):
            return format_number(value, language)
        return value

    return finalize


def filters(language: str) -> dict[str, Callable[..., Any]]:
    """Jinja filters formatting values in ``language``."""
    return {
        "format_number": lambda value: format_number(value, language),
        "format_percent": lambda value: format_percent(value, language),
        "format_date": lambda value, format="long": format_date(value, language, format),
    }
