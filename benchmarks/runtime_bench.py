"""Learner runtime figures: gzipped size, suspend_data length, time to the first page,
first contentful paint from disk against a plain page holding the same text.

    PYTHONPATH=src python benchmarks/runtime_bench.py

Needs Debian's Chromium (/usr/bin/chromium) and `npm ci` (scorm-again) for the last two
figures. Prints figures and their targets; it asserts nothing.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import re
import shutil
import statistics
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
from mirco_lms.render.assemble import runtime_bundle, runtime_css  # noqa: E402
from mirco_lms.render.minify import minify_css, minify_js  # noqa: E402

SIZE_TARGET = 30 * 1024
SUSPEND_TARGET = 4096
FCP_TARGET = 1.5
"""First contentful paint of a package's first page, at most this many times a plain page's."""
FCP_RUNS = 7
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
LIBS = ("scorm-again/dist/scorm12.js", "scorm-again/dist/scorm2004.js")


def size() -> None:
    """The runtime as packages ship it (minified at build time), JS + CSS gzipped."""
    css = minify_css(runtime_css())
    for label, xapi in (("SCORM only", False), ("with the xAPI sender + cmi5", True)):
        js = minify_js(runtime_bundle(xapi))
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
            session.js("window.mirco.player.show(0)")  # back to the start, then page on
            go_to(session, "pretest")
            take_test(session, "pretest", correct=True)
            go_to(session, "final" if "final" in pages else pages[-1])
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
        fcp_figures(browser, root, packages)
        browser.close()
    server.shutdown()


def plain_page(package: Path) -> Path:
    """A page with no CSS and no script holding the package's first page (same text)."""
    html = (package / "index.html").read_text(encoding="utf-8")
    first = re.search(r"<section\b.*?</section>", html, re.S)
    assert first is not None, package
    lang = re.search(r'<html lang="([^"]+)"', html)
    plain = package / "plain-first-page.html"
    plain.write_text(
        f'<!DOCTYPE html>\n<html lang="{lang.group(1) if lang else "en"}">\n<head>'
        '<meta charset="utf-8"><title>plain</title><link rel="icon" href="data:,"></head>\n'
        f"<body>\n{first.group(0)}\n</body>\n</html>\n", encoding="utf-8")
    return plain


FCP = """() => new Promise(done => {
  const found = () => performance.getEntriesByName('first-contentful-paint')[0];
  if (found()) { done(found().startTime); return; }
  new PerformanceObserver(() => found() && done(found().startTime))
    .observe({ type: 'paint', buffered: true });
})"""


def fcp_figures(browser: Any, root: Path, packages: list[str]) -> None:
    """First contentful paint opened from disk (file://), median of FCP_RUNS, alternating
    a package's index.html with a plain page of the same first-page text, same run."""
    print(f"first contentful paint from disk, median of {FCP_RUNS} "
          f"(target ≤ {FCP_TARGET}× a plain page with the same text):")
    every: dict[str, list[float]] = {"package": [], "plain": []}
    for name in packages:
        if not name.endswith("scorm2004"):
            continue
        package = root / name
        plain = plain_page(package)
        times: dict[str, list[float]] = {"package": [], "plain": []}
        for _ in range(FCP_RUNS):
            for label, path in (("package", package / "index.html"), ("plain", plain)):
                page = browser.new_page()
                page.goto(path.as_uri())
                times[label].append(float(page.evaluate(FCP)))
                page.close()
        ours = statistics.median(times["package"])
        base = statistics.median(times["plain"])
        print(f"  {name:52} {ours:6.1f} ms vs {base:6.1f} ms plain: "
              f"{ours / base:.2f}× (target ≤ {FCP_TARGET}×)")
        for label, values in times.items():
            every[label].extend(values)
    if every["plain"]:  # every run of every package: steadier on a busy machine
        ours = statistics.median(every["package"])
        base = statistics.median(every["plain"])
        print(f"  {'all packages (' + str(len(every['plain'])) + ' runs each)':52} {ours:6.1f} ms "
              f"vs {base:6.1f} ms plain: {ours / base:.2f}× (target ≤ {FCP_TARGET}×)")


def main() -> None:
    size()
    only_fcp = "--fcp" in sys.argv
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
        if only_fcp:
            fcp_only(root)
        else:
            browser_figures(root)


def fcp_only(root: Path) -> None:
    """``--fcp``: only the first-contentful-paint comparison (quick while developing)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        fcp_figures(browser, root, sorted(p.name for p in root.iterdir() if p.is_dir()))
        browser.close()


if __name__ == "__main__":
    main()
