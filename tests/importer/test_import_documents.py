"""``mirco import``: real DOCX and ODT documents (made with python-docx and odfpy),
Markdown and HTML, read with pandoc into a module that validates and builds; compared
with golden files under ``golden/`` (refresh deliberately: MIRCO_REGOLD=1)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import office_documents as documents
import pytest
from click.testing import CliRunner

from mirco_lms.cli import main
from mirco_lms.importer import TODO, DocumentImportError, import_document

GOLDEN = Path(__file__).parent / "golden"
REGOLD = os.environ.get("MIRCO_REGOLD") == "1"


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    (project / "modules").mkdir(parents=True)
    (project / "mirco.toml").write_text(
        '[project]\nname = "Import"\n\n[i18n]\nlanguages = ["sr-Latn"]\n', encoding="utf-8")
    return project


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _compare(folder: Path, name: str) -> None:
    expected_dir = GOLDEN / name
    if REGOLD:
        shutil.rmtree(expected_dir, ignore_errors=True)
        shutil.copytree(folder, expected_dir)
    assert _tree(folder) == _tree(expected_dir)


@pytest.fixture
def document(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    kind = request.param
    maker = documents.make_docx if kind == "docx" else documents.make_odt
    return maker(tmp_path / f"upravljanje-migracijama.{kind}", tmp_path / "pictures")


@pytest.mark.parametrize("document", ["docx", "odt"], indirect=True)
def test_import_office_document_matches_golden_and_builds(
    document: Path, tmp_path: Path, runner: CliRunner
) -> None:
    project = _project(tmp_path)
    kind = document.suffix[1:]
    result = runner.invoke(main, ["import", str(document), "--module", f"migracije-{kind}",
                                  "--lang", "sr-Latn", "--project", str(project)])
    assert result.exit_code == 0, result.output
    folder = project / "modules" / f"migracije-{kind}"
    _compare(folder, f"migracije-{kind}")
    lessons = sorted(p.name for p in folder.glob("0*.md"))
    assert lessons == ["01-pravni-okvir.md", "02-zastita-migranata.md",
                       "03-prava-na-migrantite.md"]
    text = "".join((folder / name).read_text(encoding="utf-8") for name in lessons)
    for chapter, sentence in documents.CHAPTERS:
        assert f"# {chapter}\n" in text and sentence in text  # Latin, Cyrillic, Macedonian
    assert f"[UNHCR]({documents.LINK})" in text
    assert re.search(r"\[\^1\]: " + re.escape(documents.FOOTNOTE), text)
    assert "| azil" in text and "заштита" in text  # the table
    assert "prvi korak" in text and "други корак" in text  # the list
    assert f"![{documents.ALT}](images/image-01.png)" in text
    assert f"![{TODO}: describe this image](images/image-02.png)" in text
    assert (folder / "images" / "image-01.png").read_bytes() == documents.png()
    # the report names the image without alt text and the fields to fill, with lines
    assert "03-prava-na-migrantite.md: images/image-02.png has no alt text" in result.output
    assert "module.md:7: description:" in result.output
    # it validates (warnings only) and builds
    checked = runner.invoke(main, ["validate", "--project", str(project)])
    assert checked.exit_code == 0, checked.output
    assert "\n0 errors, " in checked.output
    assert "module.md:7: warning: still to write: description:" in checked.output
    assert "03-prava-na-migrantite.md:11: warning: still to write: ![TODO-IMPORT" in (
        checked.output)
    built = runner.invoke(main, ["build", "--project", str(project), "--format", "scorm12"])
    assert built.exit_code == 0, built.output
    assert list((project / "dist").glob(f"migracije-{kind}-0.1.0-sr-Latn-scorm12.zip"))


def test_import_markdown_and_html(tmp_path: Path) -> None:
    project = _project(tmp_path)
    (tmp_path / "pic.png").write_bytes(documents.png())
    markdown = tmp_path / "kurs.md"
    markdown.write_text(
        "Uvod.\n\n# Прва лекција\n\nТекст[^a] и [веза](https://example.org).\n\n"
        "![Slika](pic.png)\n\n## Детаљи\n\n1. jedan\n2. два\n\n# Druga lekcija\n\n"
        "| A | B |\n|---|---|\n| 1 | 2 |\n\n![Karta](https://example.org/karta.png)\n\n"
        "[^a]: Фуснота.\n", encoding="utf-8")
    html = tmp_path / "kurs.html"
    html.write_text(
        "<html><head><title>Курс</title></head><body><p>Увод.</p><h1>Прва лекција</h1>"
        "<p>Текст <a href='https://example.org'>веза</a>.</p><img src='pic.png' alt='Slika'>"
        "<h1>Druga lekcija</h1><ul><li>jedan</li><li>два</li></ul></body></html>",
        encoding="utf-8")
    for source, slug in ((markdown, "kurs-md"), (html, "kurs-html")):
        result = import_document(source, project / "modules", slug)
        assert result.lessons == ("01-prva-lekcija.md", "02-druga-lekcija.md")
        assert result.images == ("images/image-01.png",)
        _compare(result.folder, slug)
    web = [a.format() for a in import_document(markdown, project / "modules", "kurs-3").attention]
    assert "02-druga-lekcija.md: image 'https://example.org/karta.png' is not in the document" \
        " and was left out: add it to images/ and link it" in web
    assert import_document(html, project / "modules", "kurs-2").title == "Курс"


def test_the_slug_and_title_come_from_the_document(tmp_path: Path) -> None:
    project = _project(tmp_path)
    source = documents.make_docx(tmp_path / "dokument.docx", tmp_path / "pictures")
    result = import_document(source, project / "modules")
    assert (result.slug, result.title) == ("upravljanje-migracijama", documents.TITLE)
    assert result.folder == project / "modules" / "upravljanje-migracijama"
    assert f'title: "{documents.TITLE}"' in (result.folder / "module.md").read_text("utf-8")


@pytest.mark.parametrize(("name", "data", "message"), [
    ("notes.pdf", b"%PDF-1.4", "cannot import a '.pdf' file"),
    ("broken.docx", b"not a zip", "the document cannot be read"),
    ("broken.odt", b"PK\x03\x04 truncated", "the document cannot be read"),
    ("flat.md", "Samo tekst, без наслова.\n".encode(), "the document has no headings"),
    ("missing.docx", None, "does not exist"),
])
def test_bad_documents_are_refused_clearly(
    tmp_path: Path, runner: CliRunner, name: str, data: bytes | None, message: str
) -> None:
    project = _project(tmp_path)
    source = tmp_path / name
    if data is not None:
        source.write_bytes(data)
    result = runner.invoke(main, ["import", str(source), "--project", str(project)])
    assert result.exit_code != 0
    assert message in result.output and "Traceback" not in result.output
    assert not any((project / "modules").iterdir())  # nothing half-written


def test_an_unknown_language_is_refused(tmp_path: Path, runner: CliRunner) -> None:
    project = _project(tmp_path)
    source = documents.make_docx(tmp_path / "doc.docx", tmp_path / "pictures")
    result = runner.invoke(main, ["import", str(source), "--lang", "sr",
                                  "--project", str(project)])
    assert result.exit_code != 0 and "which script" in result.output
    assert not any((project / "modules").iterdir())


def test_an_existing_module_is_never_overwritten(tmp_path: Path) -> None:
    project = _project(tmp_path)
    source = documents.make_docx(tmp_path / "doc.docx", tmp_path / "pictures")
    existing = project / "modules" / "taken"
    existing.mkdir()
    (existing / "module.md").write_text("mine", encoding="utf-8")
    with pytest.raises(DocumentImportError, match="already exists"):
        import_document(source, project / "modules", "taken")
    assert (existing / "module.md").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in (project / "modules").iterdir()) == ["taken"]
