"""The official SCORM schema files: their bytes (for packages) and compiled validators.

Packages carry the XSDs unedited, read from package data. Validation compiles them once
per process from memory: a small wrapper schema imports each namespace by a local URL and
a resolver serves every include from the same in-memory set, so nothing is ever fetched
from the network or read from outside the package.

Two SCORM 1.2 files do not load in libxml2 as published; only the in-memory copies used
for validation are patched (see :data:`_SCORM12_PATCHES`), never the shipped ones.
"""

from __future__ import annotations

import threading
from functools import cache
from importlib.resources import files
from types import MappingProxyType
from typing import Any

from lxml import etree

from mirco_lms.errors import BuildError
from mirco_lms.package import manifest as m

VERSIONS: dict[str, str] = {"scorm12": "scorm12", "scorm2004": "scorm2004-4th"}
"""SCORM version key → folder of ``package/schemas`` holding its control documents."""

NAMESPACES: dict[str, tuple[tuple[str, str], ...]] = {
    "scorm12": m.SCHEMA_LOCATIONS_12,
    "scorm2004": m.SCHEMA_LOCATIONS_2004,
}
"""Namespaces the validator imports, with the file that defines each."""

_SCORM12_PATCHES: dict[str, tuple[bytes, bytes]] = {
    # libxml2 refuses the xml namespace as a default namespace.
    "ims_xml.xsd": (b'xmlns="http://www.w3.org/XML/1998/namespace"', b""),
    # ##any in grp.any makes 12 content models ambiguous (unique particle attribution).
    "imsmd_rootv1p2p1.xsd": (b'namespace="##any"', b'namespace="##other"'),
}

_BASE_URL = "file:///mirco-scorm-schemas/"
_lock = threading.Lock()


def check_version(version: str) -> str:
    """Return ``version`` if it is a known SCORM version key, else raise BuildError."""
    if version not in VERSIONS:
        raise BuildError(
            f"unknown SCORM version {version!r}",
            hint=f"use one of {', '.join(sorted(VERSIONS))}",
        )
    return version


@cache
def schema_files(version: str) -> MappingProxyType[str, bytes]:
    """The unedited control documents of ``version``: file name → bytes (sorted by name)."""
    folder = files("mirco_lms.package") / "schemas" / VERSIONS[check_version(version)]
    found = {item.name: item.read_bytes() for item in folder.iterdir() if item.is_file()}
    return MappingProxyType(dict(sorted(found.items())))


@cache
def course_structure_schema() -> etree.XMLSchema:
    """The cmi5 course structure XSD (``schemas/cmi5``, unedited; it imports nothing)."""
    xsd = files("mirco_lms.package") / "schemas" / "cmi5" / "CourseStructure.xsd"
    with _lock:
        return etree.XMLSchema(etree.fromstring(xsd.read_bytes(), safe_parser()))


def compiled_schema(version: str) -> etree.XMLSchema:
    """The compiled validator for ``version`` (compiled once, then shared)."""
    with _lock:  # libxml2 schema compilation is not re-entrant for one resolver set
        return _compile(check_version(version))


@cache
def _compile(version: str) -> etree.XMLSchema:
    docs = dict(schema_files(version))
    if version == "scorm12":
        for name, (old, new) in _SCORM12_PATCHES.items():
            docs[name] = docs[name].replace(old, new)
    prefix = f"{_BASE_URL}{VERSIONS[version]}/"
    parser = safe_parser()
    parser.resolvers.add(_MemoryResolver(prefix, docs))
    imports = "".join(
        f'<xs:import namespace="{ns}" schemaLocation="{name}"/>' for ns, name in NAMESPACES[version]
    )
    wrapper = f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{imports}</xs:schema>'
    document = etree.fromstring(wrapper.encode(), parser, base_url=f"{prefix}wrapper.xsd")
    return etree.XMLSchema(document)


def safe_parser(**options: Any) -> etree.XMLParser:
    """An XML parser that never touches the network, a DTD or an external entity."""
    return etree.XMLParser(
        no_network=True, resolve_entities=False, load_dtd=False, huge_tree=False, **options
    )


class _MemoryResolver(etree.Resolver):  # type: ignore[misc]  # lxml ships no type information
    """Serves ``prefix + name`` from memory; refuses every other URL."""

    def __init__(self, prefix: str, docs: dict[str, bytes]) -> None:
        super().__init__()
        self._prefix = prefix
        self._docs = docs

    def resolve(self, system_url: str, public_id: str, context: Any) -> Any:
        name = system_url.removeprefix(self._prefix)
        if system_url.startswith(self._prefix) and name in self._docs:
            return self.resolve_string(self._docs[name], context, base_url=system_url)
        raise BuildError(
            f"a SCORM schema refers to {system_url!r}, which is not shipped with mirco",
            hint="the schema files under mirco_lms/package/schemas are incomplete; reinstall",
        )
