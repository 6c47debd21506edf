"""Refresh mirco's own UI catalogs in one command (for mirco's developers).

    python -m mirco_lms.i18n.ui_catalogs

extracts every UI string of the default theme (templates: ``{% trans %}`` and ``_()``),
of the Python code (``_()``, ``N_()``, ``gettext()``, ``ngettext()``) and of the
runtime JavaScript (``_()``) into ``mirco_lms/locale/mirco.pot``, then merges it into
``mirco_lms/locale/<lang>/LC_MESSAGES/mirco.po`` for every language (new and changed
strings become empty or fuzzy, as with ``msgmerge``). The ``sr-Cyrl`` catalog is filled
from ``sr-Latn`` by transliteration wherever it has no reviewed translation of its own.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import polib

from mirco_lms.course.markdown import DEFAULT_CALLOUT_LABELS
from mirco_lms.i18n import checks, locales
from mirco_lms.i18n.catalog import Message, merge, read_po, save_if_changed, template
from mirco_lms.i18n.translit import transliterate
from mirco_lms.i18n.ui import LOCALE_DIR, package_catalog_path

log = logging.getLogger(__name__)

PACKAGE_DIR = LOCALE_DIR.parent
POT_FILE = LOCALE_DIR / "mirco.pot"
METHODS = [
    ("templates/**.html", "jinja2.ext:babel_extract"),
    ("runtime/**.js", "javascript"),
    ("**.py", "python"),
]
JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "trim_blocks": "true",
                 "lstrip_blocks": "true", "newstyle_gettext": "true"}
SKIP = ("i18n/", "lrs/", "cli/", "scaffold/", "reports/")
"""Code whose strings are not theme UI strings (messages for authors stay English)."""
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None,
            "pgettext": ((1, "c"), 2), "npgettext": ((1, "c"), 2, 3)}
LANGUAGES = tuple(code for code in locales.SUPPORTED if code != "en")


def extract_ui() -> list[Message]:
    """Every UI message of the package, in file order, duplicates merged."""
    from babel.messages.extract import extract_from_dir

    found: dict[tuple[str | None, str], Message] = {}
    options = {"templates/**.html": JINJA_OPTIONS}
    for filename, lineno, message, comments, context in extract_from_dir(
        str(PACKAGE_DIR), METHODS, options, KEYWORDS, strip_comment_tags=True,
    ):
        if filename.startswith(SKIP):
            continue
        msgid, plural = (message[0], message[1]) if isinstance(message, tuple) else (message, "")
        if not msgid:
            continue
        key = (context, msgid)
        where = (f"mirco_lms/{filename}", str(lineno))
        flags = _flags(msgid)
        if key in found:
            old = found[key]
            found[key] = Message(msgid, context, (*old.occurrences, where), old.comments,
                                 old.msgid_plural or plural, old.flags)
        else:
            found[key] = Message(msgid, context, (where,), tuple(comments), plural, flags)
    for kind, label in DEFAULT_CALLOUT_LABELS.items():
        found.setdefault((None, label), Message(
            label, None, (("mirco_lms/course/markdown.py", "34"),),
            (f"default title of a '::: {kind}' callout",), "", ()))
    return list(found.values())


def _flags(msgid: str) -> tuple[str, ...]:
    if checks.is_percent_format(msgid):
        return ("python-format",)
    if checks.placeholders(msgid):
        return ("python-brace-format",)
    return ()


def fill_cyrillic(cyrl: polib.POFile, latn: polib.POFile) -> int:
    """Fill empty or fuzzy sr-Cyrl entries from reviewed sr-Latn ones; returns how many."""
    source = {(e.msgctxt, e.msgid): e for e in latn if not e.obsolete and not e.fuzzy}
    filled = 0
    for entry in cyrl:
        if entry.obsolete:
            continue
        done = entry.msgstr or any(entry.msgstr_plural.values())
        if done and not entry.fuzzy:
            continue
        latin = source.get((entry.msgctxt, entry.msgid))
        if latin is None or not (latin.msgstr or any(latin.msgstr_plural.values())):
            continue
        if latin.msgid_plural:
            entry.msgstr_plural = {i: transliterate(s) for i, s in latin.msgstr_plural.items()}
        else:
            entry.msgstr = transliterate(latin.msgstr)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = None
        filled += 1
    return filled


def refresh() -> list[tuple[Path, bool]]:
    """Extract and merge; returns (catalog, changed) for the template and each catalog."""
    pot = template(extract_ui(), "mirco")
    out = [(POT_FILE, save_if_changed(pot, POT_FILE))]
    merged: dict[str, polib.POFile] = {}
    for language in LANGUAGES:
        path = package_catalog_path(language)
        merged[language] = merge(pot, read_po(path) if path.is_file() else None, language)
    fill_cyrillic(merged["sr-Cyrl"], merged["sr-Latn"])
    for language, po in merged.items():
        path = package_catalog_path(language)
        out.append((path, save_if_changed(po, path)))
    return out


def main() -> int:
    for path, changed in refresh():
        print(f"{'updated' if changed else 'unchanged'}: {path.relative_to(PACKAGE_DIR.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
