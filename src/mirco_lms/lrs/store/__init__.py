"""Storage of the collector: the :class:`StatementStore` protocol and its SQL implementation."""

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
from mirco_lms.lrs.store.sql import SqlStore, normalize_url, open_store

__all__ = [
    "Credential",
    "Document",
    "DocumentKey",
    "SqlStore",
    "StatementPage",
    "StatementQuery",
    "StatementRecord",
    "StatementStore",
    "StoredStatement",
    "normalize_url",
    "open_store",
]
