"""``mirco build --format site``: the catalogue as a static e-library, built from the
sample project — complete in every language, links that lead somewhere, an offline
search index that folds Cyrillic and Latin, no tracking, the same bytes every time."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from mirco_lms.build import BuildOptions, build
from mirco_lms.cli import main
from mirco_lms.config import ProjectConfig
from mirco_lms.formats import registry
from mirco_lms.site.search import fold, words

LANGUAGES = ["en", "sr-Latn", "sr-Cyrl", "mk"]

REPO = Path(__file__).resolve().parents[2]
"""The repository: itself the sample course project."""


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The sample project's site, built twice into two output folders."""
    config = ProjectConfig.load(REPO)
    first, second = (tmp_path_factory.mktemp(name) for name in ("site-a", "site-b"))
    for out in (first, second):
        build(config, BuildOptions(formats=("site",), out_dir=out, jobs=1))
    return first / "site", second / "site"


def test_site_is_deterministic(built: tuple[Path, Path]) -> None:
    first, second = built
    assert _tree(first) == _tree(second)


def test_site_has_every_module_and_language(built: tuple[Path, Path]) -> None:
    site = built[0]
    assert [p.name for p in sorted(site.iterdir()) if p.is_dir()] == sorted(
        ["assets", *LANGUAGES])
    for lang in LANGUAGES:
        for slug in ("global-migration-governance", "migration-human-rights",
                     "smuggling-of-migrants"):
            module = site / lang / slug
            assert (module / "index.html").is_file() and (module / "descriptor.html").is_file()
            assert list(module.glob("lesson-*.html")), (lang, slug)
            assert list((module / "images").iterdir())
        page = (site / lang / "index.html").read_text(encoding="utf-8")
        assert f'<html lang="{lang}"' in page
    lesson = (site / "sr-Cyrl" / "migration-human-rights" / "lesson-foundations.html")
    text = lesson.read_text(encoding="utf-8")
    assert 'hreflang="mk" lang="mk"' in text and 'aria-current="page">српски' in text.lower()
    assert 'href="../../en/migration-human-rights/lesson-foundations.html"' in text
    search = (site / "sr-Cyrl" / "search.html").read_text(encoding="utf-8")
    assert "<h1>Претрага</h1>" in search and "Речи за претрагу" in search  # the UI, translated


def test_site_shows_each_language_its_media_and_translated_diagrams(
    built: tuple[Path, Path],
) -> None:
    module = built[0] / "mk" / "smuggling-of-migrants"
    svg = (module / "images" / "smuggling-vs-trafficking.svg").read_text(encoding="utf-8")
    assert ">Согласност<" in svg and ">Consent<" not in svg
    media = sorted(p.name for p in (module / "media").iterdir())
    assert media == ["smuggling-or-trafficking.en.vtt", "smuggling-or-trafficking.jpg",
                     "smuggling-or-trafficking.mk.vtt", "smuggling-or-trafficking.mp4"]
    cyrillic = built[0] / "sr-Cyrl" / "smuggling-of-migrants" / "media"
    assert "Три питања" in (cyrillic / "smuggling-or-trafficking.sr-Cyrl.vtt").read_text(
        encoding="utf-8")


def test_site_pages_have_no_tracking_and_no_lms(built: tuple[Path, Path]) -> None:
    for path in built[0].rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        scripts = re.findall(r'<script[^>]*src="([^"]+)"', text)
        assert all(s.endswith(("search-index.js", "assets/search.js")) for s in scripts), path
        assert "API_1484_11" not in text and "xapi" not in text.lower()
        assert "http://" not in "".join(re.findall(r'(?:src)="([^"]+)"', text))


def test_site_validates_and_a_broken_link_is_reported(built: tuple[Path, Path],
                                                      tmp_path: Path) -> None:
    import shutil

    site = built[0]
    fmt = registry.recognise(site)
    assert fmt is not None and fmt.name == "site"
    assert fmt.validate(site) == []
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    (copy / "mk" / "smuggling-of-migrants" / "descriptor.html").unlink()
    problems = fmt.validate(copy)
    assert problems and all("descriptor.html" in p.message for p in problems)
    assert problems[0].location.line is not None


def test_search_index_folds_scripts(built: tuple[Path, Path]) -> None:
    assert fold("Заштита") == fold("zaštita") == "zastita"
    assert fold("Ѓорѓи ќе") == "gorgi ke"
    assert words("Кој е бегалец?") == ["koj", "begalec"]
    script = (built[0] / "sr-Cyrl" / "search-index.js").read_text(encoding="utf-8")
    data = json.loads(script.removeprefix("window.MIRCO_SEARCH = ").rstrip(";\n"))
    assert "izbeglica" in data["terms"]  # Cyrillic text, indexed folded
    assert all(doc["url"].endswith(".html") for doc in data["docs"])


def test_cli_builds_the_site(sample_project: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["build", "--format", "site", "--project", str(sample_project)])
    assert result.exit_code == 0, result.output
    assert "e-library" in result.output and "site" in result.output
    assert (sample_project / "dist" / "site" / "en" / "search.html").is_file()
    # an unchanged rebuild replaces the site with the same bytes
    before = _tree(sample_project / "dist" / "site")
    again = runner.invoke(main, ["build", "--format", "site", "--project", str(sample_project)])
    assert again.exit_code == 0, again.output
    assert _tree(sample_project / "dist" / "site") == before


def test_a_language_a_module_lacks_is_left_out_of_the_site(
    sample_project_all_languages: Path, runner: CliRunner
) -> None:
    """A language in which a module is withheld (untranslated) is not in the site — like a
    Moodle course, the site of a language is whole — and no page links to it; with
    --allow-partial it is there, untranslated text in the source language."""
    project = sample_project_all_languages
    (project / "translations" / "mk" / "LC_MESSAGES" / "smuggling-of-migrants.po").unlink()
    result = runner.invoke(main, ["build", "--format", "site", "--project", str(project)])
    assert result.exit_code == 0, result.output
    site = project / "dist" / "site"
    assert not (site / "mk").exists() and (site / "sr-Cyrl" / "index.html").is_file()
    lesson = (site / "en" / "smuggling-of-migrants" / "lesson-legal-framework.html").read_text(
        encoding="utf-8")
    assert 'hreflang="sr-Cyrl"' in lesson and 'hreflang="mk"' not in lesson
    fmt = registry.get("site")
    assert fmt is not None and fmt.validate(site) == []
    partial = runner.invoke(main, ["build", "--format", "site", "--allow-partial",
                                   "--project", str(project)])
    assert partial.exit_code == 0, partial.output
    assert (site / "mk" / "smuggling-of-migrants" / "lesson-legal-framework.html").is_file()
    assert fmt.validate(site) == []
