"""Storage of the collector: the :class:`StatementStore` protocol and its SQL implementation.

Code outside the store opens it with :func:`open_statement_store` (the collector's
interface) or :func:`open_report_source` (what reports read), typed by those protocols.
"""

from mirco_lms.lrs.store.base import (
    Credential,
    Document,
    DocumentKey,
    StatementPage,
    StatementQuery,
    StatementRecord,
    StatementStore,
    StoredStatement,
)
from mirco_lms.lrs.store.reads import ReportSource
from mirco_lms.lrs.store.sql import SqlStore, normalize_url, open_store

__all__ = [
    "Credential",
    "Document",
    "DocumentKey",
    "ReportSource",
    "SqlStore",
    "StatementPage",
    "StatementQuery",
    "StatementRecord",
    "StatementStore",
    "StoredStatement",
    "normalize_url",
    "open_report_source",
    "open_statement_store",
    "open_store",
]


def open_statement_store(url: str) -> StatementStore:
    """The store at ``url`` (created or migrated if needed), as the collector uses it."""
    return open_store(url)


def open_report_source(url: str) -> ReportSource:
    """The store at ``url`` (created or migrated if needed), as reports read it."""
    return open_store(url)
