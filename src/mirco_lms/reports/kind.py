"""``ReportKind``: what one kind of report is — its name, what it accepts, how it is made.

A kind reads the statements that match a request (:class:`ReportContext`: the rows of
``mirco_statements_flat`` after the filters — streamed and reduced as they go for the
kinds that read every statement, :mod:`.scan` — and the :class:`ReportSource` for
anything more) and returns :class:`Parts`: tables, charts and notes. How they are shown is the
same for every kind: a terminal table, CSV (the main table), JSON, one self-contained
HTML page with its charts as inline SVG (:mod:`.render`, :mod:`.html`, :mod:`.svg`).
Kinds are registered in :mod:`.kinds`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from mirco_lms.lrs.store.reads import ReportSource
from mirco_lms.reports import aggregate, scan
from mirco_lms.reports.data import Row, fetch
from mirco_lms.reports.model import Chart, Table
from mirco_lms.reports.scan import Figures
from mirco_lms.reports.spec import ReportSpec


@dataclass(frozen=True)
class ReportContext:
    """What a kind's builder gets."""

    source: ReportSource
    spec: ReportSpec
    given_rows: Sequence[Row] | None
    """Rows to use instead of reading the store (None: :attr:`rows` reads them)."""
    course: str | None
    """The course IRI ``--course`` named (resolved), if any."""
    verbs: tuple[str, ...] = ()
    """The kind's verbs (:attr:`ReportKind.verbs`)."""

    @cached_property
    def rows(self) -> Sequence[Row]:
        """The matching statements, oldest first (only the kind's ``verbs`` if it names
        any), all in memory: for small reads. A kind that reads everything streams
        instead (:meth:`figures`, :meth:`first_attempts`, :mod:`.scan`)."""
        if self.given_rows is not None:
            return self.given_rows
        return fetch(self.source, self.spec, self.course, verbs=self.verbs)

    def figures(self, facts: Collection[str] | None = None) -> list[Figures]:
        """Each enrolment's figures: ``facts`` of them (names of
        :data:`~.aggregate.FACTS`) aggregated by the database (:mod:`.aggregate`); None:
        all of them, every statement folded as it streams by (:mod:`.scan`)."""
        if facts is not None:
            return aggregate.enrolment_figures(self.source, self.spec, self.course, facts)
        return scan.enrolment_figures(self.source, self.spec, self.course)


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
    check: Callable[[ReportSpec], None] | None = None
    """Further checks of a request, raising :class:`~mirco_lms.errors.ReportError`."""
    readers: Callable[[ReportSpec], int] | None = None
    """How many threads a request may read the store with at once (None: one): the
    snapshot the report reads gets that many connections sharing it
    (:meth:`~mirco_lms.lrs.store.reads.ReportSource.companions`)."""
