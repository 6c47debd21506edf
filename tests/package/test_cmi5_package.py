"""cmi5 packages: cmi5.xml generation (cmi5 spec §13-14), its checks, `--format cmi5`."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from mirco_lms.cli import main
from mirco_lms.errors import BuildError
from mirco_lms.package import FORMATS, validate_package
from mirco_lms.package.cmi5_structure import NS, check_course_structure, is_iri

MODULE = "migration-human-rights"
MODULE_IRI = f"https://example.org/mirco/{MODULE}"
C = f"{{{NS}}}"
ROOT = Path(__file__).resolve().parents[2]
SHARED_XSD = ROOT.parent / "shared" / "schemas" / "cmi5" / "CourseStructure.xsd"
SHIPPED_XSD = ROOT / "src" / "mirco_lms" / "package" / "schemas" / "cmi5" / "CourseStructure.xsd"


def build_cmi5(project: Path, *extra: str) -> Path:
    result = CliRunner().invoke(main, ["build", "--project", str(project), "--format", "cmi5",
                                       "--out", str(project / "out"), MODULE, *extra])
    assert result.exit_code == 0, result.output
    (package,) = (project / "out").glob("*-cmi5.zip")
    return package


def course_data(html: bytes) -> dict[str, object]:
    found = re.search(rb'<script type="application/json" id="mirco-course">(.*?)</script>', html,
                      re.S)
    assert found
    return dict(json.loads(found.group(1)))


def test_build_with_format_cmi5(sample_project: Path) -> None:
    """§14.1: cmi5.xml at the root; one AU for the module, moveOn and masteryScore set."""
    package = build_cmi5(sample_project)
    assert package.name == f"{MODULE}-1.0.0-en-cmi5.zip"
    assert validate_package(package) == []
    with zipfile.ZipFile(package) as archive:
        names = archive.namelist()
        root = etree.fromstring(archive.read("cmi5.xml"))
        data = course_data(archive.read("index.html"))
    assert "imsmanifest.xml" not in names and "index.html" in names
    course = root.find(f"{C}course")
    assert course is not None and course.get("id") == f"{MODULE_IRI}/course/en"
    assert course.findtext(f"{C}title/{C}langstring") == "Migration and Human Rights"
    assert course.find(f"{C}description/{C}langstring").get("lang") == "en"
    (au,) = root.findall(f"{C}au")
    assert au.get("id") == MODULE_IRI
    assert (au.get("moveOn"), au.get("masteryScore"), au.get("launchMethod")) == (
        "CompletedAndPassed", "0.7", "AnyWindow")
    assert au.get("activityType") == "http://adlnet.gov/expapi/activities/course"
    assert au.findtext(f"{C}url") == "index.html"
    assert data["mode"] == "cmi5"
    xapi = data["xapi"]
    assert isinstance(xapi, dict)
    assert "auth" not in xapi and "endpoint" not in xapi  # the LMS gives both at launch


def test_sco_per_lesson_gives_one_au_per_page(sample_project: Path) -> None:
    package = build_cmi5(sample_project, "--sco-per-lesson")
    assert validate_package(package) == []
    with zipfile.ZipFile(package) as archive:
        root = etree.fromstring(archive.read("cmi5.xml"))
    aus = root.findall(f"{C}au")
    ids = [au.get("id") for au in aus]
    assert len(aus) > 3 and len(set(ids)) == len(ids)
    assert all(is_iri(i) and i.startswith(MODULE_IRI) for i in ids)
    final = [au for au in aus if au.get("masteryScore")]
    assert [au.get("id") for au in final] == [f"{MODULE_IRI}/final-test"]
    assert final[0].get("moveOn") == "CompletedAndPassed"
    assert {au.get("moveOn") for au in aus if au not in final} == {"Completed"}


def test_cmi5_is_registered() -> None:
    assert "cmi5" in FORMATS


def test_a_spec_not_rendered_for_cmi5_is_refused(tmp_path: Path, multi_spec: object) -> None:
    with pytest.raises(BuildError, match="not rendered for cmi5"):
        FORMATS["cmi5"](multi_spec, tmp_path)  # type: ignore[arg-type]
    assert not any(tmp_path.iterdir())


GOOD = f"""<courseStructure xmlns="{NS}">
<course id="https://example.org/c"><title><langstring lang="en">T</langstring></title>
<description><langstring lang="en">D</langstring></description></course>
<au id="https://example.org/au" moveOn="Completed" masteryScore="0.75">
<title><langstring lang="en">A</langstring></title>
<description><langstring lang="en">B</langstring></description><url>index.html</url></au>
</courseStructure>"""


@pytest.mark.parametrize(("old", "new", "message"), [
    ('id="https://example.org/au"', 'id="au-1"', "AU id must be an absolute IRI"),
    ('id="https://example.org/au"', 'id="https://example.org/c"', "is used twice"),
    ('masteryScore="0.75"', 'masteryScore="1.5"', "masteryScore must be a decimal in [0, 1]"),
    ('masteryScore="0.75"', 'masteryScore="0.12345"', "up to 4 decimals"),
    ('masteryScore="0.75"', 'masteryScore="high"', "masteryScore must be"),
    ('moveOn="Completed"', 'moveOn="Done"', "moveOn must be one of"),
    ('moveOn="Completed"', 'launchMethod="NewTab"', "launchMethod must be"),
    ("<url>index.html</url>", "", "exactly one non-empty <url>"),
    ("<url>index.html</url>", "<url>start.html</url>", "is not a file of the package"),
    ('<title><langstring lang="en">A</langstring></title>', "", "must start with <title>"),
    ('<langstring lang="en">D</langstring>', "", "one or more <langstring"),
    (f'xmlns="{NS}"', 'xmlns="urn:other"', "the root must be <courseStructure"),
    ("</courseStructure>", "", "not well-formed XML"),
])
def test_course_structure_checks(old: str, new: str, message: str) -> None:
    xml = GOOD.replace(old, new, 1).encode()
    found = check_course_structure(xml, "cmi5.xml", {"index.html"})
    assert any(message in d.message for d in found), [d.message for d in found]
    assert all(d.location.file == "cmi5.xml" for d in found)


def test_the_good_structure_passes() -> None:
    assert check_course_structure(GOOD.encode(), "cmi5.xml", {"index.html"}) == []


def test_validate_package_reports_a_broken_cmi5_zip(sample_project: Path, tmp_path: Path) -> None:
    package = build_cmi5(sample_project)
    broken = tmp_path / "broken-cmi5.zip"
    with zipfile.ZipFile(package) as source, zipfile.ZipFile(broken, "w") as dest:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "cmi5.xml":
                data = data.replace(b'masteryScore="0.7"', b'masteryScore="70"')
            dest.writestr(info, data)
    (problem,) = validate_package(broken)
    assert "masteryScore" in problem.message and str(problem.location.file).endswith("cmi5.xml")
    assert problem.location.line


def test_the_shipped_xsd_is_the_official_one_unedited() -> None:
    if not SHARED_XSD.exists():
        pytest.skip(f"{SHARED_XSD} is not there to compare with")
    assert SHIPPED_XSD.read_bytes() == SHARED_XSD.read_bytes()


def test_a_structure_the_xsd_refuses_is_reported() -> None:
    """An element the explicit checks do not know still fails, through the XSD."""
    bad = GOOD.replace("</course>", "<unknownThing/></course>", 1)
    problems = check_course_structure(bad.encode(), "cmi5.xml", {"index.html"})
    assert problems and all(p.location.file == "cmi5.xml" for p in problems)


def test_against_the_official_xsd(sample_project: Path) -> None:
    """cmi5.xml validates against the cmi5 spec's CourseStructure.xsd, read from the
    shared schemas folder, independently of the copy the package ships."""
    xsd = SHARED_XSD if SHARED_XSD.exists() else SHIPPED_XSD
    schema = etree.XMLSchema(etree.parse(str(xsd)))
    for extra in ((), ("--sco-per-lesson",)):
        with zipfile.ZipFile(build_cmi5(sample_project, *extra)) as archive:
            schema.assertValid(etree.fromstring(archive.read("cmi5.xml")))
        for old in (sample_project / "out").glob("*"):
            old.unlink()
