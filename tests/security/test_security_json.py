"""One JSON reader with limits: nothing a client sends can nest deep enough to break a
later step, hold a number beyond a double, or a NUL character — bodies, the ``agent``
parameter, document merges and each line of ``mirco lrs import`` alike."""

from __future__ import annotations

import json
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lrs_support import statement

from mirco_lms.cli import main
from mirco_lms.lrs.resources import statement_writes as writes
from mirco_lms.lrs.store import open_store
from mirco_lms.lrs.validation.jsontext import MAX_DEPTH, JsonRefused, loads_json

ACT = "https://example.org/mirco/m1"
AGENT = {"mbox": "mailto:ana@example.org"}


def _deep(depth: int) -> object:
    value: object = 1
    for _ in range(depth - 1):
        value = {"a": value}
    return value


def _with_extension(value: object) -> dict:
    return statement(result={"extensions": {"https://example.org/x": value}})


@pytest.mark.parametrize("depth", [1000, 955, 500, 70])
def test_deep_statements_are_a_400_naming_the_path(client, admin, depth) -> None:
    text = json.dumps(_with_extension("PLACEHOLDER")).replace(
        '"PLACEHOLDER"', '{"a":' * depth + "1" + "}" * depth
    )
    r = client.post("/xapi/statements", content=text, headers=admin.headers(**{
        "Content-Type": "application/json"}))
    assert r.status_code == 400, r.text
    assert r.json()["path"].startswith("$")
    assert f"deeper than {MAX_DEPTH}" in r.json()["error"]


def test_statements_within_the_limit_still_go_in(client, admin) -> None:
    r = client.post("/xapi/statements", json=_with_extension(_deep(40)), headers=admin.headers())
    assert r.status_code == 200, r.text


def test_a_deep_agent_parameter_is_a_400(client, admin) -> None:
    agent = '{"mbox":"mailto:a@b.c","x":' + "[" * 1000 + "]" * 1000 + "}"
    for path, params in [
        ("/xapi/statements", {"agent": agent}),
        ("/xapi/agents", {"agent": agent}),
        ("/xapi/activities/state", {"activityId": ACT, "agent": agent, "stateId": "s"}),
    ]:
        r = client.get(path, params=params, headers=admin.headers())
        assert r.status_code == 400, (path, r.text)
        assert "deeper" in r.json()["error"]


def test_a_deep_state_merge_is_a_400(client, admin) -> None:
    params = {"activityId": ACT, "agent": json.dumps(AGENT), "stateId": "s"}
    client.post("/xapi/activities/state", params=params, json={"a": 1}, headers=admin.headers())
    deep = '{"b":' + "[" * 1000 + "]" * 1000 + "}"
    r = client.post("/xapi/activities/state", params=params, content=deep,
                    headers=admin.headers(**{"Content-Type": "application/json"}))
    assert r.status_code == 400 and "deeper" in r.text
    got = client.get("/xapi/activities/state", params=params, headers=admin.headers())
    assert got.json() == {"a": 1}


@pytest.mark.parametrize(
    ("raw", "path"),
    [
        ("1e400", "$.result.extensions.https://example.org/x"),
        ("-1" + "0" * 400, "$.result.extensions.https://example.org/x"),
        ('"a\\u0000b"', "$.result.extensions.https://example.org/x"),
        ('[0, {"k": 1e309}]', "$.result.extensions.https://example.org/x[1].k"),
    ],
)
def test_huge_numbers_and_nul_are_a_400_with_the_path(client, admin, raw, path) -> None:
    text = json.dumps(_with_extension("PLACEHOLDER")).replace('"PLACEHOLDER"', raw)
    r = client.post("/xapi/statements", content=text, headers=admin.headers(**{
        "Content-Type": "application/json"}))
    assert r.status_code == 400, r.text
    assert r.json()["path"] == path


def test_formatted_reads_survive_a_deep_statement_stored_earlier(client, admin, store) -> None:
    """A statement nested deeper than today's limit, stored before the limit existed
    (here: straight through the service, past the reader), no longer breaks a page."""
    deep = _with_extension(_deep(900))
    submitter = writes.Submitter(authority={"mbox": "mailto:lrs@example.org"})
    ids, done = writes.submit_statements(store, writes.Batch([deep]), submitter, "1.0.3")
    done.result()
    for fmt in ("ids", "canonical", "exact"):
        r = client.get("/xapi/statements", params={"format": fmt}, headers=admin.headers())
        assert r.status_code == 200, (fmt, r.text[:200])
        assert ids[0] in r.text


def test_lrs_import_reports_a_deep_line_with_file_and_line(runner, sqlite_url, tmp_path):
    src = tmp_path / "in.jsonl"
    deep = json.dumps(_with_extension("P")).replace('"P"', "[" * 5000 + "]" * 5000)
    src.write_text(json.dumps(statement(id=str(uuid.uuid4()))) + "\n" + deep + "\n")
    r = runner.invoke(main, ["lrs", "import", str(src), "--db", sqlite_url])
    assert r.exit_code not in (0, 70), r.output
    assert f"{src}:2:" in r.output and "deeper" in r.output
    assert open_store(sqlite_url).count() == 0


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(json_values, st.integers(min_value=0, max_value=200))
def test_the_reader_either_parses_or_refuses_with_a_path(value, wrap) -> None:
    """Any JSON text, wrapped at any depth: parsed to the same value, or refused with a
    ValueError naming a JSON path — never RecursionError or a value with inf or NUL."""
    text = "[" * wrap + json.dumps(value) + "]" * wrap
    try:
        parsed = loads_json(text)
    except JsonRefused as exc:
        assert exc.path.startswith("$")
        return
    inner = parsed
    for _ in range(wrap):
        inner = inner[0]
    assert json.dumps(inner) == json.dumps(value)
    # the wrapping arrays are levels 1…wrap, the value's own containers come below them
    assert "\\u0000" not in text and wrap + _depth(value) <= MAX_DEPTH


def _depth(value: object) -> int:
    """How many arrays and objects nest in ``value`` (a plain value: 0)."""
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return 1 + max((_depth(item) for item in value), default=0)
    return 0
