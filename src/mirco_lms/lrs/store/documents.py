"""The state, activity profile and agent profile documents of the SQL store: one table,
``documents``, each row in the scope of its kind, activity, agent and registration."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, Connection, delete, insert, select

from mirco_lms.lrs.store import schema
from mirco_lms.lrs.store.base import Document, DocumentKey
from mirco_lms.lrs.store.clock import to_us


class SqlDocumentWriter:
    """A write transaction on documents (see :class:`~.base.DocumentWriter`)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self, key: DocumentKey) -> Document | None:
        table = schema.documents
        row = self.conn.execute(
            select(table).where(*_doc_scope(key), table.c.doc_id == key.doc_id)
        ).first()
        if row is None:
            return None
        return Document(
            content=bytes(row.content),
            content_type=row.content_type,
            etag=row.etag,
            updated=row.updated,
        )

    def put(self, key: DocumentKey, doc: Document) -> None:
        self.delete(key)
        self.conn.execute(
            insert(schema.documents).values(
                kind=key.kind,
                activity_id=key.activity_id,
                agent_ifi=key.agent_ifi,
                registration=key.registration,
                doc_id=key.doc_id,
                content_type=doc.content_type,
                content=doc.content,
                etag=doc.etag,
                updated=doc.updated,
            )
        )

    def delete(self, key: DocumentKey) -> None:
        table = schema.documents
        self.conn.execute(delete(table).where(*_doc_scope(key), table.c.doc_id == key.doc_id))

    def delete_all(self, key: DocumentKey) -> int:
        return int(self.conn.execute(delete(schema.documents).where(*_doc_scope(key))).rowcount)

    def ids(self, key: DocumentKey, since: datetime | None) -> list[str]:
        """The ids of the documents in ``key``'s scope (its ``doc_id`` unused), in order;
        with ``since``, only those updated after it."""
        table = schema.documents
        rows = self.conn.execute(
            select(table.c.doc_id, table.c.updated).where(*_doc_scope(key))
            .order_by(table.c.doc_id)
        ).all()
        if since is None:
            return [r.doc_id for r in rows]
        limit = to_us(since)
        return [r.doc_id for r in rows if to_us(datetime.fromisoformat(r.updated)) > limit]


def _doc_scope(key: DocumentKey) -> list[ColumnElement[bool]]:
    table = schema.documents
    return [
        table.c.kind == key.kind,
        table.c.activity_id == key.activity_id,
        table.c.agent_ifi == key.agent_ifi,
        table.c.registration == key.registration,
    ]
