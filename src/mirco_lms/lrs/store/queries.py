"""Statement queries: a StatementQuery as SQL over the statements and their index tables.

A query reads the statements that match directly, plus (per the xAPI filter rules) the
statements that refer to matching ones through a StatementRef, up to the sequence number
``bound`` visible when its first page was read.

``since`` and ``until`` become a window of sequence numbers before the query runs: the
writer assigns ``seq`` and ``stored`` under one lock, both strictly increasing (see
:class:`~mirco_lms.lrs.store.writer.Position`), so "stored after T" is "seq after the
last statement stored at or before T" — one probe of the ``stored`` index. Every filter
is then a range of ``seq`` inside the index that drives it ((verb, seq), (agent, seq),
the primary key, …), read in ``seq`` order and stopped after one page, instead of a
range of ``stored`` that must be read whole and sorted by ``seq``.

The agent, verb and activity of a query are looked up in ``identifiers`` first (one
query) and their integer keys bound: the index tables and the verb and activity indexes
hold keys, not text (schema 7). A value never stored matches nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, select
from sqlalchemy.sql import Select

from mirco_lms.lrs.store import schema
from mirco_lms.lrs.store.base import StatementQuery
from mirco_lms.lrs.store.clock import to_us

S = schema.statements
AG = schema.statement_agents
AC = schema.statement_activities
ID = schema.identifiers


def statement_columns() -> Select[Any]:
    """What a query reads of each statement."""
    return select(S.c.seq, S.c.id, S.c.stored, S.c.full, S.c.voided, S.c.credential_key)

def replace_query(query: StatementQuery, **changes: Any) -> StatementQuery:
    return replace(query, **changes)


@dataclass(frozen=True)
class Window:
    """The sequence numbers a query may return: ``low < seq <= high``."""

    low: int | None
    high: int

    def conditions(self, seq: Any, q: StatementQuery) -> list[ColumnElement[bool]]:
        """The window and the continuation point (``more``) on the column ``seq``."""
        conds = [seq <= self.high]
        if self.low is not None:
            conds.append(seq > self.low)
        if q.after_seq is not None:
            conds.append(seq > q.after_seq if q.ascending else seq < q.after_seq)
        return conds


@dataclass(frozen=True)
class Keys:
    """The keys in ``identifiers`` of a query's agent, verb and activity (None: no such
    filter)."""

    agent: int | None = None
    verb: int | None = None
    activity: int | None = None


def lookup_keys(conn: Connection, q: StatementQuery) -> Keys | None:
    """The keys of ``q``'s agent, verb and activity, in one query; None when one of them
    was never stored (no statement can match)."""
    wanted = {q.agent, q.verb, q.activity} - {None}
    if not wanted:
        return Keys()
    rows = conn.execute(select(ID.c.value, ID.c.id).where(ID.c.value.in_(wanted)))
    found = {value: key for value, key in rows}
    if len(found) < len(wanted):
        return None
    return Keys(agent=found.get(q.agent), verb=found.get(q.verb),
                activity=found.get(q.activity))


def _last_stored_at(conn: Connection, moment: datetime) -> int:
    """The ``seq`` of the newest statement stored at or before ``moment`` (0: none)."""
    found = conn.execute(
        select(S.c.seq).where(S.c.stored_us <= to_us(moment))
        .order_by(S.c.stored_us.desc()).limit(1)
    ).scalar()
    return int(found or 0)


def seq_window(conn: Connection, q: StatementQuery, bound: int) -> Window:
    """``since`` / ``until`` and the page bound as a window of sequence numbers."""
    low = _last_stored_at(conn, q.since) if q.since is not None else None
    high = bound if q.until is None else min(bound, _last_stored_at(conn, q.until))
    return Window(low, high)


def _time_conditions(alias: Any, q: StatementQuery, window: Window) -> list[ColumnElement[bool]]:
    """since / until / continuation / visibility: applied to the returned statement."""
    conds = [alias.c.voided.is_(False), *window.conditions(alias.c.seq, q)]
    if q.authority_key is not None:
        conds.append(alias.c.credential_key == q.authority_key)
    return conds


def _content_conditions(alias: Any, q: StatementQuery, keys: Keys) -> list[ColumnElement[bool]]:
    """agent / verb / activity / registration: met by a statement or the one it targets."""
    conds: list[ColumnElement[bool]] = []
    if q.agent is not None:
        sub = select(AG.c.seq).where(AG.c.agent_key == keys.agent)
        if not q.related_agents:
            sub = sub.where(AG.c.is_primary.is_(True))
        conds.append(alias.c.seq.in_(sub))
    if q.verb is not None:
        conds.append(alias.c.verb_key == keys.verb)
    if q.activity is not None:
        if q.related_activities:
            sub = select(AC.c.seq).where(AC.c.activity_key == keys.activity)
            conds.append(alias.c.seq.in_(sub))
        else:
            conds.append(alias.c.object_key == keys.activity)
    if q.registration is not None:
        conds.append(alias.c.registration == q.registration)
    return conds


def _direct_query(q: StatementQuery, window: Window, keys: Keys) -> Select[Any]:
    """Statements meeting the filters themselves, newest (or oldest) first.

    An agent or related-activity filter drives the query from its index table, in ``seq``
    order, so the database stops after one page whether the agent or activity is rare or
    in every statement."""
    side: Any = None
    where: list[ColumnElement[bool]] = []
    rest = q
    if q.agent is not None:
        side = AG
        where = [AG.c.agent_key == keys.agent]
        if not q.related_agents:
            where.append(AG.c.is_primary.is_(True))
        rest = replace(q, agent=None)
    elif q.activity is not None and q.related_activities:
        side, where = AC, [AC.c.activity_key == keys.activity]
        rest = replace(q, activity=None)
    if side is None:
        order = S.c.seq.asc() if q.ascending else S.c.seq.desc()
        return (
            statement_columns()
            .where(*_time_conditions(S, q, window), *_content_conditions(S, q, keys))
            .order_by(order)
        )
    order = side.c.seq.asc() if q.ascending else side.c.seq.desc()
    return (
        statement_columns()
        .select_from(side.join(S, S.c.seq == side.c.seq))
        .where(
            *where,
            *window.conditions(side.c.seq, q),  # the range is read in the side index
            *_time_conditions(S, q, window),
            *_content_conditions(S, rest, keys),
        )
        .order_by(order)
    )


def run_query(conn: Connection, q: StatementQuery, bound: int) -> list[Any]:
    order = S.c.seq.asc() if q.ascending else S.c.seq.desc()
    limit = q.limit + 1
    window = seq_window(conn, q, bound)
    if window.low is not None and window.low >= window.high:
        return []
    keys = lookup_keys(conn, q)
    if keys is None:
        return []
    direct = conn.execute(_direct_query(q, window, keys).limit(limit)).all()
    if not q.has_filters:
        return list(direct)
    has_refs = conn.execute(
        select(S.c.seq).where(S.c.object_statement_ref.is_not(None)).limit(1)
    ).first()
    if has_refs is None:
        return list(direct)
    referring = conn.execute(
        statement_columns()
        .where(S.c.seq.in_(_referring_matches(q, window, keys)),
               *_time_conditions(S, q, window))
        .order_by(order)
        .limit(limit)
    ).all()
    merged = {r.seq: r for r in [*direct, *referring]}
    return sorted(merged.values(), key=lambda r: r.seq, reverse=not q.ascending)[:limit]


def _referring_matches(q: StatementQuery, window: Window, keys: Keys) -> Select[Any]:
    """Sequence numbers of statements whose StatementRef chain reaches a statement that
    meets the content filters (xAPI 1.0.3 §7.2.3, "Filter Conditions for StatementRefs")."""
    r = S.alias("r")
    anchor = select(r.c.seq.label("seq"), r.c.object_statement_ref.label("target")).where(
        r.c.object_statement_ref.is_not(None), *_time_conditions(r, q, window)
    )
    chain = anchor.cte("chain", recursive=True)
    hop = S.alias("hop")
    chain = chain.union(
        select(chain.c.seq, hop.c.object_statement_ref)
        .join_from(chain, hop, hop.c.id == chain.c.target)
        .where(hop.c.object_statement_ref.is_not(None))
    )
    target = S.alias("target")
    return (
        select(chain.c.seq)
        .join_from(chain, target, target.c.id == chain.c.target)
        .where(*_content_conditions(target, q, keys))
    )

