"""What Moodle's restore reads from a backup, checked on the archive's files.

The restore (backup/util/helper/backup_general_helper.class.php, restore_stepslib.php)
reads moodle_backup.xml for the plan, then for each section and activity listed there
its folder's XML, files.xml for the file pool and each inforef.xml for what a part
refers to. A backup that breaks one of these rules restores with warnings or not at all.
"""

from __future__ import annotations

import hashlib
from typing import Any

from lxml import etree

ACTIVITY_FILES = ("module.xml", "inforef.xml", "grades.xml", "roles.xml", "calendar.xml",
                  "comments.xml", "completion.xml", "filters.xml", "grade_history.xml",
                  "competencies.xml")
ROOT_FILES = ("moodle_backup.xml", "files.xml", "completion.xml", "gradebook.xml",
              "grade_history.xml", "roles.xml", "groups.xml", "scales.xml", "outcomes.xml",
              "questions.xml", "badges.xml", "course/course.xml", "course/inforef.xml",
              "course/enrolments.xml", "course/roles.xml")


def parse(files: dict[str, bytes], path: str) -> Any:
    data = files[path]
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n'), path
    return etree.fromstring(data)


def check_backup(files: dict[str, bytes]) -> dict[str, Any]:
    """Every rule below; returns what was found (for the caller's own assertions)."""
    for path in ROOT_FILES:
        assert path in files, f"{path} missing"
    for path in files:
        if path.endswith(".xml"):
            parse(files, path)  # well-formed, with Moodle's declaration
    info = parse(files, "moodle_backup.xml").find("information")
    assert info.findtext("details/detail/format") == "moodle2"
    assert info.findtext("details/detail/type") == "course"
    assert int(info.findtext("backup_version")) <= 2022112800  # restorable into 4.1 LTS
    stored = _files(files)
    sections = {s.findtext("sectionid"): s.findtext("directory")
                for s in info.iterfind("contents/sections/section")}
    activities = list(info.iterfind("contents/activities/activity"))
    settings = {s.findtext("name"): s.findtext("value") for s in info.iterfind("settings/setting")}
    assert settings["users"] == "0" and settings["files"] == "1"
    for directory in sections.values():
        section = parse(files, f"{directory}/section.xml")
        assert f"{directory}/inforef.xml" in files
        assert settings[f"{directory.split('/')[1]}_included"] == "1"
        listed = [a.findtext("moduleid") for a in activities
                  if sections[a.findtext("sectionid")] == directory]
        sequence = section.findtext("sequence")
        assert (sequence.split(",") if sequence else []) == listed
    for activity in activities:
        _check_activity(files, activity, stored, settings)
    _check_gradebook(files, activities)
    criteria = parse(files, "completion.xml").iterfind("course_completion_criteria")
    scorms = {a.findtext("moduleid") for a in activities if a.findtext("modulename") == "scorm"}
    assert {c.findtext("moduleinstance") for c in criteria} == scorms
    return {"info": info, "activities": activities, "sections": sections, "files": stored}


def _files(files: dict[str, bytes]) -> dict[str, etree._Element]:
    stored = {}
    for node in parse(files, "files.xml").iterfind("file"):
        stored[node.get("id")] = node
        if node.findtext("filename") == ".":
            assert node.findtext("contenthash") == hashlib.sha1(b"").hexdigest()
            continue
        digest = node.findtext("contenthash")
        data = files[f"files/{digest[:2]}/{digest}"]
        assert hashlib.sha1(data).hexdigest() == digest
        assert int(node.findtext("filesize")) == len(data)
    return stored


def _check_activity(files: dict[str, bytes], activity: Any, stored: dict[str, Any],
                    settings: dict[str, str]) -> None:
    directory = activity.findtext("directory")
    name = activity.findtext("modulename")
    cmid = activity.findtext("moduleid")
    assert directory == f"activities/{name}_{cmid}"
    assert settings[f"{name}_{cmid}_included"] == "1"
    for part in (*ACTIVITY_FILES, f"{name}.xml"):
        assert f"{directory}/{part}" in files, f"{directory}/{part} missing"
    own = parse(files, f"{directory}/{name}.xml")
    assert (own.get("moduleid"), own.get("modulename")) == (cmid, name)
    module = parse(files, f"{directory}/module.xml")
    assert module.get("id") == cmid and module.findtext("modulename") == name
    assert module.findtext("sectionid") == activity.findtext("sectionid")
    refs = parse(files, f"{directory}/inforef.xml")
    for ref in refs.iterfind("fileref/file"):
        node = stored[ref.findtext("id")]  # every referenced file is in files.xml
        assert node.findtext("contextid") == own.get("contextid")
        assert node.findtext("component") == f"mod_{name}"


def _check_gradebook(files: dict[str, bytes], activities: list[Any]) -> None:
    book = parse(files, "gradebook.xml")
    categories = {c.get("id") for c in book.iterfind("grade_categories/grade_category")}
    for activity in activities:
        grades = parse(files, f"{activity.findtext('directory')}/grades.xml")
        for item in grades.iterfind("grade_items/grade_item"):
            assert item.findtext("categoryid") in categories
            assert item.findtext("itemmodule") == activity.findtext("modulename")
