"""Manifest builders (package/manifest.py): golden files, XSD validity, SCORM details."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree

from mirco_lms.errors import BuildError
from mirco_lms.package import manifest as m
from mirco_lms.package.spec import PackageSpec
from mirco_lms.package.xsd import compiled_schema

GOLDEN = Path(__file__).parent / "golden"
BUILDERS = {"scorm12": m.scorm12_manifest, "scorm2004": m.scorm2004_manifest}
NS12 = {"cp": m.CP12, "adlcp": m.ADLCP12, "imsmd": m.IMSMD12}
NS2004 = {"cp": m.CP2004, "adlcp": m.ADLCP2004, "imsss": m.IMSSS, "adlseq": m.ADLSEQ}


def canonical(xml: bytes) -> bytes:
    return etree.tostring(etree.fromstring(xml), method="c14n")


def check_golden(name: str, xml: bytes) -> None:
    """Compare with tests/package/golden/<name>; MIRCO_UPDATE_GOLDEN=1 rewrites it."""
    path = GOLDEN / name
    if os.environ.get("MIRCO_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(canonical(xml) + b"\n")
    assert path.is_file(), f"no golden file {path}; run with MIRCO_UPDATE_GOLDEN=1"
    assert canonical(xml) == path.read_bytes().rstrip(b"\n")


def spec_for(request: pytest.FixtureRequest, shape: str) -> PackageSpec:
    return request.getfixturevalue(f"{shape}_spec")


@pytest.mark.parametrize("shape", ["single", "multi"])
@pytest.mark.parametrize("version", ["scorm12", "scorm2004"])
def test_manifest_matches_golden(request: pytest.FixtureRequest, version: str, shape: str) -> None:
    spec = spec_for(request, shape)
    xml = BUILDERS[version](spec, [f.path for f in spec.files])
    assert xml.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n")
    check_golden(f"{version}-{shape}.xml", xml)


@pytest.mark.parametrize("name", sorted(p.name for p in GOLDEN.glob("scorm*-*.xml")))
def test_every_golden_manifest_is_xsd_valid(name: str) -> None:
    """A golden file can freeze a bug: each one must pass the official XSDs too."""
    version = name.split("-")[0]
    schema = compiled_schema(version)
    ok = schema.validate(etree.parse(str(GOLDEN / name)))
    assert ok, [e.message for e in schema.error_log]


def test_golden_files_exist_for_both_versions_and_shapes() -> None:
    assert {p.name for p in GOLDEN.glob("scorm*-*.xml")} >= {
        "scorm12-single.xml",
        "scorm12-multi.xml",
        "scorm2004-single.xml",
        "scorm2004-multi.xml",
    }


def test_metadata_xml_matches_golden_and_carries_title_description_language(
    multi_spec: PackageSpec,
) -> None:
    xml = m.lom_metadata(multi_spec)
    check_golden("metadata-2004.xml", xml)
    lom = etree.fromstring(xml)
    ns = {"lom": m.LOM}
    assert lom.xpath("string(lom:general/lom:title/lom:string)", namespaces=ns) == (
        "Osnove upravljanja migracijama"
    )
    assert lom.xpath("string(lom:general/lom:title/lom:string/@language)", namespaces=ns) == (
        "sr-Latn"
    )
    assert lom.xpath("string(lom:general/lom:language)", namespaces=ns) == "sr-Latn"
    assert lom.xpath("string(lom:general/lom:description/lom:string)", namespaces=ns).startswith(
        "Uvodni modul"
    )
    assert lom.xpath("lom:general/lom:keyword/lom:string/text()", namespaces=ns) == [
        "migracije",
        "azil",
    ]
    assert lom.xpath("string(.//lom:typicalLearningTime/lom:duration)", namespaces=ns) == "PT1H40M"


def test_scorm12_mastery_score_only_on_the_final_test(multi_spec: PackageSpec) -> None:
    root = etree.fromstring(m.scorm12_manifest(multi_spec, [f.path for f in multi_spec.files]))
    scores = root.xpath("//cp:item[adlcp:masteryscore]/@identifier", namespaces=NS12)
    assert scores == ["ITEM-final"]
    assert root.xpath("string(//adlcp:masteryscore)", namespaces=NS12) == "75"
    assert root.xpath("//cp:resource/@adlcp:scormtype", namespaces=NS12) == ["sco"] * 4 + ["asset"]
    lang = root.xpath("//imsmd:general/imsmd:title/imsmd:langstring/@xml:lang", namespaces=NS12)
    assert lang == ["sr-Latn"]


def test_scorm2004_sequencing(multi_spec: PackageSpec, single_spec: PackageSpec) -> None:
    root = etree.fromstring(m.scorm2004_manifest(multi_spec, [f.path for f in multi_spec.files]))
    primary = root.xpath("//cp:item/imsss:sequencing//imsss:primaryObjective", namespaces=NS2004)
    assert len(primary) == 1
    assert primary[0].get("satisfiedByMeasure") == "true"
    assert primary[0].xpath("string(imsss:minNormalizedMeasure)", namespaces=NS2004) == "0.75"
    assert primary[0].getparent().getparent().getparent().get("identifier") == "ITEM-final"
    lessons = root.xpath("//cp:item[imsss:sequencing/imsss:rollupRules]", namespaces=NS2004)
    assert [i.get("identifier") for i in lessons] == ["ITEM-intro", "ITEM-asylum", "ITEM-return"]
    control = root.xpath(
        "cp:organizations/cp:organization/imsss:sequencing/imsss:controlMode", namespaces=NS2004
    )
    assert [(c.get("choice"), c.get("flow")) for c in control] == [("true", "true")]
    assert root.xpath("//cp:resource/@adlcp:scormType", namespaces=NS2004) == ["sco"] * 4 + [
        "asset"
    ]
    assert not root.xpath("//@*[local-name()='scormtype']")
    single = etree.fromstring(
        m.scorm2004_manifest(single_spec, [f.path for f in single_spec.files])
    )
    assert not single.xpath("//cp:organization/imsss:sequencing", namespaces=NS2004)


def test_every_content_file_is_listed_exactly_where_needed(multi_spec: PackageSpec) -> None:
    plans = m.plan_resources(multi_spec, [f.path for f in multi_spec.files])
    listed = [path for plan in plans for path in plan.files]
    assert sorted(listed) == sorted(f.path for f in multi_spec.files)
    by_id = {p.identifier: p for p in plans}
    assert by_id["RES-final"].files == ("final.html", "img/final-only.png")
    assert by_id["RES-common"].files == (
        "img/map.png",
        "runtime/LICENSE.txt",
        "runtime/mirco.css",
        "runtime/mirco.js",
    )
    assert all(p.dependencies == ("RES-common",) for p in plans if p.scorm_type == "sco")


def test_a_launch_file_shared_by_scos_stays_in_each_sco(multi_spec: PackageSpec) -> None:
    """Several SCOs may launch one page with different query strings."""
    scos = tuple(
        replace(s, href=f"index.html?page={s.identifier}", files=("index.html", *s.files[1:]))
        for s in multi_spec.scos
    )
    spec = replace(multi_spec, scos=scos)
    plans = m.plan_resources(spec, ["index.html", "runtime/mirco.js"])
    assert all(p.files[0] == "index.html" for p in plans if p.scorm_type == "sco")
    assert plans[0].href == "index.html?page=ITEM-intro"
    assert "index.html" not in plans[-1].files


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [(0, None), (45, "PT45M"), (60, "PT1H"), (90, "PT1H30M"), (600, "PT10H")],
)
def test_typical_learning_time(multi_spec: PackageSpec, minutes: int, expected: str | None) -> None:
    spec = replace(
        multi_spec,
        module=replace(multi_spec.module, duration_minutes=minutes),
        scos=tuple(replace(s, duration_minutes=None) for s in multi_spec.scos),
    )
    assert m.typical_learning_time(spec) == expected


def test_text_xml_cannot_carry_is_a_build_error(multi_spec: PackageSpec) -> None:
    spec = replace(multi_spec, title="Bad\x07title")
    with pytest.raises(BuildError, match="text XML cannot carry") as info:
        m.scorm12_manifest(spec, [f.path for f in spec.files])
    assert "control characters" in (info.value.hint or "")
    with pytest.raises(BuildError):
        m.lom_metadata(spec)


def test_output_is_stable(multi_spec: PackageSpec) -> None:
    files = [f.path for f in multi_spec.files]
    assert m.scorm2004_manifest(multi_spec, files) == m.scorm2004_manifest(multi_spec, files)
