"""cmi5.xml: the cmi5 course structure (cmi5 spec §13, §14) — built and checked, no I/O.

One AU per SCO of the spec (the whole module, or each page with ``sco_per_lesson``). The
AU ids are the publisher ids of docs/xapi-profile.md (``<base>/<module id>`` for the
module); the course id is ``<base>/<module id>/course/<language>``, so that an LMS may hold
each language as its own course. :func:`check_course_structure` validates against the
official course structure XSD (shipped unedited in ``package/schemas/cmi5``) and makes the
checks that matter explicitly too, with clearer messages (elements and their order,
required attributes, value spaces), plus the spec's rules the XSD cannot express (ids
unique and absolute IRIs, masteryScore in [0, 1] with up to 4 decimals).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import cast
from urllib.parse import urlsplit

from lxml import etree

from mirco_lms.errors import Diagnostic, Location
from mirco_lms.package.spec import PackageSpec
from mirco_lms.package.xsd import course_structure_schema, safe_parser

COURSE_STRUCTURE = "cmi5.xml"
NS = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
MOVE_ON = ("Passed", "Completed", "CompletedAndPassed", "CompletedOrPassed", "NotApplicable")
LAUNCH_METHODS = ("OwnWindow", "AnyWindow")
_LANG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")


@dataclass(frozen=True)
class Au:
    """One assignable unit: its publisher id, activity type and the SCO it launches."""

    id: str
    activity_type: str
    title: str
    url: str
    mastery_score: int | None
    """Passing score in percent when the AU holds the final test (then moveOn asks for a
    pass too)."""


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


def _text(parent: etree._Element, name: str, text: str, language: str) -> None:
    holder = etree.SubElement(parent, _q(name))
    string = etree.SubElement(holder, _q("langstring"), lang=language)
    string.text = text


def course_id(module_iri: str, language: str) -> str:
    """The cmi5 course id of a module's package in ``language``."""
    return f"{module_iri}/course/{language}"


def cmi5_xml(spec: PackageSpec, module_iri: str, aus: Iterable[Au]) -> bytes:
    """The course structure of ``spec``: title and description in the package language."""
    lang = spec.language
    description = spec.description or spec.title
    root = etree.Element(_q("courseStructure"), nsmap={None: NS})
    course = etree.SubElement(root, _q("course"), id=course_id(module_iri, lang))
    _text(course, "title", spec.title, lang)
    _text(course, "description", description, lang)
    for au in aus:
        attrs = {"id": au.id, "launchMethod": "AnyWindow", "activityType": au.activity_type,
                 "moveOn": "Completed"}
        if au.mastery_score is not None:
            attrs["moveOn"] = "CompletedAndPassed"
            attrs["masteryScore"] = str(Decimal(au.mastery_score) / 100)
        node = etree.SubElement(root, _q("au"), attrs)
        _text(node, "title", au.title, lang)
        _text(node, "description", au.title if au.title != spec.title else description, lang)
        etree.SubElement(node, _q("url")).text = au.url
    body = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return cast(bytes, body)


# --- checks ------------------------------------------------------------------------------


def is_iri(value: str | None) -> bool:
    """An absolute IRI: a scheme, and no spaces (xs:anyURI alone accepts nearly anything)."""
    if not value or re.search(r"\s", value):
        return False
    parts = urlsplit(value)
    return bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]*$", parts.scheme)) and bool(
        parts.netloc or parts.path)


class _Checker:
    """Collects the diagnostics of one course structure."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.found: list[Diagnostic] = []
        self.ids: dict[str, int] = {}

    def fail(self, node: etree._Element | None, message: str, hint: str | None = None) -> None:
        line = node.sourceline if node is not None else None
        self.found.append(Diagnostic(message, Location(file=self.source, line=line), hint=hint))

    def children(self, node: etree._Element) -> list[etree._Element]:
        return [c for c in node if isinstance(c.tag, str)]

    def check_id(self, node: etree._Element, what: str) -> None:
        value = node.get("id")
        if not is_iri(value):
            self.fail(node, f"the {what} id must be an absolute IRI, got {value!r}",
                      "use an id like https://training.example.org/mirco/<module>")
            return
        assert value is not None
        if value in self.ids:
            self.fail(node, f"the id {value!r} is used twice (first on line {self.ids[value]})",
                      "ids must be unique within the course structure (cmi5 13.1)")
        self.ids[value] = node.sourceline or 0

    def check_text(self, node: etree._Element, owner: str) -> None:
        strings = self.children(node)
        if not strings or any(s.tag != _q("langstring") for s in strings):
            self.fail(node, f"the {owner} {etree.QName(node).localname} must hold one or more "
                      "<langstring lang=…> elements")
            return
        for string in strings:
            lang = string.get("lang")
            if lang is not None and not _LANG.match(lang):
                self.fail(string, f"langstring lang {lang!r} is not a language tag")
            if not (string.text or "").strip():
                self.fail(string, f"the {owner} has an empty langstring")

    def expect(self, node: etree._Element, names: list[str], owner: str) -> list[etree._Element]:
        """The children of ``node`` when they start with ``names`` in that order."""
        kids = self.children(node)
        got = [etree.QName(k).localname if k.tag.startswith(f"{{{NS}}}") else k.tag for k in kids]
        if got[: len(names)] != names:
            self.fail(node, f"<{owner}> must start with {', '.join(f'<{n}>' for n in names)}; "
                      f"found {', '.join(f'<{g}>' for g in got) or 'nothing'}")
            return []
        for kid, name in zip(kids, names, strict=False):
            if name in ("title", "description"):
                self.check_text(kid, owner)
        return kids

    def check_au(self, au: etree._Element, files: set[str] | None) -> None:
        self.check_id(au, "AU")
        kids = self.expect(au, ["title", "description"], "au")
        urls = [k for k in kids if k.tag == _q("url")]
        url = (urls[0].text or "").strip() if len(urls) == 1 else ""
        if not url:
            self.fail(au, "the AU needs exactly one non-empty <url> (its launch file)")
        elif files is not None and not urlsplit(url).scheme:
            path = urlsplit(url).path
            if path not in files:
                self.fail(urls[0], f"the AU url {url!r} is not a file of the package",
                          "the launch file must be in the zip, relative to its root")
        self.check_attributes(au)

    def check_attributes(self, au: etree._Element) -> None:
        move_on = au.get("moveOn", "NotApplicable")
        if move_on not in MOVE_ON:
            self.fail(au, f"moveOn must be one of {', '.join(MOVE_ON)}, got {move_on!r}")
        method = au.get("launchMethod", "AnyWindow")
        if method not in LAUNCH_METHODS:
            self.fail(au, f"launchMethod must be OwnWindow or AnyWindow, got {method!r}")
        if au.get("activityType") is not None and not is_iri(au.get("activityType")):
            self.fail(au, f"activityType must be an IRI, got {au.get('activityType')!r}")
        mastery = au.get("masteryScore")
        if mastery is None:
            return
        try:
            value = Decimal(mastery)
        except InvalidOperation:
            value = Decimal(-1)
        exponent = value.as_tuple().exponent
        if not (0 <= value <= 1) or (isinstance(exponent, int) and exponent < -4):
            self.fail(au, f"masteryScore must be a decimal in [0, 1] with up to 4 decimals, "
                      f"got {mastery!r}", "write the passing score / 100, e.g. 0.8")


def check_course_structure(
    xml: bytes, source: str = COURSE_STRUCTURE, files: set[str] | None = None
) -> list[Diagnostic]:
    """Every problem of a cmi5.xml (``files``: the package's files, to check AU urls)."""
    checker = _Checker(source)
    try:
        root = etree.fromstring(xml, safe_parser())
    except etree.XMLSyntaxError as err:
        checker.fail(None, f"{COURSE_STRUCTURE} is not well-formed XML: {err.msg}")
        return checker.found
    if root.tag != _q("courseStructure"):
        checker.fail(root, f"the root must be <courseStructure xmlns=\"{NS}\">, got {root.tag!r}")
        return checker.found
    kids = checker.children(root)
    if not kids or kids[0].tag != _q("course"):
        checker.fail(root, "<courseStructure> must start with <course>")
        return checker.found
    checker.check_id(kids[0], "course")
    checker.expect(kids[0], ["title", "description"], "course")
    aus = [k for k in kids[1:] if k.tag == _q("au")]
    others = [k for k in kids[1:] if k.tag not in (_q("au"), _q("block"), _q("objectives"))]
    for other in others:
        checker.fail(other, f"unexpected element {other.tag!r} in <courseStructure>")
    if not aus:
        checker.fail(root, "the course has no <au>: the LMS would have nothing to launch")
    for au in aus:
        checker.check_au(au, files)
    if not checker.found:
        schema = course_structure_schema()
        if not schema.validate(root):
            for entry in schema.error_log:
                checker.found.append(Diagnostic(
                    entry.message, Location(file=source, line=entry.line or None),
                    hint="cmi5.xml must follow the cmi5 CourseStructure.xsd",
                ))
    return checker.found
