"""Real test documents made the way authors make them: a multi-chapter DOCX (python-docx)
and ODT (odfpy) with Serbian (Latin and Cyrillic) and Macedonian text, headings, an image
with alt text and one without, a table, a bulleted list, a footnote and a link."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from typing import Any

TITLE = "Управљање миграцијама"
CHAPTERS = (
    ("Pravni okvir", "Konvencija o statusu izbeglica štiti svako lice koje traži azil."),
    ("Заштита миграната", "Свака особа има право на заштиту, без обзира на статус."),
    ("Права на мигрантите", "Секој мигрант има право на правна помош и толкувач."),
)
LINK = "https://www.unhcr.org/"
FOOTNOTE = "Člen 33 Konvencije iz 1951. godine."
ALT = "Mapa balkanske rute"
TABLE = (("Pojam", "Značenje"), ("azil", "заштита"), ("viza", "дозвола"))
ITEMS = ("prvi korak", "други корак")


def png(width: int = 4, height: int = 3, rgb: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    """A small, valid PNG of one colour (deterministic bytes)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    raw = b"".join(b"\0" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


# --- DOCX ---------------------------------------------------------------------------------


def _docx_link(paragraph: Any, url: str, text: str) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml.ns import qn
    from docx.oxml.parser import OxmlElement

    rel = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    node = OxmlElement("w:t")
    node.text = text
    run.append(node)
    link.append(run)
    paragraph._p.append(link)


_FOOTNOTES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
    '</w:r></w:p></w:footnote>'
    '<w:footnote w:id="1"><w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'
    '</w:footnote></w:footnotes>'
)


def _docx_footnote(document: Any, paragraph: Any, text: str) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml.ns import qn
    from docx.oxml.parser import OxmlElement

    part = Part(PackURI("/word/footnotes.xml"),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
                _FOOTNOTES.format(text=text).encode("utf-8"), document.part.package)
    document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
    run = OxmlElement("w:r")
    reference = OxmlElement("w:footnoteReference")
    reference.set(qn("w:id"), "1")
    run.append(reference)
    paragraph._p.append(run)


def make_docx(path: Path, image_dir: Path) -> Path:
    """A DOCX of three chapters (Heading 1) with every kind of content the import keeps."""
    import docx

    image_dir.mkdir(parents=True, exist_ok=True)
    red, blue = image_dir / "red.png", image_dir / "blue.png"
    red.write_bytes(png())
    blue.write_bytes(png(rgb=(20, 40, 200)))
    document = docx.Document()
    document.core_properties.title = TITLE
    document.add_heading(TITLE, level=0)  # the Title style: the module's title
    document.add_paragraph("Uvod u modul: migracije na Balkanu.")
    (first, first_text), (second, second_text), (third, third_text) = CHAPTERS
    document.add_heading(first, level=1)
    paragraph = document.add_paragraph(first_text + " Vidi ")
    _docx_link(paragraph, LINK, "UNHCR")
    paragraph.add_run(".")
    _docx_footnote(document, paragraph, FOOTNOTE)
    document.add_heading("Definicije", level=2)
    table = document.add_table(rows=len(TABLE), cols=2)
    for row, cells in zip(table.rows, TABLE, strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    document.add_heading(second, level=1)
    document.add_paragraph(second_text)
    for item in ITEMS:
        document.add_paragraph(item, style="List Bullet")
    document.add_picture(str(red))
    document.inline_shapes[0]._inline.docPr.set("descr", ALT)
    document.add_heading(third, level=1)
    document.add_paragraph(third_text)
    document.add_picture(str(blue))
    import datetime

    fixed = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    document.core_properties.created = document.core_properties.modified = fixed
    document.save(str(path))
    return path


# --- ODT ----------------------------------------------------------------------------------


def make_odt(path: Path, image_dir: Path) -> Path:
    """The same document as :func:`make_docx`, written as OpenDocument text."""
    from odf import draw, table, text
    from odf.opendocument import OpenDocumentText
    from odf.style import Style, TableColumnProperties

    image_dir.mkdir(parents=True, exist_ok=True)
    document = OpenDocumentText()
    body = document.text
    column = Style(name="col", family="table-column")
    column.addElement(TableColumnProperties(columnwidth="5cm"))
    document.automaticstyles.addElement(column)

    def heading(level: int, words: str) -> None:
        body.addElement(text.H(outlinelevel=level, text=words))

    def picture(name: str, data: bytes, alt: str | None) -> None:
        href = document.addPicture(f"Pictures/{name}", "image/png", data)
        frame = draw.Frame(width="2cm", height="1.5cm", anchortype="as-char", name=name)
        if alt:
            frame.addElement(draw_desc(alt))
        frame.addElement(draw.Image(href=href))
        paragraph = text.P()
        paragraph.addElement(frame)
        body.addElement(paragraph)

    def draw_desc(words: str) -> Any:
        from odf.svg import Title

        return Title(text=words)

    body.addElement(text.P(text="Uvod u modul: migracije na Balkanu."))
    (first, first_text), (second, second_text), (third, third_text) = CHAPTERS
    heading(1, first)
    paragraph = text.P(text=first_text + " Vidi ")
    link = text.A(href=LINK, type="simple", text="UNHCR")
    paragraph.addElement(link)
    paragraph.addText(".")
    note = text.Note(id="ftn1", noteclass="footnote")
    note.addElement(text.NoteCitation(text="1"))
    note_body = text.NoteBody()
    note_body.addElement(text.P(text=FOOTNOTE))
    note.addElement(note_body)
    paragraph.addElement(note)
    body.addElement(paragraph)
    heading(2, "Definicije")
    grid = table.Table(name="Pojmovi")
    grid.addElement(table.TableColumn(numbercolumnsrepeated=2, stylename=column))
    header = table.TableHeaderRows()
    grid.addElement(header)
    for number, cells in enumerate(TABLE):
        row = table.TableRow()
        for words in cells:
            cell = table.TableCell()
            cell.addElement(text.P(text=words))
            row.addElement(cell)
        (header if number == 0 else grid).addElement(row)
    body.addElement(grid)
    heading(1, second)
    body.addElement(text.P(text=second_text))
    bullets = text.List()
    for item in ITEMS:
        entry = text.ListItem()
        entry.addElement(text.P(text=item))
        bullets.addElement(entry)
    body.addElement(bullets)
    picture("red.png", png(), ALT)
    heading(1, third)
    body.addElement(text.P(text=third_text))
    picture("blue.png", png(rgb=(20, 40, 200)), None)
    document.save(str(path))
    return path
