"""The statement rules of the collector, free of any web framework (sans-I/O).

The HTTP layer parses a request into plain values and calls these functions with a
:class:`~mirco_lms.lrs.store.StatementStore`; they assign ids, ``stored``, ``authority``
and ``version``, apply the voiding and immutability rules, and write a whole batch in one
transaction — or nothing. The read side (query parameters, ``more`` tokens, answers) is
:mod:`.statement_reads`.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from typing import Any

import orjson

from mirco_lms.errors import Conflict, XapiValidationError
from mirco_lms.lrs.store import StatementRecord, StatementStore, StoredStatement
from mirco_lms.lrs.store.base import StatementWriter
from mirco_lms.lrs.store.clock import iso
from mirco_lms.lrs.store.report_columns import plain_values
from mirco_lms.lrs.validation import rules


@dataclass(frozen=True)
class Submitter:
    """Who sends statements: what the LRS records as their ``authority``."""

    authority: dict[str, Any]
    credential_key: str | None = None
    can_define: bool = True
    """Whether activity definitions sent in statements update the stored ones (``define``)."""
    keep_authority: bool = False
    """Keep an ``authority`` the statement already has (imports from another LRS)."""


@dataclass
class Batch:
    """Statements of one request (or one import batch) with their attachment payloads."""

    statements: list[dict[str, Any]]
    attachments: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    """sha2 → (content type, bytes) received in multipart parts."""


def statement_version(api_version: str) -> str:
    """The ``version`` the LRS writes into statements that lack one."""
    return "2.0.0" if api_version.startswith("2.") else "1.0.0"


def save_statements(
    store: StatementStore, batch: Batch, submitter: Submitter, api_version: str
) -> list[str]:
    """Store a batch atomically; returns the ids in the order sent.

    A statement whose id is already stored is a no-op when it says the same thing and a
    409 Conflict when it does not (xAPI 1.0.3 §2.2, "Statement immutability").
    """
    ids, stored = submit_statements(store, batch, submitter, api_version)
    stored.result()
    return ids


def submit_statements(
    store: StatementStore, batch: Batch, submitter: Submitter, api_version: str
) -> tuple[list[str], Future[None]]:
    """As :func:`save_statements` without waiting: the ids, and a future that is done
    once the batch is durably stored (or holds the error, such as a 409)."""
    statements = [rules.normalize_statement(s, version=api_version) for s in batch.statements]
    ids = _assign_ids(statements)
    # everything that does not depend on the database is done here, before the write: the
    # writer (one per store, shared by every request) only looks up, stamps and inserts
    submission = Submission(
        statements=statements,
        drafts=[_prepare(s, submitter, api_version) for s in statements],
        definitions=_sent_definitions(statements) if submitter.can_define else {},
        can_define=submitter.can_define,
        attachments=batch.attachments,
    )
    return ids, store.submit(submission)


@dataclass
class Submission:
    """One request's statements, checked and prepared, as a unit of work for the store's
    writer: called alone, or with others that arrived together (:meth:`run_together`)."""

    statements: list[dict[str, Any]]
    drafts: list[StatementRecord]
    definitions: dict[str, dict[str, Any]]
    """The activity definitions sent, merged per activity (empty when not ``can_define``)."""
    can_define: bool
    attachments: dict[str, tuple[str, bytes]]

    def __call__(self, tx: StatementWriter) -> None:
        [error] = self.run_together(tx, [self])
        if error is not None:
            raise error

    @staticmethod
    def run_together(
        tx: StatementWriter, submissions: Sequence[Submission]
    ) -> list[Exception | None]:
        """Write ``submissions`` in one pass — one lookup of every id, one insert of every
        record — with the outcome of writing them one after the other: a submission that
        breaks a rule (409, a voiding rule) writes nothing and gets its error, the others
        see the statements of those before them. Rules are checked before anything is
        written, so the failed ones need no savepoint."""
        known = tx.find({s["id"] for sub in submissions for s in sub.statements})
        refs = {_ref(s) for sub in submissions for s in sub.statements if _is_voiding(s)}
        voiding_ids = tx.is_voiding(refs) if refs else set()
        plain = [s["id"] for sub in submissions for s in sub.statements if not _is_voiding(s)]
        targeted = tx.voiding_targets(plain) if plain else set()
        outcomes: list[Exception | None] = []
        records: list[StatementRecord] = []
        attachments: dict[str, tuple[str, bytes]] = {}
        definitions: dict[str, dict[str, Any]] = {}
        for sub in submissions:
            try:
                fresh = [
                    (s, draft)
                    for s, draft in zip(sub.statements, sub.drafts, strict=True)
                    if _is_new(s, known)
                ]
                new = [s for s, _draft in fresh]
                _check_voiding(new, voiding_ids)
            except Exception as exc:  # noqa: BLE001 - handed to this submission's caller
                outcomes.append(exc)
                continue
            outcomes.append(None)
            targets = {_ref(s) for s in new if _is_voiding(s)}
            stamps = tx.clock(len(fresh))
            for (_s, draft), us in zip(fresh, stamps, strict=True):
                record = _stamp(draft, us)
                if not record.is_voiding and (record.id in targets or record.id in targeted):
                    record.voided = True  # its voiding statement came first
                known[record.id] = StoredStatement(
                    seq=0, id=record.id, stored=record.stored, raw=record.raw
                )
                if record.is_voiding:
                    voiding_ids.add(record.id)
                records.append(record)
            targeted |= targets
            attachments.update(sub.attachments)
            if sub.can_define:  # statements stored already brought their definitions then
                everything = len(new) == len(sub.statements)
                sent = sub.definitions if everything else _sent_definitions(new)
                for activity_id, definition in sent.items():
                    definitions[activity_id] = merge_definition(
                        definitions.get(activity_id, {}), definition
                    )
        tx.insert(records)
        # a voiding record always refers to a statement (its object is a StatementRef)
        tx.void(sorted({r.object_statement_ref or "" for r in records if r.is_voiding}))
        tx.put_attachments(attachments)
        _update_activities(tx, definitions)
        return outcomes


def _assign_ids(statements: list[dict[str, Any]]) -> list[str]:
    missing = [stmt for stmt in statements if "id" not in stmt]
    for stmt, new_id in zip(missing, new_ids(len(missing)), strict=True):
        stmt["id"] = new_id
    seen: set[str] = set()
    for index, stmt in enumerate(statements):
        stmt_id = stmt["id"] = str(stmt["id"]).lower()
        if stmt_id in seen:
            raise XapiValidationError(
                f"statement id {stmt_id!r} appears twice in one batch",
                path=f"$[{index}].id",
                rule="batch-unique-ids",
            )
        seen.add(stmt_id)
    return [s["id"] for s in statements]


def new_ids(count: int) -> list[str]:
    """``count`` new statement ids, ordered by time: the ids of statements stored together
    sit together in the id index, instead of on one random page of it each.

    The layout is RFC 9562's version 7 (48 bits of Unix milliseconds, then 12 bits of the
    microsecond within it, then 62 random bits from ``os.urandom``) but with version 4's
    marker, as the "squuids" of SQL LRS and Datomic: xAPI clients check ids against
    RFC 4122's versions 1-5 (TinCanPython rejects a 7)."""
    if not count:
        return []
    us = time.time_ns() // 1000
    ms, sub = divmod(us, 1000)
    head = (ms << 16) | 0x4000 | (sub * 4096 // 1000)
    prefix = f"{head >> 32:08x}-{(head >> 16) & 0xFFFF:04x}-{head & 0xFFFF:04x}-"
    noise = os.urandom(8 * count)
    ids = []
    for start in range(0, 8 * count, 8):
        tail = (int.from_bytes(noise[start : start + 8]) & 0x3FFF_FFFF_FFFF_FFFF) | (1 << 63)
        h = f"{tail:016x}"
        ids.append(f"{prefix}{h[:4]}-{h[4:]}")
    return ids


def _is_new(stmt: dict[str, Any], existing: Mapping[str, StoredStatement]) -> bool:
    found = existing.get(stmt["id"])
    if found is None:
        return True
    if not rules.same_statement(found.data, stmt):
        raise Conflict(
            f"a different statement with id {stmt['id']!r} is already stored",
            hint="statements are immutable: send a new id, or void the stored one",
        )
    return False


def _is_voiding(stmt: dict[str, Any]) -> bool:
    obj = stmt.get("object") or {}
    verb = (stmt.get("verb") or {}).get("id")
    return verb == rules.VOIDED and obj.get("objectType") == "StatementRef"


def _ref(stmt: dict[str, Any]) -> str:
    return str(stmt["object"]["id"]).lower()


def _check_voiding(new: Sequence[dict[str, Any]], voiding_ids: set[str]) -> None:
    """A voiding statement cannot target another voiding statement (xAPI 1.0.3 §2.3.2):
    one of ``new`` or one of ``voiding_ids`` (stored, or written before in the group)."""
    voiding = [s for s in new if _is_voiding(s)]
    if not voiding:
        return
    batch_voiding = {s["id"] for s in voiding}
    for stmt in voiding:
        if _ref(stmt) in batch_voiding or _ref(stmt) in voiding_ids:
            raise XapiValidationError(
                f"statement {stmt['id']!r} voids {_ref(stmt)!r}, "
                "which is itself a voiding statement",
                path="$.object.id",
                rule="no-voiding-of-voiding",
            )


def _prepare(stmt: dict[str, Any], submitter: Submitter, api_version: str) -> StatementRecord:
    """A statement's record before the write: everything but ``stored`` (and a
    ``timestamp`` it lacks), which :func:`_stamp` adds in the write transaction."""
    if not (submitter.keep_authority and "authority" in stmt):
        stmt["authority"] = submitter.authority
    stmt.setdefault("version", statement_version(api_version))
    obj = stmt.get("object") or {}
    kind = obj.get("objectType", "Activity")
    stmt.pop("stored", None)  # the LRS sets it (Data 2.4.8)
    agents, activities = rules.statement_index(stmt)
    return StatementRecord(
        id=stmt["id"],
        raw=compact_json(stmt),
        stored="",
        stored_us=0,
        actor_ifi=rules.maybe_ifi(stmt.get("actor")),
        verb_id=stmt["verb"]["id"],
        object_activity_id=obj.get("id") if kind == "Activity" else None,
        object_statement_ref=str(obj["id"]).lower() if kind == "StatementRef" else None,
        registration=((stmt.get("context") or {}).get("registration") or None),
        timestamp=stmt.get("timestamp"),
        voided=False,
        is_voiding=_is_voiding(stmt),
        credential_key=submitter.credential_key,
        agents=agents,
        activities=activities,
        report=plain_values(stmt),
    )


def compact_json(value: Any) -> str:
    """``value`` as compact JSON text, as ``json.dumps(value, ensure_ascii=False,
    separators=(",", ":"))`` writes it, in a tenth of the time (orjson). Python's own
    encoder takes what orjson refuses: integers beyond 64 bits, which JSON allows and a
    statement may carry (in an extension)."""
    try:
        return orjson.dumps(value).decode()
    except orjson.JSONEncodeError:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _stamp(draft: StatementRecord, stored_us: int) -> StatementRecord:
    """The record of a draft stored at ``stored_us``: ``stored`` (and ``timestamp``, when
    the statement has none) appended to its JSON, whose last character is its ``}``."""
    stored = iso(stored_us)
    tail = (
        f',"stored":"{stored}"'
        if draft.timestamp
        else f',"stored":"{stored}","timestamp":"{stored}"'
    )
    return replace(
        draft,
        raw=draft.raw[:-1] + tail + "}",
        stored=stored,
        stored_us=stored_us,
        timestamp=draft.timestamp or stored,
    )


def _sent_definitions(statements: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Activity definitions sent in ``statements``, merged per activity in order."""
    sent: dict[str, dict[str, Any]] = {}
    for stmt in statements:
        for activity in rules.statement_activities(stmt):
            definition = activity.get("definition")
            if definition:
                sent[activity["id"]] = merge_definition(sent.get(activity["id"], {}), definition)
    return sent


def _update_activities(tx: StatementWriter, sent: dict[str, dict[str, Any]]) -> None:
    """Merge the definitions sent into the stored ones (for a credential that may
    ``define``).

    An activity sent without a definition changes nothing: GET /activities answers an
    Activity Object for any id, defined or not."""
    if not sent:
        return
    stored = tx.activity_definitions(sent)
    changed = {}
    for activity_id, definition in sent.items():
        old = stored.get(activity_id)
        merged = merge_definition(old or {}, definition)
        if old is None or merged != old:
            changed[activity_id] = merged
    tx.put_activity_definitions(changed)


def merge_definition(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """An activity definition updated by a newer one: language maps merge per language,
    other properties are replaced."""
    merged = dict(old)
    for key, value in new.items():
        if (
            key in ("name", "description")
            and isinstance(value, dict)
            and isinstance(old.get(key), dict)
        ):
            merged[key] = {**old[key], **value}
        else:
            merged[key] = value
    return merged
