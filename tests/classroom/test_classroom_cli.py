"""Classroom sessions, attendance sheets and paper results, end to end with the real CLI
on SQLite and PostgreSQL: 12 learners in one session, 3 of whom also took the eLearning
module; reports count each person once and read the paper answers."""

from __future__ import annotations

import json
import statistics
from pathlib import Path
from typing import Any

import pytest
import reports_dataset as elearning  # loaded by conftest.py from tests/reports/
from click.testing import CliRunner, Result
from sqlalchemy import text

from mirco_lms.cli import main
from mirco_lms.lrs.resources import statement_writes as writes
from mirco_lms.lrs.store import open_store
from mirco_lms.lrs.store.packing import unpack
from mirco_lms.xapi import profile as p

HOME = "https://lms.example.org"
COURSE = "migration-human-rights"
SESSION = "MHR-BG-01"
LEARNERS = [f"u{n:02d}" for n in range(1, 13)]
ONLINE = LEARNERS[:3]
PRETEST_COLUMNS = ("mhr-p-01", "mhr-p-03", "mhr-p-05", "mhr-p-06")
FINAL_KEY = {"mhr-f-01": "a,b,e", "mhr-f-02": "true", "mhr-f-03": "a", "mhr-f-06": "b",
             "mhr-f-07": "ab", "mhr-f-08": "T", "mhr-f-11": "b", "mhr-f-13": "true",
             "mhr-f-14": "b", "mhr-f-15": "b", "mhr-f-16": "true", "mhr-f-17": "b"}
"""Right answers worth 15 of the final test's 20 points (75 %, passed at 70)."""
FINAL_SCORES = {"u07": "16", "u08": "16", "u09": "16", "u10": "50%", "u11": "16",
                "u12": "16"}


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(runner: CliRunner, project: Path, db: str, *args: str) -> Result:
    return runner.invoke(main, [*args, "--project", str(project), "--db", db])


def ok(result: Result) -> str:
    assert result.exit_code == 0, result.output
    return result.output


def report(runner: CliRunner, project: Path, db: str, *args: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok(run(runner, project, db, "report", *args,
                                             "--format", "json")))
    return data


def count(db: str) -> int:
    store = open_store(db)
    try:
        return store.count()
    finally:
        store.close()


@pytest.fixture
def classroom(sample_project: Path, db_url: str, runner: CliRunner) -> tuple[Path, str]:
    """The registry, the session, attendance and paper results, and 3 learners' eLearning."""
    genders = ["f", "m", "o"]
    rows = ["account,name,institution,country,gender"] + [
        f"{u},Learner {u},{'MUP' if i % 2 else 'MSB'},{'RS' if i % 2 else 'BA'},"
        f"{genders[i % 3] if i < 11 else ''}" for i, u in enumerate(LEARNERS)]
    registry = write(sample_project / "learners.csv", rows)
    ok(runner.invoke(main, ["lrs", "learners", "import", str(registry), "--homepage", HOME,
                            "--db", db_url]))
    sessions = write(sample_project / "sessions.csv", [
        "session,course,language,start,end,venue,trainers,delivery",
        f"{SESSION},{COURSE},sr-Latn,2024-03-04,2024-03-05,Belgrade,"
        '"Tea Trener <tea@example.org>; Marko M. <marko@example.org>",in-person'])
    assert "1 sessions added" in ok(run(runner, sample_project, db_url, "lrs", "sessions",
                                        "import", str(sessions)))
    listed = ok(run(runner, sample_project, db_url, "lrs", "sessions", "list", "--format",
                    "csv"))
    assert listed.splitlines()[1] == (f"{SESSION},{COURSE},sr-Latn,2024-03-04,2024-03-05,"
                                      "Belgrade,Tea Trener <tea@example.org>; "
                                      "Marko M. <marko@example.org>,in-person")
    attendance = ["learner,session,hours,2024-03-04,2024-03-05"]
    for u in LEARNERS:
        if u == "u11":
            attendance.append(f"{u},{SESSION},,x,")  # one day of two: not completed
        elif u == "u12":
            attendance.append(f"{u},{SESSION},6,,")  # the module's 360 minutes
        else:
            attendance.append(f"{u},{SESSION},,x,x")
    ok(run(runner, sample_project, db_url, "lrs", "attendance", "import",
           str(write(sample_project / "attendance.csv", attendance))))
    results = ["learner,session,assessment,attempt,score," + ",".join(PRETEST_COLUMNS) + ","
               + ",".join(FINAL_KEY)]
    blank_final = "," * (len(FINAL_KEY) - 1)
    blank_pre = "," * (len(PRETEST_COLUMNS) - 1)
    for i, u in enumerate(LEARNERS):
        first = "false" if i < 4 else "true"  # u01–u04 right (5 of 12 points), others 4
        results.append(f"{u},{SESSION},pretest,1,,{first},b,b,\"a,b\",{blank_final}")
        if u in FINAL_SCORES:
            results.append(f"{u},{SESSION},final,1,{FINAL_SCORES[u]},{blank_pre},{blank_final}")
        else:
            results.append(f"{u},{SESSION},final,1,,{blank_pre}," + ",".join(
                f'"{a}"' for a in FINAL_KEY.values()))
    ok(run(runner, sample_project, db_url, "lrs", "results", "import",
           str(write(sample_project / "results.csv", results))))
    store = open_store(db_url)
    for u in ONLINE:  # the eLearning module, after the session
        person = elearning.Person(u.upper(), f"Learner {u}", "", "", "en", sends_org=False)
        script = elearning.Script(person, COURSE, elearning.datetime(2024, 5, 2, 8,
                                                                     tzinfo=elearning.UTC))
        script.module(0, p.INITIALIZED)
        script.pretest(0.1, 0.5)
        script.final(1, 0.9)
        script.module(2, p.COMPLETED, completion=True)
        writes.save_statements(store, writes.Batch(script.out), elearning.SUBMITTER, "1.0.3")
    store.close()
    return sample_project, db_url


def test_the_summary_counts_each_trained_person_once(
    classroom: tuple[Path, str], runner: CliRunner
) -> None:
    project, db = classroom
    found = report(runner, project, db, "summary", "--since", "2024-01-01", "--until",
                   "2024-12-31")
    summary = {r["measure"]: r["value"] for r in found["tables"][0]["rows"]}
    assert summary["trained persons"] == 11  # u11 attended one day of two
    assert summary["trained through eLearning"] == 3
    assert summary["trained in a classroom session"] == 11
    assert summary["trained in both"] == 3
    assert summary["eLearning completions"] == 3
    assert summary["classroom completions"] == 11
    breakdown = {(r["by"], r["group"]): r["persons"] for r in found["tables"][1]["rows"]}
    trained = [u for u in LEARNERS if u != "u11"]
    assert breakdown[("country", "BA")] == sum(1 for u in trained if LEARNERS.index(u) % 2 == 0)
    assert breakdown[("country", "RS")] == sum(1 for u in trained if LEARNERS.index(u) % 2)
    assert breakdown[("gender", "female")] == 4 and breakdown[("gender", "(unknown)")] == 1
    assert breakdown[("course", COURSE)] == 11
    assert breakdown[("delivery", "in-person")] == 11 and breakdown[("delivery", "elearning")] == 3
    # first pre-test (the paper one, before the eLearning) and best final of every learner
    pre = {u: (41.67 if i < 4 else 33.33) for i, u in enumerate(LEARNERS)}
    final = {u: 75.0 for u in LEARNERS} | {u: 80.0 for u in FINAL_SCORES} | {"u10": 50.0}
    final |= {u: 90.0 for u in ONLINE}
    gains = [final[u] - pre[u] for u in LEARNERS]
    assert summary["mean knowledge gain (percentage points)"] == round(statistics.mean(gains), 1)
    assert summary["learners with pre-test and final scores"] == 12
    later = report(runner, project, db, "summary", "--since", "2025-01-01")
    assert {r["measure"]: r["value"] for r in later["tables"][0]["rows"]}[
        "trained persons"] == 0
    for fmt, marker in (("csv", "trained persons,11"), ("html", "<svg")):
        assert marker in ok(run(runner, project, db, "report", "summary", "--format", fmt))


def test_gain_completions_and_items_read_the_paper_sheets(
    classroom: tuple[Path, str], runner: CliRunner
) -> None:
    project, db = classroom
    by_delivery = report(runner, project, db, "completions", "--by", "delivery")
    groups = {r["group"]: r for r in by_delivery["tables"][0]["rows"]}
    assert groups["elearning+in-person"]["launched"] == 3
    assert groups["in-person"]["launched"] == 9 and groups["in-person"]["completed"] == 8
    assert groups["in-person"]["passed"] == 8 and groups["in-person"]["failed"] == 1
    by_session = report(runner, project, db, "gain", "--by", "session")
    [session] = [r for r in by_session["tables"][0]["rows"] if r["group"] == SESSION]
    assert session["n"] == 12
    items = report(runner, project, db, "items", "--course", COURSE)
    rows = {r["question"]: r for r in items["tables"][0]["rows"]}
    assert rows["mhr-p-01"]["n"] == 12 and rows["mhr-p-01"]["difficulty"] == pytest.approx(4 / 12)
    assert rows["mhr-p-06"]["difficulty"] == 1.0
    chosen = {o["id"]: o["count"] for o in rows["mhr-p-06"]["options"]}
    assert chosen["a"] == 12 and chosen["b"] == 12 and chosen.get("c", 0) == 0
    assert rows["mhr-f-01"]["n"] == 6  # the sheets with answers; the others gave a score
    by_mode = report(runner, project, db, "items", "--course", COURSE, "--by", "delivery")
    assert {(r["group"], r["question"]) for r in by_mode["tables"][0]["rows"]} == {
        ("in-person", q) for q in (*PRETEST_COLUMNS, *FINAL_KEY)}
    store = open_store(db)
    try:
        with store.engine.connect() as conn:
            flat = conn.execute(text(
                "SELECT delivery, session_id, COUNT(*) FROM mirco_statements_flat "
                "GROUP BY delivery, session_id ORDER BY delivery")).all()
            instructor = conn.execute(text(
                "SELECT \"full\" FROM statements WHERE verb_id = :v LIMIT 1"),
                {"v": p.ATTENDED}).scalar()
    finally:
        store.close()
    assert [(d, s) for d, s, _n in flat] == [("elearning", None), ("in-person", SESSION)]
    stmt = json.loads(unpack(instructor))
    assert [m["mbox"] for m in stmt["context"]["instructor"]["member"]] == [
        "mailto:tea@example.org", "mailto:marko@example.org"]
    assert stmt["context"]["contextActivities"]["other"][0]["id"].endswith(
        f"/sessions/{SESSION}")
    assert stmt["authority"]["name"] == "mirco lrs attendance import"


def test_reimports_are_idempotent_and_corrections_void_what_they_replace(
    classroom: tuple[Path, str], runner: CliRunner
) -> None:
    project, db = classroom
    before = count(db)
    for name in ("attendance", "results"):
        out = ok(run(runner, project, db, "lrs", name, "import", str(project / f"{name}.csv")))
        assert "(0 new), 0 voided" in out
    assert count(db) == before
    results = project / "results.csv"
    original = results.read_text(encoding="utf-8")
    corrected = original.replace(f"u10,{SESSION},final,1,50%", f"u10,{SESSION},final,1,15")
    results.write_text(corrected, encoding="utf-8")
    out = ok(run(runner, project, db, "lrs", "results", "import", str(results)))
    assert "(2 new), 2 voided" in out  # the final test's and the module's result
    u10 = _verbs(runner, project, db, "u10")
    assert (u10["passed"], u10["failed"]) == (True, False)
    assert "(0 new), 0 voided" in ok(run(runner, project, db, "lrs", "results", "import",
                                         str(results)))
    results.write_text(original, encoding="utf-8")  # corrected back: new ids, voided again
    out = ok(run(runner, project, db, "lrs", "results", "import", str(results)))
    assert "(2 new), 2 voided" in out
    u10 = _verbs(runner, project, db, "u10")
    assert (u10["passed"], u10["failed"]) == (False, True)


def _verbs(runner: CliRunner, project: Path, db: str, learner: str) -> dict[str, Any]:
    found = report(runner, project, db, "progress", "--course", COURSE)
    [row] = [r for r in found["tables"][0]["rows"] if r["actor_id"].endswith(f"|{learner}")]
    return {"passed": row["state"] == "passed", "failed": row["state"] == "failed"}


@pytest.mark.parametrize(("kind", "row", "message"), [
    ("mhr-f-03", f"u99,{SESSION},final,1,10,", "unknown learner 'u99'"),
    ("mhr-f-03", f"u01,{SESSION},final,1,21,", "score 21 is out of range (0 to 20 points)"),
    ("mhr-f-03", f"u01,{SESSION},final,1,101%,", "score 101% is out of range (0 to 100%)"),
    ("mhr-f-03", "u01,NOPE,final,1,10,", "unknown session 'NOPE'"),
    ("mhr-f-03", f"u01,{SESSION},midterm,1,10,", "assessment 'midterm' is not pretest or final"),
    ("mhr-f-03", f"u01,{SESSION},final,x,10,", "attempt 'x' is not a number"),
    ("mhr-f-03", f"u01,{SESSION},final,1,10,a", "the row gives both answers and a score"),
    ("mhr-f-03", f"u01,{SESSION},final,1,,d", "mhr-f-03: 'd' is not an option"),
    ("mhr-f-03", f"u01,{SESSION},pretest,1,,a", "unknown question id 'mhr-f-03'"),
    ("mhr-p-02", f"u01,{SESSION},pretest,1,,x", "mhr-p-02: question 'mhr-p-02' (matching) "
     "cannot be read from an answer sheet"),
    ("attendance", f"u01,{SESSION},49", "hours 49 is out of range"),
    ("attendance", "u01,NOPE,3", "unknown session 'NOPE'"),
])
def test_a_bad_row_stops_the_import_and_stores_nothing(
    classroom: tuple[Path, str], runner: CliRunner, kind: str, row: str, message: str
) -> None:
    project, db = classroom
    if kind == "attendance":
        lines = ["learner,session,hours", f"u02,{SESSION},5", row]
    else:
        lines = [f"learner,session,assessment,attempt,score,{kind}",
                 f"u02,{SESSION},pretest,2,4,", row]
    path = write(project / "bad.csv", lines)
    before = count(db)
    command = "attendance" if kind == "attendance" else "results"
    out = run(runner, project, db, "lrs", command, "import", str(path))
    assert out.exit_code == 2, out.output
    assert f"bad.csv:3: error: {message}" in out.output
    assert "Traceback" not in out.output
    assert count(db) == before
    if "u99" in row:
        assert "u99,<name>,<institution>,<country code>" in out.output


def test_duplicate_rows_and_bad_sessions_are_refused(
    classroom: tuple[Path, str], runner: CliRunner
) -> None:
    project, db = classroom
    twice = write(project / "twice.csv", ["learner,session,2024-03-04",
                                          f"u01,{SESSION},x", f"u01,{SESSION},x"])
    out = run(runner, project, db, "lrs", "attendance", "import", str(twice))
    assert out.exit_code == 2 and "twice.csv:3: error:" in out.output
    assert "already on row 2" in out.output
    outside = write(project / "outside.csv", ["learner,session,2024-03-09", f"u01,{SESSION},x"])
    out = run(runner, project, db, "lrs", "attendance", "import", str(outside))
    assert "2024-03-09 is not a day of session" in out.output
    for row, message in [
        ("S2;nope;en;2024-01-01;2024-01-02;;a <a@example.org>;in-person", "no module 'nope'"),
        (f"S2;{COURSE};en;2024-01-03;2024-01-02;;a <a@example.org>;in-person",
         "ends (2024-01-02) before it starts"),
        (f"S2;{COURSE};en;2024-01-01;2024-01-02;;Ana;in-person", "has no e-mail address"),
        (f"S2;{COURSE};en;2024-01-01;2024-01-02;;a <a@example.org>;webinar",
         "delivery 'webinar'"),
    ]:
        path = write(project / "s.csv", [
            "session;course;language;start;end;venue;trainers;delivery", row])
        out = run(runner, project, db, "lrs", "sessions", "import", str(path))
        assert out.exit_code == 2 and message in out.output, out.output
    listed = ok(run(runner, project, db, "lrs", "sessions", "list", "--format", "csv"))
    assert len(listed.splitlines()) == 2


def test_a_session_added_on_the_command_line_and_a_learner_known_by_e_mail(
    sample_project: Path, db_url: str, runner: CliRunner
) -> None:
    project, db = sample_project, db_url
    registry = write(project / "learners.csv", [
        "email,name,institution,country", "Mirsad@Example.ba,Mirsad H.,MSB,BA"])
    ok(runner.invoke(main, ["lrs", "learners", "import", str(registry), "--db", db]))
    add = ["lrs", "sessions", "add", "SOM-1", "--course", "smuggling-of-migrants", "--lang",
           "mk", "--start", "2024-04-10", "--trainer", "ana@example.org", "--delivery",
           "live-online"]
    assert "session SOM-1 added" in ok(run(runner, project, db, *add))
    assert "session SOM-1 updated" in ok(run(runner, project, db, *add[:-1], "blended"))
    out = run(runner, project, db, *add[:5], "nope", *add[6:])
    assert out.exit_code == 2 and "no module 'nope'" in out.output
    sheet = write(project / "hours.csv", ["learner,session,hours",
                                          "mirsad@example.ba,SOM-1,2"])
    ok(run(runner, project, db, "lrs", "attendance", "import", str(sheet),
           "--min-attendance", "100"))
    found = report(runner, project, db, "completions", "--by", "session")
    [row] = [r for r in found["tables"][0]["rows"] if r["group"] == "SOM-1"]
    assert (row["launched"], row["completed"]) == (1, 0)  # 2 hours of the module's more
    ok(run(runner, project, db, "lrs", "attendance", "import", str(sheet),
           "--min-attendance", "1"))
    found = report(runner, project, db, "completions", "--by", "delivery")
    assert [(r["group"], r["completed"]) for r in found["tables"][0]["rows"]] == [("blended", 1)]


def test_certificates_go_to_those_the_session_qualified_and_verify(
    classroom: tuple[Path, str], runner: CliRunner, tmp_path: Path
) -> None:
    """The classroom's own figures decide the certificates: every learner who attended
    and passed the paper final test gets one (u10 failed, u11 attended one day of two);
    each is verified at /verify/<code> and its Open Badges credential checked with PyJWT
    against the keys the LRS publishes."""
    import jwt
    from starlette.testclient import TestClient

    from mirco_lms.certificates import keys, records
    from mirco_lms.lrs.http.app import create_app
    from mirco_lms.lrs.settings import LrsSettings

    project, db = classroom
    config = project / "mirco.toml"
    config.write_text(config.read_text(encoding="utf-8") + '\n[certificates]\n'
                      'base_url = "http://lrs.test"\nkeys = "keys"\n', encoding="utf-8")
    keys.generate(project / "keys")
    out = tmp_path / "certificates"
    issued = ok(run(runner, project, db, "certificates", "issue", "--course", COURSE,
                    "--session", SESSION, "-o", str(out)))
    assert "10" in issued
    store = open_store(db)
    try:
        certificates = records.listed(store)
        names = sorted(c.learner_name for c in certificates)
        assert names == sorted(f"Learner {u}" for u in LEARNERS if u not in ("u10", "u11"))
        assert {c.language for c in certificates} == {"sr-Latn"}
        again = ok(run(runner, project, db, "certificates", "issue", "--course", COURSE,
                       "--session", SESSION, "-o", str(out)))
        assert len(records.listed(store)) == 10, again  # never issued twice
        app = create_app(LrsSettings(db=db, bind_url="http://lrs.test",
                                     credential_cache_seconds=0), store=store)
        with TestClient(app, base_url="http://lrs.test") as client:
            [key] = jwt.PyJWKSet.from_dict(client.get("/.well-known/jwks.json").json()).keys
            for certificate in certificates[:3]:
                page = client.get(f"/verify/{certificate.code}")
                assert page.status_code == 200 and certificate.learner_name in page.text
                claims = jwt.decode(certificate.badge, key=key.key, algorithms=["EdDSA"])
                assert "OpenBadgeCredential" in claims["vc"]["type"]
    finally:
        store.close()
