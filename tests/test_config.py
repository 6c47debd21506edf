from __future__ import annotations

from pathlib import Path

import pytest

from mirco_lms.config import ProjectConfig
from mirco_lms.errors import ConfigError


def test_missing_config_says_where(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        ProjectConfig.load(tmp_path)
    assert "mirco.toml" in info.value.format()
    assert info.value.hint


@pytest.mark.parametrize(
    ("text", "expected", "line"),
    [
        ("[build]\nformats = ['scorm3']\n", "unknown format 'scorm3'", 2),
        ("[build]\nout = 3\n", "[build].out must be str, got 3", 2),
        ("[bulid]\n", "unknown section [bulid]", 1),
        ("[build]\nfromats = []\n", "unknown key [build].fromats", 2),
        ("[build\n", "invalid TOML", 1),
    ],
)
def test_bad_config_names_key_and_line(tmp_path: Path, text: str, expected: str, line: int) -> None:
    (tmp_path / "mirco.toml").write_text(text)
    with pytest.raises(ConfigError) as info:
        ProjectConfig.load(tmp_path)
    assert expected in info.value.message
    assert info.value.location is not None and info.value.location.line == line


def test_defaults(tmp_path: Path) -> None:
    (tmp_path / "mirco.toml").write_text("")
    config = ProjectConfig.load(tmp_path)
    assert config.build.formats == ("scorm12", "scorm2004")
    assert config.out_dir == tmp_path / "dist"
