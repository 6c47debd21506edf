"""Translated packages in a real Chromium: no English UI in Macedonian, no Latin script
in Serbian Cyrillic (outside opt-outs, code and addresses)."""

from __future__ import annotations

import functools
import http.server
import re
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from i18n_support import SLUG

from mirco_lms.build import BuildOptions, build
from mirco_lms.config import ProjectConfig

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
CHROMIUM = Path("/usr/bin/chromium")
ALLOWED = {"info@example.org", "mirco", "build", "non-refoulement"}
"""Latin text allowed on Cyrillic pages: an e-mail address, inline code, an opt-out."""

TEXTS = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const tag = node.parentElement ? node.parentElement.tagName : "";
    // key names (<kbd>) are printed on the keys, in Latin on every keyboard
    if (tag !== "SCRIPT" && tag !== "STYLE" && tag !== "KBD" && node.textContent.trim()) {
      out.push(node.textContent.trim());
    }
  }
  for (const el of document.querySelectorAll("[aria-label], [title], [alt], [placeholder]")) {
    for (const name of ["aria-label", "title", "alt", "placeholder"]) {
      if (el.getAttribute(name)) out.push(el.getAttribute(name));
    }
  }
  out.push(document.title);
  let text = document.body.innerText;
  for (const key of document.querySelectorAll("kbd")) text = text.split(key.innerText).join(" ");
  out.push(text);
  return out;
}"""




@pytest.fixture
def site(translated: Path, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    report = build(ProjectConfig.load(translated),
                   BuildOptions(languages=("mk", "sr-Cyrl"), formats=("scorm12",)))
    root = tmp_path / "site"
    for row in report.rows:
        with zipfile.ZipFile(row.path) as archive:
            archive.extractall(root / row.language)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root
    finally:
        server.shutdown()
        server.server_close()


def _latin_words(texts: list[str]) -> set[str]:
    words = set()
    for text in texts:
        for word in re.findall(r"[\w@.-]*[A-Za-zČčĆćĐđŠšŽž][\w@.-]*", text):
            words.add(word.strip(".-"))
    return words - ALLOWED


def _texts(browser: object, url: str) -> list[str]:
    page = browser.new_page()  # type: ignore[attr-defined]
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    texts: list[str] = page.evaluate(TEXTS)
    page.close()
    assert not errors, errors
    return texts


def test_macedonian_package_shows_no_english(browser: object, site: tuple[str, Path]) -> None:
    base, _ = site
    texts = _texts(browser, f"{base}/mk/index.html")
    assert any("Проверка на знаењето" in t for t in texts)
    assert any("Основи на азилот" in t for t in texts)
    assert _latin_words(texts) == set()


def test_serbian_cyrillic_has_no_latin_outside_optouts(
    browser: object, site: tuple[str, Path]
) -> None:
    base, root = site
    texts = _texts(browser, f"{base}/sr-Cyrl/index.html")
    assert any("Провера знања" in t for t in texts)
    assert any("(non-refoulement)" in t for t in texts)  # the opt-out, kept in Latin
    assert _latin_words(texts) == set()
    html = (root / "sr-Cyrl" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://www.unhcr.org/en/about-unhcr"' in html  # targets untouched
    assert f'"slug":"{SLUG}"' in html
