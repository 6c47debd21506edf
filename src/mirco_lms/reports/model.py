"""What a report is, independent of how it is shown: tables, charts and notes.

Values in rows are plain JSON types. Rates (completion rate, pass rate, difficulty) are
fractions 0–1; scores and gains are percentages 0–100 (percentage points for gains);
durations are hours or minutes as the column says.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from mirco_lms.errors import ReportError


@dataclass(frozen=True)
class Column:
    key: str
    """The key of the value in each row (and the CSV / JSON field name)."""
    label: str
    """The heading shown in tables."""
    kind: str = "text"
    """``text``, ``int``, ``rate`` (0–1, shown as %), ``score`` (0–100), ``number``,
    ``r`` (a correlation), ``stat`` (a test statistic or effect size), ``p`` (a p-value),
    ``hours``, ``minutes``, ``counts`` (a list of bin counts), ``options`` (a list of
    {id, label, count, correct})."""


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[Column, ...]
    rows: tuple[dict[str, Any], ...]
    name: str = ""
    """The table's short name for ``--table`` (``summary``, ``pairs``); empty: only as the
    report's main table."""


@dataclass(frozen=True)
class Chart:
    """Data for one chart; the HTML renderer draws it as inline SVG."""

    kind: str
    """``bars`` (one bar per label) or ``histogram`` (adjacent bins)."""
    title: str
    labels: tuple[str, ...]
    values: tuple[float | None, ...]
    unit: str = ""
    """``%`` (values 0–100), ``count``, ``r`` (−1…1)."""
    note: str = ""


@dataclass(frozen=True)
class Report:
    kind: str
    title: str
    filters: dict[str, str]
    """The filters the report was made with (for the heading and the JSON)."""
    tables: tuple[Table, ...]
    """The first table is the report's main table (the one CSV holds)."""
    charts: tuple[Chart, ...] = ()
    notes: tuple[str, ...] = ()
    """Definitions and caveats, shown under the tables."""
    generated: str = ""
    empty: bool = False
    """True when no statement matched: the notes say so."""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def main(self) -> Table:
        return self.tables[0]

    def table_names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.tables if t.name)

    def only(self, name: str) -> Report:
        """This report with the table ``name`` as its only (main) table (``--table``);
        raises :class:`ReportError` naming the tables there are."""
        chosen = tuple(t for t in self.tables if t.name == name)
        if not chosen:
            names = ", ".join(self.table_names())
            raise ReportError(f"the {self.kind} report has no table {name!r}",
                              hint=f"tables: {names}" if names
                              else f"the {self.kind} report has one table: leave out --table")
        return replace(self, tables=chosen, charts=())
