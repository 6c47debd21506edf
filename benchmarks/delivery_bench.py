"""Statement delivery under load: N learners playing at once against a local LRS.

    PYTHONPATH=src python benchmarks/delivery_bench.py [--learners 2 4 10]

For each N: builds one module with ``[tracking]`` pointing at a ``mirco lrs serve`` of its
own (fresh SQLite, one worker), serves the package on loopback, and lets N headless
Chromium pages (one browser context each: own localStorage) play it at the same time as
standalone learners: every lesson, the pre-test, the final test, then the tab is closed.
Prints statements generated (the ids each runtime logged) vs stored, lost, duplicated,
and the event → stored latency (the statement's timestamp to the LRS's ``stored``) p50,
p95 and max, and the machine's load (``uptime``). Targets: 0 lost, 0 duplicated,
p95 < 1 s. It asserts nothing. Needs Debian's Chromium (make browser-deps).
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import http.server
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "tests" / "browser"))

from xapi_live import LiveLrs  # noqa: E402

from mirco_lms.build import BuildOptions, build  # noqa: E402
from mirco_lms.config import ProjectConfig  # noqa: E402

MODULE = "migration-human-rights"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
P95_TARGET_S = 1.0
SETTLE_S = 30
ANSWER = """kind => window.mirco.player.tests[kind].drawn.forEach(q => {
  const input = q.node.querySelector('input[type=radio], input[type=checkbox]');
  if (input) {
    input.checked = true;
    ['input', 'change'].forEach(e => input.dispatchEvent(new Event(e, {bubbles: true})));
  }
})"""
LOG = "() => JSON.parse(localStorage.getItem('mirco:xapi:log') || '[]')"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def prepare(work: Path, endpoint: str, key: str, secret: str) -> Path:
    """The module built with [tracking] for `endpoint`, unpacked; its folder."""
    project = work / "project"
    project.mkdir()
    shutil.copytree(REPO / "modules", project / "modules")
    text = (REPO / "mirco.toml").read_text(encoding="utf-8")
    text += (f'\n[tracking]\nendpoint = "{endpoint}"\nkey = "{key}"\nsecret = "{secret}"\n'
             'activity_base = "https://training.example.org/mirco"\n')
    (project / "mirco.toml").write_text(text, encoding="utf-8")
    build(ProjectConfig.load(project), BuildOptions(
        slugs=(MODULE,), formats=("scorm2004",), out_dir=work / "dist", jobs=1,
        languages=("en",)))
    (package,) = (work / "dist").glob("*.zip")
    site = work / "site"
    with zipfile.ZipFile(package) as archive:
        archive.extractall(site / package.stem)
    (site / "blank.html").write_text("<!DOCTYPE html><title>-</title>")
    return site / package.stem


async def play(browser: Any, base: str, package: str, n: int) -> list[str]:
    """One learner (known to the runtime from the start) through the whole module."""
    context = await browser.new_context()
    learner = json.dumps({"name": f"Learner {n}", "email": f"learner{n}@bench.example.org"})
    await context.add_init_script(f"localStorage.setItem('mirco:learner', {json.dumps(learner)})")
    page = await context.new_page()
    page.set_default_timeout(60_000)
    await page.goto(f"{base}/{package}/index.html")
    await page.locator("html.mirco-js").wait_for(state="attached")
    for _ in range(40):
        section = page.locator("section[data-page]:visible")
        kind = await section.get_attribute("data-page")
        form = section.locator("form[data-assessment]")
        if kind in ("pretest", "final") and await form.count():
            await page.evaluate(ANSWER, kind)
            await form.locator(".mirco-submit").click()
            await section.locator(".mirco-result").wait_for(state="visible")
            if kind == "final":
                break
        following = page.locator("[data-action=next]:visible")
        if not await following.count() or await following.is_disabled():
            break
        await following.click()
    await page.close(run_before_unload=True)  # the learner closes the tab at once
    reader = await context.new_page()
    await reader.goto(f"{base}/blank.html")
    ids = list(await reader.evaluate(LOG))
    await context.close()
    return ids


async def run_learners(base: str, package: str, count: int) -> tuple[list[list[str]], float]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        began = time.monotonic()
        logs = await asyncio.gather(*(play(browser, base, package, n) for n in range(count)))
        spent = time.monotonic() - began
        await browser.close()
    return list(logs), spent


def when(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def measure(count: int) -> None:
    with tempfile.TemporaryDirectory(prefix="mirco-delivery-bench-") as folder:
        work = Path(folder)
        handler = functools.partial(_Quiet, directory=str(work / "site"))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        lrs = LiveLrs(work / "lrs.sqlite3", work / "lrs.log", cors_origin=base)
        key, secret = lrs.credential("bench", "statements/write")
        package = prepare(work, lrs.endpoint, key, secret).name
        lrs.start()
        try:
            logs, spent = asyncio.run(run_learners(base, package, count))
            generated = [i for log in logs for i in log]
            deadline = time.monotonic() + SETTLE_S
            while True:
                stored = lrs.statements()
                if len({s["id"] for s in stored} & set(generated)) == len(set(generated)):
                    break
                if time.monotonic() > deadline:
                    break
                time.sleep(0.25)
        finally:
            lrs.stop()
            server.shutdown()
    ids = [s["id"] for s in stored]
    lost = len(set(generated) - set(ids))
    duplicated = (len(ids) - len(set(ids))) + (len(generated) - len(set(generated)))
    latency = sorted(when(s["stored"]) - when(s["timestamp"]) for s in stored)
    p50 = statistics.median(latency) if latency else float("nan")
    p95 = latency[int(0.95 * (len(latency) - 1))] if latency else float("nan")
    load = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    ok = "meets" if lost == 0 and duplicated == 0 and p95 < P95_TARGET_S else "MISSES"
    print(f"N={count:3d}: generated {len(generated):5d}, stored {len(ids):5d}, lost {lost}, "
          f"duplicated {duplicated}; event→stored p50 {p50 * 1000:.0f} ms, "
          f"p95 {p95 * 1000:.0f} ms, max {latency[-1] * 1000 if latency else 0:.0f} ms "
          f"(target p95 < {P95_TARGET_S * 1000:.0f} ms: {ok} it); played in {spent:.1f} s")
    print(f"       load: {load}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, nargs="+", default=[2, 4, 10],
                        help="numbers of learners playing at once (default: 2 4 10)")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit("no Chromium at /usr/bin/chromium: run `make browser-deps`")
    for count in args.learners:
        measure(count)


if __name__ == "__main__":
    main()
