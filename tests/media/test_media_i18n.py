"""SVG texts in the module catalogs: extracted with the file, line and element, counted in
coverage, and a translation that would break the markup is escaped in the package."""

from __future__ import annotations

from pathlib import Path

import polib

from mirco_lms.config import ProjectConfig
from mirco_lms.course.loader import load_module
from mirco_lms.errors import Location
from mirco_lms.i18n.catalog import pot_path
from mirco_lms.i18n.localize import localize_from
from mirco_lms.i18n.project import extract
from mirco_lms.media.package import asset_files
from mirco_lms.media.svg import extract_texts

SLUG = "smuggling-of-migrants"
SVG = "images/smuggling-vs-trafficking.svg"


def test_update_extracts_every_svg_run_with_file_line_and_element(sample_project: Path) -> None:
    config = ProjectConfig.load(sample_project)
    extract(config, [SLUG])
    pot = polib.pofile(str(pot_path(config.translations_dir, SLUG)))
    entry = pot.find("Consent")
    assert entry is not None
    assert entry.comment.startswith("diagram text text[")
    svg = sample_project / "modules" / SLUG / SVG
    line = next(i for i, text in enumerate(svg.read_text().split("\n"), 1) if ">Consent<" in text)
    assert (f"modules/{SLUG}/{SVG}", str(line)) in entry.occurrences
    for text in extract_texts(svg.read_bytes(), Location(svg)):
        assert pot.find(text.text) is not None, text


def test_a_translation_with_markup_characters_stays_text(sample_project: Path) -> None:
    config = ProjectConfig.load(sample_project)
    po_file = config.translations_dir / "mk" / "LC_MESSAGES" / f"{SLUG}.po"
    po = polib.pofile(str(po_file))
    entry = po.find("Consent")
    assert entry is not None
    entry.msgstr = 'Согласност </text><script>alert("x")</script> & <b>'
    po.save(str(po_file))
    module = load_module(sample_project / "modules" / SLUG).require()
    localized = localize_from(config.translations_dir, module, "mk")
    (svg,) = asset_files(localized.module, "mk", [SVG])
    assert b"<script>" not in svg.data
    assert "Согласност &lt;/text&gt;&lt;script&gt;".encode() in svg.data
    texts = [t.text for t in extract_texts(svg.data, Location(Path("x.svg")))]
    assert 'Согласност </text><script>alert("x")</script> & <b>' in texts


def test_untranslated_svg_texts_lower_coverage(sample_project: Path) -> None:
    config = ProjectConfig.load(sample_project)
    po_file = config.translations_dir / "mk" / "LC_MESSAGES" / f"{SLUG}.po"
    po = polib.pofile(str(po_file))
    entry = po.find("Source of profit")
    assert entry is not None
    entry.msgstr = ""
    po.save(str(po_file))
    module = load_module(sample_project / "modules" / SLUG).require()
    localized = localize_from(config.translations_dir, module, "mk")
    assert [f.text for f in localized.fallbacks] == ["Source of profit"]
    assert localized.fallbacks[0].kind.startswith("diagram text")
