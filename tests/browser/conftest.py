"""Real-browser fixtures: the sample packages, served on loopback, inside a test LMS frame.

The LMS side is scorm-again (npm, node_modules/) as ``window.API`` / ``window.API_1484_11``
in ``lms.html``; Chromium is Debian's, driven by Playwright. The packages are built once
per session (single SCO for both SCORM versions, and SCO-per-lesson for one module).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from browser_paths import REPO, add_lms, missing_libs, unpack
from scorm_player import Session, Tab, open_tab
from xapi_live import SiteServer

from mirco_lms.build import BuildOptions, build
from mirco_lms.config import ProjectConfig

HERE = Path(__file__).resolve().parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
MODULES = ("global-migration-governance", "migration-human-rights", "smuggling-of-migrants")
FORMATS = {"1.2": "scorm12", "2004": "scorm2004"}


@dataclass(frozen=True)
class Site:
    """The unpacked packages under ``root``, served at ``base``."""

    root: Path
    base: str

    def package(self, module: str, version: str, multi: bool = False) -> str:
        """The folder (relative URL) of a package: ``<slug>-<ver>-en-scorm12``…"""
        return f"{'multi/' if multi else ''}{module}-1.0.0-en-{FORMATS[version]}"


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    missing = missing_libs()
    if missing:
        pytest.skip(f"npm packages missing ({missing[0]}): run `npm ci` (make browser-deps)")
    work = tmp_path_factory.mktemp("browser-site")
    root = work / "site"
    root.mkdir()
    config = ProjectConfig.load(REPO)
    build(config, BuildOptions(out_dir=work / "dist", jobs=1))
    unpack(work / "dist", root)
    build(config, BuildOptions(slugs=("migration-human-rights",), out_dir=work / "multi",
                               sco_per_lesson=True, jobs=1))
    unpack(work / "multi", root / "multi")
    add_lms(root)
    server = SiteServer(root)
    try:
        yield Site(root, server.base)
    finally:
        server.close()




@pytest.fixture
def tab(browser: Any) -> Iterator[Tab]:
    """A fresh page in its own context (own localStorage); no console errors allowed."""
    with open_tab(browser, timeout_ms=10_000) as recorder:
        yield recorder
    assert recorder.errors == []


@pytest.fixture
def lms(tab: Tab, site: Site) -> Any:
    """``lms("1.2")`` → a :class:`Session` factory for that SCORM version."""
    return lambda version: Session(tab, site, version)


