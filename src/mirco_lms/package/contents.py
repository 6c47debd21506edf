"""File checks of a package zip against its manifest (used by ``validate_package``).

Each function takes the parsed manifest and the zip's member names and returns
diagnostics; none of them reads the zip itself, so they are easy to test and reuse.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from lxml import etree

from mirco_lms.errors import Diagnostic, Location
from mirco_lms.package import manifest as m
from mirco_lms.package.xsd import safe_parser
from mirco_lms.package.zipfile import member_path_problem

XML_BASE = f"{{{m.XML_NS}}}base"
_DTD_REFERENCE = re.compile(rb"""(?:SYSTEM|PUBLIC\s+["'][^"']*["'])\s+["']([^"']+)["']""")


def check_members(names: Iterable[str], zip_label: str) -> Iterator[Diagnostic]:
    """Member paths are safe (relative, no ``..``, no backslash) and unique."""
    seen: set[str] = set()
    for name in names:
        problem = member_path_problem(name.rstrip("/")) if name.rstrip("/") else "an empty path"
        if problem:
            yield Diagnostic(
                f"zip member {name!r} is not allowed: it contains {problem}",
                Location(file=zip_label),
                hint="rebuild the package; members must be relative paths inside it",
            )
        if name in seen:
            yield Diagnostic(
                f"zip member {name!r} occurs twice",
                Location(file=zip_label),
                hint="rebuild the package; an LMS would unpack only one of them",
            )
        seen.add(name)


def check_hrefs(
    root: etree._Element, cp: str, members: set[str], source: str
) -> tuple[set[str], list[Diagnostic]]:
    """Every resource and file href names a member; returns the listed members too."""
    listed: set[str] = set()
    found: list[Diagnostic] = []
    for res in root.iter(f"{{{cp}}}resource"):
        candidates = [res] if res.get("href") is not None else []
        candidates += list(res.iter(f"{{{cp}}}file"))
        for element in candidates:
            path, problem = resolve_href(element, cp)
            if path is None and problem is None:
                continue  # an absolute URL: not part of the package
            if path is not None and path in members:
                listed.add(path)
                continue
            what = "launch file" if element is res else "file"
            found.append(
                Diagnostic(
                    f"resource {res.get('identifier')!r} names the {what} "
                    f"{element.get('href')!r}, " + (problem or "which is not in the package"),
                    Location(file=source, line=element.sourceline),
                    hint="add the file to the package or correct the href "
                    "(paths are case-sensitive and relative to the package root)",
                )
            )
    return listed, found


def resolve_href(element: etree._Element, cp: str) -> tuple[str | None, str | None]:
    """The member path an href names, or (None, why), or (None, None) for a URL."""
    href = element.get("href", "")
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None, None
    chain = [*reversed(list(element.iterancestors())), element]
    scopes = (f"{{{cp}}}manifest", f"{{{cp}}}resources", f"{{{cp}}}resource")
    base = "".join(e.get(XML_BASE, "") for e in chain if e.tag in scopes)
    raw = unquote(parts.path)
    if not raw:
        return None, "which is empty"
    if raw.startswith("/"):
        return None, "which is an absolute path"
    path = posixpath.normpath(posixpath.join(unquote(base), raw))
    if path == ".." or path.startswith("../"):
        return None, "which points outside the package"
    return path, None


def control_files(
    root: etree._Element, members: Mapping[str, bytes], source: str
) -> tuple[set[str], list[Diagnostic]]:
    """Schema and metadata files the manifest needs (they need no resource).

    Checks the files named by ``xsi:schemaLocation`` and everything they include or
    import, and the metadata records named by ``adlcp:location``.
    """
    needed: set[str] = set()
    found: list[Diagnostic] = []
    locations = (root.get(f"{{{m.XSI}}}schemaLocation") or "").split()
    queue: list[tuple[str, str | None]] = [(loc, None) for loc in locations[1::2]]
    while queue:
        location, referrer = queue.pop(0)
        if urlsplit(location).scheme or location in needed:
            continue
        needed.add(location)
        if location not in members:
            by = f"{referrer}, which the manifest references," if referrer else "xsi:schemaLocation"
            found.append(
                Diagnostic(
                    f"the schema file {location!r} named by {by} is not in the package",
                    Location(file=source, line=root.sourceline),
                    hint="ship the SCORM XSD files unedited at the package root",
                )
            )
            continue
        queue += [(ref, location) for ref in _schema_references(location, members[location])]
    meta, problems = _metadata_files(root, members, source)
    return needed | meta, found + problems


@lru_cache(maxsize=64)
def _schema_references(name: str, data: bytes) -> tuple[str, ...]:
    """Files an XSD includes or imports, or a DTD references, relative to the package.

    Memoized: every package carries the same standard schema files.
    """
    folder = posixpath.dirname(name)
    refs: list[bytes | str] = []
    if name.endswith(".dtd"):
        refs = list(_DTD_REFERENCE.findall(data))
    else:
        try:
            doc = etree.fromstring(data, safe_parser())
        except etree.XMLSyntaxError:
            return ()
        refs = [
            el.get("schemaLocation", "")
            for el in doc.iter(
                "{http://www.w3.org/2001/XMLSchema}include",
                "{http://www.w3.org/2001/XMLSchema}import",
            )
        ]
        system = doc.getroottree().docinfo.system_url
        refs += [system] if system else []
    out = []
    for ref in refs:
        text = ref.decode("ascii", "replace") if isinstance(ref, bytes) else ref
        if text and not urlsplit(text).scheme:
            out.append(posixpath.normpath(posixpath.join(folder, text)))
    return tuple(out)


def _metadata_files(
    root: etree._Element, members: Mapping[str, bytes], source: str
) -> tuple[set[str], list[Diagnostic]]:
    names: set[str] = set()
    found: list[Diagnostic] = []
    tags = (f"{{{m.ADLCP12}}}location", f"{{{m.ADLCP2004}}}location")
    for element in root.iter(*tags):
        name = posixpath.normpath(unquote((element.text or "").strip()))
        names.add(name)
        where = Location(file=source, line=element.sourceline)
        if name not in members:
            found.append(
                Diagnostic(
                    f"the metadata file {name!r} named by adlcp:location is not in the package",
                    where,
                    hint="add the metadata file or remove the adlcp:location element",
                )
            )
            continue
        try:
            etree.fromstring(members[name], safe_parser())
        except etree.XMLSyntaxError as err:
            found.append(
                Diagnostic(
                    f"the metadata file {name!r} is not well-formed XML: {err.msg}",
                    where,
                    hint="fix the XML syntax of the metadata record",
                )
            )
    return names, found


def check_unlisted(
    members: Iterable[str], accounted: set[str], zip_label: str
) -> Iterator[Diagnostic]:
    """Content files no resource lists (an LMS may not deploy them)."""
    for name in sorted(members):
        if name.endswith("/") or name in accounted:
            continue
        yield Diagnostic(
            f"{name!r} is in the package but no resource lists it",
            Location(file=f"{zip_label}!{name}"),
            hint="list it as a <file> of the resource that uses it, or remove it",
            severity="warning",
        )


def check_launchable(root: etree._Element, cp: str, source: str) -> Iterator[Diagnostic]:
    """The default organization has at least one item that launches something."""
    if any(item.get("identifierref") for item in root.iter(f"{{{cp}}}item")):
        return
    yield Diagnostic(
        "no item of the manifest launches a resource: the LMS would have nothing to open",
        Location(file=source, line=root.sourceline),
        hint="add an <item identifierref=...> pointing at a resource with an href",
    )
