"""Reading the learner registry from CSV: the whole file is checked before anything is
stored.

Columns (header row required, names case-insensitive, in any order):

``account`` and/or ``email``
    How the learner is identified in statements: the LMS account name (SCORM learner id,
    on ``[tracking].homepage``) or, for packages used without an LMS, the e-mail address.
    Each row needs one of them; when a row has both, the account identifies the learner.
``name`` (optional), ``institution``, ``country`` (ISO 3166-1 alpha-2), ``unit`` (optional),
``gender`` (optional: ``female``, ``male`` or ``other``; ``f``, ``m`` and ``o`` too)

Commas, semicolons and tabs are all accepted as separators (spreadsheets in much of
Europe save CSV with semicolons). The file must be UTF-8 (a byte-order mark is fine).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from mirco_lms.errors import Location, MircoError
from mirco_lms.lrs.store.registry import Learner
from mirco_lms.sheets import read_sheet

REQUIRED = ("institution", "country")
KNOWN = ("account", "email", "name", "institution", "country", "unit", "gender")
GENDERS = {"female": "female", "f": "female", "male": "male", "m": "male", "other": "other",
           "o": "other"}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_NOT_COUNTRIES = frozenset({"ZZ", "QO", "EU", "EZ", "UN"})


@cache
def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes (from CLDR, via babel), Kosovo's XK included."""
    from babel import Locale

    codes = {str(code) for code in Locale("en").territories
             if isinstance(code, str) and len(code) == 2 and code.isalpha()}
    return frozenset(codes - _NOT_COUNTRIES)


def _error(path: Path, row: int | None, message: str, hint: str) -> MircoError:
    return MircoError(message, location=Location(file=path, line=row), hint=hint)


def read_learners(path: Path, homepage: str) -> list[Learner]:
    """Every learner of the CSV file at ``path``; a bad file or row raises
    ``FILE:ROW: message`` with a hint (nothing is returned then)."""
    sheet = read_sheet(path, example="account,name,institution,country,unit")
    _check_header(path, list(sheet.header))
    learners: list[Learner] = []
    seen: dict[str, int] = {}
    for row, cells in sheet.rows:
        learner = _learner(path, row, cells, homepage)
        if learner.actor_ifi in seen:
            raise _error(path, row, f"this learner is already on row {seen[learner.actor_ifi]}",
                         "keep one row per learner")
        seen[learner.actor_ifi] = row
        learners.append(learner)
    return learners


def _check_header(path: Path, header: list[str]) -> list[str]:
    for name in header:
        if name not in KNOWN:
            raise _error(path, 1, f"unknown column {name!r}",
                         f"the columns are: {', '.join(KNOWN)}")
    if len(set(header)) != len(header):
        twice = next(h for h in header if header.count(h) > 1)
        raise _error(path, 1, f"column {twice!r} appears twice", "keep one of them")
    missing = [c for c in REQUIRED if c not in header]
    if "account" not in header and "email" not in header:
        missing.insert(0, "account or email")
    if missing:
        raise _error(path, 1, f"missing column: {', '.join(missing)}",
                     "the header needs account (or email), institution and country; "
                     "name, unit and gender are optional")
    return header


def _learner(path: Path, row: int, cells: dict[str, str], homepage: str) -> Learner:
    account = cells.get("account") or None
    email = cells.get("email") or None
    if account is None and email is None:
        raise _error(path, row, "neither account nor email is given",
                     "give the learner's LMS account name or their e-mail address")
    if email is not None and not EMAIL.match(email):
        raise _error(path, row, f"{email!r} is not an e-mail address",
                     "write it as name@example.org")
    institution = cells.get("institution") or None
    if institution is None:
        raise _error(path, row, "the institution is empty", "name the learner's institution")
    country = (cells.get("country") or "").upper()
    if country not in country_codes():
        raise _error(path, row, f"{cells.get('country')!r} is not an ISO 3166-1 alpha-2 "
                     "country code", "use two letters, such as RS, BA, ME, MK, AL, XK, AT")
    gender = (cells.get("gender") or "").lower() or None
    if gender is not None and gender not in GENDERS:
        raise _error(path, row, f"{cells.get('gender')!r} is not a gender this registry knows",
                     "write female, male or other (or f, m, o), or leave the cell empty")
    if account is not None:
        ifi = f"account:{homepage}|{account}"
    else:
        local, _, domain = str(email).partition("@")
        ifi = f"mbox:mailto:{local}@{domain.lower()}"
    return Learner(ifi, account, email, cells.get("name") or None, institution, country,
                   cells.get("unit") or None, GENDERS[gender] if gender else None)
