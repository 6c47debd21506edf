"""What ``mirco validate`` and the build check of a written e-library: its front door,
every language's catalogue, search page and index, and that every relative link and
image of every page leads to a file of the site."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from mirco_lms.errors import Diagnostic, Location
from mirco_lms.paths import inside_file

_TARGET = re.compile(r'\s(?:href|src)="([^"]*)"')
REQUIRED = ("index.html", "search.html", "search-index.js")


def check_site(folder: Path, marker: str) -> list[Diagnostic]:
    """Every problem of the site in ``folder``; never raises on a damaged site."""
    try:
        languages = (folder / marker).read_text(encoding="utf-8").split()[2:]
    except (OSError, UnicodeDecodeError) as err:
        return [Diagnostic(f"the site has no readable {marker}: {err}",
                           Location(file=folder), hint="build it again")]
    found: list[Diagnostic] = []
    for name in ["index.html", *(f"{lang}/{req}" for lang in languages for req in REQUIRED)]:
        if not (folder / name).is_file():
            found.append(Diagnostic(f"the site has no {name}", Location(file=folder / name),
                                    hint="build it again with mirco build --format site"))
    for page in sorted(folder.rglob("*.html")):
        found.extend(_links(page, folder))
    return found


def _links(page: Path, root: Path) -> list[Diagnostic]:
    try:
        text = page.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        return [Diagnostic(f"the page cannot be read: {err}", Location(file=page))]
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        for target in _TARGET.findall(line):
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or not parts.path:
                continue  # a web address, an e-mail, an anchor, data:
            # the target as a path of the site (the page is one), kept inside it
            named = (page.parent / unquote(parts.path)).relative_to(root)
            if inside_file(root, str(named)) is None:
                found.append(Diagnostic(
                    f"the link {target!r} leads to no file of the site",
                    Location(file=page, line=number), hint="build the site again"))
    return found
