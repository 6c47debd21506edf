"""Add a language to a course project: ``mirco i18n init LANG [--from OTHER]``.

Three steps, in an order that leaves the project as it was when one fails: the new
language's catalogs are made (one per module, as ``mirco i18n update --lang LANG``
does), optionally pre-filled from another language's catalogs with every entry marked
fuzzy — a start for a close language (Bosnian or Montenegrin from Serbian), never taken
as a translation until a translator reviews it — and finally the language is added to
``[i18n].languages`` of ``mirco.toml``, the file's comments and layout kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polib

from mirco_lms.config import CONFIG_FILE, ProjectConfig
from mirco_lms.errors import ConfigError, Location, TranslationError
from mirco_lms.i18n import locales
from mirco_lms.i18n.catalog import MESSAGES_DIR, new_catalog, po_path, read_po, save_if_changed
from mirco_lms.i18n.project import Updated, check_language, update
from mirco_lms.i18n.translit import transliterate


@dataclass(frozen=True)
class Added:
    """What ``init`` did: the catalogs made and how many entries were pre-filled."""

    language: str
    catalogs: list[Updated]
    prefilled: int


def init_language(config: ProjectConfig, language: str, start_from: str | None = None) -> Added:
    """Make ``language``'s catalogs (pre-filled from ``start_from``'s), then add it to
    ``mirco.toml``; errors, before anything is written, for an unknown language, one the
    project already has, or a ``start_from`` without catalogs."""
    toml = config.root / CONFIG_FILE
    check_language(language, Location(toml))
    if language in config.i18n.languages:
        raise ConfigError(
            f"{language} is already a language of this project",
            location=Location(toml, _languages_line(toml)),
            hint=f"to refresh its catalogs run: mirco i18n update --lang {language}",
        )
    sources = _source_catalogs(config, start_from, language) if start_from else {}
    prefilled = 0
    for slug, source in sources.items():
        target = po_path(config.translations_dir, language, slug)
        if target.is_file():
            continue  # a catalog a translator already started is never overwritten
        prefilled += _prefill(source, target, language, start_from or "")
    catalogs = update(config, (), [language])
    add_to_config(toml, language, config.i18n.languages)
    return Added(language, catalogs, prefilled)


def _source_catalogs(config: ProjectConfig, other: str, language: str) -> dict[str, Path]:
    """The catalogs of ``other``, by module slug (an error when it has none)."""
    check_language(other)
    if other == language:
        raise ConfigError(f"--from {other}: a language cannot start from itself",
                          hint="name another language, e.g. --from sr-Latn")
    folder = config.translations_dir / other / MESSAGES_DIR
    found = {p.stem: p for p in sorted(folder.glob("*.po"))} if folder.is_dir() else {}
    if not found:
        raise TranslationError(
            f"--from {other}: there are no {other} catalogs to start from",
            location=Location(folder),
            hint=f"make them first (mirco i18n update --lang {other}), or leave out --from",
        )
    return found


def _prefill(source: Path, target: Path, language: str, other: str) -> int:
    """Write ``target`` with every translated entry of ``source``, marked fuzzy."""
    old = read_po(source)
    po = new_catalog(language, old.metadata.get("Project-Id-Version", ""))
    convert = transliterate if locales.TRANSLITERATED_FROM.get(language) == other else str
    count = 0
    for entry in old:
        if entry.obsolete or not entry.msgid or not (
                entry.msgstr or any(entry.msgstr_plural.values())):
            continue
        new = polib.POEntry(
            msgid=entry.msgid, msgctxt=entry.msgctxt, msgid_plural=entry.msgid_plural,
            msgstr=convert(entry.msgstr),
            msgstr_plural={i: convert(s) for i, s in entry.msgstr_plural.items()},
            occurrences=list(entry.occurrences), comment=entry.comment,
            tcomment=_note(entry.tcomment, other),
            flags=["fuzzy", *(f for f in entry.flags if f != "fuzzy")],
        )
        po.append(new)
        count += 1
    save_if_changed(po, target)
    return count


def _note(comment: str | None, other: str) -> str:
    note = f"started from the {other} translation: review it"
    return f"{comment}\n{note}" if comment else note


def add_to_config(toml: Path, language: str, current: tuple[str, ...] = ()) -> None:
    """Append ``language`` to ``[i18n].languages`` (``current`` when the file names
    none), keeping the file's comments and layout."""
    import tomlkit

    doc = tomlkit.parse(toml.read_text(encoding="utf-8"))
    section = doc.get("i18n")
    if section is None:
        section = tomlkit.table()
        doc["i18n"] = section
    languages = section.get("languages")
    if languages is None:
        section["languages"] = [*current, language]
    else:
        languages.append(language)
    tmp = toml.with_name(toml.name + ".tmp")
    tmp.write_text(tomlkit.dumps(doc), encoding="utf-8")
    tmp.replace(toml)


def _languages_line(toml: Path) -> int | None:
    for number, line in enumerate(toml.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip().startswith("languages"):
            return number
    return None
