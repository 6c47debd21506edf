"""validate_manifest and validate_package: what they catch, where they point."""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mirco_lms.errors import BuildError, Diagnostic
from mirco_lms.package import FORMATS
from mirco_lms.package.manifest import scorm12_manifest, scorm2004_manifest
from mirco_lms.package.spec import PackageSpec
from mirco_lms.package.validate import validate_manifest, validate_package
from mirco_lms.package.zipfile import check_member_paths


def line_of(xml: bytes, needle: str, nth: int = 0) -> int:
    """1-based line of the nth occurrence of ``needle``."""
    lines = [i for i, text in enumerate(xml.decode().splitlines(), 1) if needle in text]
    return lines[nth]


def errors(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.severity == "error"]


@pytest.fixture
def xml12(multi_spec: PackageSpec) -> bytes:
    return scorm12_manifest(multi_spec, [f.path for f in multi_spec.files])


@pytest.fixture
def xml2004(multi_spec: PackageSpec) -> bytes:
    return scorm2004_manifest(multi_spec, [f.path for f in multi_spec.files])


# --- validate_manifest -----------------------------------------------------------------------


def test_built_manifests_are_clean(xml12: bytes, xml2004: bytes) -> None:
    assert validate_manifest(xml12, "scorm12") == []
    assert validate_manifest(xml2004, "scorm2004") == []


def test_lowercase_scormtype_in_2004_is_an_error(xml2004: bytes) -> None:
    """SCORM 2004 CAM 3.4.1.15: the attribute is adlcp:scormType; the XSD lets a
    misspelling through (lax wildcard), so mirco checks it explicitly."""
    bad = xml2004.replace(b'adlcp:scormType="sco"', b'adlcp:scormtype="sco"', 1)
    found = validate_manifest(bad, "scorm2004")
    assert [d.message for d in found] == [
        "resource 'RES-intro' has the attribute adlcp:scormtype, but SCORM 2004 4th Edition "
        "requires adlcp:scormType (namespace http://www.adlnet.org/xsd/adlcp_v1p3)"
    ]
    assert found[0].location.file == "imsmanifest.xml"
    assert found[0].location.line == line_of(bad, 'identifier="RES-intro"')
    assert "adlcp:scormType=" in (found[0].hint or "")


def test_camelcase_scormtype_in_12_is_an_error(xml12: bytes) -> None:
    bad = xml12.replace(b'adlcp:scormtype="asset"', b'adlcp:scormType="asset"')
    found = errors(validate_manifest(bad, "scorm12"))
    explicit = [d for d in found if "requires adlcp:scormtype" in d.message]
    assert len(explicit) == 1
    assert explicit[0].location.line == line_of(bad, 'identifier="RES-common"')


def test_missing_scormtype(xml2004: bytes) -> None:
    bad = xml2004.replace(b' adlcp:scormType="asset"', b"")
    found = validate_manifest(bad, "scorm2004")
    assert [d.message for d in found] == ["resource 'RES-common' has no adlcp:scormType attribute"]
    assert found[0].location.line == line_of(bad, 'identifier="RES-common"')


def test_not_well_formed_xml_names_the_line(xml12: bytes) -> None:
    bad = xml12.replace(b"<title>Postupak azila</title>", b"<title>Postupak & azila</title>")
    found = validate_manifest(bad, "scorm12")
    assert len(found) == 1
    assert found[0].message.startswith("imsmanifest.xml is not well-formed XML: ")
    assert found[0].location.line == line_of(bad, "Postupak & azila")


def test_wrong_version_root(xml12: bytes) -> None:
    found = validate_manifest(xml12, "scorm2004")
    assert [d.message for d in found] == [
        "expected a SCORM 2004 4th Edition manifest, found a SCORM 1.2 manifest"
    ]
    assert found[0].location.line == 2
    assert 'xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"' in (found[0].hint or "")


def test_unknown_version_key(xml12: bytes) -> None:
    with pytest.raises(BuildError, match="unknown SCORM version 'scorm3'"):
        validate_manifest(xml12, "scorm3")


def test_xsd_errors_carry_lines_and_short_names(xml2004: bytes) -> None:
    bad = xml2004.replace(b"<imsss:minNormalizedMeasure>0.75", b"<imsss:minNormalizedMeasure>1.5")
    found = validate_manifest(bad, "scorm2004")
    assert len(found) == 1
    assert "imsss:minNormalizedMeasure" in found[0].message
    assert "'1.5'" in found[0].message
    assert found[0].location.line == line_of(bad, "minNormalizedMeasure>1.5")
    assert "SCORM 2004 4th Edition XSDs" in (found[0].hint or "")


def test_lom_in_12_is_validated_strictly(xml12: bytes) -> None:
    """imscp 1.1.2 extension points are processContents="strict": LOM must be valid."""
    bad = xml12.replace(
        b"<imsmd:language>sr-Latn</imsmd:language>", b"<imsmd:lang>x</imsmd:lang>", 1
    )
    found = validate_manifest(bad, "scorm12")
    assert found and all(d.location.line == line_of(bad, "<imsmd:lang>") for d in found)
    assert "imsmd:lang" in found[0].message


def test_duplicate_identifier_and_dangling_references(xml12: bytes) -> None:
    bad = xml12.replace(b'identifier="ITEM-asylum"', b'identifier="ITEM-intro"')
    bad = bad.replace(b'identifierref="RES-return"', b'identifierref="RES-nowhere"')
    bad = bad.replace(
        b'<dependency identifierref="RES-common"/>', b'<dependency identifierref="RES-gone"/>', 1
    )
    messages = {(d.message, d.location.line) for d in validate_manifest(bad, "scorm12")}
    first = line_of(bad, 'identifier="ITEM-intro"')
    assert (
        f"identifier 'ITEM-intro' is used twice (first on line {first})",
        line_of(bad, 'identifier="ITEM-intro"', 1),
    ) in messages
    assert (
        "item 'ITEM-return' refers to resource 'RES-nowhere', which the manifest does not define",
        line_of(bad, "RES-nowhere"),
    ) in messages
    assert (
        "dependency refers to resource 'RES-gone', which the manifest does not define",
        line_of(bad, "RES-gone"),
    ) in messages


def test_mastery_score_out_of_range_in_12(xml12: bytes) -> None:
    bad = xml12.replace(b"<adlcp:masteryscore>75<", b"<adlcp:masteryscore>150<")
    found = validate_manifest(bad, "scorm12")
    assert [d.message for d in found] == ["adlcp:masteryscore is '150', not a number from 0 to 100"]
    assert found[0].location.line == line_of(bad, "masteryscore>150")


def test_schemaversion_declared(xml2004: bytes) -> None:
    older = xml2004.replace(b">2004 4th Edition<", b">2004 3rd Edition<")
    found = validate_manifest(older, "scorm2004")
    assert [(d.severity, d.message) for d in found] == [
        (
            "warning",
            "schemaversion is '2004 3rd Edition'; a SCORM 2004 4th Edition manifest "
            "declares '2004 4th Edition'",
        )
    ]
    wrong = xml2004.replace(b">2004 4th Edition<", b">1.2<")
    assert errors(validate_manifest(wrong, "scorm2004"))[0].location.line == line_of(
        wrong, "<schemaversion>"
    )


def test_source_names_the_manifest(xml12: bytes) -> None:
    bad = xml12.replace(b"<adlcp:masteryscore>75<", b"<adlcp:masteryscore>x<")
    found = validate_manifest(bad, "scorm12", source="dist/a.zip!imsmanifest.xml")
    assert str(found[0].location) == f"dist/a.zip!imsmanifest.xml:{line_of(bad, '>x<')}"


def test_no_external_entities_are_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" identifier="M">'
        "<organizations/><resources/>&x;</manifest>"
    ).encode()
    found = validate_manifest(xml, "scorm2004")
    assert [d.message for d in found] == [
        "imsmanifest.xml uses the entity reference &x;, which mirco does not expand"
    ]
    assert found[0].location.line == 1


# --- validate_package -------------------------------------------------------------------------


def rewrite(
    src: Path, dest: Path, *, drop: tuple[str, ...] = (), put: dict[str, bytes] | None = None
) -> Path:
    """A copy of the zip ``src`` without ``drop`` and with ``put`` added or replaced."""
    put = put or {}
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dest, "w") as new:
        for info in old.infolist():
            if info.filename not in drop and info.filename not in put:
                new.writestr(info, old.read(info))
        for name, data in put.items():
            new.writestr(name, data)
    return dest


@pytest.fixture(params=["scorm12", "scorm2004"])
def built(request: pytest.FixtureRequest, multi_spec: PackageSpec, tmp_path: Path) -> Path:
    return FORMATS[request.param](multi_spec, tmp_path / "dist").path


def manifest_of(zip_path: Path) -> bytes:
    with zipfile.ZipFile(zip_path) as archive:
        return archive.read("imsmanifest.xml")


def test_built_packages_are_clean(built: Path) -> None:
    assert validate_package(built) == []


def test_missing_file_referenced_by_href(built: Path, tmp_path: Path) -> None:
    bad = rewrite(built, tmp_path / "bad.zip", drop=("img/final-only.png",))
    found = validate_package(bad)
    assert [d.message for d in found] == [
        "resource 'RES-final' names the file 'img/final-only.png', which is not in the package"
    ]
    assert found[0].location.file == f"{bad}!imsmanifest.xml"
    assert found[0].location.line == line_of(manifest_of(bad), 'href="img/final-only.png"')


def test_missing_launch_file(built: Path, tmp_path: Path) -> None:
    bad = rewrite(built, tmp_path / "bad.zip", drop=("final.html",))
    found = validate_package(bad)
    xml = manifest_of(bad)
    assert [(d.message, d.location.line) for d in found] == [
        (
            "resource 'RES-final' names the launch file 'final.html', which is not in the package",
            line_of(xml, 'identifier="RES-final"'),
        ),
        (
            "resource 'RES-final' names the file 'final.html', which is not in the package",
            line_of(xml, '<file href="final.html"'),
        ),
    ]


def test_unlisted_file(built: Path, tmp_path: Path) -> None:
    bad = rewrite(built, tmp_path / "bad.zip", put={"notes/todo.txt": b"x"})
    found = validate_package(bad)
    assert [(d.severity, d.message, str(d.location)) for d in found] == [
        (
            "warning",
            "'notes/todo.txt' is in the package but no resource lists it",
            f"{bad}!notes/todo.txt",
        )
    ]


def test_missing_xsd(built: Path, tmp_path: Path) -> None:
    name = "adlcp_rootv1p2.xsd" if "scorm12" in built.name else "adlcp_v1p3.xsd"
    bad = rewrite(built, tmp_path / "bad.zip", drop=(name,))
    found = validate_package(bad)
    assert [d.message for d in found] == [
        f"the schema file {name!r} named by xsi:schemaLocation is not in the package"
    ]
    assert found[0].location.line == 2


def test_missing_included_schema_file(multi_spec: PackageSpec, tmp_path: Path) -> None:
    built = FORMATS["scorm2004"](multi_spec, tmp_path).path
    bad = rewrite(built, tmp_path / "bad.zip", drop=("imsss_v1p0util.xsd", "datatypes.dtd"))
    messages = sorted(d.message for d in validate_package(bad))
    assert messages == [
        "the schema file 'datatypes.dtd' named by XMLSchema.dtd, which the manifest references, "
        "is not in the package",
        "the schema file 'imsss_v1p0util.xsd' named by imsss_v1p0seqrule.xsd, which the "
        "manifest references, is not in the package",
    ]


def test_wrong_scormtype_spelling_in_2004_package(multi_spec: PackageSpec, tmp_path: Path) -> None:
    built = FORMATS["scorm2004"](multi_spec, tmp_path).path
    xml = manifest_of(built).replace(b"adlcp:scormType", b"adlcp:scormtype")
    bad = rewrite(built, tmp_path / "bad.zip", put={"imsmanifest.xml": xml})
    found = validate_package(bad)
    assert len(found) == 5
    assert all("requires adlcp:scormType" in d.message for d in found)
    assert [d.location.line for d in found] == [
        line_of(xml, f'identifier="{r}"')
        for r in ("RES-intro", "RES-asylum", "RES-return", "RES-final", "RES-common")
    ]


def test_broken_manifest_xml(built: Path, tmp_path: Path) -> None:
    xml = manifest_of(built).replace(b"</organizations>", b"</organisations>")
    bad = rewrite(built, tmp_path / "bad.zip", put={"imsmanifest.xml": xml})
    found = validate_package(bad)
    assert len(found) == 1
    assert found[0].message.startswith("imsmanifest.xml is not well-formed XML: ")
    assert found[0].location.file == f"{bad}!imsmanifest.xml"
    assert found[0].location.line == line_of(xml, "</organisations>")


def test_missing_metadata_file_2004(multi_spec: PackageSpec, tmp_path: Path) -> None:
    built = FORMATS["scorm2004"](multi_spec, tmp_path).path
    bad = rewrite(built, tmp_path / "bad.zip", drop=("metadata.xml",))
    found = validate_package(bad)
    assert [d.message for d in found] == [
        "the metadata file 'metadata.xml' named by adlcp:location is not in the package"
    ]
    assert found[0].location.line == line_of(manifest_of(bad), "<adlcp:location>")


def test_not_a_zip(tmp_path: Path) -> None:
    fake = tmp_path / "course.zip"
    fake.write_text("<html>this is not a zip</html>")
    found = validate_package(fake)
    assert len(found) == 1
    assert found[0].message.startswith("the file is not a zip archive")
    assert found[0].location.file == str(fake)


def test_missing_zip(tmp_path: Path) -> None:
    found = validate_package(tmp_path / "nope.zip")
    assert [d.message for d in found] == ["the package file does not exist"]


def test_no_manifest_and_nested_manifest(built: Path, tmp_path: Path) -> None:
    bad = rewrite(built, tmp_path / "bad.zip", drop=("imsmanifest.xml",))
    found = validate_package(bad)
    assert [d.message for d in found] == ["the package has no imsmanifest.xml at its root"]
    nested = rewrite(bad, tmp_path / "nested.zip", put={"course/imsmanifest.xml": b"<x/>"})
    hint = validate_package(nested)[0].hint or ""
    assert "'course/imsmanifest.xml'" in hint and "not the folder" in hint


def test_unknown_manifest_namespace(built: Path, tmp_path: Path) -> None:
    bad = rewrite(
        built,
        tmp_path / "bad.zip",
        put={"imsmanifest.xml": b'<?xml version="1.0"?>\n<manifest identifier="x"/>'},
    )
    found = validate_package(bad)
    assert len(found) == 1
    assert found[0].message.startswith("imsmanifest.xml is neither a SCORM 1.2 nor a SCORM 2004")
    assert found[0].location.line == 2


def test_member_escaping_the_package(built: Path, tmp_path: Path) -> None:
    bad = rewrite(built, tmp_path / "bad.zip", put={"../evil.sh": b"rm -rf ~"})
    found = validate_package(bad)
    assert any(
        d.message == "zip member '../evil.sh' is not allowed: it contains a '..' component "
        "(it would escape the package)"
        for d in found
    )


def test_href_escaping_the_package(built: Path, tmp_path: Path) -> None:
    xml = manifest_of(built).replace(b'<file href="final.html"/>', b'<file href="../final.html"/>')
    bad = rewrite(built, tmp_path / "bad.zip", put={"imsmanifest.xml": xml})
    found = validate_package(bad)
    assert (
        "resource 'RES-final' names the file '../final.html', which points outside the package"
    ) in [d.message for d in found]


def test_xml_base_is_honoured(multi_spec: PackageSpec, tmp_path: Path) -> None:
    built = FORMATS["scorm2004"](multi_spec, tmp_path).path
    xml = manifest_of(built).replace(
        b'href="lessons/intro.html" adlcp:scormType="sco">\n'
        b'      <file href="lessons/intro.html"/>',
        b'xml:base="lessons/" href="intro.html" adlcp:scormType="sco">\n'
        b'      <file href="intro.html"/>',
    )
    assert b'xml:base="lessons/"' in xml
    good = rewrite(built, tmp_path / "based.zip", put={"imsmanifest.xml": xml})
    assert validate_package(good) == []


_SMALL = (
    b'<?xml version="1.0"?>\n<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" '
    b'xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" identifier="M">\n'
    b'<organizations default="O"><organization identifier="O"><title>t</title>\n'
    b'<item identifier="I" identifierref="R"><title>t</title></item></organization>\n'
    b'</organizations><resources><resource identifier="R" type="webcontent" href="a.html" '
    b'adlcp:scormType="sco"><file href="a.html"/></resource></resources></manifest>\n'
)


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=600), cut=st.integers(0, len(_SMALL)))
def test_validate_manifest_never_raises(data: bytes, cut: int) -> None:
    """Arbitrary bytes, or a real manifest cut short and spliced: diagnostics, no traceback."""
    for version in ("scorm12", "scorm2004"):
        for xml in (data, _SMALL[:cut] + data + _SMALL[cut:]):
            found = validate_manifest(xml, version)
            assert all(isinstance(d, Diagnostic) and d.location.file for d in found)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab./\\:C\x00")), max_size=12))
def test_accepted_member_paths_stay_inside_the_package(path: str) -> None:
    try:
        check_member_paths([path])
    except BuildError:
        return
    assert posixpath.normpath(posixpath.join("/pkg", path)).startswith("/pkg/")
