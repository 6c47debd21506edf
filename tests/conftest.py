"""Shared fixtures: the repository's own sample project, a click runner."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _copy_sample(dest: Path) -> Path:
    dest.mkdir()
    shutil.copy(REPO / "mirco.toml", dest / "mirco.toml")
    shutil.copytree(REPO / "modules", dest / "modules")
    if (REPO / "translations").is_dir():
        shutil.copytree(REPO / "translations", dest / "translations")
    if (REPO / "templates").is_dir():  # the catalogue's own look (docs/branding.md)
        shutil.copytree(REPO / "templates", dest / "templates")
    return dest


@pytest.fixture
def sample_project(tmp_path: Path) -> Path:
    """A copy of this repository's sample course project, built in English only.

    Most tests change the sources or count packages; the translated languages are
    exercised by ``sample_project_all_languages`` and the tests under tests/i18n/.
    """
    dest = _copy_sample(tmp_path / "project")
    config = dest / "mirco.toml"
    text = config.read_text(encoding="utf-8")
    english = re.sub(r"(?m)^languages = \[.*\]$", 'languages = ["en"]', text)
    config.write_text(english, encoding="utf-8")
    return dest


@pytest.fixture
def sample_project_all_languages(tmp_path: Path) -> Path:
    """A copy of the sample project exactly as shipped, in every configured language."""
    return _copy_sample(tmp_path / "project")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Debian Chromium per test process, driven by Playwright.

    Playwright's sync API allows one driver per process, so every browser test shares
    this fixture (they all run in the xdist group ``browser``).
    """
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("no Chromium at /usr/bin/chromium (make browser-deps installs it)")
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()
