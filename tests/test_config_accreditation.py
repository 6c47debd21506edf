"""mirco.toml: [project] texts per language and the [accreditation] rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from mirco_lms.config import ProjectConfig
from mirco_lms.course.accreditation import AccreditationRules
from mirco_lms.errors import ConfigError
from mirco_lms.render.programme import DescriptorInfo

PER_LANGUAGE = """\
[project]
name = "Catalogue"
organization = { en = "Training Centre", sr-Latn = "Centar za obuku", sr-Cyrl = "Центар за обуку" }
institution = "Ministry"

[i18n]
languages = ["sr-Latn", "en", "sr-Cyrl"]
"""


def _load(tmp_path: Path, text: str) -> ProjectConfig:
    (tmp_path / "mirco.toml").write_text(text, encoding="utf-8")
    return ProjectConfig.load(tmp_path)


def test_a_project_text_may_be_given_per_language(tmp_path: Path) -> None:
    config = _load(tmp_path, PER_LANGUAGE)
    assert config.organization == "Centar za obuku"  # the first language's
    assert config.project_text("organization", "sr-Cyrl") == "Центар за обуку"
    assert config.project_text("organization", "en") == "Training Centre"
    assert config.project_text("institution", "sr-Cyrl") == "Ministry"  # a plain string
    info = DescriptorInfo.from_config(config)
    assert info.in_language("sr-Cyrl").organization == "Центар за обуку"
    assert info.in_language("sr-Cyrl").institution == "Ministry"
    assert info.in_language("mk").organization == "Centar za obuku"


def test_plain_strings_keep_working(tmp_path: Path) -> None:
    config = _load(tmp_path, '[project]\norganization = "Centre"\n')
    assert config.organization == "Centre" and config.localized == {}
    assert config.project_text("organization", "mk") == "Centre"
    assert config.accreditation == AccreditationRules((25, 30))


@pytest.mark.parametrize(
    ("text", "expected", "line"),
    [
        ('[project]\norganization = { en = "A", xx-Bad = "B" }\n',
         "[project].organization: ", 2),
        ('[project]\norganization = { en = 3 }\n',
         "[project].organization.en must be text, got 3", 2),
        ('[project]\norganization = {}\n', "[project].organization is empty", 2),
        ('[project]\norganization = 3\n', "[project].organization must be str or dict", 2),
        ('[project]\norganization = { en = "A" }\n[i18n]\nlanguages = ["en", "mk"]\n',
         "[project].organization has no text in mk", 2),
        ("[accreditation]\nhours_per_ects = [30, 25]\n",
         "[accreditation].hours_per_ects must be a number of hours or a range", 2),
        ("[accreditation]\nhours_per_ects = 'many'\n",
         "[accreditation].hours_per_ects must be int or list", 2),
        ("[accreditation]\nhours_per_ects = [0]\n",
         "[accreditation].hours_per_ects must be a number of hours or a range", 2),
        ("[accreditation]\nhour_per_ects = 25\n", "unknown key [accreditation].hour_per_ects", 2),
    ],
)
def test_a_wrong_value_names_its_key_and_line(
    tmp_path: Path, text: str, expected: str, line: int
) -> None:
    with pytest.raises(ConfigError) as caught:
        _load(tmp_path, text)
    assert expected in caught.value.message
    assert caught.value.location is not None and caught.value.location.line == line


@pytest.mark.parametrize(("value", "rules"), [("25", (25, 25)), ("[20, 28]", (20, 28))])
def test_the_hours_per_credit(tmp_path: Path, value: str, rules: tuple[int, int]) -> None:
    config = _load(tmp_path, f"[accreditation]\nhours_per_ects = {value}\n")
    assert config.accreditation.hours_per_ects == rules
