"""The theme's UI strings in one language: shipped catalogs plus a project's overrides.

Lookup order for a language ``L`` (first translation found wins, string by string, the
way mkdocs themes' locales work):

1. ``<project>/translations/L/LC_MESSAGES/ui.po`` — the course project's overrides;
2. for ``sr-Cyrl`` only: the project's ``sr-Latn`` ``ui.po``, transliterated;
3. ``mirco_lms/locale/L/LC_MESSAGES/mirco.po`` — the catalogs shipped with mirco;
4. the English source string.

Catalogs are read from their PO files (no ``.mo``), every translation checked: a
dropped or renamed placeholder is a :class:`~mirco_lms.errors.TranslationError` at the
PO line.
"""

from __future__ import annotations

import gettext
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mirco_lms.errors import TranslationError
from mirco_lms.i18n import checks, locales
from mirco_lms.i18n.catalog import (
    UI_DOMAIN,
    Catalog,
    Translation,
    load_catalog,
    po_path,
)
from mirco_lms.i18n.translit import transliterate

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
"""The UI catalogs shipped with mirco (package data)."""
DOMAIN = "mirco"


def package_catalog_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def catalog_files(language: str, translations_dir: Path | None) -> list[Path]:
    """Every file the UI strings of ``language`` are read from (for build fingerprints)."""
    files = [package_catalog_path(language)]
    if translations_dir is not None:
        files.append(po_path(translations_dir, language, UI_DOMAIN))
        base = locales.TRANSLITERATED_FROM.get(language)
        if base is not None:
            files.append(po_path(translations_dir, base, UI_DOMAIN))
    return [f for f in files if f.is_file()]


class UiTranslations(gettext.NullTranslations):
    """gettext translations from checked PO catalogs (picklable, for build workers)."""

    def __init__(self, language: str, messages: dict[tuple[str | None, str], tuple[str, ...]],
                 plural_forms: str) -> None:
        super().__init__()
        self.language = language
        self.messages = messages
        """(msgctxt, msgid) → (msgstr,) or every plural form."""
        self.plural_forms = plural_forms
        self._plural: Callable[[int], int] | None = None

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_plural"] = None
        return state

    @property
    def content_key(self) -> str:
        """A digest of the language and every message: equal catalogs have equal keys.

        Build workers receive a fresh copy of the catalog with every module; the theme
        keys its jinja2 environments (and so its compiled templates) by this.
        """
        key: str | None = self.__dict__.get("_content_key")
        if key is None:
            payload = repr((self.language, self.plural_forms, sorted(
                self.messages.items(), key=lambda item: (item[0][0] or "", item[0][1]))))
            key = hashlib.blake2b(payload.encode("utf-8"), digest_size=16).hexdigest()
            self.__dict__["_content_key"] = key
        return key

    def plural_index(self, n: int) -> int:
        if self._plural is None:
            expr = self.plural_forms.split("plural=", 1)[-1].strip().rstrip(";")
            self._plural = gettext.c2py(expr)
        return self._plural(n)

    def gettext(self, message: str) -> str:
        return self.pgettext(None, message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return self.npgettext(None, msgid1, msgid2, n)

    def pgettext(self, context: str | None, message: str) -> str:
        found = self.messages.get((context, message))
        return found[0] if found else message

    def npgettext(self, context: str | None, msgid1: str, msgid2: str, n: int) -> str:
        found = self.messages.get((context, msgid1))
        if found and len(found) > 1:
            index = self.plural_index(n)
            if 0 <= index < len(found):
                return found[index]
        return msgid1 if n == 1 else msgid2


def _checked(catalog: Catalog) -> Catalog:
    for (_, msgid), translation in catalog.translations.items():
        _check(msgid, translation)
    return catalog


def _check(msgid: str, translation: Translation) -> None:
    percent = checks.is_percent_format(msgid)
    for form in translation.plurals or (translation.text,):
        problem = checks.placeholder_problem(msgid, form, percent)
        if problem is not None:
            raise TranslationError(
                problem, location=translation.location,
                hint="keep every placeholder of the source ({name} or %(name)s) in the "
                "translation, spelled exactly the same",
            )


def ui_translations(language: str, translations_dir: Path | None = None) -> UiTranslations:
    """The UI strings of ``language`` (see the module docstring for the lookup order)."""
    layers: list[tuple[Catalog, bool]] = []
    if translations_dir is not None:
        own = po_path(translations_dir, language, UI_DOMAIN)
        layers.append((_checked(load_catalog(own, language)), False))
        base = locales.TRANSLITERATED_FROM.get(language)
        if base is not None:
            path = po_path(translations_dir, base, UI_DOMAIN)
            layers.append((_checked(load_catalog(path, base)), True))
    layers.append((_checked(load_catalog(package_catalog_path(language), language)), False))
    messages: dict[tuple[str | None, str], tuple[str, ...]] = {}
    for catalog, translit in reversed(layers):
        for key, translation in catalog.translations.items():
            forms = translation.plurals or (translation.text,)
            if translit and translation.transliterate:
                forms = tuple(transliterate(f) for f in forms)
            messages[key] = forms
    return UiTranslations(language, messages, locales.plural_forms(language))
