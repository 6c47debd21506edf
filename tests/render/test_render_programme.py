"""The programme document as built: every accreditation field in every language, read back
from the PDF with pypdf (Cyrillic intact, table of contents, page numbers), and the same
sources give the same bytes."""

from __future__ import annotations

import io
import re
import shutil
from html import unescape
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from mirco_lms.cli import main
from mirco_lms.config import ProjectConfig
from mirco_lms.course.loader import load_module
from mirco_lms.course.matrix import FINAL
from mirco_lms.course.model import Module
from mirco_lms.formats import registry
from mirco_lms.i18n.locales import language_name
from mirco_lms.i18n.pipeline import localize_for_build
from mirco_lms.i18n.ui import ui_translations
from mirco_lms.render import LocalizedModule, Theme
from mirco_lms.render.descriptor import render_descriptor
from mirco_lms.render.programme import DescriptorInfo, programme_document

SLUG = "migration-human-rights"
SECTIONS = ("Contents", "Summary", "Qualification and credits", "Learning outcomes",
            "Syllabus", "Assessment methods", "Outcomes and assessment", "Lesson plan",
            "Trainers and resources", "Quality assurance and approval")


def _squeeze(text: str) -> str:
    """Text without whitespace: PDF extraction breaks lines where the layout did."""
    return re.sub(r"\s+", "", text)


def _expected(module: Module, language: str, config: ProjectConfig) -> list[str]:
    """Every text the programme document of ``module`` (translated) must show."""
    ui = ui_translations(language, config.translations_dir)
    acc = module.accreditation
    assert acc is not None and acc.hours is not None and acc.framework and acc.level
    texts = [ui.gettext(title) for title in SECTIONS]
    texts += [config.project_text("organization", language), module.title]
    texts.append(ui.gettext("{framework} level {level}").format(
        framework=acc.framework.value, level=acc.level))
    texts += [ui.gettext("ECTS credits"), ui.gettext("Total learning hours")]
    texts += [*acc.entry_requirements, *acc.trainer_qualifications]
    texts += [language_name(code, language) for code in acc.languages]
    texts += [c.title for c in acc.components] + [f"{c.weight} %" for c in acc.components]
    texts += [ui.gettext("Pass mark: %(mark)s %% of the weighted mark.") % {
        "mark": acc.pass_mark}]
    texts += [band.grade for band in acc.grades]
    texts += [ref.citation for ref in (*acc.reading, *acc.resources)]
    texts += [ref.note for ref in acc.resources if ref.note]
    texts += [acc.quality_assurance, acc.evaluation, acc.approved, acc.approved_by]
    texts += [outcome.text for outcome in module.outcomes]
    texts += [ui.gettext("Knowledge"), ui.gettext("Apply")]
    return texts


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample project with the programme PDFs of one module built in every language."""
    root = Path(__file__).resolve().parents[2]
    project = tmp_path_factory.mktemp("programme") / "project"
    project.mkdir()
    for name in ("mirco.toml", "modules", "translations"):
        source = root / name
        if source.is_dir():
            shutil.copytree(source, project / name)
        else:
            shutil.copy(source, project / name)
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", "1700000000")
    try:
        result = CliRunner().invoke(main, ["build", SLUG, "--format", "programme-pdf",
                                           "-j", "1", "--project", str(project)])
    finally:
        mp.undo()
    assert result.exit_code == 0, result.output
    return project


@pytest.mark.parametrize("language", ["en", "sr-Latn", "sr-Cyrl", "mk"])
def test_every_field_is_in_the_pdf_of_every_language(built: Path, language: str) -> None:
    config = ProjectConfig.load(built)
    pdf = built / "dist" / f"{SLUG}-1.0.0-{language}-programme.pdf"
    assert registry.recognise(pdf) is not None and registry.recognise(pdf).name == "programme-pdf"
    assert registry.module_format("programme-pdf").validate(pdf) == []
    reader = PdfReader(io.BytesIO(pdf.read_bytes()))
    pages = [page.extract_text() for page in reader.pages]
    assert 3 <= len(pages) <= 12
    for number, text in enumerate(pages, start=1):  # page numbers in the footer
        assert f"{number} / {len(pages)}" in text
    text = _squeeze("\n".join(pages))
    source = load_module(built / "modules" / SLUG).require()
    [translation], _ = localize_for_build(config, source, [language], False)
    module = translation.module
    missing = [t for t in _expected(module, language, config) if _squeeze(t) not in text]
    assert missing == []
    # the matrix: every final-test question that assesses an outcome is listed
    document = programme_document(LocalizedModule(module, language), DescriptorInfo())
    for row in document.matrix.rows:
        assert all(q.id in text for q in row.cell(FINAL).questions)
    # the table of contents: a dotted leader and the page of each section
    contents = pages[0]
    ui = ui_translations(language, config.translations_dir)
    for title in SECTIONS[1:]:
        line = next(line for line in contents.splitlines() if line.startswith(ui.gettext(title)))
        assert re.search(r"\.{5,} ?\d+$", line), line
    root = reader.trailer["/Root"]
    assert root["/Lang"] == language and "/StructTreeRoot" in root


@pytest.mark.parametrize(("language", "word"), [("sr-Cyrl", "Обезбеђење квалитета"),
                                                ("mk", "Обезбедување квалитет")])
def test_cyrillic_is_intact(built: Path, language: str, word: str) -> None:
    reader = PdfReader(built / "dist" / f"{SLUG}-1.0.0-{language}-programme.pdf")
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert word in text
    assert "Регионал" in text  # the provider's name in this language (mirco.toml)
    assert "Regional Migration Management Training Centre" not in text


def test_the_same_sources_give_the_same_bytes(built: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = built / "dist" / f"{SLUG}-1.0.0-sr-Cyrl-programme.pdf"
    first = pdf.read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    result = CliRunner().invoke(main, ["build", SLUG, "--format", "programme-pdf", "--force",
                                       "--lang", "sr-Cyrl", "-j", "1", "--project", str(built)])
    assert result.exit_code == 0, result.output
    assert pdf.read_bytes() == first


def test_the_html_descriptor_shows_the_fields_and_a_project_theme_overrides_it(
    built: Path, tmp_path: Path
) -> None:
    config = ProjectConfig.load(built)
    source = load_module(built / "modules" / SLUG).require()
    [translation], _ = localize_for_build(config, source, ["mk"], False)
    localized = LocalizedModule(translation.module, "mk",
                                ui_translations("mk", config.translations_dir))
    info = DescriptorInfo.from_config(config)
    html = render_descriptor(localized, Theme.for_project(None), info)
    text = _squeeze(unescape(re.sub(r"<[^>]+>", " ", html)))
    missing = [t for t in _expected(translation.module, "mk", config) if _squeeze(t) not in text]
    assert missing == []
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "descriptor.css").write_text("h1 { color: #123456; }\n", encoding="utf-8")
    themed = render_descriptor(localized, Theme.for_project(templates), info)
    assert "#123456" in themed and "#123456" not in html
