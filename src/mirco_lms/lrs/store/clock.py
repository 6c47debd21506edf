"""Instants as the store keeps them: integer microseconds since the epoch (UTC)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def to_us(moment: datetime) -> int:
    """An aware datetime → microseconds since the epoch (naive datetimes are UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    delta = moment - EPOCH
    return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds


def from_us(micros: int) -> datetime:
    return EPOCH + timedelta(microseconds=micros)


def iso(micros: int) -> str:
    """``2024-05-01T12:00:00.123456Z``: full precision, so ``since`` = a statement's
    ``stored`` never includes that statement."""
    seconds, fraction = divmod(micros, 1_000_000)
    return f"{_iso_second(seconds)}.{fraction:06d}Z"


@lru_cache(maxsize=64)
def _iso_second(seconds: int) -> str:
    return from_us(seconds * 1_000_000).strftime("%Y-%m-%dT%H:%M:%S")
