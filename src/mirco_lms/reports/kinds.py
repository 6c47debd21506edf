"""The registry of report kinds: the one list ``mirco report``, ``GET /reports/<kind>``
and the docs read.

The kinds mirco ships (:mod:`.builtin`) are registered here; another one is a
:class:`~.kind.ReportKind` passed to :func:`register`. :func:`parse_spec` checks a request
against the kind it names.
"""

from __future__ import annotations

import re

from mirco_lms.errors import ReportError
from mirco_lms.reports.builtin import BUILTIN
from mirco_lms.reports.kind import ReportKind
from mirco_lms.reports.spec import ReportSpec, parse_time

_KINDS: dict[str, ReportKind] = {kind.name: kind for kind in BUILTIN}
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


def register(kind: ReportKind) -> ReportKind:
    """Offer ``kind`` from now on; a name already registered is a ValueError."""
    if kind.name in _KINDS:
        raise ValueError(f"a report kind {kind.name!r} is already registered")
    _KINDS[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    """Stop offering the kind ``name`` (a KeyError if there is none)."""
    del _KINDS[name]


def names() -> tuple[str, ...]:
    """The registered kinds' names, in registration order."""
    return tuple(_KINDS)


def all_kinds() -> tuple[ReportKind, ...]:
    return tuple(_KINDS.values())


def get(name: str) -> ReportKind:
    """The kind ``name``; an unknown one raises :class:`ReportError` naming those there are."""
    try:
        return _KINDS[name]
    except KeyError:
        raise ReportError(f"unknown report {name!r}",
                          hint=f"reports: {', '.join(_KINDS)}") from None


def parse_spec(
    kind: str,
    *,
    course: str | None = None,
    language: str | None = None,
    institution: str | None = None,
    country: str | None = None,
    since: str | None = None,
    until: str | None = None,
    by: str | None = None,
) -> ReportSpec:
    """Check and normalize a report request (raises :class:`ReportError`)."""
    found = get(kind)
    if by is not None and by not in found.by:
        raise ReportError(
            f"the {kind} report cannot be grouped by {by!r}",
            hint=f"group by one of: {', '.join(found.by)}" if found.by
            else f"the {kind} report has no grouping",
        )
    if language is not None and not _LANGUAGE.match(language):
        raise ReportError(f"language {language!r} is not a BCP 47 tag",
                          hint="write it like en, sr-Latn, mk")
    if country is not None and not re.fullmatch(r"[A-Za-z]{2}", country):
        raise ReportError(f"country {country!r} is not an ISO 3166-1 alpha-2 code",
                          hint="use two letters, such as RS, BA, ME, MK, AL, XK")
    start = parse_time(since, "since") if since else None
    stop = parse_time(until, "until", end=True) if until else None
    if start and stop and stop <= start:
        raise ReportError("until is not after since", hint="swap the two dates")
    spec = ReportSpec(
        kind=kind, course=course or None, language=language,
        institution=institution or None, country=country.upper() if country else None,
        since=start, until=stop, by=by,
    )
    if found.check is not None:
        found.check(spec)
    return spec
