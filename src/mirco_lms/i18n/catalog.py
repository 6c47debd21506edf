"""Gettext catalogs on disk: reading PO files with line numbers, writing POT files, and
merging a template into a catalog the way ``msgmerge`` does.

Layout of a course project (the one Sphinx + sphinx-intl and Weblate users know)::

    translations/templates/<module>.pot           extracted by ``mirco i18n extract``
    translations/<lang>/LC_MESSAGES/<module>.po   merged by ``mirco i18n update``
    translations/<lang>/LC_MESSAGES/ui.po         optional overrides of theme strings

PO files are read directly at build time (no ``.mo`` compile step): mirco needs the PO
line of every translation to point at mistakes, and a build reads each catalog once.
"""

from __future__ import annotations

import difflib
import math
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import polib

from mirco_lms.errors import Location, TranslationError
from mirco_lms.i18n import locales

TEMPLATES_DIR = "templates"
MESSAGES_DIR = "LC_MESSAGES"
UI_DOMAIN = "ui"
"""The catalog name of a project's overrides of the theme's UI strings."""
NO_TRANSLIT = "no-translit"
"""A translator comment holding this word keeps the segment out of transliteration."""
FUZZY_CUTOFF = 0.6


def pot_path(translations_dir: Path, domain: str) -> Path:
    return translations_dir / TEMPLATES_DIR / f"{domain}.pot"


def po_path(translations_dir: Path, language: str, domain: str) -> Path:
    return translations_dir / language / MESSAGES_DIR / f"{domain}.po"


Key = tuple[str | None, str]
"""(msgctxt, msgid) of a message."""


@dataclass(frozen=True)
class Translation:
    """One usable translation of a catalog."""

    text: str
    """The msgstr (``msgstr[0]`` for plural entries)."""
    plurals: tuple[str, ...]
    """Every plural form (empty for non-plural entries)."""
    location: Location
    """The PO file and the line of the msgstr."""
    transliterate: bool = True
    """False when a translator comment says ``no-translit``."""


@dataclass(frozen=True)
class Catalog:
    """A PO file: its usable translations, and the keys that are fuzzy."""

    path: Path
    language: str
    translations: dict[Key, Translation]
    fuzzy: frozenset[Key]
    plural_forms: str | None = None

    @classmethod
    def empty(cls, path: Path, language: str) -> Catalog:
        return cls(path, language, {}, frozenset())

    def get(self, key: Key) -> Translation | None:
        return self.translations.get(key)


def read_po(path: Path) -> polib.POFile:
    """Parse ``path``; a syntax error becomes a TranslationError at the PO line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise TranslationError(
            "the catalog is not UTF-8", location=Location(path),
            hint="save the PO file as UTF-8 (Poedit and Weblate do)",
        ) from exc
    except OSError as exc:
        raise TranslationError(f"cannot read the catalog: {exc.strerror or exc}",
                               location=Location(path)) from exc
    _check_syntax(text, path)
    try:
        return polib.pofile(text, encoding="utf-8", wrapwidth=0)
    except (OSError, ValueError) as exc:
        found = re.search(r"line (\d+)", str(exc))
        raise TranslationError(
            f"invalid PO syntax: {exc}",
            location=Location(path, int(found.group(1)) if found else None),
            hint="open the file in a PO editor (Poedit) or run 'msgfmt -c' on it to see "
            "the mistake",
        ) from exc


_STRING = r'"(?:[^"\\]|\\.)*"'
_PO_LINE = re.compile(
    rf"^(?:\s*$|#.*$|(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+{_STRING}\s*$"
    rf"|{_STRING}\s*$)"
)


def _check_syntax(text: str, path: Path) -> None:
    """Refuse what polib would silently misread (an unterminated string, stray text)."""
    for number, line in enumerate(text.split("\n"), start=1):
        if not _PO_LINE.match(line.lstrip("\ufeff")):
            raise TranslationError(
                f"invalid PO syntax: {line.strip()[:60]!r}",
                location=Location(path, number),
                hint="every line is a comment (#), a keyword (msgid, msgstr…) followed by a "
                "quoted string, or a quoted continuation string; quotes inside a string are "
                'written \\"',
            )


def load_catalog(path: Path, language: str) -> Catalog:
    """The catalog at ``path`` (an empty one when the file does not exist)."""
    if not path.is_file():
        return Catalog.empty(path, language)
    po = read_po(path)
    lines = path.read_text(encoding="utf-8").split("\n")
    translations: dict[Key, Translation] = {}
    fuzzy: set[Key] = set()
    for entry in po:
        if entry.obsolete or not entry.msgid:
            continue
        key = (entry.msgctxt, entry.msgid)
        if entry.fuzzy:
            fuzzy.add(key)
            continue
        plurals = tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
        text = plurals[0] if plurals else entry.msgstr
        if not text or (plurals and not all(plurals)):
            continue
        translations[key] = Translation(
            text, plurals, Location(path, _msgstr_line(lines, entry.linenum)),
            NO_TRANSLIT not in (entry.tcomment or ""),
        )
    return Catalog(path, language, translations, frozenset(fuzzy),
                   po.metadata.get("Plural-Forms"))


def _msgstr_line(lines: list[str], start: int) -> int:
    """The 1-based line of the first ``msgstr`` of the entry starting at ``start``."""
    for number in range(max(start, 1), len(lines) + 1):
        if lines[number - 1].startswith("msgstr"):
            return number
    return start


# --- templates and merging -----------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    """A message of a template: text, context, where it is used and what it is."""

    msgid: str
    msgctxt: str | None
    occurrences: tuple[tuple[str, str], ...]
    comments: tuple[str, ...]
    """Extracted comments (``#.``): the segment kinds, instructions for translators."""
    msgid_plural: str = ""
    flags: tuple[str, ...] = ()


def template(messages: Iterable[Message], project: str) -> polib.POFile:
    """A POT file of ``messages``."""
    pot = polib.POFile(wrapwidth=0)
    pot.header = f"Translatable texts of {project}."
    pot.metadata = {
        "Project-Id-Version": project,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Generated-By": "mirco",
    }
    for message in messages:
        pot.append(polib.POEntry(
            msgid=message.msgid, msgctxt=message.msgctxt, msgstr="",
            msgid_plural=message.msgid_plural,
            msgstr_plural={0: "", 1: ""} if message.msgid_plural else {},
            occurrences=list(message.occurrences), comment="\n".join(message.comments),
            flags=list(message.flags),
        ))
    return pot


def save_if_changed(po: polib.POFile, path: Path) -> bool:
    """Write ``po`` unless the file already says the same; True when written."""
    text = str(po) + "\n" if not str(po).endswith("\n") else str(po)
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return True


def new_catalog(language: str, project: str) -> polib.POFile:
    po = polib.POFile(wrapwidth=0)
    po.header = f"{project}: {locales.language_name(language, 'en')} ({language})."
    po.metadata = {"Project-Id-Version": project}
    complete_header(po, language)
    return po


def revision_date() -> str:
    """Now as a PO date (``SOURCE_DATE_EPOCH`` when set, for reproducible catalogs)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    moment = (datetime.fromtimestamp(int(epoch), UTC) if epoch.isdigit()
              else datetime.now(UTC))
    return moment.strftime("%Y-%m-%d %H:%M+0000")


def complete_header(po: polib.POFile, language: str) -> None:
    """Give ``po`` every header ``msgfmt -c`` asks for, keeping what a translator set.

    ``Language`` and ``Plural-Forms`` always follow the language: the plural rule is
    babel's (CLDR) for it, so plural translations are chosen by the right rule.
    """
    meta = po.metadata
    defaults = {
        "PO-Revision-Date": revision_date(),
        "Last-Translator": "",
        "Language-Team": f"{locales.language_name(language, 'en')} ({language})",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    ordered = {"Project-Id-Version": meta.get("Project-Id-Version", "")}
    for key in ("PO-Revision-Date", "Last-Translator", "Language-Team"):
        ordered[key] = meta.get(key) or defaults[key]
    ordered["Language"] = locales.po_language(language)
    for key in ("MIME-Version", "Content-Type", "Content-Transfer-Encoding"):
        ordered[key] = meta.get(key) or defaults[key]
    ordered["Plural-Forms"] = locales.plural_forms(language)
    ordered.update({k: v for k, v in meta.items() if k not in ordered})
    po.metadata = ordered


def merge(pot: polib.POFile, old: polib.POFile | None, language: str) -> polib.POFile:
    """``old`` brought up to ``pot``, as ``msgmerge --previous`` does.

    Kept messages keep their translation; a message whose source changed gets the
    translation of the closest old message, marked fuzzy with the old ``msgid`` as
    ``#|``; messages gone from the template become obsolete (``#~``).
    """
    project = pot.metadata.get("Project-Id-Version", "")
    out = new_catalog(language, project)
    if old is not None:
        out.metadata.update({k: v for k, v in old.metadata.items() if k != "Project-Id-Version"})
        complete_header(out, language)
        out.header = old.header
    previous = {(e.msgctxt, e.msgid): e for e in (old or []) if e.msgid}
    used: set[Key] = set()
    unmatched = [e for e in pot if (e.msgctxt, e.msgid) not in previous]
    pool = [e for k, e in previous.items() if k not in {(p.msgctxt, p.msgid) for p in pot}]
    fuzzy_for = _fuzzy_matches(unmatched, pool)
    for entry in pot:
        key = (entry.msgctxt, entry.msgid)
        new = _copy(entry)
        match = previous.get(key)
        if match is not None:
            used.add(key)
            _take_translation(new, match, fuzzy=match.fuzzy)
            new.previous_msgid = match.previous_msgid if match.fuzzy else None
            new.previous_msgctxt = match.previous_msgctxt if match.fuzzy else None
        elif key in fuzzy_for:
            source = fuzzy_for[key]
            _take_translation(new, source, fuzzy=True)
            new.previous_msgid = source.msgid
            new.previous_msgctxt = source.msgctxt if source.msgctxt != entry.msgctxt else None
        out.append(new)
    for key, entry in previous.items():
        if key in used or not _translated(entry):
            continue
        if any((e.msgctxt, e.msgid) == key for e in out):
            continue
        gone = _copy(entry)
        _take_translation(gone, entry, fuzzy=entry.fuzzy)
        gone.obsolete = True
        gone.occurrences = []
        out.append(gone)
    return out


def _copy(entry: polib.POEntry) -> polib.POEntry:
    return polib.POEntry(
        msgid=entry.msgid, msgctxt=entry.msgctxt, msgid_plural=entry.msgid_plural,
        msgstr="", msgstr_plural={i: "" for i in entry.msgstr_plural} if entry.msgid_plural
        else {},
        occurrences=list(entry.occurrences), comment=entry.comment,
        flags=[f for f in entry.flags if f != "fuzzy"],
    )


def _take_translation(new: polib.POEntry, old: polib.POEntry, *, fuzzy: bool) -> None:
    new.msgstr = old.msgstr
    if new.msgid_plural and old.msgstr_plural:
        new.msgstr_plural = dict(old.msgstr_plural)
    new.tcomment = old.tcomment
    if fuzzy and _translated(old) and "fuzzy" not in new.flags:
        new.flags.insert(0, "fuzzy")


def _translated(entry: polib.POEntry) -> bool:
    return bool(entry.msgstr or any(entry.msgstr_plural.values()))


def _fuzzy_matches(
    unmatched: list[polib.POEntry], pool: list[polib.POEntry]
) -> dict[Key, polib.POEntry]:
    """For each new message, the most similar translated old message (if similar enough)."""
    candidates = [e for e in pool if _translated(e)]
    out: dict[Key, polib.POEntry] = {}
    if not candidates:
        return out
    for entry in unmatched:
        best, score = None, FUZZY_CUTOFF
        matcher = difflib.SequenceMatcher(None, "", entry.msgid, autojunk=False)
        for old in candidates:
            if old.msgctxt != entry.msgctxt:
                continue
            matcher.set_seq1(old.msgid)
            if matcher.real_quick_ratio() < score or matcher.quick_ratio() < score:
                continue
            ratio = matcher.ratio()
            if ratio >= score:
                best, score = old, ratio
        if best is not None:
            out[(entry.msgctxt, entry.msgid)] = best
    return out


# --- statistics ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    """How much of a module is translated into a language."""

    total: int
    translated: int
    fuzzy: int

    @property
    def missing(self) -> int:
        return self.total - self.translated - self.fuzzy

    @property
    def percent(self) -> float:
        return 100.0 if self.total == 0 else 100.0 * self.translated / self.total

    @property
    def percent_text(self) -> str:
        """``99.7 %``: rounded down, so a catalog with anything missing never reads 100 %."""
        return format_percent(self.percent)


def format_percent(percent: float) -> str:
    return f"{math.floor(percent * 10) / 10:g} %"


def coverage(keys: Iterable[Key], catalogs: Iterable[Catalog]) -> Coverage:
    """Coverage of ``keys`` by the first catalog that translates each (fuzzy otherwise)."""
    chain = list(catalogs)
    total = translated = fuzzy = 0
    for key in dict.fromkeys(keys):
        total += 1
        if any(c.get(key) is not None for c in chain):
            translated += 1
        elif any(key in c.fuzzy for c in chain):
            fuzzy += 1
    return Coverage(total, translated, fuzzy)
