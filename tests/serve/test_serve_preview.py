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
                "/_preview/..%2Fsite.py", "/pkg/nothing/index.html"):
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
        assert "final-test.html" in package.launches and len(package.launches) == 6
    finally:
        site.close()


def test_cli_refuses_a_folder_without_a_project(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from mirco_lms.cli import main

    result = runner.invoke(main, ["serve", "--project", str(tmp_path)])
    assert result.exit_code == 2
    assert "no mirco.toml" in result.output
