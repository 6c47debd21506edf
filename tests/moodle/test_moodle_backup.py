"""Moodle course backups: the archive's rules (what Moodle's restore reads), golden XML,
deterministic bytes, and ``mirco build --format moodle`` end to end on the sample project."""

from __future__ import annotations

import io
import os
import zipfile
from html import unescape
from pathlib import Path

import pytest
from backup_checks import check_backup, parse
from click.testing import CliRunner

from mirco_lms.build import BuildOptions, build
from mirco_lms.cli import main
from mirco_lms.config import ProjectConfig
from mirco_lms.errors import BuildError
from mirco_lms.moodle import Course, CourseModule, backup_files, write_backup
from mirco_lms.moodle.scorm import package_scoes

GOLDEN = Path(__file__).parent / "golden"
MANIFEST = b"""<?xml version="1.0" encoding="UTF-8"?>
<manifest xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2" identifier="MIRCO-demo-1.0.0-en">
 <organizations default="ORG-demo">
  <organization identifier="ORG-demo"><title>Demo &amp; test</title>
   <item identifier="ITEM-a" identifierref="RES-a"><title>Lesson A</title>
    <adlcp:masteryscore>80</adlcp:masteryscore></item>
   <item identifier="ITEM-b" identifierref="RES-b"><title>Lesson B</title></item>
  </organization>
 </organizations>
 <resources>
  <resource identifier="RES-a" type="webcontent" adlcp:scormtype="sco" href="a.html"/>
  <resource identifier="RES-b" type="webcontent" adlcp:scormtype="sco" href="b/b.html"/>
 </resources>
</manifest>"""


def demo_package() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in (("imsmanifest.xml", MANIFEST), ("a.html", b"<p>a</p>"),
                           ("b/b.html", b"<p>b</p>"), ("b/c/style.css", b"p{}")):
            archive.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data)
    return out.getvalue()


def demo_course(**changes: object) -> Course:
    package = demo_package()
    module = CourseModule(
        slug="demo", title="Demo <module> & “quotes”", description="What it is about.",
        outcomes=("Explain A", "Apply B"), passing_score=80, attempts=3,
        package_name="demo-1.0.0-en-scorm12.zip", package=package,
        scoes=package_scoes("demo.zip", package), descriptor_name="demo-descriptor.html",
        descriptor=b"<!DOCTYPE html><title>Demo</title>")
    fields = dict(shortname="catalogue-en", fullname="Catalogue (English)",
                  summary="<p>Centre</p>", language="", modules=(module,), timestamp=1700000000,
                  labels={"outcomes": "Learning outcomes", "descriptor": "Course descriptor"})
    fields.update(changes)
    return Course(**fields)  # type: ignore[arg-type]


def check_golden(name: str, data: bytes) -> None:
    """Compare with tests/moodle/golden/<name>; MIRCO_UPDATE_GOLDEN=1 rewrites it."""
    path = GOLDEN / name
    if os.environ.get("MIRCO_UPDATE_GOLDEN") == "1":
        path.write_bytes(data)
    assert path.is_file(), f"no golden file {path}; run with MIRCO_UPDATE_GOLDEN=1"
    assert data.decode() == path.read_text(encoding="utf-8")


GOLDEN_FILES = {
    "moodle_backup.xml": "moodle_backup.xml",
    "activities/scorm_10/scorm.xml": "scorm.xml",
    "activities/scorm_10/module.xml": "scorm-module.xml",
    "activities/scorm_10/grades.xml": "scorm-grades.xml",
    "activities/resource_11/resource.xml": "resource.xml",
    "sections/section_2/section.xml": "section.xml",
    "course/course.xml": "course.xml",
    "gradebook.xml": "gradebook.xml",
    "completion.xml": "completion.xml",
    "files.xml": "files.xml",
}


@pytest.mark.parametrize("path", sorted(GOLDEN_FILES))
def test_backup_xml_matches_golden(path: str) -> None:
    check_golden(GOLDEN_FILES[path], backup_files(demo_course())[path])


def test_backup_follows_what_moodle_restore_reads() -> None:
    files = backup_files(demo_course())
    found = check_backup(files)
    assert [a.findtext("modulename") for a in found["activities"]] == ["scorm", "resource"]
    scorm = parse(files, "activities/scorm_10/scorm.xml").find("scorm")
    settings = {name: scorm.findtext(name) for name in (
        "version", "maxgrade", "grademethod", "whatgrade", "maxattempt", "forcenewattempt",
        "masteryoverride", "skipview", "hidetoc", "nav", "popup",
        "completionstatusrequired")}
    assert settings == {
        "version": "SCORM_1.2", "maxgrade": "100", "grademethod": "1", "whatgrade": "0",
        "maxattempt": "3", "forcenewattempt": "0", "masteryoverride": "1", "skipview": "2",
        "hidetoc": "3", "nav": "0", "popup": "0", "completionstatusrequired": "6"}
    scoes = scorm.findall("scoes/sco")
    assert [s.findtext("identifier") for s in scoes] == ["ORG-demo", "ITEM-a", "ITEM-b"]
    assert [s.findtext("launch") for s in scoes] == ["", "a.html", "b/b.html"]
    assert scorm.findtext("launch") == "2"  # the first SCO's id
    module = parse(files, "activities/scorm_10/module.xml")
    assert module.findtext("completion") == "2"  # automatic, by the status rule
    section = parse(files, "sections/section_2/section.xml")
    assert "<li>Explain A</li>" in section.findtext("summary")
    assert section.findtext("name") == "Demo <module> & “quotes”"
    paths = {(f.findtext("filearea"), f.findtext("filepath"), f.findtext("filename"))
             for f in found["files"].values()}
    assert {("content", "/b/c/", "style.css"), ("content", "/b/c/", "."),
            ("package", "/", "demo-1.0.0-en-scorm12.zip")} <= paths


def test_backup_bytes_are_deterministic(tmp_path: Path) -> None:
    first, _ = write_backup(demo_course(), tmp_path)
    data = first.read_bytes()
    again, _ = write_backup(demo_course(), tmp_path / ".." / tmp_path.name)
    assert again.read_bytes() == data
    other = tmp_path / "other"
    other.mkdir()
    moved, size = write_backup(demo_course(), other)
    assert moved.read_bytes() == data and size == len(data)
    assert write_backup(demo_course(timestamp=1700000001), other)[0].read_bytes() != data


def test_a_module_without_a_final_test_has_no_passing_grade() -> None:
    course = demo_course()
    module = course.modules[0]
    plain = CourseModule(**{**module.__dict__, "passing_score": None, "attempts": 0})
    files = backup_files(demo_course(modules=(plain,)))
    item = parse(files, "activities/scorm_10/grades.xml").find("grade_items/grade_item")
    assert item.findtext("gradepass") == "0.00000"
    scorm = parse(files, "activities/scorm_10/scorm.xml").find("scorm")
    assert scorm.findtext("maxattempt") == "0"


def test_a_zip_without_manifest_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("index.html", b"")
    with pytest.raises(BuildError, match="no SCORM package"):
        package_scoes("broken.zip", out.getvalue())


# --- mirco build --format moodle -----------------------------------------------------------


@pytest.fixture
def built(sample_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    config = ProjectConfig.load(sample_project)
    report = build(config, BuildOptions(formats=("moodle",), out_dir=tmp_path / "dist", jobs=1))
    rows = [r for r in report.rows if r.format == "moodle"]
    assert [r.path.name for r in rows] == [
        "migration-management-training-centre-course-catalogue-en.mbz"]
    assert rows[0].size == rows[0].path.stat().st_size and rows[0].questions > 0
    return rows[0].path


def test_build_writes_a_restorable_course(built: Path) -> None:
    with zipfile.ZipFile(built) as archive:
        files = {info.filename: archive.read(info) for info in archive.infolist()}
    found = check_backup(files)
    # [project].organization is given per language in mirco.toml: the English one
    assert b"<p>Regional Migration Management Training Centre</p>" in unescape(
        files["course/course.xml"].decode()).encode()
    scorms = [a for a in found["activities"] if a.findtext("modulename") == "scorm"]
    assert len(scorms) == 3 == len(found["sections"]) - 1
    titles = {a.findtext("title") for a in scorms}
    assert "Migration and Human Rights" in titles
    assert (built.parent / "migration-human-rights-1.0.0-en-scorm12.zip").is_file()
    for activity in scorms:
        scorm = parse(files, f"{activity.findtext('directory')}/scorm.xml").find("scorm")
        assert scorm.findtext("maxattempt") in {"2", "3"}
        launch = [s for s in scorm.iterfind("scoes/sco") if s.findtext("launch")]
        assert [s.findtext("launch") for s in launch] == ["index.html"]


def test_build_twice_gives_the_same_course(built: Path, sample_project: Path) -> None:
    data = built.read_bytes()
    config = ProjectConfig.load(sample_project)
    report = build(config, BuildOptions(formats=("moodle",), out_dir=built.parent, jobs=1))
    assert all(r.status == "skipped" for r in report.rows if r.format != "moodle")
    assert built.read_bytes() == data


def test_moodle_is_a_format_of_the_cli_and_of_mirco_toml(sample_project: Path) -> None:
    toml = sample_project / "mirco.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace('formats = ["scorm12", "scorm2004"]', 'formats = ["moodle"]'),
                    encoding="utf-8")
    assert ProjectConfig.load(sample_project).build.formats == ("moodle",)
    result = CliRunner().invoke(main, ["build", "--project", str(sample_project),
                                       "--out", str(sample_project / "dist")])
    assert result.exit_code == 0, result.output
    assert "moodle" in result.output
    assert sorted(p.name for p in (sample_project / "dist").glob("*.mbz")) == [
        "migration-management-training-centre-course-catalogue-en.mbz"]
