"""Check manifests and package zips against the SCORM rules.

:func:`validate_manifest` runs the official XSDs (compiled once, local files only) and the
checks the XSDs miss: the exact spelling of ``adlcp:scormType``/``adlcp:scormtype``, unique
identifiers, references that resolve, the declared SCORM version, the mastery score.
:func:`validate_package` opens a built zip and adds the file checks: every href present,
every file listed, the schema files shipped, safe member paths. Both return
:class:`~mirco_lms.errors.Diagnostic` objects pointing at manifest lines; neither raises on
bad input.
"""

from __future__ import annotations

import logging
import re
import zipfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from lxml import etree

from mirco_lms.errors import Diagnostic, Location
from mirco_lms.package import contents
from mirco_lms.package import manifest as m
from mirco_lms.package.xsd import check_version, compiled_schema, safe_parser

log = logging.getLogger(__name__)

MANIFEST = "imsmanifest.xml"

CP_NAMESPACE = {"scorm12": m.CP12, "scorm2004": m.CP2004}
"""The IMS CP namespace of each SCORM version's manifest."""
SCORM_TYPE = {
    "scorm12": f"{{{m.ADLCP12}}}scormtype",
    "scorm2004": f"{{{m.ADLCP2004}}}scormType",
}
"""The one correct (namespace, spelling) of the resource type attribute per version."""
SCHEMAVERSION = {"scorm12": ("1.2",), "scorm2004": (m.SCHEMAVERSION_2004,)}
OLDER_2004 = ("CAM 1.3", "2004 3rd Edition", "2004 2nd Edition")
PREFIXES = {
    m.CP12: "imscp",
    m.ADLCP12: "adlcp",
    m.IMSMD12: "imsmd",
    m.CP2004: "imscp",
    m.ADLCP2004: "adlcp",
    m.ADLSEQ: "adlseq",
    m.ADLNAV: "adlnav",
    m.IMSSS: "imsss",
    m.XSI: "xsi",
    m.XML_NS: "xml",
}
LABEL = {"scorm12": "SCORM 1.2", "scorm2004": "SCORM 2004 4th Edition"}


def validate_manifest(xml: bytes, version: str, *, source: str = MANIFEST) -> list[Diagnostic]:
    """XSD and SCORM checks of a manifest; ``version`` is ``scorm12`` or ``scorm2004``.

    ``source`` names the manifest in every diagnostic's location.
    """
    check_version(version)
    root, problem = parse_manifest(xml, source)
    if root is None:
        return [problem] if problem else []
    if root.tag != f"{{{CP_NAMESPACE[version]}}}manifest":
        actual = detect_version(root)
        what = f"a {LABEL[actual]} manifest" if actual else f"the element {root.tag!r}"
        return [
            Diagnostic(
                f"expected a {LABEL[version]} manifest, found {what}",
                Location(file=source, line=root.sourceline),
                hint=f'the root must be <manifest xmlns="{CP_NAMESPACE[version]}">',
            )
        ]
    found = list(_xsd_diagnostics(root, version, source))
    for check in _CHECKS:
        found.extend(check(root, version, source))
    return sorted(found, key=lambda d: d.location.line or 0)


def validate_package(zip_path: Path) -> list[Diagnostic]:
    """Every check of a package zip: manifest (XSD + SCORM rules), files, schemas, paths.

    Never raises on a bad package: a missing file, a non-zip or a zip without manifest
    each give one diagnostic. Locations read ``<zip>!imsmanifest.xml:LINE``.
    """
    path = Path(zip_path)
    where = Location(file=str(zip_path))
    if not path.is_file():
        return [Diagnostic("the package file does not exist", where, hint="check the path")]
    try:
        with zipfile.ZipFile(path) as archive:
            return _validate_archive(_Members(archive), str(zip_path))
    except zipfile.BadZipFile as err:
        return [
            Diagnostic(
                f"the file is not a zip archive, or a damaged one ({err})",
                where,
                hint="a SCORM package is a .zip file; rebuild it or check the file you chose",
            )
        ]
    except (OSError, RuntimeError, NotImplementedError, zipfile.LargeZipFile) as err:
        return [
            Diagnostic(
                f"the zip archive cannot be read: {err}",
                where,
                hint="rebuild the package (encrypted or damaged zips cannot be imported)",
            )
        ]


class _Members(Mapping[str, bytes]):
    """A zip's members by name, read only when asked for (packages may hold large media)."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self._archive = archive
        self.names = [info.filename for info in archive.infolist()]
        self._set = set(self.names)

    def __getitem__(self, name: str) -> bytes:
        if name not in self._set:
            raise KeyError(name)
        return self._archive.read(name)

    def __iter__(self) -> Iterator[str]:
        return iter(self._set)

    def __len__(self) -> int:
        return len(self._set)

    def __contains__(self, name: object) -> bool:
        return name in self._set


def _validate_archive(members: _Members, label: str) -> list[Diagnostic]:
    found = list(contents.check_members(members.names, label))
    source = f"{label}!{MANIFEST}"
    if MANIFEST not in members:
        nested = sorted(n for n in members if n.endswith(f"/{MANIFEST}"))
        hint = (
            f"the manifest is at {nested[0]!r}: zip the folder's contents, not the folder"
            if nested
            else f"a SCORM package needs {MANIFEST} at the zip's root"
        )
        return [
            *found,
            Diagnostic(
                f"the package has no {MANIFEST} at its root", Location(file=label), hint=hint
            ),
        ]
    xml = members[MANIFEST]
    root, problem = parse_manifest(xml, source)
    if root is None:
        return found + ([problem] if problem else [])
    version = detect_version(root)
    if version is None:
        return [
            *found,
            Diagnostic(
                f"{MANIFEST} is neither a SCORM 1.2 nor a SCORM 2004 manifest "
                f"(root element {root.tag!r})",
                Location(file=source, line=root.sourceline),
                hint=f'the root must be <manifest xmlns="{m.CP12}"> (1.2) or '
                f'<manifest xmlns="{m.CP2004}"> (2004)',
            ),
        ]
    found += validate_manifest(xml, version, source=source)
    found += _check_files(root, version, members, label)
    log.debug("validated %s as %s: %d diagnostics", label, version, len(found))
    return found


def _check_files(
    root: etree._Element, version: str, members: _Members, label: str
) -> list[Diagnostic]:
    source = f"{label}!{MANIFEST}"
    cp = CP_NAMESPACE[version]
    names = set(members.names)
    listed, found = contents.check_hrefs(root, cp, names, source)
    control, problems = contents.control_files(root, members, source)
    found += problems
    found += contents.check_launchable(root, cp, source)
    found += contents.check_unlisted(names, listed | control | {MANIFEST}, label)
    return found


def detect_version(root: etree._Element) -> str | None:
    """``scorm12`` or ``scorm2004`` from the manifest's namespace, or None."""
    for version, namespace in CP_NAMESPACE.items():
        if root.tag == f"{{{namespace}}}manifest":
            return version
    return None


def parse_manifest(
    xml: bytes, source: str = MANIFEST
) -> tuple[etree._Element | None, Diagnostic | None]:
    """The manifest's root element, or None and a diagnostic saying why it is not XML."""
    name = source.rsplit("!", 1)[-1]
    try:
        root = etree.fromstring(xml, safe_parser())
    except etree.XMLSyntaxError as err:
        line = err.lineno if err.lineno else None
        return None, Diagnostic(
            f"{name} is not well-formed XML: {err.msg}",
            Location(file=source, line=line),
            hint="fix the XML syntax (unclosed tag, stray '&' or '<', wrong encoding)",
        )
    entity = next(root.iter(etree.Entity), None)
    if entity is not None:  # never expanded (they could read local files): refused
        return None, Diagnostic(
            f"{name} uses the entity reference {entity.text}, which mirco does not expand",
            Location(file=source, line=entity.sourceline),
            hint="write the text itself (or a character reference such as &#233;)",
        )
    return root, None


# --- XSD ---------------------------------------------------------------------------------------


def _xsd_diagnostics(root: etree._Element, version: str, source: str) -> Iterator[Diagnostic]:
    schema = compiled_schema(version)
    try:
        if schema.validate(root):
            return
    except etree.XMLSchemaValidateError as err:  # libxml2 gave up on this document
        yield Diagnostic(
            f"the XSD validator could not check the manifest: {err}",
            Location(file=source, line=root.sourceline),
            hint="simplify the manifest (no DOCTYPE, no entity references) and validate again",
        )
        return
    for entry in schema.error_log:
        yield Diagnostic(
            _short(entry.message),
            Location(file=source, line=entry.line or None),
            hint=f"the manifest must follow the {LABEL[version]} XSDs",
        )


def _short(text: str) -> str:
    """Replace ``{namespace}`` by the usual prefix (``imscp:``) in names and messages."""
    return re.sub(
        r"\{([^}]*)\}", lambda mo: f"{PREFIXES[mo[1]]}:" if mo[1] in PREFIXES else mo[0], text
    )


# --- checks the XSDs miss ---------------------------------------------------------------------


def _check_scorm_type(root: etree._Element, version: str, source: str) -> Iterator[Diagnostic]:
    """Every resource carries the resource type attribute spelled as its version requires."""
    wanted = SCORM_TYPE[version]
    spelling = "adlcp:scormtype" if version == "scorm12" else "adlcp:scormType"
    ns = wanted[1:].split("}")[0]
    for res in root.iter(f"{{{CP_NAMESPACE[version]}}}resource"):
        where = Location(file=source, line=res.sourceline)
        name = res.get("identifier", "?")
        wrong = [a for a in res.attrib if _local(a).lower() == "scormtype" and a != wanted]
        for attr in wrong:
            yield Diagnostic(
                f"resource {name!r} has the attribute {_attr_label(attr, ns)}, but "
                f"{LABEL[version]} requires {spelling} (namespace {ns})",
                where,
                hint=f'write {spelling}="sco" or "asset" with xmlns:adlcp="{ns}"',
            )
        if wanted not in res.attrib and not wrong:
            yield Diagnostic(
                f"resource {name!r} has no {spelling} attribute",
                where,
                hint=f'add {spelling}="sco" (launched, talks to the LMS) or "asset"',
            )


def _check_identifiers(root: etree._Element, version: str, source: str) -> Iterator[Diagnostic]:
    """Identifiers are unique; every identifierref and default points at what it should."""
    cp = CP_NAMESPACE[version]
    seen: dict[str, int | None] = {}
    for element in root.iter(
        *(f"{{{cp}}}{t}" for t in ("manifest", "organization", "item", "resource"))
    ):
        ident = element.get("identifier")
        if ident is None:
            continue
        if ident in seen:
            yield Diagnostic(
                f"identifier {ident!r} is used twice (first on line {seen[ident]})",
                Location(file=source, line=element.sourceline),
                hint="give every manifest, organization, item and resource its own identifier",
            )
        else:
            seen[ident] = element.sourceline
    yield from _check_references(root, cp, source)


def _check_references(root: etree._Element, cp: str, source: str) -> Iterator[Diagnostic]:
    resources = {r.get("identifier"): r for r in root.iter(f"{{{cp}}}resource")}
    organizations = {o.get("identifier") for o in root.iter(f"{{{cp}}}organization")}
    for orgs in root.iter(f"{{{cp}}}organizations"):
        default = orgs.get("default")
        if default is not None and default not in organizations:
            yield _dangling("organizations default", default, "organization", orgs, source)
    for item in root.iter(f"{{{cp}}}item"):
        ref = item.get("identifierref")
        if ref is None:
            if item.find(f"{{{cp}}}item") is None:
                yield Diagnostic(
                    f"item {item.get('identifier')!r} has no child items and no identifierref",
                    Location(file=source, line=item.sourceline),
                    hint="a leaf item must launch a resource: add identifierref",
                )
        elif ref not in resources:
            yield _dangling(f"item {item.get('identifier')!r}", ref, "resource", item, source)
        elif resources[ref].get("href") is None:
            yield Diagnostic(
                f"item {item.get('identifier')!r} launches resource {ref!r}, which has no href",
                Location(file=source, line=resources[ref].sourceline),
                hint="give the resource an href naming its launch file",
            )
    for dep in root.iter(f"{{{cp}}}dependency"):
        ref = dep.get("identifierref", "")
        if ref not in resources:
            yield _dangling("dependency", ref, "resource", dep, source)


def _dangling(what: str, ref: str, kind: str, at: etree._Element, source: str) -> Diagnostic:
    return Diagnostic(
        f"{what} refers to {kind} {ref!r}, which the manifest does not define",
        Location(file=source, line=at.sourceline),
        hint=f"use the identifier of an existing {kind}",
    )


def _check_schemaversion(root: etree._Element, version: str, source: str) -> Iterator[Diagnostic]:
    """The manifest declares the SCORM version it is validated as."""
    cp = CP_NAMESPACE[version]
    found = root.find(f"{{{cp}}}metadata/{{{cp}}}schemaversion")
    where = Location(file=source, line=(found if found is not None else root).sourceline)
    wanted = SCHEMAVERSION[version]
    if found is None:
        yield Diagnostic(
            "the manifest does not declare its SCORM version (metadata/schemaversion)",
            where,
            hint=f"add <schema>ADL SCORM</schema><schemaversion>{wanted[0]}</schemaversion>",
            severity="error" if version == "scorm2004" else "warning",
        )
        return
    text = (found.text or "").strip()
    if text in wanted:
        return
    older = version == "scorm2004" and text in OLDER_2004
    yield Diagnostic(
        f"schemaversion is {text!r}; a {LABEL[version]} manifest declares {wanted[0]!r}",
        where,
        hint=f"write <schemaversion>{wanted[0]}</schemaversion>",
        severity="warning" if older else "error",
    )


def _check_masteryscore(root: etree._Element, version: str, source: str) -> Iterator[Diagnostic]:
    """SCORM 1.2: adlcp:masteryscore is a number from 0 to 100."""
    if version != "scorm12":
        return
    for element in root.iter(f"{{{m.ADLCP12}}}masteryscore"):
        text = (element.text or "").strip()
        try:
            ok = 0 <= float(text) <= 100
        except ValueError:
            ok = False
        if not ok:
            yield Diagnostic(
                f"adlcp:masteryscore is {text!r}, not a number from 0 to 100",
                Location(file=source, line=element.sourceline),
                hint="write the passing score in percent, such as 70",
            )


_CHECKS: tuple[Callable[[etree._Element, str, str], Iterator[Diagnostic]], ...] = (
    _check_scorm_type,
    _check_identifiers,
    _check_schemaversion,
    _check_masteryscore,
)


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _attr_label(name: str, expected_ns: str) -> str:
    """``adlcp:scormtype`` in the expected namespace, else the name and its namespace."""
    if not name.startswith("{"):
        return f"{name!r} (no namespace)"
    ns, local = name[1:].split("}", 1)
    return f"adlcp:{local}" if ns == expected_ns else f"{local!r} (namespace {ns})"
