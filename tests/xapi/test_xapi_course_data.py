"""What the render stage gives the runtime's xAPI sender (docs/xapi-profile.md §1)."""

from __future__ import annotations

import base64
import json
import re
import zipfile
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from mirco_lms.cli import main
from mirco_lms.render.assemble import RUNTIME_DIR, XAPI_SOURCES
from mirco_lms.xapi import profile as p
from mirco_lms.xapi.profile import runtime_iris

MODULE = "migration-human-rights"
BASE = "https://training.example.org/mirco"
TRACKING = f"""
[tracking]
endpoint = "https://lrs.example.org/xapi/"
key = "pkg-key"
secret = "pkg-secret"
activity_base = "{BASE}"
homepage = "https://lms.example.org"
"""


def built(project: Path, fmt: str, tracking: bool) -> dict[str, Any]:
    if tracking:
        toml = project / "mirco.toml"
        text = toml.read_text(encoding="utf-8").replace(
            "[project]\n", "[project]\ninstitution = \"Ministry of Interior\"\n")
        toml.write_text(text + TRACKING, encoding="utf-8")
    out = project / f"out-{fmt}-{tracking}"
    result = CliRunner().invoke(main, ["build", "--project", str(project), "--format", fmt,
                                       "--out", str(out), MODULE])
    assert result.exit_code == 0, result.output
    (package,) = out.glob("*.zip")
    with zipfile.ZipFile(package) as archive:
        html = archive.read("index.html").decode()
        js = archive.read("_mirco/mirco.js").decode()
    found = re.search(r'id="mirco-course">(.*?)</script>', html, re.S)
    assert found
    return {"data": json.loads(found.group(1)), "html": html, "js": js}


def test_tracked_package_carries_ids_and_credential(sample_project: Path) -> None:
    got = built(sample_project, "scorm2004", tracking=True)
    xapi = got["data"]["xapi"]
    module = f"{BASE}/{MODULE}"
    assert xapi["endpoint"] == "https://lrs.example.org/xapi/"
    assert base64.b64decode(xapi["auth"].removeprefix("Basic ")) == b"pkg-key:pkg-secret"
    assert xapi["module"] == {"id": module, "type": "http://adlnet.gov/expapi/activities/course"}
    assert xapi["unit"] == xapi["module"]
    pages = xapi["pages"]
    assert {k: pages["final"][k] for k in ("id", "type")} == {
        "id": f"{module}/final-test", "type": "http://adlnet.gov/expapi/activities/assessment"}
    assert pages["pretest"]["id"] == f"{module}/pretest"
    lessons = {k: v for k, v in pages.items() if k.startswith("lesson-")}
    assert lessons and all(v["id"] == f"{module}/{k.removeprefix('lesson-')}"
                           for k, v in lessons.items())
    assert "overview" not in pages
    # [project] describes the training provider, never the learner
    assert xapi["provider"] == {"institution": "Ministry of Interior", "country": "RS"}
    assert "institution" not in xapi and "country" not in xapi
    assert xapi["version"] == "1.0.0"
    assert 'class="mirco-learner"' in got["html"]
    assert "function Sender(" in got["js"] and "function startXapi(" in got["js"]


def test_untracked_package_has_no_sender(sample_project: Path) -> None:
    got = built(sample_project, "scorm12", tracking=False)
    assert "xapi" not in got["data"]
    assert "mirco-learner" not in got["html"]
    for name in XAPI_SOURCES:
        first = (RUNTIME_DIR / name).read_text(encoding="utf-8").splitlines()[1]
        assert first not in got["js"]


def test_cmi5_ids_carry_no_language(sample_project: Path) -> None:
    """The language goes in context.language, never in an id (and no credential in cmi5)."""
    got = built(sample_project, "cmi5", tracking=True)
    xapi = got["data"]["xapi"]
    assert got["data"]["language"] == "en"
    assert all("/en" not in v["id"] for v in xapi["pages"].values())
    assert "auth" not in xapi


def test_pages_carry_their_outcome_ids(sample_project: Path) -> None:
    """A lesson: the outcomes of its syllabus units (and knowledge checks); an assessment:
    those its questions assess — read here from the sources' `outcome=` attributes."""
    pages = built(sample_project, "scorm12", tracking=True)["data"]["xapi"]["pages"]
    source = sample_project / "modules" / MODULE
    for page, name in (("final", "final-test.md"), ("pretest", "pretest.md")):
        text = (source / name).read_text(encoding="utf-8")
        assessed = {o for found in re.findall(r"outcome=([\w,.-]+)", text)
                    for o in found.split(",")}
        assert assessed and set(pages[page]["outcomes"]) == assessed
    lesson = pages["lesson-foundations"]["outcomes"]
    assert {"LO1", "LO5"} <= set(lesson) and lesson == sorted(lesson)


def test_packages_carry_the_profile_iris(sample_project: Path) -> None:
    """The runtime sends the profile's IRIs from the course data, in every format that
    sends statements (docs/xapi-profile.md; mirco_lms/xapi/profile.py)."""
    iris = runtime_iris()
    for fmt in ("scorm2004", "cmi5"):
        xapi = built(sample_project, fmt, tracking=fmt == "scorm2004")["data"]["xapi"]
        assert xapi["profile"] == iris
    assert iris["verbs"]["answered"] == p.ANSWERED
    assert iris["extensions"]["attempt"] == p.EXT_ATTEMPT
    assert iris["categories"]["mirco"] == p.CATEGORY
