"""Fixtures of the collector's tests: a store on SQLite and on PostgreSQL, apps, clients."""

from __future__ import annotations

import base64
import uuid
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from mirco_lms.lrs.auth import new_credential
from mirco_lms.lrs.http.app import create_app
from mirco_lms.lrs.settings import LrsSettings
from mirco_lms.lrs.store import SqlStore, open_store, views
from mirco_lms.lrs.store import writer as store_writer
from mirco_lms.lrs.store.packing import unpack
from mirco_lms.lrs.store.writer import STATEMENT_COLUMNS, SqlStatementWriter

with warnings.catch_warnings():
    # Starlette asks for the httpx2 package; the httpx installed here works the same.
    warnings.simplefilter("ignore", UserWarning)
    from starlette.testclient import TestClient

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
_WIDTH = len(STATEMENT_COLUMNS.split(","))
"""Values of the columns every schema has, ``full`` last: a row of today's writer goes on
with the keys of schema 7, the time columns of schema 6, then its report values."""


def insert_as_before_6(writer: SqlStatementWriter, rows: list[tuple[Any, ...]]) -> None:
    """How the writers before migration 6 stored statements: the JSON as text, no report
    columns (``rows``: today's, the packed JSON after the version 5 columns)."""
    writer.insert_rows(f"statements ({STATEMENT_COLUMNS})",
                       [(*r[: _WIDTH - 1], unpack(r[_WIDTH - 1])) for r in rows])


def _without_keys(insert: Callable[[SqlStatementWriter, list[tuple[Any, ...]]], None],
                  ) -> Callable[[SqlStatementWriter, list[tuple[Any, ...]]], None]:
    def as_version_6(writer: SqlStatementWriter, rows: list[tuple[Any, ...]]) -> None:
        insert(writer, [(*r[:_WIDTH], *r[_WIDTH + 2 :]) for r in rows])

    return as_version_6


def write_as_schema(patch: pytest.MonkeyPatch, version: int) -> None:
    """Make the store's writer write as the writers of schema ``version`` did: before 8,
    no ``duration_seconds`` and ``verb``; before 7, no ``identifiers``, the index tables
    keyed by the IFI / IRI text and no key columns; before 6, the JSON as text and no
    report columns."""
    if version >= 8:
        return
    if version >= 6:
        _without_schema_8_columns(patch)
    if version >= 7:
        return
    patch.setattr(SqlStatementWriter, "keys", lambda _self, values: {v: v for v in values})
    patch.setattr(store_writer, "AGENT_ROWS", "statement_agents (ifi, seq, is_primary)")
    patch.setattr(store_writer, "ACTIVITY_ROWS",
                  "statement_activities (activity_id, seq, is_primary)")
    # schema 6 has the time columns (bound after the keys, which it has not)
    patch.setattr(store_writer, "INSERTED", STATEMENT_COLUMNS if version < 6 else
                  f"{STATEMENT_COLUMNS}, {', '.join(views.TIME_COLUMNS)}")
    for name in ("_insert_statements", "_insert_plain"):
        old = insert_as_before_6 if version < 6 else _without_keys(
            getattr(SqlStatementWriter, name))
        patch.setattr(SqlStatementWriter, name, old)


def _without_schema_8_columns(patch: pytest.MonkeyPatch) -> None:
    """The report columns of schemas 6 and 7: all but ``duration_seconds`` and ``verb``
    (the last two), with the writer's SQL built anew instead of cached."""
    columns = views.REPORT_COLUMNS
    assert columns[-2:] == ("duration_seconds", "verb")
    values = views.report_values
    patch.setattr(views, "REPORT_COLUMNS", columns[:-2])
    patch.setattr(views, "report_values", lambda dialect, doc: {
        k: v for k, v in values(dialect, doc).items() if k not in columns[-2:]})
    for name in ("_insert_template", "_insert_sql", "_plain_insert_sql"):
        patch.setattr(store_writer, name, getattr(store_writer, name).__wrapped__)
    plain = SqlStatementWriter._insert_plain

    def as_version_7(writer: SqlStatementWriter, rows: list[tuple[Any, ...]]) -> None:
        # (…, report values): the two of schema 8 last
        plain(writer, [r[:-2] for r in rows])

    patch.setattr(SqlStatementWriter, "_insert_plain", as_version_7)


def _postgres_reason() -> str | None:
    try:
        import psycopg

        with psycopg.connect(
            "host=127.0.0.1 port=5432 user=postgres dbname=test", connect_timeout=3
        ):
            return None
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        return f"PostgreSQL on 127.0.0.1:5432 (db test) is not reachable: {exc}"


_PG_REASON: str | None | bool = False


def postgres_skip_reason() -> str | None:
    global _PG_REASON
    if _PG_REASON is False:
        _PG_REASON = _postgres_reason()
    return _PG_REASON  # type: ignore[return-value]


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, uniquely named PostgreSQL schema (dropped afterwards)."""
    reason = postgres_skip_reason()
    if reason:
        pytest.skip(reason)
    import psycopg

    schema = f"mirco_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(
        "host=127.0.0.1 port=5432 user=postgres dbname=test", autocommit=True
    ) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{PG_ADMIN}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(
            "host=127.0.0.1 port=5432 user=postgres dbname=test", autocommit=True
        ) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'lrs.sqlite3'}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    name = "sqlite_url" if request.param == "sqlite" else "pg_url"
    return str(request.getfixturevalue(name))


@pytest.fixture
def store(db_url: str) -> Iterator[SqlStore]:
    opened = open_store(db_url)
    yield opened
    opened.close()


@dataclass
class Auth:
    """A credential of the test LRS and its ready-made headers."""

    key: str
    secret: str
    name: str

    @property
    def header(self) -> str:
        return "Basic " + base64.b64encode(f"{self.key}:{self.secret}".encode()).decode()

    def headers(self, version: str = "1.0.3", **extra: str) -> dict[str, str]:
        return {"Authorization": self.header, "X-Experience-API-Version": version, **extra}


def add_credential(store: SqlStore, name: str, *scopes: str) -> Auth:
    credential, secret = new_credential(name, list(scopes))
    store.add_credential(credential)
    return Auth(credential.key, secret, name)


@pytest.fixture
def make_client(store: SqlStore) -> Iterator[Callable[..., TestClient]]:
    clients: list[TestClient] = []

    def make(**settings: Any) -> TestClient:
        settings.setdefault("credential_cache_seconds", 0)
        settings.setdefault("bind_url", "http://lrs.test")
        app = create_app(LrsSettings(db=store.url, **settings), store=store)
        client = TestClient(app, base_url="http://lrs.test")
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()


@pytest.fixture
def admin(store: SqlStore) -> Auth:
    """A credential with scope ``all``."""
    return add_credential(store, "admin", "all")


def statement(**overrides: Any) -> dict[str, Any]:
    """A small valid statement; keyword arguments replace its properties."""
    base: dict[str, Any] = {
        "actor": {"objectType": "Agent", "name": "Ana", "mbox": "mailto:ana@example.org"},
        "verb": {
            "id": "http://adlnet.gov/expapi/verbs/completed",
            "display": {"en-US": "completed"},
        },
        "object": {
            "objectType": "Activity",
            "id": "https://example.org/mirco/m1",
            "definition": {"name": {"en-US": "Module 1"}},
        },
    }
    base.update(overrides)
    return base
