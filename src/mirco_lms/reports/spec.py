"""``ReportSpec``: what report is asked for, parsed and checked at the edge.

The CLI and the HTTP routes both build specs with
:func:`mirco_lms.reports.kinds.parse_spec`, which checks them against the kind they name;
a wrong kind, field or date raises :class:`~mirco_lms.errors.ReportError` naming what
exists or the expected format. Whether a course exists is checked later, against the
store (:func:`mirco_lms.reports.data.resolve_course`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from mirco_lms.errors import ReportError
from mirco_lms.lrs.store.views import moment_text

DATE_FORMAT = "YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM]"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class ReportSpec:
    """A report request: kind, filters and grouping."""

    kind: str
    course: str | None = None
    """A module id (``migration-human-rights``) or a course activity IRI."""
    language: str | None = None
    """BCP 47; ``sr`` also matches ``sr-Latn`` and ``sr-Cyrl``."""
    institution: str | None = None
    country: str | None = None
    """ISO 3166-1 alpha-2, upper case."""
    since: datetime | None = None
    """Statements at or after this instant (UTC)."""
    until: datetime | None = None
    """Statements before this instant (UTC); a date given alone includes its whole day."""
    by: str | None = None

    def describe(self) -> dict[str, str]:
        """The filters, for report headings (only those given)."""
        values = {
            "course": self.course, "language": self.language, "institution": self.institution,
            "country": self.country,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "by": self.by,
        }
        return {k: v for k, v in values.items() if v}


def parse_time(value: str, name: str, *, end: bool = False) -> datetime:
    """``--since`` / ``--until``: a date (``end``: the day after, so the day is included)
    or a date and time; a time without offset is UTC."""
    text = value.strip()
    try:
        if _DATE.match(text):
            day = date.fromisoformat(text)
            if end:
                day += timedelta(days=1)
            return datetime.combine(day, time(0), tzinfo=UTC)
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, OverflowError):  # OverflowError: the day after 9999-12-31
        raise ReportError(
            f"{name}: {value!r} is not a date",
            hint=f"write {DATE_FORMAT}, such as 2024-03-31",
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def utc_text(moment: datetime) -> str:
    """The view's time format: ``2024-03-01T08:00:00.000Z`` (compares as text)."""
    return moment_text(moment)
