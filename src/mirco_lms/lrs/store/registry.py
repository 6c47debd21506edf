"""The learner registry: who the learners are, where they work, in which country.

Statements say *what* a learner did; the registry says who they are for reports that
group by institution or country, and lists the learners who have not started yet. Rows
are keyed by the learner's IFI in the same form as ``statements.actor_ifi``
(``account:<homePage>|<name>`` or ``mbox:mailto:<email>``), so the flattened view joins
them to statements directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import insert, select, update

from mirco_lms.lrs.store.schema import learners

if TYPE_CHECKING:
    from mirco_lms.lrs.store.sql import SqlStore


@dataclass(frozen=True)
class Learner:
    """One registered learner."""

    actor_ifi: str
    """The learner's IFI key, as in ``statements.actor_ifi``."""
    account: str | None
    """Account name on ``[tracking].homepage`` (the LMS / SCORM learner id)."""
    email: str | None
    name: str | None
    institution: str | None
    country: str | None
    """ISO 3166-1 alpha-2, upper case."""
    unit: str | None
    """Organisational unit within the institution (department, station…)."""
    gender: str | None = None
    """``female``, ``male`` or ``other`` when the registry holds it (programme reports)."""


@dataclass(frozen=True)
class UpsertCount:
    added: int
    updated: int


def upsert_learners(store: SqlStore, rows: Sequence[Learner]) -> UpsertCount:
    """Insert new learners and update known ones, all in one transaction."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    added = updated = 0
    with store.engine.connect() as conn:
        conn = conn.execution_options(mirco_write=True)
        with conn.begin():
            ids = [row.actor_ifi for row in rows]
            known: set[str] = set()
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                found = conn.execute(
                    select(learners.c.actor_ifi).where(learners.c.actor_ifi.in_(chunk))
                )
                known.update(r[0] for r in found)
            for row in rows:
                values = {
                    "account": row.account, "email": row.email, "name": row.name,
                    "institution": row.institution, "country": row.country, "unit": row.unit,
                    "gender": row.gender,
                    "updated": now,
                }
                if row.actor_ifi in known:
                    conn.execute(
                        update(learners).where(learners.c.actor_ifi == row.actor_ifi).values(
                            **values
                        )
                    )
                    updated += 1
                else:
                    conn.execute(insert(learners).values(actor_ifi=row.actor_ifi, **values))
                    added += 1
    return UpsertCount(added, updated)


def list_learners(
    store: SqlStore, *, institution: str | None = None, country: str | None = None
) -> list[Learner]:
    """Registered learners (optionally of one institution / country), by institution and
    name."""
    return store.learners(institution=institution, country=country)
