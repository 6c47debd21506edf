"""Issued certificates as records in the collector's database.

A certificate is one row of ``certificates`` (who, which course, when, under which rule,
its verification code, its signed badge) and the rows of ``certificate_evidence`` naming
the statements it rests on. A learner gets at most one certificate per course (a unique
index on learner and course), so issuing again finds the one already issued. Revoking
keeps the row and records when and why.

Codes are 192-bit random URL-safe texts; rows are found by the SHA-256 of the code, so a
lookup costs the same whether the code exists or not.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from sqlalchemy import Engine, RowMapping, select
from sqlalchemy.exc import IntegrityError

from mirco_lms.errors import CertificateError
from mirco_lms.lrs.store import schema

CODE_BYTES = 24
"""Random bytes of a verification code (192 bits; 32 URL-safe characters)."""


class HasEngine(Protocol):
    """A store whose database holds the certificates (the SQL store)."""

    @property
    def engine(self) -> Engine: ...


@dataclass(frozen=True)
class Certificate:
    """One issued certificate."""

    code: str
    actor_id: str
    course_id: str
    learner_name: str
    course_name: str
    language: str
    rule: str
    achieved: str
    issued: str
    session_id: str | None
    verify_url: str
    key_id: str
    public_jwk: str
    badge: str
    """The Open Badges 3.0 credential, signed (VC-JWT)."""
    revoked: str | None = None
    revoked_reason: str | None = None
    evidence: tuple[tuple[str, str], ...] = ()
    """(statement id, role) of the statements it rests on."""

    @property
    def status(self) -> str:
        return "revoked" if self.revoked else "valid"


def new_code() -> str:
    return secrets.token_urlsafe(CODE_BYTES)


def code_hash(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8", "surrogatepass")).hexdigest()


def now_text() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def save(store: HasEngine, certificate: Certificate) -> bool:
    """Insert ``certificate`` with its evidence; False (nothing written) when the learner
    already holds a certificate of that course."""
    row = {k: v for k, v in certificate.__dict__.items() if k != "evidence"}
    row["actor_ifi"] = row.pop("actor_id")
    row["code_hash"] = code_hash(certificate.code)
    evidence = [{"code_hash": row["code_hash"], "statement_id": sid, "role": role}
                for sid, role in certificate.evidence]
    try:
        with store.engine.begin() as conn:
            conn.execute(schema.certificates.insert().values(**row))
            if evidence:
                conn.execute(schema.certificate_evidence.insert(), evidence)
    except IntegrityError:
        if existing(store, certificate.actor_id, certificate.course_id) is None:
            raise
        return False
    return True


def existing(store: HasEngine, actor_id: str, course_id: str) -> Certificate | None:
    """The learner's certificate of the course, if one was issued (revoked or not)."""
    table = schema.certificates
    query = select(table).where(table.c.actor_ifi == actor_id, table.c.course_id == course_id)
    with store.engine.connect() as conn:
        row = conn.execute(query).mappings().first()
    return None if row is None else _certificate(row)


def find(store: HasEngine, code: str) -> Certificate | None:
    """The certificate of ``code`` (by the code's hash), or None."""
    table = schema.certificates
    query = select(table).where(table.c.code_hash == code_hash(code))
    with store.engine.connect() as conn:
        row = conn.execute(query).mappings().first()
        if row is None:
            return None
        ev = schema.certificate_evidence
        found = conn.execute(select(ev.c.statement_id, ev.c.role)
                             .where(ev.c.code_hash == row["code_hash"])
                             .order_by(ev.c.role, ev.c.statement_id)).all()
    return _certificate(row, tuple((r.statement_id, r.role) for r in found))


def lookup(store: HasEngine, code: str) -> Certificate | None:
    """The certificate of ``code`` without its evidence: one indexed read by the code's
    hash, the same work for any code (the verification page)."""
    table = schema.certificates
    query = select(table).where(table.c.code_hash == code_hash(code))
    with store.engine.connect() as conn:
        row = conn.execute(query).mappings().first()
    return None if row is None else _certificate(row)


def get(store: HasEngine, code: str) -> Certificate:
    """The certificate of ``code``; unknown → CertificateError."""
    found = find(store, code)
    if found is None:
        raise CertificateError(f"no certificate has the code {code!r}",
                               hint="list the certificates with `mirco certificates list`")
    return found


def listed(store: HasEngine, course_id: str | None = None) -> list[Certificate]:
    """Every certificate (of one course), oldest first."""
    table = schema.certificates
    query = select(table).order_by(table.c.issued, table.c.course_id, table.c.learner_name)
    if course_id is not None:
        query = query.where(table.c.course_id == course_id)
    with store.engine.connect() as conn:
        return [_certificate(r) for r in conn.execute(query).mappings()]


def revoke(store: HasEngine, code: str, reason: str) -> Certificate:
    """Mark the certificate of ``code`` revoked now, with ``reason``; revoking twice is an
    error that names the first revocation."""
    if not reason.strip():
        raise CertificateError("a revocation needs a reason",
                               hint='give one with --reason "…"')
    current = get(store, code)
    if current.revoked:
        raise CertificateError(
            f"the certificate {code!r} was already revoked on {current.revoked}",
            hint=f"reason given then: {current.revoked_reason}",
        )
    table = schema.certificates
    with store.engine.begin() as conn:
        conn.execute(table.update().where(table.c.code_hash == code_hash(code),
                                          table.c.revoked.is_(None))
                     .values(revoked=now_text(), revoked_reason=reason.strip()))
    return get(store, code)


def public_keys(store: HasEngine) -> list[str]:
    """The public JWKs (JSON texts) of every key certificates were signed with."""
    table = schema.certificates
    query = select(table.c.public_jwk).distinct().order_by(table.c.public_jwk)
    with store.engine.connect() as conn:
        return [str(r) for r in conn.execute(query).scalars()]


def _certificate(row: RowMapping, evidence: tuple[tuple[str, str], ...] = ()) -> Certificate:
    return Certificate(
        code=row["code"], actor_id=row["actor_ifi"], course_id=row["course_id"],
        learner_name=row["learner_name"], course_name=row["course_name"],
        language=row["language"], rule=row["rule"], achieved=row["achieved"],
        issued=row["issued"], session_id=row["session_id"], verify_url=row["verify_url"],
        key_id=row["key_id"], public_jwk=row["public_jwk"], badge=row["badge"],
        revoked=row["revoked"], revoked_reason=row["revoked_reason"], evidence=evidence,
    )
