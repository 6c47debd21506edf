"""The sample's video and diagrams in every language's packages: the language's captions
(sr-Cyrl made from sr-Latn), translated SVG texts, a manifest listing them, valid
packages; and the build's size-budget and missing-captions warnings."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from mirco_lms.build import BuildOptions, build
from mirco_lms.config import BuildSettings, ProjectConfig
from mirco_lms.course.loader import load_module
from mirco_lms.errors import ConfigError
from mirco_lms.media.budget import package_warnings
from mirco_lms.package import validate_package

SLUG = "smuggling-of-migrants"
MEDIA = "media/smuggling-or-trafficking"
SVG = "images/smuggling-vs-trafficking.svg"
# the diagram's column heads and one row label, as each package must show them
HEADS = {
    "en": ("Smuggling of migrants", "Consent"),
    "sr-Latn": ("Krijumčarenje migranata", "Pristanak"),
    "sr-Cyrl": ("Кријумчарење миграната", "Пристанак"),
    "mk": ("Криумчарење мигранти", "Согласност"),
}


def _svg_texts(data: bytes) -> list[str]:
    root = etree.fromstring(data)
    return [t.strip() for t in root.itertext() if t.strip()]


@pytest.mark.slow
def test_every_language_package_holds_its_media_and_translated_diagrams(
    sample_project_all_languages: Path,
) -> None:
    config = ProjectConfig.load(sample_project_all_languages)
    report = build(config, BuildOptions(slugs=(SLUG,), jobs=1))
    rows = [row for row in report.rows if row.path is not None]
    assert {(r.language, r.path.name.rsplit("-", 1)[-1]) for r in rows} >= {
        (lang, fmt) for lang in HEADS for fmt in ("scorm12.zip", "scorm2004.zip")}
    for row in rows:
        assert row.path is not None
        language = row.language
        assert validate_package(row.path) == [], row.path.name
        with zipfile.ZipFile(row.path) as archive:
            names = set(archive.namelist())
            captions = {n for n in names if n.endswith(".vtt")}
            expected = {f"{MEDIA}.{language}.vtt", f"{MEDIA}.en.vtt"}
            assert captions == expected, (language, captions)  # no other language's files
            assert {f"{MEDIA}.mp4", f"{MEDIA}.jpg", SVG} <= names
            assert not any(n.endswith(".md") for n in names)  # transcripts are inlined
            manifest = archive.read("imsmanifest.xml").decode()
            for name in (*expected, f"{MEDIA}.mp4", f"{MEDIA}.jpg", SVG):
                assert f'href="{name}"' in manifest, (language, name)
            texts = _svg_texts(archive.read(SVG))
            for head in HEADS[language]:
                assert head in texts, (language, head, texts[:6])
            html = archive.read("index.html").decode()
            track = re.search(r'<track kind="captions" src="([^"]+)" srclang="([^"]+)"', html)
            assert track is not None and track.groups() == (f"{MEDIA}.{language}.vtt", language)
            own = archive.read(f"{MEDIA}.{language}.vtt").decode()
            if language == "sr-Cyrl":
                assert "Кријумчарење миграната" in own
            assert 'class="mirco-transcript"' in html


def test_budget_warnings_per_file_and_per_package(sample_project: Path) -> None:
    module = load_module(sample_project / "modules" / SLUG).require()
    tight = BuildSettings(max_file_kb=100, max_package_kb=200)
    warnings = package_warnings(module, "en", tight)
    messages = [w.message for w in warnings]
    assert all(w.severity == "warning" for w in warnings)
    assert any(f"{MEDIA}.mp4 is" in m and "over the 100 KB budget for one file" in m
               for m in messages), messages
    assert any("over the 200 KB budget for a package" in m for m in messages), messages
    assert package_warnings(module, "en", BuildSettings()) == []


def test_a_language_without_its_captions_gets_a_warning(sample_project: Path) -> None:
    folder = sample_project / "modules" / SLUG
    (folder / f"{MEDIA}.mk.vtt").unlink()
    module = load_module(folder).require()
    warnings = package_warnings(module, "mk", BuildSettings())
    assert [w.message for w in warnings] == [
        f"{SLUG} [mk]: the video '{MEDIA}.mp4' has no mk captions; the package shows the "
        "en ones"]
    assert package_warnings(module, "sr-Cyrl", BuildSettings()) == []  # from sr-Latn


def test_the_build_reports_budget_warnings(sample_project: Path) -> None:
    toml = sample_project / "mirco.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace('out = "dist"', 'out = "dist"\nmax_file_kb = 100'),
                    encoding="utf-8")
    report = build(ProjectConfig.load(sample_project),
                   BuildOptions(slugs=(SLUG,), formats=("scorm12",), jobs=1))
    assert any("over the 100 KB budget" in w.message for w in report.warnings)


def test_a_bad_budget_names_its_key(sample_project: Path) -> None:
    toml = sample_project / "mirco.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace('out = "dist"', 'out = "dist"\nmax_package_kb = 0'),
                    encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[build\].max_package_kb must be a positive") as err:
        ProjectConfig.load(sample_project)
    line = toml.read_text(encoding="utf-8").split("\n").index("max_package_kb = 0") + 1
    assert err.value.location is not None and err.value.location.line == line
