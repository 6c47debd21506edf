"""The validator's patterns match the whole value: a final newline (which ``$`` lets
through) or digits of another script (which Python's ``\\d`` matches) are refused in
every value a pattern checks — ids, IRIs, mailto, hashes, media types, versions,
timestamps, durations, language tags — and a statement carrying one gets a 400-class
error, never a stored value that looks like another."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from mirco_lms.errors import XapiValidationError
from mirco_lms.lrs.validation import common, languages

SHA1 = "a" * 40
SHA256 = "b" * 64
CHECKS: list[tuple[str, Callable[[str], Any], str]] = [
    ("uuid", common.validate_uuid, "12345678-1234-4234-8234-123456789abc"),
    ("iri", common.validate_iri, "https://example.org/mirco/module"),
    ("mailto", lambda v: common.validate_mailto(v, "$"), "mailto:learner@example.org"),
    ("sha1", lambda v: common.validate_sha1(v, "$"), SHA1),
    ("sha2", lambda v: common.validate_sha2(v, "$"), SHA256),
    ("version", lambda v: common.validate_version_string(v, "$", "1.0.3"), "1.0.3"),
    ("timestamp", common.parse_timestamp, "2024-03-01T08:00:00.000Z"),
    ("duration", common.validate_duration, "PT1H30M"),
    ("weeks", common.validate_duration, "P2W"),
]


@pytest.mark.parametrize(("name", "check", "good"), CHECKS, ids=[c[0] for c in CHECKS])
def test_a_final_newline_is_refused(name: str, check: Callable[[str], Any], good: str) -> None:
    check(good)
    for bad in (good + "\n", good + "\r\n", "\n" + good):
        with pytest.raises(XapiValidationError):
            check(bad)


def test_only_ascii_digits_count() -> None:
    for bad in ("PT\u0663S", "P\u0661D", "PT1.\u0665S"):
        with pytest.raises(XapiValidationError):
            common.validate_duration(bad)
    for bad in ("\u0662\u0660\u0662\u0664-03-01T08:00:00Z", "2024-03-01T08:00:00.\u0665Z"):
        with pytest.raises(XapiValidationError):
            common.parse_timestamp(bad)
    with pytest.raises(XapiValidationError):
        common.validate_version_string("1.0.\u0663", "$", "1.0.3")


def test_language_tags_match_whole() -> None:
    assert languages.is_language_tag("sr-Latn-RS")
    assert not languages.is_language_tag("sr-Latn-RS\n")
    assert not languages.is_language_tag("es-\u0664\u0661\u0669")
