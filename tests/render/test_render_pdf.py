"""HTML → PDF: deterministic, tagged, offline, Cyrillic intact (read back with pypdf)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from mirco_lms.errors import BuildError
from mirco_lms.render.pdf import html_to_pdf, source_date

PAGE = """<!doctype html><html lang="sr-Cyrl"><head><meta charset="utf-8">
<title>Миграције и људска права</title></head>
<body><h1>Део III</h1><p>Ђ Ж Љ Њ Ћ Џ — ISO 9001, 8,33 %</p>
<img src="dot.svg" alt="тачка"></body></html>"""

DOT = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    '<circle cx="5" cy="5" r="4"/></svg>'
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "dot.svg").write_text(DOT, encoding="utf-8")
    return tmp_path


def test_the_same_page_gives_the_same_bytes_and_reads_back(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = html_to_pdf(PAGE, base_url=folder)
    assert first == html_to_pdf(PAGE, base_url=folder)
    reader = PdfReader(io.BytesIO(first))
    text = reader.pages[0].extract_text()
    assert "Део III" in text and "Ђ Ж Љ Њ Ћ Џ" in text
    assert reader.metadata is not None
    assert reader.metadata.title == "Миграције и људска права"
    assert reader.metadata["/CreationDate"].startswith("D:20231114")
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "sr-Cyrl"
    assert bool(root["/MarkInfo"]["/Marked"])  # tagged: structure reaches screen readers
    assert "/StructTreeRoot" in root


def test_without_source_date_epoch_no_date_is_written(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    pdf = html_to_pdf(PAGE, base_url=folder, metadata={"authors": "Центар"})
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata is not None
    assert "/CreationDate" not in reader.metadata
    assert reader.metadata.author == "Центар"


@pytest.mark.parametrize("url", ["http://example.org/x.png", "https://example.org/x.css"])
def test_a_page_that_reaches_the_network_is_refused(folder: Path, url: str) -> None:
    image, sheet = f'<img src="{url}" alt="">', f'<link rel="stylesheet" href="{url}">'
    tag = image if url.endswith(".png") else sheet
    with pytest.raises(BuildError, match="not a local file") as caught:
        html_to_pdf(f"<html><head>{tag}</head><body>x</body></html>", base_url=folder)
    assert url in str(caught.value)


@pytest.mark.parametrize("value", ["soon", "1.5", "99999999999999999999"])
def test_a_bad_source_date_epoch_is_an_error(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    with pytest.raises(BuildError, match="SOURCE_DATE_EPOCH"):
        source_date()
