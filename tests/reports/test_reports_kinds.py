"""The registry of report kinds: a kind registered from outside mirco (here, a toy one
defined in this module) works end to end through ``mirco report`` and
``GET /reports/<kind>``; reports read through the narrow ``ReportSource`` only."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import reports_dataset
from mirco_lrs_test_fixtures import add_credential
from sqlalchemy import select, text

import mirco_lms
from mirco_lms.cli import main
from mirco_lms.errors import ReportError
from mirco_lms.lrs.store import SqlStore, open_store, schema
from mirco_lms.lrs.store.reads import ReportSource, flat
from mirco_lms.reports import kinds
from mirco_lms.reports.builtin import BUILTIN
from mirco_lms.reports.kind import Parts, ReportContext, ReportKind
from mirco_lms.reports.model import Chart, Column, Table
from mirco_lms.xapi.profile import short_id

PACKAGE = Path(mirco_lms.__file__).resolve().parent
DOCS = PACKAGE.parent.parent / "docs" / "analytics.md"


def _per_verb(ctx: ReportContext) -> Parts:
    """Statements per verb (and language, with ``--by language``)."""
    by_language = ctx.spec.by == "language"
    counts = Counter((r.language or "" if by_language else "", short_id(r.verb_id))
                     for r in ctx.rows)
    columns = (Column("language", "Language"),) if by_language else ()
    rows = tuple({**({"language": lang} if by_language else {}), "verb": verb, "statements": n}
                 for (lang, verb), n in sorted(counts.items()))
    table = Table("Statements per verb",
                  (*columns, Column("verb", "Verb"), Column("statements", "Statements", "int")),
                  rows)
    chart = Chart("bars", "Statements per verb", tuple(r["verb"] for r in rows),
                  tuple(float(r["statements"]) for r in rows), unit="count")
    return Parts((table,), (chart,), ("every statement about a course that matches",))


TOY = ReportKind("toy", "Statements per verb", "how many statements of each verb",
                 _per_verb, by=("language",))


@pytest.fixture
def toy() -> Iterator[ReportKind]:
    kinds.register(TOY)
    yield TOY
    kinds.unregister(TOY.name)


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'lrs.sqlite3'}"
    store = open_store(url)
    reports_dataset.load(store)
    store.close()
    return url


def _expected(store: SqlStore) -> dict[str, int]:
    """Statements per verb, counted by the database itself."""
    with store.engine.connect() as conn:
        found = conn.execute(text(
            "SELECT verb, count(*) FROM mirco_statements_flat "
            "WHERE course_id IS NOT NULL GROUP BY verb"))
        return {str(verb): int(n) for verb, n in found}


def _csv_counts(text_: str) -> dict[str, int]:
    return {r["verb"]: int(r["statements"]) for r in csv.DictReader(io.StringIO(text_))}


def test_a_registered_kind_works_through_the_cli(runner, db: str, toy: ReportKind) -> None:  # type: ignore[no-untyped-def]
    store = open_store(db)
    expected = _expected(store)
    store.close()
    assert expected.get("answered", 0) > 0
    out = runner.invoke(main, ["report", "toy", "--db", db, "--format", "csv"])
    assert out.exit_code == 0, out.output
    assert _csv_counts(out.output) == expected
    data = json.loads(runner.invoke(main, ["report", "toy", "--db", db, "--format", "json"]).output)
    assert data["kind"] == "toy" and data["title"] == "Statements per verb"
    assert data["charts"][0]["labels"] == sorted(expected)
    target = Path(db.removeprefix("sqlite:///")).with_name("toy.html")
    out = runner.invoke(main, ["report", "toy", "--db", db, "--format", "html", "-o", str(target)])
    assert out.exit_code == 0 and "<svg" in target.read_text(encoding="utf-8")
    table = runner.invoke(main, ["report", "toy", "--db", db, "--by", "language"])
    assert table.exit_code == 0 and "Statements per verb" in table.output
    assert "Language" in table.output
    bad = runner.invoke(main, ["report", "toy", "--db", db, "--by", "course"])
    assert bad.exit_code == 2 and "group by one of: language" in bad.output
    shown = runner.invoke(main, ["report", "--help"]).output
    assert re.search(r"toy\s+how many statements of each verb", shown)


def test_a_registered_kind_works_over_http(loaded: SqlStore, client, toy: ReportKind) -> None:  # type: ignore[no-untyped-def]
    headers = {"Authorization": add_credential(loaded, "analyst", "all/read").header}
    answer = client.get("/reports/toy?format=csv", headers=headers)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    assert _csv_counts(answer.text) == _expected(loaded)
    data = client.get("/reports/toy?by=language", headers=headers).json()
    assert data["kind"] == "toy" and data["filters"] == {"by": "language"}
    assert {r["language"] for r in data["tables"][0]["rows"]} >= {"en"}
    bad = client.get("/reports/toy?by=course", headers=headers)
    assert bad.status_code == 400 and "cannot be grouped by" in bad.json()["error"]


def test_an_unregistered_kind_is_unknown(runner, db: str) -> None:  # type: ignore[no-untyped-def]
    assert "toy" not in kinds.names()
    out = runner.invoke(main, ["report", "toy", "--db", db])
    assert out.exit_code == 2 and "Invalid value for 'KIND'" in out.output
    with pytest.raises(ReportError, match="unknown report 'toy'") as caught:
        kinds.parse_spec("toy")
    assert caught.value.hint == (
        "reports: completions, gain, items, progress, summary, scenarios, evaluation")


def test_a_name_is_registered_once(toy: ReportKind) -> None:
    with pytest.raises(ValueError, match="already registered"):
        kinds.register(TOY)
    assert kinds.get("toy") is TOY and kinds.names()[-1] == "toy"


def test_the_docs_list_every_kind_with_its_grouping() -> None:
    """docs/analytics.md's table of report kinds is the registry's list."""
    docs = DOCS.read_text(encoding="utf-8").split("### Report kinds", 1)[1].split("###")[0]
    listed = re.findall(r"^\| `(\w+)` \| ([^|]+?) \| ([^|]*?) \|$", docs, re.M)
    assert [(k.name, k.title, ", ".join(k.by) or "–") for k in BUILTIN] == [
        (name, title, by.replace("`", "")) for name, title, by in listed]


def test_reports_read_only_the_documented_views(loaded: SqlStore) -> None:
    source: ReportSource = loaded
    rows = source.select_views(select(flat.c.verb).where(flat.c.course_id.is_not(None)))
    assert len(rows) == sum(_expected(loaded).values())
    with pytest.raises(ValueError, match="documented views only"):
        source.select_views(select(schema.statements.c.full))


def test_reports_never_import_the_sql_store() -> None:
    sources = [*sorted((PACKAGE / "reports").glob("*.py")), PACKAGE / "cli" / "lrs.py",
               PACKAGE / "cli" / "report.py"]
    for source in sources:
        assert "SqlStore" not in source.read_text(encoding="utf-8"), source.name
