"""Serbian Latin → Cyrillic: digraphs, exceptions, and what is never transliterated."""

from __future__ import annotations

import pytest

from mirco_lms.i18n.translit import latin_letters, strip_optouts, transliterate


@pytest.mark.parametrize(("latin", "cyrillic"), [
    ("ljubav njiva džep", "љубав њива џеп"),
    ("Ljubljana LJUBLJANA Njegoš NJEGOŠ Džamija DŽAMIJA",
     "Љубљана ЉУБЉАНА Његош ЊЕГОШ Џамија ЏАМИЈА"),
    ("čaša ćup đak šuma žaba", "чаша ћуп ђак шума жаба"),
    ("injekcija konjunkcija konjugacija vanjezički",
     "инјекција конјункција конјугација ванјезички"),
    ("nadživeti nadživjeti podžanr odžaliti", "надживети надживјети поджанр оджалити"),
    ("odžak Tanjug", "оџак Тањуг"),  # real digraphs, not exceptions
    ("Injekcija", "Инјекција"),
])
def test_letters_and_digraphs(latin: str, cyrillic: str) -> None:
    assert transliterate(latin) == cyrillic


@pytest.mark.parametrize("kept", [
    "https://www.unhcr.org/en/about-unhcr",
    "www.example.com/njiva",
    "info@example.org",
    "`kod sa lj`",
    "Frontex", "Twitter", "Wi-Fi",
    "{score}", "%(count)s",
    "&nbsp;",
    "izveštaj.pdf",
])
def test_never_transliterated(kept: str) -> None:
    assert kept in transliterate(f"Tekst {kept} kraj")
    assert transliterate(f"Tekst {kept} kraj").startswith("Текст ")


def test_link_targets_kept_link_text_converted() -> None:
    text = 'Vidi [UNHCR](https://www.unhcr.org/sr "Naslov") i ![Slika](images/lj.png)'
    assert transliterate(text) == (
        'Види [УНХЦР](https://www.unhcr.org/sr "Наслов") и ![Слика](images/lj.png)'
    )


def test_footnotes_and_references_kept() -> None:
    assert transliterate("Tekst[^napomena] i [veza][izvor]") == "Текст[^napomena] и [веза][izvor]"


def test_optout_span() -> None:
    text = "Zabrana ([non-refoulement]{.notranslit}) i [Beograd Pride]{ .notranslit }"
    assert transliterate(text) == "Забрана (non-refoulement) и Beograd Pride"
    assert strip_optouts(text) == "Zabrana (non-refoulement) i Beograd Pride"


def test_output_has_no_latin_letters() -> None:
    out = transliterate("Sve izbeglice, ljudi i njihova deca, imaju pravo na džep-novac.")
    assert not latin_letters(out)
