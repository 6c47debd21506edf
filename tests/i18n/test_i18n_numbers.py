"""Numbers in the built pages and in the runtime's data follow the language's locale."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from mirco_lms.build import BuildOptions, build
from mirco_lms.config import ProjectConfig
from mirco_lms.i18n.formatting import localized_output, number_symbols


@pytest.mark.parametrize(("lang", "decimal", "group"), [
    ("en", ".", ","), ("sr-Latn", ",", "."), ("sr-Cyrl", ",", "."), ("mk", ",", ".")])
def test_number_symbols(lang: str, decimal: str, group: str) -> None:
    assert number_symbols(lang) == {"decimal": decimal, "group": group}


@pytest.mark.parametrize(("lang", "value", "shown"), [
    ("en", 66.67, "66.67"), ("sr-Latn", 66.67, "66,67"), ("mk", 8.5, "8,5"),
    ("sr-Cyrl", 1234.5, "1.234,5"), ("mk", 70, 70), ("mk", "2.5", "2.5")])
def test_templates_print_decimals_in_the_locale(lang: str, value: object,
                                                shown: object) -> None:
    assert localized_output(lang)(value) == shown


def test_runtime_data_carries_the_locale_number_symbols(
    sample_project_all_languages: Path,
) -> None:
    report = build(ProjectConfig.load(sample_project_all_languages),
                   BuildOptions(slugs=("migration-human-rights",), formats=("scorm12",)))
    assert len(report.rows) == 4
    for row in report.rows:
        with zipfile.ZipFile(row.path) as archive:
            html = archive.read("index.html").decode("utf-8")
        data = re.search(r'<script type="application/json" id="mirco-course">(.*?)</script>',
                         html, re.S)
        assert data is not None
        assert json.loads(data.group(1))["numbers"] == number_symbols(row.language)
