"""[tracking] in mirco.toml: what packages need to send statements, and bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from mirco_lms.config import ProjectConfig
from mirco_lms.errors import ConfigError

GOOD = """[tracking]
endpoint = "https://lrs.example.org/xapi"
key = "k1"
secret = "s1"
activity_base = "https://training.example.org/mirco/"
homepage = "https://lms.example.org"
"""


def load(tmp_path: Path, text: str) -> ProjectConfig:
    (tmp_path / "mirco.toml").write_text(text, encoding="utf-8")
    return ProjectConfig.load(tmp_path)


def test_tracking_configured(tmp_path: Path) -> None:
    tracking = load(tmp_path, GOOD).tracking
    assert tracking.enabled
    assert tracking.endpoint == "https://lrs.example.org/xapi/"
    assert tracking.activity_base == "https://training.example.org/mirco"


def test_no_tracking_section(tmp_path: Path) -> None:
    tracking = load(tmp_path, "[project]\nname = \"x\"\n").tracking
    assert not tracking.enabled and tracking.endpoint is None


@pytest.mark.parametrize(("old", "new", "key", "line"), [
    ('"https://lrs.example.org/xapi"', '"lrs.example.org/xapi"', "[tracking].endpoint", 2),
    ('"https://lrs.example.org/xapi"', '"ftp://lrs.example.org/"', "[tracking].endpoint", 2),
    ('"https://lms.example.org"', '"/lms"', "[tracking].homepage", 6),
    ('"https://training.example.org/mirco/"', '"mirco"', "[tracking].activity_base", 5),
    ('key = "k1"\n', "", "[tracking].key", 1),
    ('secret = "s1"\n', "", "[tracking].secret", 1),
    ('"k1"', '"a:b"', "[tracking].key", 3),
])
def test_bad_tracking_names_the_key(
    tmp_path: Path, old: str, new: str, key: str, line: int
) -> None:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, GOOD.replace(old, new))
    assert key in str(caught.value)
    assert caught.value.location.line == line
    assert caught.value.hint


def test_endpoint_must_be_text(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"\[tracking\].endpoint must be str"):
        load(tmp_path, GOOD.replace('"https://lrs.example.org/xapi"', "42"))
