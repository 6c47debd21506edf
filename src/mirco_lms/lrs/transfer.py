"""Statements in and out of the store in bulk: JSON Lines import, JSON Lines / CSV export.

Both stream: an import reads one line at a time and stores batches, an export reads the
store page by page, so memory stays flat whatever the size of the file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

from mirco_lms import safe_csv
from mirco_lms.errors import Location, LrsError, MircoError, XapiValidationError
from mirco_lms.lrs.resources import statement_writes
from mirco_lms.lrs.store import StatementQuery, StatementStore
from mirco_lms.lrs.validation import rules

Progress = Callable[[int], None]
"""Called with the number of bytes read since the last call."""
IMPORT_AUTHORITY = {
    "objectType": "Agent",
    "name": "mirco lrs import",
    "account": {"homePage": "urn:mirco:lrs", "name": "import"},
}


ANALYZE_AFTER = 10_000
"""An import of at least this many statements refreshes the planner's statistics at its
end (PostgreSQL's autovacuum would, but only at its next round)."""


class ImportFailed(MircoError):
    """A line of an import file is not a valid statement, or its batch could not be stored."""


@dataclass(frozen=True)
class ImportReport:
    lines: int
    """Non-blank lines read."""
    stored: int
    """Statements sent to the store (already stored identical ones included)."""


def _lines(path: Path, progress: Progress | None) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if progress:
                progress(len(raw))
            if not raw.strip():
                continue
            yield number, _parse_line(path, number, raw)


def _parse_line(path: Path, number: int, raw: bytes) -> dict[str, Any]:
    try:
        data: dict[str, Any] = rules.loads_json(raw)
    except ValueError as exc:  # not JSON, or not in a Unicode encoding
        raise ImportFailed(
            f"not valid JSON: {exc}",
            location=Location(path, number),
            hint="each line must hold one statement as a JSON object",
        ) from exc
    try:
        rules.validate_statement(data, version="1.0.3")
    except XapiValidationError as exc:
        raise ImportFailed(
            f"{exc.path}: {exc.message}", location=Location(path, number), hint=exc.hint
        ) from exc
    return data


def check_jsonl(path: Path, progress: Progress | None = None) -> int:
    """Validate every line; returns the number of statements."""
    return sum(1 for _ in _lines(path, progress))


def import_jsonl(
    store: StatementStore,
    path: Path,
    *,
    batch_size: int = 500,
    check_progress: Progress | None = None,
    store_progress: Progress | None = None,
) -> ImportReport:
    """Import a JSON Lines file of statements.

    The whole file is checked first: a bad line raises ``FILE:LINE: message`` and nothing
    is stored. Then each batch of ``batch_size`` statements is stored in one transaction;
    a batch that cannot be stored (an id stored with different content) is not stored at
    all, earlier batches stay, and the error names the batch's first line. Statements
    already stored with the same content are skipped, so re-importing a file is safe when
    its statements carry ids. Each statement keeps its ``authority`` if it has one.
    """
    check_jsonl(path, check_progress)
    submitter = statement_writes.Submitter(authority=IMPORT_AUTHORITY, keep_authority=True)
    lines = stored = 0
    batch: list[dict[str, Any]] = []
    first_line = 0
    for number, stmt in _lines(path, store_progress):
        if not batch:
            first_line = number
        batch.append(stmt)
        lines += 1
        if len(batch) >= batch_size:
            stored += _store_batch(store, path, first_line, batch, submitter)
            batch = []
    if batch:
        stored += _store_batch(store, path, first_line, batch, submitter)
    if stored >= ANALYZE_AFTER:
        store.refresh_statistics()
    return ImportReport(lines=lines, stored=stored)


def _store_batch(
    store: StatementStore,
    path: Path,
    first_line: int,
    batch: list[dict[str, Any]],
    submitter: statement_writes.Submitter,
) -> int:
    try:
        statement_writes.save_statements(store, statement_writes.Batch(batch), submitter, "1.0.3")
    except LrsError as exc:
        raise ImportFailed(
            f"the batch starting here was not stored: {exc.message}",
            location=Location(path, first_line),
            hint=exc.hint or "earlier batches were stored; fix the line and import again",
        ) from exc
    return len(batch)


CSV_COLUMNS = [
    "id",
    "stored",
    "timestamp",
    "actor",
    "actor_name",
    "verb",
    "verb_display",
    "object_type",
    "object_id",
    "object_name",
    "registration",
    "success",
    "completion",
    "score_scaled",
    "score_raw",
    "duration",
]


def export(store: StatementStore, query: StatementQuery, fmt: str, out: IO[str]) -> int:
    """Write matching statements (oldest first) as ``jsonl`` or ``csv``; returns the count."""
    count = 0
    writer = safe_csv.dict_writer(out, CSV_COLUMNS) if fmt == "csv" else None
    if writer:
        writer.writeheader()
    for stored in store.iter_statements(replace(query, ascending=True)):
        if writer:
            writer.writerow(csv_row(stored.data))
        else:
            out.write(stored.raw + "\n")
        count += 1
    return count


def csv_row(stmt: dict[str, Any]) -> dict[str, Any]:
    """One flat CSV row of a statement (the columns analysts ask for)."""
    obj = stmt.get("object") or {}
    result = stmt.get("result") or {}
    score = result.get("score") or {}
    name = (obj.get("definition") or {}).get("name") or {}
    display = (stmt.get("verb") or {}).get("display") or {}
    return {
        "id": stmt.get("id"),
        "stored": stmt.get("stored"),
        "timestamp": stmt.get("timestamp"),
        "actor": rules.maybe_ifi(stmt.get("actor")) or "",
        "actor_name": stmt["actor"].get("name", ""),
        "verb": stmt["verb"]["id"],
        "verb_display": next(iter(display.values()), ""),
        "object_type": obj.get("objectType", "Activity"),
        "object_id": obj.get("id", ""),
        "object_name": next(iter(name.values()), ""),
        "registration": (stmt.get("context") or {}).get("registration", ""),
        "success": result.get("success", ""),
        "completion": result.get("completion", ""),
        "score_scaled": score.get("scaled", ""),
        "score_raw": score.get("raw", ""),
        "duration": result.get("duration", ""),
    }
