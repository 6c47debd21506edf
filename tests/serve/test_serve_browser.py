"""``mirco serve`` as an author runs it, in a real browser: the index, the player and its
CMI panel (element names break only at their dots)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
MODULE = "migration-human-rights"

TEXT_NODES_ON_ONE_LINE = """
() => [...document.querySelectorAll('#pv-cmi tbody th')].map(th => {
  const lines = [];
  for (const node of th.childNodes) {
    if (node.nodeType !== Node.TEXT_NODE || !node.textContent) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
    lines.push(tops.size);
  }
  const whole = document.createRange();
  whole.selectNodeContents(th);
  const tops = new Set([...whole.getClientRects()].map(r => Math.round(r.top)));
  return [th.textContent, Math.max(...lines), tops.size];
})
"""


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def served(sample_project: Path, tmp_path: Path) -> Iterator[str]:
    """``mirco serve`` on a free loopback port, as a child process."""
    port = _free_port()
    log = (tmp_path / "serve.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "mirco_lms", "serve", "--project", str(sample_project),
         "--port", str(port)], stdout=log, stderr=log, start_new_session=True,
        env={**os.environ})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert proc.poll() is None, (tmp_path / "serve.log").read_text()
            try:
                if httpx.get(f"{base}/_preview/status", timeout=1).json()["generation"]:
                    break
            except (httpx.HTTPError, ValueError):
                pass
            time.sleep(0.2)
        else:
            raise AssertionError("mirco serve did not build within 60 s")
        yield base
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
        log.close()


def test_preview_index_player_and_cmi_panel(served: str, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(served + "/")
        assert page.locator("h2", has_text="Migration and Human Rights").count() == 1
        page.get_by_role("link", name="descriptor").first.click()
        assert page.locator("h1").first.inner_text().strip() != ""
        page.goto(served + f"/play/{MODULE}-1.0.0-en-scorm2004")
        page.wait_for_function(
            "document.querySelectorAll('#pv-cmi tbody th').length > 3")
        # a narrow panel: long names wrap, but only after a dot
        page.add_style_tag(content=".pv-play { grid-template-columns: 1fr 9rem !important; }")
        rows = page.evaluate(TEXT_NODES_ON_ONE_LINE)
        assert rows and all(parts == 1 for _, parts, _ in rows), rows
        assert any(lines > 1 for _, _, lines in rows), rows  # something did wrap
        assert page.locator("#pv-cmi th wbr").count() > 0
    finally:
        context.close()
