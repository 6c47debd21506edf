"""Query parameters through one parser (ASCII digits, real instants, exact booleans),
the authority's homePage never taken from the client's Host header, and what a 503
after a writer crash tells the client."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lrs_support import statement

from mirco_lms import params
from mirco_lms.cli import main
from mirco_lms.errors import BadRequest
from mirco_lms.lrs.http.app import error_response
from mirco_lms.lrs.store.writer_process import WriterUnavailable


@pytest.mark.parametrize(
    "params",
    [
        {"limit": "²"},
        {"limit": "٣"},
        {"limit": "1" * 5000},
        {"limit": "-1"},
        {"limit": " 5"},
        {"until": "9999-12-31"},
        {"until": "9999-12-31T23:00:00-05:00"},
        {"since": "0001-01-01T00:00:00+05:00"},
        {"since": "2024-13-01T00:00:00Z"},
        {"ascending": "True"},
        {"format": "IDS"},
    ],
)
def test_bad_statement_query_parameters_are_a_400(client, admin, params) -> None:
    r = client.get("/xapi/statements", params=params, headers=admin.headers())
    assert r.status_code == 400, (params, r.text)
    assert list(params)[0] in r.json()["error"]


def test_edge_instants_that_exist_are_fine(client, admin) -> None:
    for query in ({"until": "9999-12-31T23:59:59Z"}, {"since": "0001-01-01T00:00:00Z"}):
        r = client.get("/xapi/statements", params=query, headers=admin.headers())
        assert r.status_code == 200, r.text


def test_out_of_range_timestamps_in_statements_are_a_400(client, admin) -> None:
    r = client.post("/xapi/statements",
                    json=statement(timestamp="9999-12-31T23:00:00-05:00"),
                    headers=admin.headers())
    assert r.status_code == 400 and r.json()["path"] == "$.timestamp"


@pytest.mark.parametrize("until", ["9999-12-31", "10000-01-01", "2024-02-30"])
def test_report_dates_out_of_range_are_a_400_and_exit_2(
    client, admin, runner, store, until
) -> None:
    r = client.get("/reports/completions", params={"until": until},
                   headers={"Authorization": admin.header})
    assert r.status_code == 400, r.text
    out = runner.invoke(main, ["report", "completions", "--db", store.url, "--until", until])
    assert out.exit_code == 2 and "until" in out.output, out.output


def test_the_authority_home_page_ignores_the_host_header(client, admin) -> None:
    r = client.post("/xapi/statements", json=statement(),
                    headers=admin.headers(Host="evil.example"))
    assert r.status_code == 200
    got = client.get("/xapi/statements", params={"statementId": r.json()[0]},
                     headers=admin.headers())
    assert got.json()["authority"]["account"]["homePage"] == "http://lrs.test"


def test_the_bind_address_is_the_fallback_and_base_url_wins(make_client, admin) -> None:
    for overrides, home in (
        ({"bind_url": "http://127.0.0.1:8100"}, "http://127.0.0.1:8100"),
        ({"bind_url": "http://127.0.0.1:8100", "base_url": "https://lrs.example.org"},
         "https://lrs.example.org"),
    ):
        client = make_client(**overrides)
        sid = client.post("/xapi/statements", json=statement(),
                          headers=admin.headers(Host="evil.example")).json()[0]
        got = client.get("/xapi/statements", params={"statementId": sid},
                         headers=admin.headers()).json()
        assert got["authority"]["account"]["homePage"] == home


def test_a_503_after_a_writer_crash_says_the_batch_may_be_stored(tmp_path) -> None:
    """A writer that reads the batch and dies before answering: the batch may have been
    stored, and the answer says so and how to retry safely."""
    import socket
    import threading

    from mirco_lms.lrs.store.writer_process import RemoteWriter

    path = str(tmp_path / "dies.sock")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(1)

    def read_then_die() -> None:
        conn, _ = listener.accept()
        conn.recv(1 << 16)
        conn.close()

    thread = threading.Thread(target=read_then_die)
    thread.start()
    remote = RemoteWriter(path)
    try:
        with pytest.raises(WriterUnavailable) as caught:
            remote.submit(len).result(timeout=10)
    finally:
        remote.stop()
        thread.join(10)
        listener.close()
    answer = error_response(caught.value)
    assert answer.status_code == 503 and answer.headers["retry-after"] == "1"
    body = answer.body.decode()
    assert "may or may not have been stored" in body and "same statement ids" in body


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=25))
def test_count_takes_exactly_ascii_digit_strings(raw) -> None:
    """Any text: a whole number when it is 1-18 ASCII digits, else a 400 naming the
    parameter — never a ValueError or an int() of other scripts' digits."""
    try:
        value = params.count({"limit": raw}, "limit", 0)
    except BadRequest as exc:
        assert "limit" in exc.message
        assert not (raw.isascii() and raw.isdigit() and 0 < len(raw) <= params.MAX_DIGITS)
    else:
        assert raw.isascii() and raw.isdigit() and value == int(raw)


@settings(max_examples=300, deadline=None)
@given(st.datetimes(timezones=st.timezones()) | st.text(max_size=30))
def test_instant_parses_or_refuses_with_a_400(moment) -> None:
    raw = moment.isoformat() if hasattr(moment, "isoformat") else moment
    try:
        parsed = params.instant({"until": raw}, "until")
    except BadRequest as exc:
        assert "until" in exc.message
    else:
        assert parsed is not None and parsed.tzinfo is not None


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/xapi/activities/profile", {"activityId": "https://example.org/a", "profileId": "p\x00"}),
        ("/xapi/activities/state", {"activityId": "https://example.org/a",
                                    "agent": '{"mbox": "mailto:a@example.org"}',
                                    "stateId": "s\x00"}),
        ("/xapi/agents/profile", {"agent": '{"mbox": "mailto:a@example.org"}',
                                  "profileId": "\x00"}),
        ("/xapi/statements", {"verb": "https://example.org/v\x00"}),
        ("/xapi/activities", {"activityId": "https://example.org/\x00"}),
    ],
)
def test_a_nul_in_any_parameter_is_a_400(client, admin, path, params) -> None:
    """PostgreSQL cannot hold U+0000 in text; no parameter reaches a store with one."""
    r = client.get(path, params=params, headers=admin.headers())
    assert r.status_code == 400, r.text
    assert "NUL" in r.text
