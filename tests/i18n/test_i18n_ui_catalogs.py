"""The UI catalogs shipped with mirco: up to date, complete, and checked in all languages."""

from __future__ import annotations

import polib
import pytest

from mirco_lms.i18n import locales
from mirco_lms.i18n.catalog import load_catalog
from mirco_lms.i18n.checks import is_percent_format, placeholder_problem
from mirco_lms.i18n.translit import latin_letters
from mirco_lms.i18n.ui import package_catalog_path, ui_translations
from mirco_lms.i18n.ui_catalogs import LANGUAGES, POT_FILE, extract_ui


def test_template_is_up_to_date() -> None:
    """Run ``python -m mirco_lms.i18n.ui_catalogs`` after changing UI strings."""
    shipped = {(e.msgctxt, e.msgid) for e in polib.pofile(str(POT_FILE))}
    current = {(m.msgctxt, m.msgid) for m in extract_ui()}
    assert current == shipped


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_complete_and_placeholders_kept(language: str) -> None:
    po = polib.pofile(str(package_catalog_path(language)))
    entries = [e for e in po if not e.obsolete]
    assert {(e.msgctxt, e.msgid) for e in entries} == {
        (e.msgctxt, e.msgid) for e in polib.pofile(str(POT_FILE))}
    nplurals = int(locales.plural_forms(language).split(";")[0].split("=")[1])
    for entry in entries:
        assert not entry.fuzzy, entry.msgid
        forms = ([entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)]
                 if entry.msgid_plural else [entry.msgstr])
        assert all(forms), entry.msgid
        if entry.msgid_plural:
            assert len(forms) == nplurals, entry.msgid
        for form in forms:
            assert placeholder_problem(entry.msgid, form, is_percent_format(entry.msgid)) is None
    # real translations, not copies of the English strings
    same = [e.msgid for e in entries if e.msgstr == e.msgid and len(e.msgid) > 3
            and "{" not in e.msgid]
    assert len(same) <= 1, same  # a shared word ("Migrant"-like) at most


@pytest.mark.parametrize("language", ["sr-Cyrl", "mk"])
def test_cyrillic_catalogs_have_no_latin_text(language: str) -> None:
    catalog = load_catalog(package_catalog_path(language), language)
    for (_, msgid), translation in catalog.translations.items():
        for form in translation.plurals or (translation.text,):
            words = [w for w in form.split() if "%(" not in w and "{" not in w]
            assert not latin_letters(" ".join(words)), (msgid, form)


def test_plural_forms_follow_babel() -> None:
    serbian = ui_translations("sr-Latn")
    forms = [serbian.ngettext("%(count)s attempt allowed", "%(count)s attempts allowed", n)
             for n in (1, 3, 5, 21)]
    assert forms == ["dozvoljen %(count)s pokušaj", "dozvoljena %(count)s pokušaja",
                     "dozvoljeno %(count)s pokušaja", "dozvoljen %(count)s pokušaj"]
    macedonian = ui_translations("mk")
    assert macedonian.ngettext("%(count)s attempt allowed", "%(count)s attempts allowed",
                               2) == "дозволени се %(count)s обиди"
    english = ui_translations("en")
    assert english.ngettext("%(count)s attempt allowed", "%(count)s attempts allowed",
                            2) == "%(count)s attempts allowed"


def test_language_names_keep_the_script() -> None:
    assert locales.language_name("sr-Latn") == "srpski (latinica)"
    assert locales.language_name("sr-Cyrl") == "српски (ћирилица)"
    assert locales.language_name("cnr") == "crnogorski"
    assert locales.babel_locale("cnr").territory == "ME"
    assert str(locales.babel_locale("sr-Cyrl")) == "sr_Cyrl"
