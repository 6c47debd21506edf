"""mirco serve: the preview site, its pages, build errors in the page, rebuilds."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from mirco_lms.serve import PreviewSite, create_app

with warnings.catch_warnings():
    # Starlette asks for the httpx2 package; the httpx installed here works the same.
    warnings.simplefilter("ignore", UserWarning)
    from starlette.testclient import TestClient


@pytest.fixture
def preview(sample_project: Path) -> Iterator[tuple[PreviewSite, TestClient]]:
    site = PreviewSite(sample_project)
    with TestClient(create_app(site, watch=False)) as client:
        yield site, client
    site.close()
    assert not site.root.exists()


def test_index_lists_modules_languages_and_formats(preview: tuple[PreviewSite, TestClient]) -> None:
    site, client = preview
    page = client.get("/")
    assert page.status_code == 200
    assert "migration-human-rights" in page.text and "SCORM 2004" in page.text
    assert '/play/smuggling-of-migrants-1.0.0-en-scorm12"' in page.text
    assert site.generation == 1 and site.failure is None
    assert client.get("/_preview/status").json() == {"generation": 1, "ok": True}


def test_player_page_and_package_files(preview: tuple[PreviewSite, TestClient]) -> None:
    _, client = preview
    page = client.get("/play/migration-human-rights-1.0.0-en-scorm12")
    assert page.status_code == 200
    assert 'id="pv-frame"' in page.text and "scorm-emu.js" in page.text
    assert '"version": "1.2"' in page.text and "Reset attempt" in page.text
    launch = client.get("/pkg/migration-human-rights-1.0.0-en-scorm12/index.html")
    assert launch.status_code == 200 and 'id="mirco-course"' in launch.text
    runtime = client.get("/pkg/migration-human-rights-1.0.0-en-scorm12/_mirco/mirco.js")
    assert runtime.status_code == 200
    assert client.get("/_preview/scorm-emu.js").status_code == 200


def test_paths_outside_the_site_are_refused(preview: tuple[PreviewSite, TestClient]) -> None:
    _, client = preview
    for url in ("/pkg/migration-human-rights-1.0.0-en-scorm12/..%2F..%2Fdist/.mirco-build.json",
                "/pkg/migration-human-rights-1.0.0-en-scorm12/%2Fetc%2Fpasswd",
                "/_preview/..%2Fsite.py", "/pkg/nothing/index.html",
                # names no file can have: a 404, never a server error
                "/pkg/migration-human-rights-1.0.0-en-scorm12/index.html%00.js",
                "/pkg/a%00b/index.html", "/_preview/" + "x" * 5000,
                "/descriptor/%00.html"):
        assert client.get(url).status_code == 404, url


def test_build_errors_show_in_the_page_with_file_and_line(
    preview: tuple[PreviewSite, TestClient], sample_project: Path
) -> None:
    site, client = preview
    module = sample_project / "modules" / "migration-human-rights" / "module.md"
    text = module.read_text(encoding="utf-8")
    module.write_text(text.replace("passing_score: 70", "passing_score: lots"), encoding="utf-8")
    site.rebuild()
    page = client.get("/")
    assert "The build failed" in page.text
    assert "module.md:" in page.text  # file:line
    assert client.get("/_preview/status").json() == {"generation": 2, "ok": False}
    # the last good packages still play
    assert client.get("/pkg/migration-human-rights-1.0.0-en-scorm12/index.html").status_code == 200
    module.write_text(text.replace("Migration and Human Rights", "Migration & Human Rights"),
                      encoding="utf-8")
    site.rebuild()
    assert site.failure is None and site.generation == 3
    launch = client.get("/pkg/migration-human-rights-1.0.0-en-scorm12/index.html")
    assert "Migration &amp; Human Rights" in launch.text


def test_sco_per_lesson_lists_every_launch(sample_project: Path) -> None:
    site = PreviewSite(sample_project, sco_per_lesson=True)
    try:
        site.rebuild()
        package = site.find("migration-human-rights-1.0.0-en-scorm2004")
        assert package is not None and package.launches[0] == "index.html"
        assert package.launches[-1] == "evaluation.html" and len(package.launches) == 7
    finally:
        site.close()


def test_cli_refuses_a_folder_without_a_project(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from mirco_lms.cli import main

    result = runner.invoke(main, ["serve", "--project", str(tmp_path)])
    assert result.exit_code == 2
    assert "no mirco.toml" in result.output


def test_index_shows_titles_coverage_and_links(preview: tuple[PreviewSite, TestClient]) -> None:
    _, client = preview
    page = client.get("/").text
    assert "<h2>Migration and Human Rights <small><code>migration-human-rights</code>" in page
    assert "English (en)" in page and "<td>source</td>" in page
    name = "migration-human-rights-1.0.0-en-scorm12"
    assert f'<a href="/pkg/{name}/index.html">open</a>' in page  # the standalone view
    link = '<a href="/descriptor/migration-human-rights-1.0.0-en-descriptor.html">'
    assert link in page
    descriptor = client.get("/descriptor/migration-human-rights-1.0.0-en-descriptor.html")
    assert descriptor.status_code == 200 and "Migration and Human Rights" in descriptor.text
    assert client.get("/descriptor/..%2F..%2Fdist%2F.mirco-build.json").status_code == 404
    player = client.get(f"/play/{name}").text
    assert "<h1>Migration and Human Rights <small>en" in player


def _two_languages(project: Path) -> Path:
    """The sample project in en and mk (complete catalogs), SCORM 1.2 only, plus a new
    module that nobody has translated yet."""
    from mirco_lms.cli.new import scaffold_module

    config = project / "mirco.toml"
    text = config.read_text(encoding="utf-8")
    text = text.replace('languages = ["en", "sr-Latn", "sr-Cyrl", "mk"]',
                        'languages = ["en", "mk"]')
    text = text.replace('formats = ["scorm12", "scorm2004"]', 'formats = ["scorm12"]')
    config.write_text(text, encoding="utf-8")
    scaffold_module(project / "modules", "fresh-module", "Fresh module")
    return project


def test_untranslated_languages_are_listed_and_the_rest_previews(
    sample_project_all_languages: Path,
) -> None:
    project = _two_languages(sample_project_all_languages)
    site = PreviewSite(project)
    try:
        site.rebuild()
        assert site.failure is None
        names = {p.name for p in site.packages}
        assert "fresh-module-0.1.0-en-scorm12" in names  # the source language always
        assert "migration-human-rights-1.0.0-mk-scorm12" in names  # finished modules too
        assert "fresh-module-0.1.0-mk-scorm12" not in names
        [withheld] = site.withheld
        assert (withheld.module, withheld.language, withheld.state) == (
            "fresh-module", "mk", "untranslated")
        with TestClient(create_app(site, watch=False)) as client:
            page = client.get("/").text
        assert "No packages built yet" not in page and "The build failed" not in page
        assert "<h2>Fresh module <small><code>fresh-module</code>" in page
        assert '<tr class="pv-withheld"><th scope=row>Macedonian (mk)</th>' in page
        assert "<td>untranslated, 0 %</td>" in page
        assert "not built: under the 100 % coverage threshold" in page
        assert "<td>complete, 100 %</td>" in page  # the translated modules in mk
    finally:
        site.close()
    partial = PreviewSite(project, languages=("mk",), allow_partial=True)
    try:
        partial.rebuild()
        assert partial.failure is None and not partial.withheld
        assert {p.language for p in partial.packages} == {"mk"}
        assert "fresh-module-0.1.0-mk-scorm12" in {p.name for p in partial.packages}
    finally:
        partial.close()


def test_serve_refuses_an_unknown_language(sample_project: Path) -> None:
    from click.testing import CliRunner

    from mirco_lms.cli import main

    result = CliRunner().invoke(main, ["serve", "--lang", "de", "--project", str(sample_project)])
    assert result.exit_code == 2 and "unknown language 'de'" in result.output
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert "--allow-partial" in result.output and "--lang" in result.output


def test_outputs_the_preview_cannot_play_are_built_and_left_out(sample_project: Path) -> None:
    """A project that also builds cmi5 packages and a Moodle backup still previews: the
    preview plays what offers a SCORM API, and only that."""
    config = sample_project / "mirco.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        'formats = ["scorm12", "scorm2004"]', 'formats = ["scorm12", "cmi5", "moodle"]'),
        encoding="utf-8")
    site = PreviewSite(sample_project, languages=("en",))
    try:
        site.rebuild()
        assert site.failure is None
        formats = {package.format for package in site.packages}
        assert formats == {"scorm12"}
        assert all(package.scorm == "1.2" for package in site.packages)
        assert site.find("migration-human-rights-1.0.0-en-scorm12") is not None
    finally:
        site.close()
