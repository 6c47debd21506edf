"""Format build functions (scorm12.build, scorm2004.build) through the FORMATS registry."""

from __future__ import annotations

import zipfile
from dataclasses import replace
from importlib.resources import files
from pathlib import Path

import pytest

from mirco_lms.errors import BuildError, PackageInvalid
from mirco_lms.package import FORMATS, cmi5, scorm12, scorm2004
from mirco_lms.package.spec import PackageFile, PackageSpec
from mirco_lms.package.validate import validate_package

SCHEMA_DIRS = {"scorm12": "scorm12", "scorm2004": "scorm2004-4th"}


def shipped_schemas(fmt: str) -> dict[str, bytes]:
    folder = files("mirco_lms.package") / "schemas" / SCHEMA_DIRS[fmt]
    return {f.name: f.read_bytes() for f in folder.iterdir()}


def test_registry_names_the_build_functions() -> None:
    assert FORMATS == {"scorm12": scorm12.build, "scorm2004": scorm2004.build, "cmi5": cmi5.build}


@pytest.mark.parametrize("fmt", ["scorm12", "scorm2004"])
def test_build_writes_a_valid_package(multi_spec: PackageSpec, tmp_path: Path, fmt: str) -> None:
    result = FORMATS[fmt](multi_spec, tmp_path / "dist")
    assert result.path == tmp_path / "dist" / f"migration-basics-1.2.0-sr-Latn-{fmt}.zip"
    assert result.format == fmt
    assert result.size == result.path.stat().st_size
    assert result.sco_count == 4
    schemas = shipped_schemas(fmt)
    with zipfile.ZipFile(result.path) as archive:
        names = archive.namelist()
        assert result.file_count == len(names)
        content = {f.path for f in multi_spec.files}
        extra = {"metadata.xml"} if fmt == "scorm2004" else set()
        assert set(names) == content | set(schemas) | {"imsmanifest.xml"} | extra
        for name, data in schemas.items():  # shipped unedited, at the package root
            assert archive.read(name) == data
        for f in multi_spec.files:
            assert archive.read(f.path) == f.data
    assert validate_package(result.path) == []


@pytest.mark.parametrize("fmt", ["scorm12", "scorm2004"])
def test_build_twice_gives_identical_bytes(
    single_spec: PackageSpec, tmp_path: Path, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = FORMATS[fmt](single_spec, tmp_path / "a").path.read_bytes()
    second = FORMATS[fmt](single_spec, tmp_path / "b").path.read_bytes()
    assert first == second
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")  # 2025-01-01
    third = FORMATS[fmt](single_spec, tmp_path / "c").path.read_bytes()
    fourth = FORMATS[fmt](single_spec, tmp_path / "d").path.read_bytes()
    assert third == fourth != first
    with zipfile.ZipFile(tmp_path / "c" / f"migration-basics-1.2.0-sr-Latn-{fmt}.zip") as z:
        assert {i.date_time for i in z.infolist()} == {(2025, 1, 1, 0, 0, 0)}


def test_invalid_manifest_raises_with_diagnostics_and_writes_nothing(
    multi_spec: PackageSpec, tmp_path: Path
) -> None:
    """IMS CP 1.1.2 limits titles to 200 characters; the XSD catches it before writing."""
    scos = (replace(multi_spec.scos[0], title="T" * 201), *multi_spec.scos[1:])
    spec = replace(multi_spec, scos=scos)
    with pytest.raises(PackageInvalid) as info:
        scorm12.build(spec, tmp_path / "dist")
    err = info.value
    assert err.message == (
        "the scorm12 manifest of 'MIRCO-migration-basics-1.2.0-sr-Latn' is invalid (1 problem)"
    )
    assert len(err.diagnostics) == 1
    assert "imscp:title" in err.diagnostics[0].message
    assert err.diagnostics[0].location.file == "imsmanifest.xml"
    assert err.diagnostics[0].location.line is not None
    assert "imsmanifest.xml:" in err.format()
    assert not (tmp_path / "dist").exists()


def test_failed_build_keeps_the_previous_package(multi_spec: PackageSpec, tmp_path: Path) -> None:
    good = scorm2004.build(multi_spec, tmp_path)
    before = good.path.read_bytes()
    bad = replace(multi_spec, scos=(replace(multi_spec.scos[0], identifier="ITEM with space"),))
    with pytest.raises(PackageInvalid) as info:
        scorm2004.build(bad, tmp_path)
    assert any("xs:ID" in d.message for d in info.value.diagnostics)
    assert good.path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [good.path.name]


@pytest.mark.parametrize("path", ["../escape.html", "/abs.html", "img\\map.png"])
def test_unsafe_spec_path_is_refused(multi_spec: PackageSpec, tmp_path: Path, path: str) -> None:
    spec = replace(multi_spec, files=(*multi_spec.files, PackageFile(path, b"x")))
    with pytest.raises(BuildError, match="is not allowed"):
        scorm12.build(spec, tmp_path / "dist")
    assert not (tmp_path / "dist").exists()


@pytest.mark.parametrize(
    ("fmt", "name"),
    [("scorm12", "imsmanifest.xml"), ("scorm12", "ims_xml.xsd"), ("scorm2004", "metadata.xml")],
)
def test_content_may_not_overwrite_control_files(
    multi_spec: PackageSpec, tmp_path: Path, fmt: str, name: str
) -> None:
    spec = replace(multi_spec, files=(*multi_spec.files, PackageFile(name, b"<x/>")))
    with pytest.raises(BuildError, match=f"content file '{name}' would overwrite") as info:
        FORMATS[fmt](spec, tmp_path)
    assert "reserved" in (info.value.hint or "")


def test_sco_file_missing_from_spec(multi_spec: PackageSpec, tmp_path: Path) -> None:
    spec = replace(multi_spec, files=tuple(f for f in multi_spec.files if f.path != "final.html"))
    with pytest.raises(BuildError, match="SCO 'ITEM-final' uses 'final.html', which is not among"):
        scorm2004.build(spec, tmp_path)


def test_spec_without_scos(multi_spec: PackageSpec, tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="has no SCO"):
        scorm12.build(replace(multi_spec, scos=()), tmp_path)
