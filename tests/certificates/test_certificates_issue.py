"""``mirco certificates``: issued to exactly those who met the course's rule, as PDF and
as an Open Badges 3.0 credential, recorded once, revocable — on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
import os
import stat
from pathlib import Path
from typing import Any

import jwt
import pytest
import segno
from certificates_support import BASE_URL, dataset
from click.testing import CliRunner
from pypdf import PdfReader

from mirco_lms.certificates import pdf, records
from mirco_lms.cli import main
from mirco_lms.lrs.resources import statement_writes as writes
from mirco_lms.lrs.store import SqlStore
from mirco_lms.render.theme import Theme
from mirco_lms.xapi import profile as p

C1 = f"{dataset.BASE}/{dataset.C1}"
C2 = f"{dataset.BASE}/{dataset.C2}"


def _issue(runner: CliRunner, store: SqlStore, project: Path, *args: str) -> Any:
    return runner.invoke(main, ["certificates", "issue", "--db", store.url,
                                "--project", str(project), *args])


def _pdf_text(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return " ".join(page.extract_text() for page in reader.pages)


def test_certificates_go_to_exactly_those_who_completed_and_passed(
    runner: CliRunner, loaded: SqlStore, project: Path
) -> None:
    """C1 has a final test: L1 and L3 completed and passed; L2 and L5 completed with the
    final test failed, L4 never completed (its 'passed' was voided) — they get none."""
    result = _issue(runner, loaded, project, "--course", dataset.C1)
    assert result.exit_code == 0, result.output
    assert "rule: completed-and-passed" in result.output
    issued = records.listed(loaded, C1)
    assert sorted(c.learner_name for c in issued) == ["Ana Anić", "Cvijeta Cvetić"]
    assert {c.actor_id for c in issued} == {dataset.ifi("L1"), dataset.ifi("L3")}
    by_name = {c.learner_name: c for c in issued}
    assert by_name["Cvijeta Cvetić"].language == "sr-Latn"
    assert by_name["Ana Anić"].language == "en"
    for cert in issued:
        assert cert.rule == "completed-and-passed" and cert.status == "valid"
        assert len(cert.code) >= 22 and cert.verify_url == f"{BASE_URL}/verify/{cert.code}"
    # the course title in the learner's course language (the project's catalogs)
    assert by_name["Ana Anić"].course_name == "Migration and Human Rights"
    assert by_name["Cvijeta Cvetić"].course_name == "Migracije i ljudska prava"

    result = _issue(runner, loaded, project, "--course", dataset.C2)
    assert result.exit_code == 0, result.output
    assert sorted(c.learner_name for c in records.listed(loaded, C2)) == [
        "Fatima Fazlić", "Hana Hasić"]


def test_the_evidence_is_the_completed_and_the_passed_statement(
    runner: CliRunner, loaded: SqlStore, project: Path
) -> None:
    assert _issue(runner, loaded, project, "--course", dataset.C1).exit_code == 0
    [ana] = [c for c in records.listed(loaded, C1) if c.learner_name == "Ana Anić"]
    full = records.get(loaded, ana.code)
    roles = dict((role, sid) for sid, role in full.evidence)
    assert set(roles) == {"completed", "passed"}
    completed = loaded.get(roles["completed"], voided=False)
    passed = loaded.get(roles["passed"], voided=False)
    assert completed is not None and passed is not None
    assert completed.data["verb"]["id"] == p.COMPLETED
    assert completed.data["object"]["id"] == C1
    assert passed.data["verb"]["id"] == p.PASSED
    assert completed.data["actor"]["account"]["name"] == "l1"
    assert full.achieved.startswith("2024-03-02T08:00")  # the newer of the two: +24 h


def test_the_pdf_names_the_learner_course_and_code_in_the_course_language(
    runner: CliRunner, loaded: SqlStore, project: Path
) -> None:
    out = project / "out"
    assert _issue(runner, loaded, project, "--course", dataset.C1, "-o", str(out)).exit_code == 0
    for cert in records.listed(loaded, C1):
        document = out / f"{cert.code}.pdf"
        text = _pdf_text(document)
        assert cert.learner_name in text
        assert cert.course_name in text
        assert cert.code in text.replace("\n", "").replace(" ", "")
        reader = PdfReader(io.BytesIO(document.read_bytes()))
        assert str(reader.trailer["/Root"]["/Lang"]) == cert.language
        assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged PDF
        assert (out / f"{cert.code}.jwt").read_text(encoding="ascii") == cert.badge
    serbian = next(c for c in records.listed(loaded, C1) if c.language == "sr-Latn")
    assert "Sertifikat" in _pdf_text(out / f"{serbian.code}.pdf")


def test_the_qr_code_is_made_from_the_verification_url(
    runner: CliRunner, loaded: SqlStore, project: Path
) -> None:
    assert _issue(runner, loaded, project, "--course", dataset.C1).exit_code == 0
    cert = records.listed(loaded, C1)[0]
    page = pdf.html(cert, issuer="X", theme=Theme.for_project(None))
    expected = segno.make_qr(cert.verify_url, error="m")
    assert pdf.qr_svg(cert.verify_url) in page
    assert expected.designator.endswith("-M") and cert.verify_url in page
    other = pdf.qr_svg(cert.verify_url + "x")
    assert other not in page


def test_the_badge_verifies_with_an_independent_jose_library(
    runner: CliRunner, loaded: SqlStore, project: Path, make_client: Any
) -> None:
    """The VC-JWT checks out with PyJWT against the key the LRS publishes (no mirco code
    verifies it), and a changed payload does not."""
    assert _issue(runner, loaded, project, "--course", dataset.C1).exit_code == 0
    client = make_client(base_url=BASE_URL)
    published = client.get("/.well-known/jwks.json")
    assert published.status_code == 200
    [key] = jwt.PyJWKSet.from_dict(published.json()).keys
    did = client.get("/.well-known/did.json").json()
    assert did["id"] == "did:web:lrs.test"
    for cert in records.listed(loaded, C1):
        header = jwt.get_unverified_header(cert.badge)
        assert header["alg"] == "EdDSA" and header["kid"] == f"did:web:lrs.test#{key.key_id}"
        assert header["kid"] in did["assertionMethod"]
        claims = jwt.decode(cert.badge, key=key.key, algorithms=["EdDSA"])
        vc = claims["vc"]
        assert vc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
        assert claims["iss"] == vc["issuer"]["id"] == "did:web:lrs.test"
        assert vc["issuer"]["name"] == "Migration Training Centre"
        assert vc["id"] == claims["jti"] == cert.verify_url
        subject = vc["credentialSubject"]
        assert subject["identifier"][0]["identityHash"] == cert.learner_name
        assert subject["achievement"]["id"] == C1
        assert subject["achievement"]["name"] == cert.course_name
        head, body, signature = cert.badge.split(".")
        forged = json.loads(jwt.utils.base64url_decode(body))
        forged["vc"]["credentialSubject"]["identifier"][0]["identityHash"] = "Mallory"
        tampered = ".".join([head, jwt.utils.base64url_encode(
            json.dumps(forged).encode()).decode(), signature])
        with pytest.raises(jwt.InvalidSignatureError):
            jwt.decode(tampered, key=key.key, algorithms=["EdDSA"])


def test_issuing_again_is_idempotent_and_reports_what_was_issued(
    runner: CliRunner, loaded: SqlStore, project: Path
) -> None:
    out = project / "out"
    first = _issue(runner, loaded, project, "--course", dataset.C1, "-o", str(out))
    codes = {c.code for c in records.listed(loaded, C1)}
    written = {path: path.stat().st_mtime_ns for path in out.iterdir()}
    assert "2 issued, 0 already issued" in first.output and len(written) == 4
    again = _issue(runner, loaded, project, "--course", dataset.C1, "-o", str(out))
    assert again.exit_code == 0, again.output
    assert "0 issued, 2 already issued" in again.output
    assert {c.code for c in records.listed(loaded, C1)} == codes
    assert {path: path.stat().st_mtime_ns for path in out.iterdir()} == written
    lost = next(iter(sorted(out.glob("*.pdf"))))
    lost.unlink()
    third = _issue(runner, loaded, project, "--course", dataset.C1, "-o", str(out))
    assert "1 files written" in third.output and lost.is_file()
    assert not list(out.glob("*.partial"))


def test_revocation_keeps_the_record_with_its_reason(
    runner: CliRunner, loaded: SqlStore, project: Path
) -> None:
    assert _issue(runner, loaded, project, "--course", dataset.C1).exit_code == 0
    code = records.listed(loaded, C1)[0].code
    db = ["--db", loaded.url, "--project", str(project)]
    result = runner.invoke(main, ["certificates", "revoke", code, "--reason",
                                  "exam irregularity", *db])
    assert result.exit_code == 0, result.output
    revoked = records.get(loaded, code)
    assert revoked.status == "revoked" and revoked.revoked_reason == "exam irregularity"
    listing = runner.invoke(main, ["certificates", "list", *db])
    assert f"{code}\trevoked {revoked.revoked}" in listing.output
    only = runner.invoke(main, ["certificates", "list", "--course", dataset.C2, *db])
    assert only.exit_code == 0 and code not in only.output
    assert "no certificates issued yet" in only.output
    twice = runner.invoke(main, ["certificates", "revoke", code, "--reason", "again", *db])
    assert twice.exit_code == 2 and "already revoked" in twice.output
    unknown = runner.invoke(main, ["certificates", "revoke", "nope", "--reason", "x", *db])
    assert unknown.exit_code == 2 and "no certificate has the code 'nope'" in unknown.output
    # a revoked certificate is still the learner's one: issuing again does not replace it
    again = _issue(runner, loaded, project, "--course", dataset.C1)
    assert "0 issued, 2 already issued" in again.output and "revoked" in again.output


def _session_statements(session: str) -> list[dict[str, Any]]:
    """L9 (registered, no eLearning) completes and passes C1 in a classroom session."""
    script = dataset.Script(dataset.PEOPLE["L9"], dataset.C1,
                            dataset.datetime(2024, 5, 6, 9, tzinfo=dataset.UTC))
    passed = script.module(3, p.PASSED, success=True, score={"scaled": 0.9})
    done = script.module(3.1, p.COMPLETED, completion=True)
    for stmt in (passed, done):
        stmt["context"]["contextActivities"]["grouping"].append({"id": session})
    return script.out


def test_a_session_filters_to_the_statements_carrying_it(
    runner: CliRunner, loaded: SqlStore, project: Path
) -> None:
    session = f"{dataset.BASE}/sessions/bg-2024-05"
    writes.save_statements(loaded, writes.Batch(_session_statements(session)),
                           dataset.SUBMITTER, "1.0.3")
    result = _issue(runner, loaded, project, "--course", dataset.C1, "--session", "bg-2024-05")
    assert result.exit_code == 0, result.output
    [only] = records.listed(loaded, C1)
    assert only.learner_name == "Ivan Ilić" and only.session_id == session
    result = _issue(runner, loaded, project, "--course", dataset.C1)
    assert "2 issued, 1 already issued" in result.output
    since = _issue(runner, loaded, project, "--course", dataset.C2, "--since", "2024-04-03")
    assert [c.learner_name for c in records.listed(loaded, C2)] == ["Hana Hasić"], since.output


def test_without_a_project_the_statements_decide_the_rule(
    runner: CliRunner, loaded: SqlStore, tmp_path: Path, project: Path
) -> None:
    result = runner.invoke(main, [
        "certificates", "issue", "--course", dataset.C1, "--db", loaded.url,
        "--project", str(tmp_path), "--keys", str(project / "keys"), "--base-url", BASE_URL,
        "--issuer", "Centre", "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "rule: completed-and-passed" in result.output
    assert sorted(c.learner_name for c in records.listed(loaded, C1)) == [
        "Ana Anić", "Cvijeta Cvetić"]
    assert {c.course_name for c in records.listed(loaded, C1)} == {dataset.C1}


@pytest.mark.parametrize(("args", "message"), [
    (["--course", "no-such-course"], "unknown course 'no-such-course'"),
    (["--course", dataset.C1, "--keys", "elsewhere"], "no signing key for certificates"),
    (["--course", dataset.C1, "--base-url", "lrs.test"], "absolute http(s) URL"),
    (["--course", dataset.C1, "--since", "yesterday"], "is not a date"),
    (["--course", dataset.C1, "--project", "/nonexistent"], "public address of the LRS"),
    (["--course", dataset.C1, "--session", "s1", "--project", "/nonexistent", "--issuer", "X",
      "--keys", "{keys}", "--base-url", BASE_URL], "needs the project's activity base"),
])
def test_bad_inputs_are_clear_errors(
    runner: CliRunner, loaded: SqlStore, project: Path, args: list[str], message: str
) -> None:
    args = [a.replace("{keys}", str(project / "keys")) for a in args]
    result = _issue(runner, loaded, project, *args)
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output
    assert records.listed(loaded) == []


def test_a_bad_setting_names_its_key(runner: CliRunner, loaded: SqlStore,
                                     project: Path) -> None:
    config = project / "mirco.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        'base_url = "http://lrs.test"', "base_url = 3"), encoding="utf-8")
    result = _issue(runner, loaded, project, "--course", dataset.C1)
    assert result.exit_code == 2
    assert "[certificates].base_url must be a string" in result.output
    assert "mirco.toml" in result.output


def test_keygen_writes_a_private_key_only_its_owner_reads(
    runner: CliRunner, tmp_path: Path
) -> None:
    folder = tmp_path / "keys"
    result = runner.invoke(main, ["certificates", "keygen", "--project", str(tmp_path),
                                  "--keys", str(folder)])
    assert result.exit_code == 0, result.output
    private = folder / "issuer-ed25519.pem"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    public = json.loads((folder / "issuer-ed25519.jwk.json").read_text())
    assert public["kty"] == "OKP" and public["crv"] == "Ed25519" and "d" not in public
    again = runner.invoke(main, ["certificates", "keygen", "--project", str(tmp_path),
                                 "--keys", str(folder)])
    assert again.exit_code == 2 and "already exists" in again.output
    os.chmod(private, 0o644)
    from mirco_lms.certificates import keys

    with pytest.raises(Exception, match="readable by others"):
        keys.load(folder)
