"""The SCORM activity: the package's SCOs as Moodle's parser records them, and
``activities/scorm_N/scorm.xml`` with the settings the README recommends."""

from __future__ import annotations

import hashlib
import io
import zipfile

from lxml import etree

from mirco_lms.errors import BuildError, Location
from mirco_lms.moodle.model import CourseModule, Sco
from mirco_lms.moodle.xml import element, group

CP = "{http://www.imsproject.org/xsd/imscp_rootv1p1p2}"
ADLCP = "{http://www.adlnet.org/xsd/adlcp_rootv1p2}"

# Moodle's constants (mod/scorm/locallib.php, lib.php)
GRADEHIGHEST = 1
"""Grading method: the highest score of the SCOs (one SCO: its score)."""
HIGHESTATTEMPT = 0
"""Which attempt counts: the highest."""
SKIPVIEW_ALWAYS = 2
"""Student skip content structure page: always (straight into the package)."""
TOC_DISABLED = 3
"""Display course structure in player: hidden (the package has its own contents)."""
NAV_NONE = 0
"""Show navigation: no (the package has next / previous buttons)."""
STATUS_PASSED = 2
STATUS_COMPLETED = 4
"""Bits of ``completionstatusrequired``; both set: either status completes."""


def package_scoes(name: str, data: bytes) -> tuple[Sco, ...]:
    """The organization and items of a SCORM 1.2 zip, in Moodle's ``scorm_scoes`` form."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            root = etree.fromstring(archive.read("imsmanifest.xml"))
    except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
        raise BuildError(f"{name} is no SCORM package: {exc}", location=Location(file=name),
                         hint="build it again with --force") from exc
    manifest = root.get("identifier", "")
    hrefs = {r.get("identifier"): r.get(f"{ADLCP}scormtype") and r.get("href", "")
             for r in root.iter(f"{CP}resource")}
    scoes: list[Sco] = []
    for org in root.iter(f"{CP}organization"):
        org_id = org.get("identifier", "")
        scoes.append(Sco(manifest, "", "/", org_id, "", "", _title(org)))
        for item in org.iter(f"{CP}item"):
            parent = item.getparent()
            mastery = item.findtext(f"{ADLCP}masteryscore")
            scoes.append(Sco(
                manifest, org_id, parent.get("identifier", "") if parent is not None else "",
                item.get("identifier", ""), hrefs.get(item.get("identifierref")) or "",
                "sco" if item.get("identifierref") else "", _title(item),
                int(float(mastery)) if mastery else None))
    return tuple(scoes)


def _title(node: etree._Element) -> str:
    return (node.findtext(f"{CP}title") or "").strip()


REQUIRED_STATUS = STATUS_PASSED | STATUS_COMPLETED
"""Moodle's "Require status": passed or completed. A module with a final test reports
passed once it is passed, one without reports completed; failed satisfies neither."""


def scorm_xml(module: CourseModule, instance: int, cmid: int, contextid: int,
              timestamp: int) -> etree._Element:
    """``scorm.xml``: the activity, its settings and its SCOs."""
    launch = next((i for i, sco in enumerate(module.scoes, 1) if sco.launch), 0)
    fields = {
        "name": module.title, "scormtype": "local", "reference": module.package_name,
        "intro": "", "introformat": 1, "version": "SCORM_1.2", "maxgrade": 100,
        "grademethod": GRADEHIGHEST, "whatgrade": HIGHESTATTEMPT,
        "maxattempt": module.attempts, "forcecompleted": 0, "forcenewattempt": 0,
        "lastattemptlock": 0, "masteryoverride": 1, "displayattemptstatus": 1,
        "displaycoursestructure": 0, "updatefreq": 0,
        "sha1hash": hashlib.sha1(module.package).hexdigest(), "md5hash": "", "revision": 1,
        "launch": launch, "skipview": SKIPVIEW_ALWAYS, "hidebrowse": 1,
        "hidetoc": TOC_DISABLED, "nav": NAV_NONE, "navpositionleft": -100,
        "navpositiontop": -100, "auto": 0, "popup": 0, "options": "", "width": 100,
        "height": 500, "timeopen": 0, "timeclose": 0, "timemodified": timestamp,
        "completionstatusrequired": REQUIRED_STATUS,
        "completionscorerequired": None, "completionstatusallscos": 0, "autocommit": 0,
    }
    scoes = group("scoes", [_sco(sco, i) for i, sco in enumerate(module.scoes, 1)])
    scorm = element("scorm", fields, [scoes], id=instance)
    return element("activity", children=[scorm], id=instance, moduleid=cmid,
                   modulename="scorm", contextid=contextid)


def _sco(sco: Sco, sco_id: int) -> etree._Element:
    datas = []
    if sco.scormtype == "sco":
        values = [("isvisible", "true"), ("parameters", "")]
        if sco.mastery_score is not None:
            values.append(("masteryscore", str(sco.mastery_score)))
        datas = [element("sco_data", {"name": k, "value": v}, id=sco_id * 10 + n)
                 for n, (k, v) in enumerate(values, 1)]
    fields = {"manifest": sco.manifest, "organization": sco.organization,
              "parent": sco.parent, "identifier": sco.identifier, "launch": sco.launch,
              "scormtype": sco.scormtype, "title": sco.title, "sortorder": sco_id}
    children = [group("sco_datas", datas), group("seq_ruleconds"), group("seq_rolluprules"),
                group("seq_objectives"), group("sco_tracks")]
    return element("sco", fields, children, id=sco_id)
