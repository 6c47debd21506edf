"""imsmanifest.xml builders: one function per SCORM version, lxml only, no I/O.

Both versions share one resource plan: each SCO gets a ``sco`` resource listing its launch
file and the files only it uses; files used by several SCOs (or by none, such as the shared
runtime) go into one ``asset`` resource that the SCOs needing them depend on. Every content
file of the package is therefore listed exactly where it is needed.

SCORM 1.2 carries IMS LOM 1.2.1 metadata inline. SCORM 2004 points with ``adlcp:location``
to a separate ``metadata.xml`` (IEEE LOM XML binding, built by :func:`lom_metadata`),
because the IEEE LOM schemas are not shipped and inline LOM could not be validated.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from lxml import etree

from mirco_lms.errors import BuildError
from mirco_lms.package.spec import PackageSpec, ScoSpec

XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_NS = "http://www.w3.org/XML/1998/namespace"

CP12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
IMSMD12 = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"

CP2004 = "http://www.imsglobal.org/xsd/imscp_v1p1"
ADLCP2004 = "http://www.adlnet.org/xsd/adlcp_v1p3"
ADLSEQ = "http://www.adlnet.org/xsd/adlseq_v1p3"
ADLNAV = "http://www.adlnet.org/xsd/adlnav_v1p3"
IMSSS = "http://www.imsglobal.org/xsd/imsss"
LOM = "http://ltsc.ieee.org/xsd/LOM"

SCHEMA_LOCATIONS_12: tuple[tuple[str, str], ...] = (
    (CP12, "imscp_rootv1p1p2.xsd"),
    (IMSMD12, "imsmd_rootv1p2p1.xsd"),
    (ADLCP12, "adlcp_rootv1p2.xsd"),
)
"""Namespace → XSD file at the package root, as written into ``xsi:schemaLocation``."""

SCHEMA_LOCATIONS_2004: tuple[tuple[str, str], ...] = (
    (CP2004, "imscp_v1p1.xsd"),
    (ADLCP2004, "adlcp_v1p3.xsd"),
    (ADLSEQ, "adlseq_v1p3.xsd"),
    (ADLNAV, "adlnav_v1p3.xsd"),
    (IMSSS, "imsss_v1p0.xsd"),
)

SCHEMAVERSION_2004 = "2004 4th Edition"
METADATA_FILE_2004 = "metadata.xml"
"""The LOM record a SCORM 2004 manifest points to with ``adlcp:location``."""
COMMON_RESOURCE = "RES-common"
"""Identifier of the asset resource holding files shared by several SCOs."""


@dataclass(frozen=True)
class ResourcePlan:
    """One ``<resource>`` to write."""

    identifier: str
    scorm_type: str
    """``sco`` or ``asset``."""
    href: str | None
    files: tuple[str, ...]
    dependencies: tuple[str, ...] = ()


def resource_id(sco: ScoSpec) -> str:
    """The resource identifier of a SCO: ``ITEM-x`` → ``RES-x``."""
    base = sco.identifier.removeprefix("ITEM-")
    return f"RES-{base}"


def plan_resources(spec: PackageSpec, files: Sequence[str]) -> list[ResourcePlan]:
    """SCO resources in SCO order, then the shared asset resource when there is one."""
    launch = {_href_path(sco.href) for sco in spec.scos}
    uses = Counter(f for sco in spec.scos for f in set(sco.files) | {_href_path(sco.href)})
    common = sorted(f for f in set(files) if uses[f] != 1 and f not in launch)
    plans: list[ResourcePlan] = []
    for sco in spec.scos:
        own_launch = _href_path(sco.href)
        own = sorted({f for f in sco.files if f not in common and f != own_launch})
        needs_common = bool(common) and any(f in common for f in sco.files)
        plans.append(
            ResourcePlan(
                identifier=resource_id(sco),
                scorm_type="sco",
                href=sco.href,
                files=(own_launch, *own),
                dependencies=(COMMON_RESOURCE,) if needs_common else (),
            )
        )
    if common:
        plans.append(ResourcePlan(COMMON_RESOURCE, "asset", None, tuple(common)))
    return plans


def organization_id(spec: PackageSpec) -> str:
    return f"ORG-{_ncname(spec.module.id)}"


def typical_learning_time(spec: PackageSpec) -> str | None:
    """The module's duration as an ISO 8601 duration (``PT1H30M``), or None if unknown."""
    minutes = spec.module.duration_minutes or sum(s.duration_minutes or 0 for s in spec.scos)
    if minutes <= 0:
        return None
    hours, rest = divmod(minutes, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{rest}M" if rest or not hours else "")


# --- SCORM 1.2 -----------------------------------------------------------------------------


def scorm12_manifest(spec: PackageSpec, files: Sequence[str]) -> bytes:
    """The SCORM 1.2 imsmanifest.xml (IMS CP 1.1.2 + ADL CP 1.2, LOM 1.2.1 inline).

    ``files`` are the package's content files (``spec.files`` paths).
    """
    with _text_guard(spec):
        return _serialize(_manifest12(spec, files))


def _manifest12(spec: PackageSpec, files: Sequence[str]) -> etree._Element:
    nsmap = {None: CP12, "adlcp": ADLCP12, "imsmd": IMSMD12, "xsi": XSI}
    root = etree.Element(f"{{{CP12}}}manifest", nsmap=nsmap)
    root.set("identifier", spec.identifier)
    root.set("version", spec.module.version)
    root.set(f"{{{XSI}}}schemaLocation", _schema_location(SCHEMA_LOCATIONS_12))
    metadata = _sub(root, CP12, "metadata")
    _sub(metadata, CP12, "schema", "ADL SCORM")
    _sub(metadata, CP12, "schemaversion", "1.2")
    metadata.append(_lom12(spec))
    organizations = _sub(root, CP12, "organizations")
    organizations.set("default", organization_id(spec))
    organization = _sub(organizations, CP12, "organization")
    organization.set("identifier", organization_id(spec))
    _sub(organization, CP12, "title", spec.title)
    for sco in spec.scos:
        item = _item(organization, CP12, sco)
        if sco.mastery_score is not None:
            _sub(item, ADLCP12, "masteryscore", str(sco.mastery_score))
    resources = _sub(root, CP12, "resources")
    for plan in plan_resources(spec, files):
        res = _resource(resources, CP12, plan)
        res.set(f"{{{ADLCP12}}}scormtype", plan.scorm_type)
    return root


def _lom12(spec: PackageSpec) -> etree._Element:
    lang = spec.language
    lom = etree.Element(f"{{{IMSMD12}}}lom")
    general = _sub(lom, IMSMD12, "general")
    _sub(general, IMSMD12, "identifier", spec.identifier)
    _langstring12(_sub(general, IMSMD12, "title"), spec.title, lang)
    _sub(general, IMSMD12, "language", lang)
    if spec.description:
        _langstring12(_sub(general, IMSMD12, "description"), spec.description, lang)
    for keyword in spec.keywords:
        _langstring12(_sub(general, IMSMD12, "keyword"), keyword, lang)
    _lifecycle12(_sub(lom, IMSMD12, "lifecycle"), spec)
    metametadata = _sub(lom, IMSMD12, "metametadata")
    _sub(metametadata, IMSMD12, "metadatascheme", "ADL SCORM 1.2")
    _sub(metametadata, IMSMD12, "language", lang)
    technical = _sub(lom, IMSMD12, "technical")
    _sub(technical, IMSMD12, "format", "text/html")
    duration = typical_learning_time(spec)
    if duration:
        educational = _sub(lom, IMSMD12, "educational")
        tlt = _sub(educational, IMSMD12, "typicallearningtime")
        _sub(tlt, IMSMD12, "datetime", duration)
    rights = _sub(lom, IMSMD12, "rights")
    _vocabulary12(_sub(rights, IMSMD12, "cost"), "no")
    _vocabulary12(
        _sub(rights, IMSMD12, "copyrightandotherrestrictions"),
        "yes" if spec.organization else "no",
    )
    if spec.organization:
        _langstring12(_sub(rights, IMSMD12, "description"), f"© {spec.organization}", lang)
    return lom


def _lifecycle12(lifecycle: etree._Element, spec: PackageSpec) -> None:
    _langstring12(_sub(lifecycle, IMSMD12, "version"), spec.module.version, "x-none")
    _vocabulary12(_sub(lifecycle, IMSMD12, "status"), "Final")
    if spec.organization:
        contribute = _sub(lifecycle, IMSMD12, "contribute")
        _vocabulary12(_sub(contribute, IMSMD12, "role"), "Publisher")
        centity = _sub(contribute, IMSMD12, "centity")
        _sub(centity, IMSMD12, "vcard", _vcard(spec.organization))


def _langstring12(parent: etree._Element, text: str, lang: str) -> None:
    _sub(parent, IMSMD12, "langstring", text).set(f"{{{XML_NS}}}lang", lang)


def _vocabulary12(parent: etree._Element, value: str) -> None:
    _langstring12(_sub(parent, IMSMD12, "source"), "LOMv1.0", "x-none")
    _langstring12(_sub(parent, IMSMD12, "value"), value, "x-none")


# --- SCORM 2004 4th Edition ------------------------------------------------------------------


def scorm2004_manifest(spec: PackageSpec, files: Sequence[str]) -> bytes:
    """The SCORM 2004 4th Edition imsmanifest.xml (IMS CP 1.1.4, ADL CP/SEQ/NAV, IMS SS).

    ``files`` are the package's content files; the manifest also points to
    ``metadata.xml`` (see :func:`lom_metadata`), which the format adds to the package.
    """
    with _text_guard(spec):
        return _serialize(_manifest2004(spec, files))


def _manifest2004(spec: PackageSpec, files: Sequence[str]) -> etree._Element:
    nsmap = {
        None: CP2004,
        "adlcp": ADLCP2004,
        "adlseq": ADLSEQ,
        "adlnav": ADLNAV,
        "imsss": IMSSS,
        "xsi": XSI,
    }
    root = etree.Element(f"{{{CP2004}}}manifest", nsmap=nsmap)
    root.set("identifier", spec.identifier)
    root.set("version", spec.module.version)
    root.set(f"{{{XSI}}}schemaLocation", _schema_location(SCHEMA_LOCATIONS_2004))
    metadata = _sub(root, CP2004, "metadata")
    _sub(metadata, CP2004, "schema", "ADL SCORM")
    _sub(metadata, CP2004, "schemaversion", SCHEMAVERSION_2004)
    _sub(metadata, ADLCP2004, "location", METADATA_FILE_2004)
    organizations = _sub(root, CP2004, "organizations")
    organizations.set("default", organization_id(spec))
    organization = _sub(organizations, CP2004, "organization")
    organization.set("identifier", organization_id(spec))
    organization.set(f"{{{ADLSEQ}}}objectivesGlobalToSystem", "false")
    _sub(organization, CP2004, "title", spec.title)
    graded = any(sco.mastery_score is not None for sco in spec.scos)
    for sco in spec.scos:
        _sequencing_2004(_item(organization, CP2004, sco), sco, graded, len(spec.scos) > 1)
    if len(spec.scos) > 1:
        control = _sub(_sub(organization, IMSSS, "sequencing"), IMSSS, "controlMode")
        control.set("choice", "true")
        control.set("flow", "true")
    resources = _sub(root, CP2004, "resources")
    for plan in plan_resources(spec, files):
        res = _resource(resources, CP2004, plan)
        res.set(f"{{{ADLCP2004}}}scormType", plan.scorm_type)
    return root


def _sequencing_2004(item: etree._Element, sco: ScoSpec, graded: bool, multi: bool) -> None:
    """The final test is satisfied by its measure; other SCOs leave satisfaction to it."""
    if sco.mastery_score is not None:
        sequencing = _sub(item, IMSSS, "sequencing")
        objectives = _sub(sequencing, IMSSS, "objectives")
        primary = _sub(objectives, IMSSS, "primaryObjective")
        primary.set("objectiveID", f"PRIMARYOBJ-{sco.identifier}")
        primary.set("satisfiedByMeasure", "true")
        measure = Decimal(sco.mastery_score) / Decimal(100)
        _sub(primary, IMSSS, "minNormalizedMeasure", str(measure))
    elif graded and multi:
        sequencing = _sub(item, IMSSS, "sequencing")
        rollup = _sub(sequencing, IMSSS, "rollupRules")
        rollup.set("rollupObjectiveSatisfied", "false")
        rollup.set("objectiveMeasureWeight", "0")


def lom_metadata(spec: PackageSpec) -> bytes:
    """``metadata.xml`` for SCORM 2004: an IEEE LOM record (1484.12.3 XML binding)."""
    with _text_guard(spec):
        return _serialize(_lom2004(spec))


def _lom2004(spec: PackageSpec) -> etree._Element:
    lang = spec.language
    lom = etree.Element(f"{{{LOM}}}lom", nsmap={None: LOM})
    general = _sub(lom, LOM, "general")
    identifier = _sub(general, LOM, "identifier")
    _sub(identifier, LOM, "catalog", "URI")
    _sub(identifier, LOM, "entry", spec.identifier)
    _lomstring(_sub(general, LOM, "title"), spec.title, lang)
    _sub(general, LOM, "language", lang)
    _lomstring(_sub(general, LOM, "description"), spec.description, lang)
    for keyword in spec.keywords:
        _lomstring(_sub(general, LOM, "keyword"), keyword, lang)
    _lifecycle2004(_sub(lom, LOM, "lifeCycle"), spec)
    meta = _sub(lom, LOM, "metaMetadata")
    _sub(meta, LOM, "metadataSchema", "LOMv1.0")
    _sub(meta, LOM, "metadataSchema", "ADLv1.0")
    _sub(meta, LOM, "language", lang)
    _sub(_sub(lom, LOM, "technical"), LOM, "format", "text/html")
    duration = typical_learning_time(spec)
    if duration:
        educational = _sub(lom, LOM, "educational")
        _sub(_sub(educational, LOM, "typicalLearningTime"), LOM, "duration", duration)
    rights = _sub(lom, LOM, "rights")
    _vocabulary(_sub(rights, LOM, "cost"), "no")
    restricted = "yes" if spec.organization else "no"
    _vocabulary(_sub(rights, LOM, "copyrightAndOtherRestrictions"), restricted)
    if spec.organization:
        _lomstring(_sub(rights, LOM, "description"), f"© {spec.organization}", lang)
    return lom


def _lifecycle2004(lifecycle: etree._Element, spec: PackageSpec) -> None:
    _lomstring(_sub(lifecycle, LOM, "version"), spec.module.version, "x-none")
    _vocabulary(_sub(lifecycle, LOM, "status"), "final")
    if spec.organization:
        contribute = _sub(lifecycle, LOM, "contribute")
        _vocabulary(_sub(contribute, LOM, "role"), "publisher")
        _sub(contribute, LOM, "entity", _vcard(spec.organization))


def _lomstring(parent: etree._Element, text: str, lang: str) -> None:
    _sub(parent, LOM, "string", text).set("language", lang)


def _vocabulary(parent: etree._Element, value: str) -> None:
    _sub(parent, LOM, "source", "LOMv1.0")
    _sub(parent, LOM, "value", value)


# --- shared helpers ----------------------------------------------------------------------------


def _item(organization: etree._Element, ns: str, sco: ScoSpec) -> etree._Element:
    item = _sub(organization, ns, "item")
    item.set("identifier", sco.identifier)
    item.set("identifierref", resource_id(sco))
    item.set("isvisible", "true")
    _sub(item, ns, "title", sco.title)
    return item


def _resource(resources: etree._Element, ns: str, plan: ResourcePlan) -> etree._Element:
    res = _sub(resources, ns, "resource")
    res.set("identifier", plan.identifier)
    res.set("type", "webcontent")
    if plan.href is not None:
        res.set("href", plan.href)
    for path in plan.files:
        _sub(res, ns, "file").set("href", path)
    for dependency in plan.dependencies:
        _sub(res, ns, "dependency").set("identifierref", dependency)
    return res


def _sub(parent: etree._Element, ns: str, tag: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ns}}}{tag}")
    if text is not None:
        element.text = text
    return element


@contextmanager
def _text_guard(spec: PackageSpec) -> Iterator[None]:
    """Text lxml refuses (control characters, NUL) becomes a BuildError."""
    try:
        yield
    except ValueError as err:
        raise BuildError(
            f"package {spec.identifier!r} has text XML cannot carry: {err}",
            hint="remove control characters from titles, description and keywords",
        ) from err


def _schema_location(pairs: Sequence[tuple[str, str]]) -> str:
    return " ".join(f"{ns} {location}" for ns, location in pairs)


def _serialize(root: etree._Element) -> bytes:
    body = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return cast(bytes, body)


def _href_path(href: str) -> str:
    """The file part of a launch href (``page.html?x=1#top`` → ``page.html``)."""
    return href.split("#", 1)[0].split("?", 1)[0]


def _vcard(organization: str) -> str:
    escaped = organization.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return f"BEGIN:VCARD\nVERSION:3.0\nFN:{escaped}\nORG:{escaped}\nEND:VCARD"


def _ncname(value: str) -> str:
    """``value`` with characters an XML ID cannot hold replaced by ``_``."""
    out = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in value)
    return out if out[:1].isalpha() or out[:1] == "_" else f"_{out}"
