"""Learner runtime figures: gzipped size, suspend_data length, time to the first page.

    PYTHONPATH=src python benchmarks/runtime_bench.py

Needs Debian's Chromium (/usr/bin/chromium) and `npm ci` (scorm-again) for the last two
figures. Prints figures and their targets; it asserts nothing.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import shutil
import sys
import tempfile
import threading
import zipfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "tests" / "browser"))

from mirco_lms.build import BuildOptions, build  # noqa: E402
from mirco_lms.config import ProjectConfig  # noqa: E402
from mirco_lms.render.assemble import RUNTIME_DIR, runtime_bundle  # noqa: E402

SIZE_TARGET = 30 * 1024
SUSPEND_TARGET = 4096
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
LIBS = ("scorm-again/dist/scorm12.js", "scorm-again/dist/scorm2004.js")


def size() -> None:
    css = (RUNTIME_DIR / "mirco.css").read_bytes()
    for label, xapi in (("SCORM only", False), ("with the xAPI sender + cmi5", True)):
        js = runtime_bundle(xapi)
        packed = len(gzip.compress(js, 9)) + len(gzip.compress(css, 9))
        print(f"runtime size ({label}): JS {len(js) / 1024:.1f} KB + CSS "
              f"{len(css) / 1024:.1f} KB raw; {packed / 1024:.1f} KB gzipped "
              f"(target < {SIZE_TARGET / 1024:.0f} KB, {packed / SIZE_TARGET:.0%} of it)")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def browser_figures(root: Path) -> None:
    from playwright.sync_api import sync_playwright
    from scorm_player import Session, Tab, go_to, take_test

    class _Site:
        base = ""

    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site = _Site()
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    packages = sorted(p.name for p in root.iterdir() if p.is_dir())
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        print("suspend_data after completing each module (all lessons, both tests):")
        for name in packages:
            version = "1.2" if name.endswith("scorm12") else "2004"
            page = browser.new_page()
            session = Session(Tab(page), site, version).launch(name)
            pages = session.js("window.mirco.course.pages.map(p => p.id)")
            for check in session.sco.locator("[data-check] [data-action=check]").all():
                session.js("el => window.mirco.player.show(window.mirco.player.pages.indexOf("
                           "el.closest('[data-page]')))", check.element_handle())
                check.click()
            go_to(session, "pretest")
            take_test(session, "pretest", correct=True)
            go_to(session, pages[-1])
            take_test(session, "final", correct=True)
            cmi = session.unload()
            data = cmi.get("cmi", cmi)["suspend_data"]
            print(f"  {name:52} {len(data):5d} chars (SCORM 1.2 limit {SUSPEND_TARGET}, "
                  f"{len(data) / SUSPEND_TARGET:.0%})")
            page.close()
        print("first page rendered (navigationStart → mark 'mirco-first-page'), median of 5:")
        for name in packages:
            if not name.endswith("scorm2004"):
                continue
            times = []
            for _ in range(5):
                page = browser.new_page()
                page.goto(f"{site.base}/{name}/index.html")
                page.wait_for_function("performance.getEntriesByName('mirco-first-page').length")
                times.append(page.evaluate(
                    "performance.getEntriesByName('mirco-first-page')[0].startTime"))
                page.close()
            times.sort()
            print(f"  {name:52} {times[2]:6.1f} ms")
        browser.close()
    server.shutdown()


def main() -> None:
    size()
    libs = [REPO / "node_modules" / lib for lib in LIBS]
    if not Path(CHROMIUM).exists() or not all(p.is_file() for p in libs):
        print("(no Chromium or no node_modules: run `make browser-deps` for the browser figures)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        build(ProjectConfig.load(REPO), BuildOptions(out_dir=work / "dist", jobs=1))
        root = work / "site"
        for package in sorted((work / "dist").glob("*.zip")):
            with zipfile.ZipFile(package) as archive:
                archive.extractall(root / package.stem)
        for lib in libs:
            shutil.copy(lib, root / lib.name)
        shutil.copy(REPO / "tests" / "browser" / "lms.html", root / "lms.html")
        browser_figures(root)


if __name__ == "__main__":
    main()
