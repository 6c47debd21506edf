"""``ReportKind``: what one kind of report is — its name, what it accepts, how it is made.

A kind reads the statements that match a request (:class:`ReportContext`: the rows of
``mirco_statements_flat`` after the filters, and the :class:`ReportSource` for anything
more) and returns :class:`Parts`: tables, charts and notes. How they are shown is the
same for every kind: a terminal table, CSV (the main table), JSON, one self-contained
HTML page with its charts as inline SVG (:mod:`.render`, :mod:`.html`, :mod:`.svg`).
Kinds are registered in :mod:`.kinds`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from mirco_lms.lrs.store.reads import ReportSource
from mirco_lms.reports.data import Row, fetch_outcomes
from mirco_lms.reports.model import Chart, Table
from mirco_lms.reports.spec import ReportSpec


@dataclass(frozen=True)
class ReportContext:
    """What a kind's builder gets."""

    source: ReportSource
    spec: ReportSpec
    rows: Sequence[Row]
    """The matching statements, oldest first (only the kind's ``verbs`` if it names any)."""
    course: str | None
    """The course IRI ``--course`` named (resolved), if any."""

    def outcomes(self) -> dict[str, tuple[str, ...]]:
        """The outcome ids of each matching statement (for ``--by outcome``)."""
        return fetch_outcomes(self.source, self.spec, self.course)


class Parts(NamedTuple):
    """A kind's result: the first table is the report's main one (the one CSV holds)."""

    tables: tuple[Table, ...]
    charts: tuple[Chart, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class ReportKind:
    """One kind of report, as ``mirco report KIND`` and ``GET /reports/KIND`` offer it."""

    name: str
    title: str
    """The report's heading."""
    summary: str
    """One line for ``mirco report --help`` and the docs."""
    build: Callable[[ReportContext], Parts]
    by: tuple[str, ...] = ()
    """The fields ``--by`` accepts (none: the kind has no grouping)."""
    verbs: tuple[str, ...] = ()
    """Read only statements with these verb IRIs (none: every statement)."""
    rows: bool = True
    """False: the kind counts in SQL itself (``ReportContext.rows`` stays empty)."""
    check: Callable[[ReportSpec], None] | None = None
    """Further checks of a request, raising :class:`~mirco_lms.errors.ReportError`."""
