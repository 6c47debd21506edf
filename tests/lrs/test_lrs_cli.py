"""``mirco lrs``: credentials, import, export, database resolution."""

from __future__ import annotations

import csv
import io
import json
import uuid
from pathlib import Path

import pytest
from lrs_support import statement

from mirco_lms.cli import main
from mirco_lms.cli.lrs import resolve_db
from mirco_lms.lrs.auth import verify_secret
from mirco_lms.lrs.store import StatementQuery, open_store


@pytest.fixture
def db(sqlite_url: str) -> str:
    return sqlite_url


def test_credentials_add_list_revoke(runner, db) -> None:
    r = runner.invoke(
        main,
        [
            "lrs",
            "credentials",
            "add",
            "moodle",
            "--scope",
            "statements/write",
            "--scope",
            "state",
            "--json",
            "--db",
            db,
        ],
    )
    assert r.exit_code == 0, r.output
    made = json.loads(r.stdout)
    store = open_store(db)
    stored = store.credential(made["key"])
    assert stored.scopes == ("statements/write", "state")
    assert verify_secret(made["secret"], stored.secret_hash)
    listed = runner.invoke(main, ["lrs", "credentials", "list", "--db", db])
    assert made["key"] in listed.output and made["secret"] not in listed.output
    assert (
        runner.invoke(main, ["lrs", "credentials", "revoke", made["key"], "--db", db]).exit_code
        == 0
    )
    assert store.credential(made["key"]).revoked
    assert runner.invoke(main, ["lrs", "credentials", "revoke", "nope", "--db", db]).exit_code == 2
    dup = runner.invoke(main, ["lrs", "credentials", "add", "moodle", "--scope", "all", "--db", db])
    assert dup.exit_code == 2 and "already exists" in dup.output
    bad = runner.invoke(
        main, ["lrs", "credentials", "add", "x", "--scope", "everything", "--db", db]
    )
    assert bad.exit_code == 2


def _write_jsonl(path: Path, stmts: list, extra_lines: list[str] = ()) -> Path:
    lines = [json.dumps(s) for s in stmts] + list(extra_lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_import_then_export(runner, db, tmp_path) -> None:
    stmts = [statement(id=str(uuid.uuid4())) for _ in range(7)]
    stmts[3] = statement(
        id=str(uuid.uuid4()),
        verb={"id": "http://adlnet.gov/expapi/verbs/attempted"},
        result={"score": {"scaled": 0.8}, "success": True},
    )
    src = _write_jsonl(tmp_path / "in.jsonl", stmts)
    r = runner.invoke(main, ["lrs", "import", str(src), "--batch-size", "3", "--db", db])
    assert r.exit_code == 0, r.output
    assert "imported 7" in r.output
    again = runner.invoke(main, ["lrs", "import", str(src), "--db", db])
    assert again.exit_code == 0 and open_store(db).count() == 7
    out = tmp_path / "out.jsonl"
    r = runner.invoke(main, ["lrs", "export", "--format", "jsonl", "-o", str(out), "--db", db])
    assert r.exit_code == 0, r.output
    exported = [json.loads(line) for line in out.read_text().splitlines()]
    assert [s["id"] for s in exported] == [s["id"] for s in stmts]
    r = runner.invoke(
        main,
        [
            "lrs",
            "export",
            "--format",
            "csv",
            "--verb",
            "http://adlnet.gov/expapi/verbs/attempted",
            "--db",
            db,
        ],
    )
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert len(rows) == 1 and rows[0]["score_scaled"] == "0.8" and rows[0]["success"] == "True"
    r = runner.invoke(main, ["lrs", "export", "--agent", "mailto:ana@example.org", "--db", db])
    assert len(r.stdout.splitlines()) == 7


def test_a_bad_line_stops_the_import_and_stores_nothing(runner, db, tmp_path) -> None:
    good = [statement() for _ in range(5)]
    src = _write_jsonl(
        tmp_path / "bad.jsonl", good, [json.dumps(statement(actor={"mbox": "nope"}))]
    )
    r = runner.invoke(main, ["lrs", "import", str(src), "--batch-size", "2", "--db", db])
    assert r.exit_code == 2
    assert f"{src}:6:" in r.output and "$.actor" in r.output
    assert open_store(db).count() == 0
    garbage = tmp_path / "garbage.jsonl"
    garbage.write_text('{"ok": \n', encoding="utf-8")
    r = runner.invoke(main, ["lrs", "import", str(garbage), "--db", db])
    assert r.exit_code == 2 and f"{garbage}:1:" in r.output and "JSON" in r.output


def test_a_conflicting_batch_is_not_stored(runner, db, tmp_path) -> None:
    sid = str(uuid.uuid4())
    first = _write_jsonl(tmp_path / "a.jsonl", [statement(id=sid)])
    runner.invoke(main, ["lrs", "import", str(first), "--db", db])
    clash = statement(id=sid, verb={"id": "http://adlnet.gov/expapi/verbs/attempted"})
    src = _write_jsonl(tmp_path / "b.jsonl", [statement(), statement(), statement(), clash])
    r = runner.invoke(main, ["lrs", "import", str(src), "--batch-size", "2", "--db", db])
    assert r.exit_code == 2 and f"{src}:3:" in r.output
    assert open_store(db).count() == 3, "first batch stored, the conflicting batch not at all"


def test_database_resolution(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("MIRCO_DB", raising=False)
    sample_project = tmp_path / "course"
    sample_project.mkdir()
    (sample_project / "mirco.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    configured = tmp_path / "configured"
    configured.mkdir()
    (configured / "mirco.toml").write_text(
        '[lrs]\ndb = "sqlite:////srv/lrs.db"\n', encoding="utf-8"
    )
    assert resolve_db(None, configured) == "sqlite:////srv/lrs.db"
    assert resolve_db("sqlite:////x.db", tmp_path) == "sqlite:////x.db"
    assert (
        resolve_db(None, tmp_path) == f"sqlite:///{(tmp_path / '.mirco' / 'lrs.sqlite3').resolve()}"
    )
    assert resolve_db(None, sample_project).endswith(f"{sample_project.name}/.mirco/lrs.sqlite3")
    monkeypatch.setenv("MIRCO_DB", "sqlite:////env.db")
    assert resolve_db(None, tmp_path) == "sqlite:////env.db"


def test_migrate_and_bad_urls(runner, db) -> None:
    assert runner.invoke(main, ["lrs", "migrate", "--db", db]).exit_code == 0
    r = runner.invoke(main, ["lrs", "migrate", "--db", "mysql://x@y/z"])
    assert r.exit_code == 2 and "unsupported database URL" in r.output
    assert open_store(db).query(StatementQuery()).statements == []
