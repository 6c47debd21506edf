"""What a package's pages load and link: files of the package, and links to the web.

A package must work offline and stay inside itself. Every HTML page (and SVG image) of a
built zip is read with lxml's HTML parser and each URL it uses is classified by the same
rules as the Markdown sources (:func:`~mirco_lms.course.assets.resolve_target`):

- what a page *loads* (``img``, ``script``, ``link``, media, frames, ``object``, SVG
  ``image``/``use``, ``url(…)`` in styles) must be a file of the package: no web address,
  no ``javascript:``/``file:`` URL, no absolute path, no path out of the zip, and inline
  ``data:`` only for what is shown, not for scripts, frames or objects;
- what a page *links to* (``a``, ``area``, forms, a meta refresh) may also be a web page,
  an e-mail address or an anchor, never another scheme, an absolute path or a path out of
  the zip.

This catches what slipped past the source checks — a hand-edited zip, or a translation
that added a remote image — when ``mirco validate`` opens a package, and on every build.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from lxml import etree

from mirco_lms.course.assets import resolve_target
from mirco_lms.errors import Diagnostic, Location

PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".svg")
MAX_PAGE_BYTES = 64 * 1024 * 1024
"""Pages larger than this are not read (a zip bomb must not exhaust memory)."""
LOADS = frozenset({
    ("img", "src"), ("img", "srcset"), ("script", "src"), ("link", "href"),
    ("video", "src"), ("video", "poster"), ("audio", "src"), ("source", "src"),
    ("source", "srcset"), ("track", "src"), ("iframe", "src"), ("frame", "src"),
    ("embed", "src"), ("object", "data"), ("input", "src"), ("image", "href"),
    ("image", "xlink:href"), ("use", "href"), ("use", "xlink:href"), ("script", "xlink:href"),
    ("feimage", "href"), ("feimage", "xlink:href"),
})
"""(element, attribute) pairs whose URL the browser fetches as part of the page."""
LINKS = frozenset({("a", "href"), ("area", "href"), ("form", "action"),
                   ("button", "formaction"), ("a", "xlink:href")})
"""(element, attribute) pairs whose URL the learner follows."""
RUNS = frozenset({"script", "iframe", "frame", "embed", "object"})
"""Elements whose content runs (a ``data:`` URL there is a script of its own)."""
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]*)\1\s*\)""", re.IGNORECASE)
_REFRESH = re.compile(r"url\s*=\s*['\"]?([^'\";]+)", re.IGNORECASE)
_LINK_OK = frozenset({"remote", "contact", "anchor", "empty"})
_WHY = {
    "remote": "is on the web; packages must work offline",
    "data": "is inline data (data:), not a file of the package",
    "scheme": "uses a scheme other than http(s) or mailto",
    "absolute": "is an absolute path, outside the package",
    "outside": "leaves the package",
    "backslash": "uses backslashes",
    "empty": "is empty",
}


_URL_ATTRIBUTES = frozenset(
    {name for _, name in LOADS | LINKS} | {"style"}
)
"""Attributes that may hold a URL (elements without any are skipped, for speed)."""


def _urls_of(root: Any) -> Iterator[tuple[int, str, str, str, bool]]:
    for element in root.iter("*"):
        attrib = element.attrib
        if not (_URL_ATTRIBUTES.intersection(attrib) or element.tag in ("style", "meta")):
            continue
        tag = element.tag.rsplit("}", 1)[-1].lower()
        line = element.sourceline or 0
        for name, value in element.attrib.items():
            name = str(name).lower()
            if (tag, name) in LOADS:
                urls = _srcset(value) if name == "srcset" else [value]
                yield from ((line, tag, name, url, True) for url in urls)
            elif (tag, name) in LINKS:
                yield line, tag, name, value, False
            elif name == "style":
                yield from _css(line, tag, value)
        if tag == "style" and element.text:
            yield from _css(line, tag, element.text)
        if tag == "meta" and str(element.get("http-equiv", "")).lower() == "refresh":
            target = _REFRESH.search(str(element.get("content", "")))
            if target:
                yield line, tag, "content", target.group(1).strip(), False


def _css(line: int, tag: str, text: str) -> Iterator[tuple[int, str, str, str, bool]]:
    for match in _CSS_URL.finditer(text):
        yield line + text[: match.start()].count("\n"), tag, "url()", match.group(2), True


def _srcset(value: str) -> list[str]:
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


def page_urls(data: bytes) -> list[tuple[int, str, str, str, bool]]:
    """(line, element, attribute, url, loaded?) of every URL in an HTML or SVG page."""
    parser = etree.HTMLParser(encoding="utf-8", no_network=True, huge_tree=False,
                              remove_comments=True)
    try:
        root = etree.fromstring(data, parser)
    except (etree.ParserError, ValueError):
        return []
    return [] if root is None else list(_urls_of(root))


def problem(url: str, page: str, loads: bool, tag: str = "img") -> str | None:
    """Why ``url`` in the package member ``page`` breaks the package (None: it is fine).

    Inline data is self-contained: fine for what a page shows (``<link rel=icon
    href="data:,">``), never for what runs (scripts, frames, objects) nor for links.
    """
    kind = resolve_target(url).kind
    if kind == "data" and loads and tag not in RUNS:
        return None
    if kind in ("local", "outside"):
        path = unquote(url.split("#", 1)[0].split("?", 1)[0])
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
        kind = "outside" if joined == ".." or joined.startswith("../") else "local"
    if kind == "local" or (not loads and kind in _LINK_OK) or (loads and kind == "anchor"):
        return None
    return _WHY.get(kind, _WHY["scheme"])


def check_pages(members: Iterable[tuple[str, bytes]], label: str) -> Iterator[Diagnostic]:
    """A diagnostic for every URL of the given (name, bytes) pages that leaves the package.

    ``label`` names the zip in each location (``<zip>!page.html:LINE``).
    """
    for name, data in members:
        for line, tag, attr, url, loads in page_urls(data):
            why = problem(url, name, loads, tag)
            if why is None:
                continue
            verb = "loads" if loads else "links to"
            yield Diagnostic(
                f"<{tag} {attr}> {verb} {_short(url)!r}, which {why}",
                Location(file=f"{label}!{name}", line=line),
                hint="packages carry their own files: put the file in the module folder and "
                "refer to it by a relative path (rebuild from sources and translations "
                "that pass mirco validate)",
            )


def is_page(name: str) -> bool:
    return name.lower().endswith(PAGE_SUFFIXES)


def _short(url: str, limit: int = 80) -> str:
    return url if len(url) <= limit else url[: limit - 1] + "…"


def check_zip(zip_path: Path) -> list[Diagnostic]:
    """:func:`check_pages` over every HTML page and SVG image of a zip (a zip that cannot
    be read gives nothing here: the format's own validation reports it)."""
    try:
        with zipfile.ZipFile(zip_path) as archive:
            pages = [(info.filename, archive.read(info)) for info in archive.infolist()
                     if is_page(info.filename) and info.file_size <= MAX_PAGE_BYTES]
    except (OSError, RuntimeError, NotImplementedError, zipfile.BadZipFile,
            zipfile.LargeZipFile):
        return []
    return list(check_pages(pages, str(zip_path)))
