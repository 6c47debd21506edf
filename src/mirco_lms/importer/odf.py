"""Alt text of the images of an OpenDocument file, which pandoc's ODT reader does not
keep: LibreOffice writes it in the image frame's ``svg:title`` (its "Text Alternative")
and ``svg:desc`` (its "Description"). Read from ``content.xml``; never raises."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
SVG = "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
XLINK = "http://www.w3.org/1999/xlink"


def alt_texts(path: Path) -> dict[str, str]:
    """Image path inside the document (``Pictures/x.png``) → its alt text."""
    try:
        with zipfile.ZipFile(path) as archive:
            content = archive.read("content.xml")
        root = etree.fromstring(content, etree.XMLParser(resolve_entities=False,
                                                          no_network=True))
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return {}
    found: dict[str, str] = {}
    for frame in root.iter(f"{{{DRAW}}}frame"):
        texts = [" ".join("".join(node.itertext()).split())
                 for tag in ("title", "desc") for node in frame.findall(f"{{{SVG}}}{tag}")]
        alt = next((text for text in texts if text), "")
        for image in frame.iter(f"{{{DRAW}}}image"):
            href = image.get(f"{{{XLINK}}}href", "")
            if alt and href:
                found[href] = alt
    return found
