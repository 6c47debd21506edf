"""``moodle_backup.xml``: what the backup holds and how it was made (Moodle reads it
first, to plan the restore: backup/util/helper/backup_general_helper.class.php)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from mirco_lms.moodle.model import MOODLE_RELEASE, MOODLE_VERSION, Course
from mirco_lms.moodle.xml import Value, document, element, group

SITE = "http://mirco.invalid"
"""The "original site" of every mirco backup: no Moodle site, so nothing is linked to it."""

ROOT_SETTINGS: tuple[tuple[str, int], ...] = (
    ("imscc11", 0), ("users", 0), ("anonymize", 0), ("role_assignments", 0),
    ("activities", 1), ("blocks", 0), ("files", 1), ("filters", 0), ("comments", 0),
    ("badges", 0), ("calendarevents", 0), ("userscompletion", 0), ("logs", 0),
    ("grade_histories", 0), ("groups", 0), ("competencies", 0),
    ("customfield", 0), ("contentbankcontent", 0), ("xapistate", 0), ("legacyfiles", 0),
)
"""What a course backup without users includes (the restore offers only these)."""


@dataclass(frozen=True)
class Activity:
    """An activity as the backup's table of contents lists it."""

    cmid: int
    sectionid: int
    modulename: str
    title: str

    @property
    def directory(self) -> str:
        return f"activities/{self.modulename}_{self.cmid}"


@dataclass(frozen=True)
class Section:
    sectionid: int
    number: int

    @property
    def directory(self) -> str:
        return f"sections/section_{self.sectionid}"


def moodle_backup_xml(course: Course, name: str, contextid: int,
                      sections: Sequence[Section], activities: Sequence[Activity]) -> bytes:
    info: dict[str, Value | etree._Element] = {
        "name": name, "moodle_version": MOODLE_VERSION,
        "moodle_release": f"{MOODLE_RELEASE} (Build: {str(MOODLE_VERSION)[:8]})",
        "backup_version": MOODLE_VERSION, "backup_release": MOODLE_RELEASE,
        "backup_date": course.timestamp, "mnet_remoteusers": 0, "include_files": 1,
        "include_file_references_to_external_content": 0, "original_wwwroot": SITE,
        "original_site_identifier_hash": hashlib.md5(SITE.encode()).hexdigest(),
        "original_course_id": 1, "original_course_format": "topics",
        "original_course_fullname": course.fullname,
        "original_course_shortname": course.shortname,
        "original_course_startdate": course.timestamp, "original_course_enddate": 0,
        "original_course_contextid": contextid, "original_system_contextid": 1,
    }
    detail = element("detail", {
        "type": "course", "format": "moodle2", "interactive": 1, "mode": 10,
        "execution": 1, "executiontime": 0,
    }, backup_id=hashlib.md5(name.encode()).hexdigest())
    contents = element("contents", children=[
        group("activities", [element("activity", {
            "moduleid": a.cmid, "sectionid": a.sectionid, "modulename": a.modulename,
            "title": a.title, "directory": a.directory}) for a in activities]),
        group("sections", [element("section", {
            "sectionid": s.sectionid, "title": s.number, "directory": s.directory})
            for s in sections]),
        element("course", {"courseid": 1, "title": course.shortname, "directory": "course"}),
    ])
    information = element("information", info, [group("details", [detail]), contents,
                                                 _settings(name, sections, activities)])
    return document(group("moodle_backup", [information]))


def _settings(name: str, sections: Sequence[Section],
              activities: Sequence[Activity]) -> etree._Element:
    rows = [_setting("root", None, "filename", name)]
    rows += [_setting("root", None, key, value) for key, value in ROOT_SETTINGS]
    for section in sections:
        rows += [_setting("section", ("section", f"section_{section.sectionid}"),
                          f"section_{section.sectionid}_{what}", value)
                 for what, value in (("included", 1), ("userinfo", 0))]
        for activity in activities:
            if activity.sectionid != section.sectionid:
                continue
            key = f"{activity.modulename}_{activity.cmid}"
            rows += [_setting("activity", ("activity", key), f"{key}_{what}", value)
                     for what, value in (("included", 1), ("userinfo", 0))]
    return group("settings", rows)


def _setting(level: str, owner: tuple[str, str] | None, name: str,
             value: Value) -> etree._Element:
    fields: dict[str, Value] = {"level": level}
    if owner:
        fields[owner[0]] = owner[1]
    fields.update({"name": name, "value": value})
    return element("setting", fields)
