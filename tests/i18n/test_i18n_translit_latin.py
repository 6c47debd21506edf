"""Tokens Serbian Cyrillic publishing keeps in Latin script survive transliteration."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mirco_lms.i18n.latin_tokens import keeps_roman
from mirco_lms.i18n.translit import latin_letters, transliterate


def _roman(number: int) -> str:
    out = []
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                           (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"),
                           (5, "V"), (4, "IV"), (1, "I")):
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


@given(st.integers(min_value=1, max_value=3999))
def test_every_roman_numeral_after_a_word_stays_latin(number: int) -> None:
    numeral = _roman(number)
    out = transliterate(f"Prema delu {numeral} zakona, i poglavlju {numeral}.")
    assert out == f"Према делу {numeral} закона, и поглављу {numeral}."


@given(st.integers(min_value=1, max_value=3999))
def test_roman_numerals_in_a_heading_set_in_capitals(number: int) -> None:
    numeral = _roman(number)
    words = {"MI", "VI", "LI", "DI", "DIV", "CD", "DC", "MC", "CV", "IV"}
    if numeral in words or len(numeral) == 1:
        return  # words in capitals: see test_words_that_look_like_numerals
    assert transliterate(f"DEO {numeral}") == f"ДЕО {numeral}"


@pytest.mark.parametrize(("latin", "cyrillic"), [
    ("Deo III i Deo IV", "Део III и Део IV"),
    ("Dublin III uredba", "Дублин III уредба"),
    ("Petar I i XXI vek", "Петар I и XXI век"),
    ("stav (iv) i tačka (ii)", "став (iv) и тачка (ii)"),
    ("## Deo II: Izbeglice", "## Део II: Избеглице"),
    ("**Part III** i *IV*", "**Парт III** и *IV*"),
])
def test_roman_numerals(latin: str, cyrillic: str) -> None:
    assert transliterate(latin) == cyrillic


@pytest.mark.parametrize(("latin", "cyrillic"), [
    ("I to je sve. I onda", "И то је све. И онда"),  # the conjunction opening a sentence
    ("- I oni", "- И они"),
    ("MIGRACIJE I AZIL", "МИГРАЦИЈЕ И АЗИЛ"),
    ("ŠTA VI MISLITE", "ШТА ВИ МИСЛИТЕ"),
    ("MI SMO TU", "МИ СМО ТУ"),
    ("Vuk S. Karadžić i V. Ilić", "Вук С. Караџић и В. Илић"),  # initials
    ("Ivan, Milica, Dimitrije", "Иван, Милица, Димитрије"),
])
def test_words_that_look_like_numerals(latin: str, cyrillic: str) -> None:
    assert transliterate(latin) == cyrillic


@pytest.mark.parametrize("kept", [
    "5 km", "2 kg", "12 m²", "3 m³", "20 °C", "100 km/h", "8 GB", "230 V", "60 Hz",
    "2,5 l", "500 mg", "10 kWh", "4 mm", "1.5 t",
])
def test_unit_symbols_stay_latin(kept: str) -> None:
    assert transliterate(f"Ukupno {kept} dnevno") == f"Укупно {kept} дневно"


def test_units_of_time_are_serbian_abbreviations() -> None:
    assert transliterate("1 h 30 min i 20 s") == "1 ч 30 мин и 20 с"


@pytest.mark.parametrize("kept", [
    "A4", "B2", "MP3", "3D", "H2O", "CO2", "ISO 9001", "ISO/IEC 27001", "EN 1090-1",
    "(EU) 2016/399", "EU 2016/399", "A/73/12", "e.g.", "i.e.", "et al.", "cf.", "op. cit.",
    "vs.", "mup.gov.rs", "frontex.europa.eu", "https://eur-lex.europa.eu/eli/reg/2016/399/oj",
    "info@mup.gov.rs", "`kod`", "mirco.toml",
])
def test_designations_abbreviations_and_addresses_stay_latin(kept: str) -> None:
    out = transliterate(f"Vidi {kept} ovde")
    assert out == f"Види {kept} овде"


@pytest.mark.parametrize(("latin", "cyrillic"), [
    ("EU 27", "ЕУ 27"),  # an acronym before a plain number is a word
    ("UNHCR i EU", "УНХЦР и ЕУ"),
    ("UNHCR 2023", "УНХЦР 2023"),
    ("COVID-19", "ЦОВИД-19"),
    ("npr. itd. tj.", "нпр. итд. тј."),  # Serbian abbreviations have Cyrillic forms
    ("Imamo 5 a oni 3", "Имамо 5 а они 3"),  # the conjunction a is no unit
    ("Član 3. Zakona", "Члан 3. Закона"),
])
def test_serbian_words_next_to_numbers_are_converted(latin: str, cyrillic: str) -> None:
    assert transliterate(latin) == cyrillic


@given(st.text(alphabet="abcčćdđefghijklmnoprsštuvzž ", min_size=1, max_size=40))
def test_lower_case_serbian_text_is_all_cyrillic(text: str) -> None:
    assert not latin_letters(transliterate(text))


def test_keeps_roman_rejects_invalid_numerals() -> None:
    text = "Deo IIII i VV"
    assert not keeps_roman(text, 4, 8)
    assert not keeps_roman(text, 11, 13)
    assert transliterate(text) == "Део ИИИИ и ВВ"
