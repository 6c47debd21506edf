"""``mirco report`` and ``mirco lrs learners``: every format, bad input, the registry."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import reports_dataset
from reports_dataset import C1

from mirco_lms.cli import main
from mirco_lms.lrs.store import open_store
from mirco_lms.lrs.store.registry import list_learners


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'lrs.sqlite3'}"
    store = open_store(url)
    reports_dataset.load(store)
    store.close()
    return url


def test_every_format(runner, db: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    table = runner.invoke(main, ["report", "completions", "--db", db, "--by", "course"])
    assert table.exit_code == 0, table.output
    assert C1 in table.output and "80.0 %" in table.output  # C1 completion rate
    out = runner.invoke(main, ["report", "completions", "--db", db, "--format", "csv"])
    [row] = list(csv.DictReader(io.StringIO(out.output)))
    assert row["launched"] == "8" and row["completion_rate"] == "0.7500"
    out = runner.invoke(main, ["report", "gain", "--db", db, "--format", "json"])
    data = json.loads(out.output)
    assert data["kind"] == "gain" and data["tables"][0]["rows"][0]["n"] == 6
    target = tmp_path / "items.html"
    out = runner.invoke(main, ["report", "items", "--db", db, "--course", C1,
                               "--format", "html", "-o", str(target)])
    assert out.exit_code == 0 and target.read_text().startswith("<!DOCTYPE html>")
    assert not (tmp_path / "items.html.partial").exists()
    out = runner.invoke(main, ["report", "progress", "--db", db, "--institution", "MUP"])
    assert out.exit_code == 0 and "not started" in out.output


def test_gain_pairs_table_and_tests_in_every_format(runner, db: str) -> None:  # type: ignore[no-untyped-def]
    out = runner.invoke(main, ["report", "gain", "--db", db, "--table", "pairs",
                               "--format", "csv"])
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(out.output)))
    assert len(rows) == 6 and set(rows[0]) >= {"learner", "pretest", "final", "gain"}
    out = runner.invoke(main, ["report", "gain", "--db", db, "--format", "csv"])
    [row] = list(csv.DictReader(io.StringIO(out.output)))
    assert row["n"] == "6" and float(row["t"]) == pytest.approx(2.6429, abs=1e-4)
    by_course = runner.invoke(main, ["report", "gain", "--db", db, "--by", "course"])
    assert "paired" in by_course.output and "every pair" in by_course.output
    assert "nan" not in by_course.output.lower()
    html = runner.invoke(main, ["report", "gain", "--db", db, "--format", "html",
                                "--by", "course"])
    assert "Cohen" in html.output and "not enough pairs" not in html.output
    assert "nan" not in html.output.lower().replace("nano", "")
    data = json.loads(runner.invoke(main, ["report", "gain", "--db", db, "--by", "course",
                                           "--format", "json"]).output)
    c2 = [r for r in data["tables"][0]["rows"] if r["n"] == 2][0]
    assert c2["t"] is None and c2["wilcoxon"] == 0
    bad = runner.invoke(main, ["report", "gain", "--db", db, "--table", "people"])
    assert bad.exit_code != 0 and "tables: summary, pairs" in bad.output


def test_items_csv_shows_option_labels_in_the_groups_language(runner, db: str) -> None:  # type: ignore[no-untyped-def]
    out = runner.invoke(main, ["report", "items", "--db", db, "--lang", "sr", "--format", "csv"])
    rows = {r["question"]: r for r in csv.DictReader(io.StringIO(out.output))}
    # sr-Latn first attempts on q1: L3 chose a (right), L4 chose b
    assert rows["q1"]["options"] == "Opcija A*=1; Opcija B=1; Opcija C=0"


def test_course_by_module_id_from_the_project(runner, sample_project: Path) -> None:  # type: ignore[no-untyped-def]
    out = runner.invoke(main, ["report", "completions", "--project", str(sample_project),
                               "--course", "migration-human-rights"])
    assert out.exit_code == 0, out.output
    assert "no statements match course=migration-human-rights" in out.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", "completions", "--course", "nowhere"], "unknown course 'nowhere'"),
        (["report", "completions", "--since", "2024/03/01"], "hint: write YYYY-MM-DD"),
        (["report", "completions", "--until", "yesterday"], "is not a date"),
        (["report", "completions", "--by", "planet"], "group by one of: course, language"),
        (["report", "items", "--by", "country"], "group by one of: language"),
        (["report", "progress"], "give --course or --institution"),
        (["report", "completions", "--country", "Serbia"], "ISO 3166-1"),
        (["report", "nonsense"], "Invalid value for 'KIND'"),
        (["report", "completions", "--format", "pdf"], "Invalid value for '--format'"),
    ],
)
def test_bad_input_exits_2_with_a_message(runner, db: str, args, message) -> None:  # type: ignore[no-untyped-def]
    out = runner.invoke(main, [*args, "--db", db])
    assert out.exit_code == 2, out.output
    assert message in out.output
    assert "Traceback" not in out.output


def test_unknown_course_lists_the_existing_ones(runner, db: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = runner.invoke(main, ["report", "gain", "--db", db, "--course", "x",
                               "--project", str(tmp_path)])
    assert "hint: courses: migration-human-rights, smuggling-of-migrants" in out.output


def test_empty_store_says_so(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    for fmt in ("table", "csv", "json", "html"):
        out = runner.invoke(main, ["report", "completions", "--db", db, "--format", fmt])
        assert out.exit_code == 0, out.output
        if fmt in ("table", "json", "html"):
            assert "no statements match" in out.output, fmt
        else:
            assert out.output.splitlines()[0].startswith("group,launched")


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_learners_import_and_list(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = f"sqlite:///{tmp_path / 'lrs.sqlite3'}"
    first = _write(tmp_path / "a.csv", "account;name;institution;country;unit\n"
                   "u1;Ana Anić;MUP;rs;Border police\nu2;;MUP;RS;\n")
    out = runner.invoke(main, ["lrs", "learners", "import", str(first), "--db", db,
                               "--homepage", "https://lms.example.org"])
    assert out.exit_code == 0 and "2 learners added, 0 updated" in out.output
    again = _write(tmp_path / "b.csv", "account,institution,country\nu1,MSB,BA\n")
    out = runner.invoke(main, ["lrs", "learners", "import", str(again), "--db", db,
                               "--homepage", "https://lms.example.org"])
    assert "0 learners added, 1 updated" in out.output
    store = open_store(db)
    found = {x.account: x for x in list_learners(store)}
    store.close()
    assert found["u1"].institution == "MSB" and found["u1"].country == "BA"
    assert found["u1"].actor_ifi == "account:https://lms.example.org|u1"
    assert found["u2"].country == "RS"
    out = runner.invoke(main, ["lrs", "learners", "list", "--db", db, "--format", "csv"])
    assert out.output.splitlines()[0] == "account,email,name,institution,country,unit,gender"
    assert len(out.output.splitlines()) == 3


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("", ":1:", "a header row is required"),
        ("u1,MUP,RS\n", ":1:", "unknown column 'u1'"),
        ("name,institution,country\nAna,MUP,RS\n", ":1:", "missing column: account or email"),
        ("account,institution\nu1,MUP\n", ":1:", "missing column: country"),
        ("account,institution,country\nu1,MUP,RS\nu2,MUP,Serbia\n", ":3:", "ISO 3166-1"),
        ("email,institution,country\nana@example.org,MUP,RS\nana.example.org,MUP,RS\n", ":3:",
         "is not an e-mail address"),
        ("account,institution,country\nu1,,RS\n", ":2:", "the institution is empty"),
        ("account,institution,country\nu1,MUP,RS\nu1,MSB,BA\n", ":3:", "already on row 2"),
        ("account,institution,country\nu1,MUP\n", ":2:", "expected 3 cells, got 2"),
        ("account,email,institution,country\n,,MUP,RS\n", ":2:", "neither account nor email"),
    ],
)
def test_bad_csv_names_file_and_row_and_stores_nothing(runner, tmp_path: Path, text, where,  # type: ignore[no-untyped-def]
                                                       message) -> None:
    db = f"sqlite:///{tmp_path / 'lrs.sqlite3'}"
    path = _write(tmp_path / "learners.csv", text)
    out = runner.invoke(main, ["lrs", "learners", "import", str(path), "--db", db])
    assert out.exit_code == 2, out.output
    assert f"learners.csv{where}" in out.output and message in out.output
    assert "hint:" in out.output
    store = open_store(db)
    assert list_learners(store) == []
    store.close()


def test_unreadable_csv(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = f"sqlite:///{tmp_path / 'lrs.sqlite3'}"
    out = runner.invoke(main, ["lrs", "learners", "import", str(tmp_path / "no.csv"), "--db", db])
    assert out.exit_code == 2 and "no.csv: error: cannot read the file" in out.output
    binary = tmp_path / "latin1.csv"
    binary.write_bytes("account,institution,country\nu1,Mini\xa0,RS\n".encode("latin-1"))
    out = runner.invoke(main, ["lrs", "learners", "import", str(binary), "--db", db])
    assert out.exit_code == 2 and "not UTF-8" in out.output
