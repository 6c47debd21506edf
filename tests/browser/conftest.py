"""Real-browser fixtures: the sample packages, served on loopback, inside a test LMS frame.

The LMS side is scorm-again (npm, node_modules/) as ``window.API`` / ``window.API_1484_11``
in ``lms.html``; Chromium is Debian's, driven by Playwright. The packages are built once
per session (single SCO for both SCORM versions, and SCO-per-lesson for one module).
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from browser_paths import LIBS, REPO
from scorm_player import Session, Tab

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


def _unpack(dist: Path, dest: Path) -> None:
    for package in sorted(dist.glob("*.zip")):
        target = dest / package.stem
        with zipfile.ZipFile(package) as archive:
            archive.extractall(target)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    missing = [str(path) for path in LIBS.values() if not path.is_file()]
    if missing:
        pytest.skip(f"npm packages missing ({missing[0]}): run `npm ci` (make browser-deps)")
    work = tmp_path_factory.mktemp("browser-site")
    root = work / "site"
    root.mkdir()
    config = ProjectConfig.load(REPO)
    build(config, BuildOptions(out_dir=work / "dist", jobs=1))
    _unpack(work / "dist", root)
    build(config, BuildOptions(slugs=("migration-human-rights",), out_dir=work / "multi",
                               sco_per_lesson=True, jobs=1))
    _unpack(work / "multi", root / "multi")
    for name, path in LIBS.items():
        shutil.copy(path, root / name)
    shutil.copy(HERE / "lms.html", root / "lms.html")
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(root, f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()




@pytest.fixture
def tab(browser: Any) -> Iterator[Tab]:
    """A fresh page in its own context (own localStorage); no console errors allowed."""
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    page = context.new_page()
    page.set_default_timeout(10_000)
    recorder = Tab(page)
    yield recorder
    context.close()
    assert recorder.errors == []


@pytest.fixture
def lms(tab: Tab, site: Site) -> Any:
    """``lms("1.2")`` → a :class:`Session` factory for that SCORM version."""
    return lambda version: Session(tab, site, version)


