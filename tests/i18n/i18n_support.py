"""Helpers of the i18n tests: the fixture project and complete translations of it.

The translations are real Serbian (Latin script) and Macedonian; sr-Cyrl is made from
the Serbian catalog by transliteration. ``translate`` writes them into the PO files the
way a translator's PO editor would (after ``mirco i18n update``).
"""

from __future__ import annotations

from pathlib import Path

import polib

from mirco_lms.config import ProjectConfig
from mirco_lms.i18n.project import update

FIXTURE = Path(__file__).resolve().parent / "fixture"
SLUG = "asylum-basics"
FILL_IN = "fill-in answers"

SR: dict[tuple[str | None, str], str] = {
    (None, "Asylum basics"): "Osnove azila",
    (None, "Who is a refugee and what protects them."): "Ko je izbeglica i šta ga štiti.",
    (None, "asylum"): "azil",
    (None, "refugees"): "izbeglice",
    (None, "Border police officers"): "Službenici granične policije",
    (None, "None"): "Nema",
    (None, "Explain who is a refugee."): "Objasniti ko je izbeglica.",
    (None, "The refugee definition"): "Definicija izbeglice",
    (None, "lecture"): "predavanje",
    (None, "The **1951 Convention** protects refugees."):
        "1951. godine usvojena je **Konvencija**, koja štiti izbeglice i njihove porodice.",
    (None, "Term"): "Pojam",
    (None, "Meaning"): "Značenje",
    (None, "Refugee"): "Izbeglica",
    (None, "A person who fled persecution"): "Osoba koja je pobegla od progona",
    (None, "Take care"): "Pažnja",
    (None, "Read the text slowly."): "Pročitajte tekst polako.",
    (None, "Read [the Convention](https://www.unhcr.org/en/about-unhcr) and write to "
           "info@example.org."):
        "Pročitajte [Konvenciju](https://www.unhcr.org/en/about-unhcr) i pišite na "
        "info@example.org.",
    (None, "First element: a well-founded fear"): "Prvi element: osnovan strah",
    (None, "Second element: being outside the country"):
        "Drugi element: boravak izvan njegove zemlje",
    (None, "A person at a border"): "Osoba na granici",
    (None, "Figure 1. A border crossing."): "Slika 1. Granični prelaz.",
    (None, "Run `mirco build` when you are done."): "Pokrenite `mirco build` kada završite.",
    (None, "A refugee must be outside their country."): "Izbeglica mora biti izvan svoje zemlje.",
    (None, "Right: this is one of the elements."): "Tako je: to je jedan od elemenata.",
    (None, "Which article sets out non-refoulement?"):
        "Koji član propisuje zabranu proterivanja ([non-refoulement]{.notranslit})?",
    (None, "Article 1"): "Član 1",
    (None, "It defines the refugee."): "On definiše izbeglicu.",
    (None, "Article 33"): "Član 33",
    (None, "Correct."): "Tačno.",
    (None, "Name the 1951 treaty."): "Navedite ugovor iz 1951. godine.",
    (FILL_IN, "Refugee Convention | Geneva Convention"):
        "Konvencija o statusu izbeglica | Konvencija o izbeglicama | Ženevska konvencija",
    (None, "Match the terms."): "Povežite pojmove.",
    (None, "Fear of persecution"): "Strah od progona",
    (None, "Migrant"): "Migrant",
    (None, "Any person who moves"): "Svako lice koje se seli",
    (None, "Final test"): "Završni test",
    (None, "Answer every question."): "Odgovorite na svako pitanje.",
}

MK: dict[tuple[str | None, str], str] = {
    (None, "Asylum basics"): "Основи на азилот",
    (None, "Who is a refugee and what protects them."): "Кој е бегалец и што го штити.",
    (None, "asylum"): "азил",
    (None, "refugees"): "бегалци",
    (None, "Border police officers"): "Службеници на граничната полиција",
    (None, "None"): "Нема",
    (None, "Explain who is a refugee."): "Да објасни кој е бегалец.",
    (None, "The refugee definition"): "Дефиниција на бегалец",
    (None, "lecture"): "предавање",
    (None, "The **1951 Convention** protects refugees."):
        "Во 1951 година е донесена **Конвенцијата**, која ги штити бегалците.",
    (None, "Term"): "Поим",
    (None, "Meaning"): "Значење",
    (None, "Refugee"): "Бегалец",
    (None, "A person who fled persecution"): "Лице кое избегало од прогон",
    (None, "Take care"): "Внимание",
    (None, "Read the text slowly."): "Прочитајте го текстот полека.",
    (None, "Read [the Convention](https://www.unhcr.org/en/about-unhcr) and write to "
           "info@example.org."):
        "Прочитајте ја [Конвенцијата](https://www.unhcr.org/en/about-unhcr) и пишете на "
        "info@example.org.",
    (None, "First element: a well-founded fear"): "Прв елемент: основан страв",
    (None, "Second element: being outside the country"):
        "Втор елемент: престој надвор од својата земја",
    (None, "A person at a border"): "Лице на граница",
    (None, "Figure 1. A border crossing."): "Слика 1. Граничен премин.",
    (None, "Run `mirco build` when you are done."): "Извршете `mirco build` кога ќе завршите.",
    (None, "A refugee must be outside their country."):
        "Бегалецот мора да биде надвор од својата земја.",
    (None, "Right: this is one of the elements."): "Точно: ова е еден од елементите.",
    (None, "Which article sets out non-refoulement?"):
        "Кој член ја утврдува забраната за протерување?",
    (None, "Article 1"): "Член 1",
    (None, "It defines the refugee."): "Тој го дефинира бегалецот.",
    (None, "Article 33"): "Член 33",
    (None, "Correct."): "Точно.",
    (None, "Name the 1951 treaty."): "Наведете го договорот од 1951 година.",
    (FILL_IN, "Refugee Convention | Geneva Convention"):
        "Конвенција за статусот на бегалците | Женевска конвенција",
    (None, "Match the terms."): "Поврзете ги поимите.",
    (None, "Fear of persecution"): "Страв од прогон",
    (None, "Migrant"): "Мигрант",
    (None, "Any person who moves"): "Секое лице што се преселува",
    (None, "Final test"): "Завршен тест",
    (None, "Answer every question."): "Одговорете на секое прашање.",
}

TABLES = {"sr-Latn": SR, "mk": MK}

def po_file(project: Path, language: str, slug: str = SLUG) -> Path:
    return project / "translations" / language / "LC_MESSAGES" / f"{slug}.po"

def fill(
    project: Path, language: str, table: dict[tuple[str | None, str], str] | None = None,
    *, skip: int = 0,
) -> Path:
    """Update the catalogs, then translate every entry of ``language`` found in ``table``
    (leaving the last ``skip`` entries untranslated), as a PO editor would save it."""
    update(ProjectConfig.load(project), languages=[language])
    path = po_file(project, language)
    po = polib.pofile(str(path), wrapwidth=0)
    table = TABLES[language] if table is None else table
    entries = [e for e in po if not e.obsolete]
    for entry in entries[: len(entries) - skip]:
        text = table.get((entry.msgctxt, entry.msgid))
        if text is not None:
            entry.msgstr = text
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    po.save(str(path))
    return path

def set_msgstr(path: Path, msgid: str, msgstr: str, msgctxt: str | None = None) -> None:
    po = polib.pofile(str(path), wrapwidth=0)
    entry = po.find(msgid, msgctxt=msgctxt) if msgctxt else po.find(msgid)
    assert entry is not None, msgid
    entry.msgstr = msgstr
    po.save(str(path))
