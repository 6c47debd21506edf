"""The sample course's Serbian Cyrillic pages keep Roman numerals in Latin script."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from mirco_lms.build import BuildOptions, build
from mirco_lms.config import ProjectConfig

_BACK = str.maketrans("ИВХЛЦДМ", "IVXLCDM")
_ROMAN = re.compile(r"M{0,4}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})\Z")
_CANDIDATE = re.compile(r"(?<![\w])[ИВХЛЦДМ]{2,}(?![\w])")
_WORDS = {"МИ", "ВИ", "ЛИ", "ДИ"}  # Serbian words made of those letters


def test_no_transliterated_roman_numerals_in_cyrillic_pages(
    sample_project_all_languages: Path,
) -> None:
    report = build(ProjectConfig.load(sample_project_all_languages),
                   BuildOptions(languages=("sr-Cyrl",), formats=("scorm2004",)))
    pages = 0
    for row in report.rows:
        with zipfile.ZipFile(row.path) as archive:
            for name in archive.namelist():
                if not name.endswith(".html"):
                    continue
                pages += 1
                text = re.sub(r"<[^>]+>", " ", archive.read(name).decode("utf-8"))
                bad = [w for w in _CANDIDATE.findall(text)
                       if w not in _WORDS and _ROMAN.match(w.translate(_BACK))]
                assert not bad, f"{row.path.name}:{name}: {bad}"
                if "Part III" in text or "Deo III" in text:
                    raise AssertionError(f"untranslated page {name}")
    assert pages
    joined = b"".join(zipfile.ZipFile(r.path).read(n) for r in report.rows
                      for n in zipfile.ZipFile(r.path).namelist() if n.endswith(".html"))
    assert "Део III".encode() in joined
