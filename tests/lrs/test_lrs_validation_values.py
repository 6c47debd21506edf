"""Value formats (Data 4), version negotiation (Communication 3.3) and document rules."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from mirco_lms.errors import BadRequest, XapiValidationError
from mirco_lms.lrs.validation.rules import (
    etag,
    etag_matches,
    merge_json,
    negotiate_version,
    parse_timestamp,
    validate_document_params,
    validate_duration,
    validate_iri,
    validate_language_tag,
)


@pytest.mark.parametrize(
    "tag",
    [
        "en",
        "en-US",
        "sr-Latn",
        "sr-Cyrl-RS",
        "zh-Hant-TW",
        "de-CH-1901",
        "es-419",
        "x-private",
        "en-GB-oed",
        "zh-z-aaa-c-ccc",
        "und",
        "sgn-BE-FR",
    ],
)
def test_valid_language_tags(tag: str) -> None:
    """RFC 5646 well-formed tags are accepted (Data 4.2)."""
    assert validate_language_tag(tag) == tag


@pytest.mark.parametrize(
    "tag", ["a12345", "a12345678", "zh-z-aaa-z-bbb-c-ccc", "de-1901-1901", "en-", "", "en_US", "e"]
)
def test_invalid_language_tags(tag: str) -> None:
    """XAPI-00013: tags breaking RFC 5646 are rejected (duplicate singletons included)."""
    with pytest.raises(XapiValidationError, match="RFC 5646"):
        validate_language_tag(tag)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2015-11-18T12:17:00Z", datetime(2015, 11, 18, 12, 17, tzinfo=UTC)),
        ("2023-05-04T12:00:00-05:00", datetime(2023, 5, 4, 17, 0, tzinfo=UTC)),
        ("2013-05-18T05:32:34.804+00:00", datetime(2013, 5, 18, 5, 32, 34, 804000, tzinfo=UTC)),
        ("2013-05-18T05:32:34.8041234+0100", datetime(2013, 5, 18, 4, 32, 34, 804123, tzinfo=UTC)),
        ("20130518T053234Z", datetime(2013, 5, 18, 5, 32, 34, tzinfo=UTC)),
        ("2013-05-18T05:32:34", datetime(2013, 5, 18, 5, 32, 34, tzinfo=UTC)),
    ],
)
def test_parse_timestamp_to_utc(text: str, expected: datetime) -> None:
    """Data 4.5: ISO 8601 timestamps, returned timezone-aware in UTC."""
    assert parse_timestamp(text) == expected
    assert parse_timestamp(text).tzinfo is UTC


@pytest.mark.parametrize(
    "text",
    [
        "2008-09-15T15:53:00.601-00:00",
        "2008-09-15T15:53:00.601-0000",
        "2008-09-15T15:53:00-00",
        "2008-02-30T00:00:00Z",
        "2008-09-15 15:53:00Z",
        "2008-09-15T25:00:00Z",
        "now",
    ],
)
def test_invalid_timestamps(text: str) -> None:
    with pytest.raises(XapiValidationError):
        parse_timestamp(text, "$.timestamp")


@pytest.mark.parametrize(
    "text", ["PT1H0M0.1S", "P3Y", "P4W", "PT16559.14S", "P1DT12H36M0.12567S", "P0D"]
)
def test_valid_durations(text: str) -> None:
    assert validate_duration(text) == text


@pytest.mark.parametrize(
    "text", ["P", "PT", "P4W1D", "PA1H0M0S", "P1.5DT1H", "1H", "PT1H2", "P-1D"]
)
def test_invalid_durations(text: str) -> None:
    """Data 4.6 (XAPI-00124): ISO 8601:2004 4.4.3.2 durations only."""
    with pytest.raises(XapiValidationError):
        validate_duration(text)


@pytest.mark.parametrize(
    "iri", ["http://example.com/x", "urn:uuid:1", "https://пример.рф/путь", "mailto:a@b.c"]
)
def test_valid_iris(iri: str) -> None:
    assert validate_iri(iri) == iri


@pytest.mark.parametrize(
    "iri", ["ab=c://should.fail.com", "should fail", "/relative", "", "http://a b"]
)
def test_invalid_iris(iri: str) -> None:
    with pytest.raises(XapiValidationError):
        validate_iri(iri)


@pytest.mark.parametrize(
    ("header", "version"),
    [
        ("1.0", "1.0.3"),
        ("1.0.0", "1.0.3"),
        ("1.0.3", "1.0.3"),
        ("2.0.0", "2.0.0"),
        ("2.0", "2.0.0"),
    ],
)
def test_negotiate_version(header: str, version: str) -> None:
    """Communication 3.3: 1.0 and 1.0.x are served as 1.0.3; 2.0.x as 2.0.0."""
    assert negotiate_version(header) == version


@pytest.mark.parametrize("header", [None, "", "0.95", "0.9", "1.1.0", "3.0.0", "latest"])
def test_negotiate_version_rejects(header: str | None) -> None:
    with pytest.raises(BadRequest) as info:
        negotiate_version(header)
    assert "1.0.3" in (info.value.hint or "") and "2.0.0" in (info.value.hint or "")


AGENT = json.dumps({"objectType": "Agent", "mbox": "mailto:ana@example.com"})
ACTIVITY = "http://example.com/activities/a"


def test_state_params_parsed() -> None:
    params = validate_document_params(
        "state",
        {
            "activityId": ACTIVITY,
            "agent": AGENT,
            "stateId": "s1",
            "registration": "fd41c918-b88b-4b20-a0a5-a4c32391aaa0",
            "since": "2024-01-01T00:00:00Z",
        },
    )
    assert params["agent"]["mbox"] == "mailto:ana@example.com"
    assert params["since"] == datetime(2024, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("kind", "params", "method", "path"),
    [
        ("state", {"agent": AGENT, "stateId": "s"}, "GET", "?activityId"),
        ("state", {"activityId": "nope", "agent": AGENT}, "GET", "?activityId"),
        ("state", {"activityId": ACTIVITY, "agent": "{bad"}, "GET", "?agent"),
        ("state", {"activityId": ACTIVITY, "agent": '{"name": "x"}'}, "GET", "?agent"),
        (
            "state",
            {"activityId": ACTIVITY, "agent": AGENT, "registration": "x"},
            "GET",
            "?registration",
        ),
        ("state", {"activityId": ACTIVITY, "agent": AGENT}, "PUT", "?stateId"),
        ("state", {"activityId": ACTIVITY, "agent": AGENT, "since": "x"}, "GET", "?since"),
        ("state", {"activityId": ACTIVITY, "agent": AGENT, "profileId": "p"}, "GET", "?profileId"),
        ("activity_profile", {"activityId": ACTIVITY}, "PUT", "?profileId"),
        ("agent_profile", {"agent": AGENT}, "DELETE", "?profileId"),
        ("agent_profile", {"profileId": "p"}, "GET", "?agent"),
    ],
)
def test_document_params_rejected(
    kind: str, params: dict[str, str], method: str, path: str
) -> None:
    """Communication 2.3/2.6/2.7: required, typed parameters; unknown ones rejected."""
    with pytest.raises(XapiValidationError) as info:
        validate_document_params(kind, params, method=method)
    assert info.value.path.startswith(path)


def test_merge_json_top_level() -> None:
    """Communication 2.2.s7: POST merges top-level properties; the new values win."""
    merged = merge_json(
        b'{"a": 1, "b": {"x": 1}}',
        "application/json",
        b'{"b": 2, "c": 3}',
        "application/json; charset=utf-8",
    )
    assert json.loads(merged) == {"a": 1, "b": 2, "c": 3}


@pytest.mark.parametrize(
    ("old", "old_type", "new", "new_type"),
    [
        (b"[1]", "application/json", b"{}", "application/json"),
        (b"{}", "application/json", b"1", "application/json"),
        (b"{}", "text/plain", b"{}", "application/json"),
        (b"{}", "application/json", b"{bad", "application/json"),
    ],
)
def test_merge_json_rejects(old: bytes, old_type: str, new: bytes, new_type: str) -> None:
    with pytest.raises(BadRequest):
        merge_json(old, old_type, new, new_type)


def test_etag_is_quoted_sha1() -> None:
    """Communication 3.1: the ETag is the quoted SHA-1 hex digest of the document."""
    assert etag(b"abc") == '"a9993e364706816aba3e25717850c26c9cd0d89d"'
    assert etag_matches('"a9993e364706816aba3e25717850c26c9cd0d89d"', etag(b"abc"))
    assert etag_matches("*", etag(b"abc"))
    assert not etag_matches("*", None)
    assert not etag_matches('"other"', etag(b"abc"))
