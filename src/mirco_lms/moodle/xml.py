"""Writing Moodle backup XML: Moodle's own layout (UTF-8 declaration, two-space indents,
``$@NULL@$`` for NULL), built with lxml so that every text is escaped."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeAlias, cast

from lxml import etree

NULL = "$@NULL@$"
"""How Moodle's backup writes a NULL database value (backup/util/xml/output)."""

Value = str | int | float | None
Node: TypeAlias = "Value | etree._Element"


def text(value: Value) -> str:
    """A field's text: NULL for None, Moodle's decimal form for floats."""
    if value is None:
        return NULL
    if isinstance(value, float):
        return f"{value:.5f}"
    return str(value)


def element(tag: str, fields: Mapping[str, Node] | None = None,
            children: Iterable[etree._Element] = (), **attrs: Value) -> etree._Element:
    """``<tag attrs>`` with one child per field (in order), then ``children``."""
    node = etree.Element(tag, {k: text(v) for k, v in attrs.items()})
    for name, value in (fields or {}).items():
        if isinstance(value, etree._Element):
            node.append(value)
        else:
            etree.SubElement(node, name).text = text(value)
    for child in children:
        node.append(child)
    return node


def group(tag: str, children: Iterable[etree._Element] = ()) -> etree._Element:
    """A wrapper element (``<grade_items>``…) holding ``children``, possibly none."""
    return element(tag, children=children)


def document(root: etree._Element) -> bytes:
    """The file's bytes, as Moodle writes them."""
    etree.indent(root, space="  ")
    body = cast(str, etree.tostring(root, encoding="unicode"))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body).encode("utf-8")
