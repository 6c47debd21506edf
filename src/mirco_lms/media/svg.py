"""The texts of SVG diagrams: extracted as translatable segments, put back per language.

Every ``<text>`` and ``<tspan>`` run of an SVG image is one segment (its text, whitespace
collapsed); the tail after a ``<tspan>`` inside a ``<text>`` is a run of its own. The
reference of a segment is the SVG file and the element's line, its comment the
element's ``id`` (or its position). At build time :func:`translate_svg` writes a copy of
the SVG with each run replaced, in the same order; lxml escapes what it writes, so a
translation holding ``<`` or ``&`` stays well-formed XML.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from lxml import etree

from mirco_lms.course.model import Diagram, DiagramText
from mirco_lms.errors import Diagnostic, Location, SourceError

SVG_NS = "http://www.w3.org/2000/svg"
_RUN_TAGS = frozenset({f"{{{SVG_NS}}}text", f"{{{SVG_NS}}}tspan", "text", "tspan"})
_SPACES = re.compile(r"\s+")
WRAP_ATTR = "data-wrap"
"""``<text data-wrap="24">``: a translation longer than 24 characters is broken into
lines (``<tspan>``s one line-height apart) at spaces."""


def _parser() -> etree.XMLParser:
    # no entities, no network, no huge trees: an SVG is data, never instructions
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                           remove_comments=False)


def parse_svg(data: bytes, where: Location) -> etree._ElementTree:
    """The SVG's tree; :class:`SourceError` at the line that is not well-formed XML."""
    try:
        return etree.ElementTree(etree.fromstring(data, _parser()))
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 1
        raise SourceError(
            f"the SVG image is not well-formed XML: {exc.msg}",
            location=Location(where.file, line),
            hint="fix the markup (an editor such as Inkscape saves valid SVG)",
        ) from exc


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _slots(root: etree._Element) -> Iterator[tuple[etree._Element, str, str]]:
    """(element, ``text`` or ``tail``, element name) of every text run, in document order."""
    texts = 0
    tspans: dict[int, int] = {}
    names: dict[int, str] = {}
    for element in root.iter():
        if element.tag not in _RUN_TAGS:
            continue
        parent = element.getparent()
        local = _local(element.tag)
        if parent is not None and parent.tag in _RUN_TAGS:
            tspans[id(parent)] = tspans.get(id(parent), 0) + 1
            position = f"{names[id(parent)]}/{local}[{tspans[id(parent)]}]"
        else:
            texts += 1
            position = f"{local}[{texts}]"
        name = names[id(element)] = element.get("id") or position
        if element.text and element.text.strip():
            yield element, "text", name
        if local == "tspan" and element.tail and element.tail.strip() and \
                parent is not None and parent.tag in _RUN_TAGS:
            yield element, "tail", f"{name} (after)"


def _collapse(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def extract_texts(data: bytes, where: Location) -> tuple[DiagramText, ...]:
    """The text runs of an SVG with the line of each (``where`` names the file)."""
    root = parse_svg(data, where).getroot()
    out = []
    for element, slot, name in _slots(root):
        text = _collapse(str(getattr(element, slot)))
        out.append(DiagramText(name, text, Location(where.file, element.sourceline or 1)))
    return tuple(out)


def translate_svg(data: bytes, texts: Sequence[str], where: Location) -> bytes:
    """``data`` with its text runs replaced by ``texts`` (in :func:`extract_texts` order).

    Leading and trailing spaces of each run are kept (they separate a run from the
    next one). Raises :class:`SourceError` when the SVG no longer has as many runs as
    were extracted (it changed since the module was loaded)."""
    tree = parse_svg(data, where)
    slots = list(_slots(tree.getroot()))
    if len(slots) != len(texts):
        raise SourceError(
            f"the SVG image has {len(slots)} text runs, {len(texts)} were extracted",
            location=where, hint="build again: the file changed during the build")
    for (element, slot, _name), text in zip(slots, texts, strict=True):
        old = str(getattr(element, slot))
        lead = old[: len(old) - len(old.lstrip())]
        trail = old[len(old.rstrip()):]
        width = element.get(WRAP_ATTR, "")
        if slot == "text" and width.isdigit() and len(element) == 0:
            _wrap(element, text, int(width))
        else:
            setattr(element, slot, f"{lead and ' '}{text}{trail and ' '}")
    declared = data.lstrip().startswith(b"<?xml")
    return bytes(etree.tostring(tree, xml_declaration=declared, encoding="UTF-8"))


def _wrap(element: etree._Element, text: str, width: int) -> None:
    """``text`` as the content of ``element``, in lines of at most ``width`` characters
    (a longer word keeps its own line); lines after the first are ``<tspan>``s."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    element.text = lines[0] if lines else ""
    tag = f"{{{SVG_NS}}}tspan" if str(element.tag).startswith("{") else "tspan"
    for line in lines[1:]:
        span = etree.SubElement(element, tag)
        if element.get("x") is not None:
            span.set("x", str(element.get("x")))
        span.set("dy", "1.2em")
        span.text = line


def read_diagrams(root: Path, assets: Sequence[str]) -> tuple[list[Diagram], list[Diagnostic]]:
    """The diagrams among a module's ``assets`` (its ``.svg`` files that exist), and an
    error for each SVG that is not well-formed."""
    diagrams: list[Diagram] = []
    problems: list[Diagnostic] = []
    for asset in assets:
        if not asset.lower().endswith(".svg"):
            continue
        path = root / asset
        try:
            data = path.read_bytes()
        except OSError:
            continue  # the link check reports a missing file
        try:
            diagrams.append(Diagram(asset, extract_texts(data, Location(path))))
        except SourceError as exc:
            problems.append(Diagnostic(exc.message, exc.location or Location(path), exc.hint))
    return diagrams, problems
