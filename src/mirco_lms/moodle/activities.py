"""The files of one activity folder (``activities/<mod>_<cmid>/``), as Moodle writes them
(backup/moodle2/backup_activity_task.class.php and backup_stepslib.php)."""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from mirco_lms.moodle.files import StoredFile
from mirco_lms.moodle.model import MOODLE_VERSION
from mirco_lms.moodle.xml import Value, document, element, group

COMPLETION_AUTOMATIC = 2
"""Activity completion: show as complete when the conditions are met."""
RESOURCELIB_DISPLAY_OPEN = 5
"""A file resource opens in the course's window."""


def module_xml(cmid: int, modulename: str, sectionid: int, sectionnumber: int,
               timestamp: int, completion: int) -> bytes:
    """``module.xml``: the course module (visibility, completion tracking)."""
    fields: dict[str, Value] = {
        "modulename": modulename, "sectionid": sectionid, "sectionnumber": sectionnumber,
        "idnumber": "", "added": timestamp, "score": 0, "indent": 0, "visible": 1,
        "visibleoncoursepage": 1, "visibleold": 1, "groupmode": 0, "groupingid": 0,
        "completion": completion, "completiongradeitemnumber": None,
        "completionpassgrade": 0, "completionview": 0, "completionexpected": 0,
        "availability": None, "showdescription": 0, "downloadcontent": 1, "lang": None,
    }
    return document(element("module", fields, [group("tags")], id=cmid,
                            version=MOODLE_VERSION))


def inforef_xml(files: Iterable[StoredFile], grade_items: Iterable[int] = ()) -> bytes:
    """``inforef.xml``: the files and grade items the activity refers to."""
    children = []
    refs = [element("file", {"id": f.id}) for f in files]
    if refs:
        children.append(group("fileref", refs))
    items = [element("grade_item", {"id": i}) for i in grade_items]
    if items:
        children.append(group("grade_itemref", items))
    return document(group("inforef", children))


def grade_item(item_id: int, fields: dict[str, Value], timestamp: int) -> etree._Element:
    """A ``grade_item`` with Moodle's defaults for what ``fields`` leaves out."""
    base: dict[str, Value] = {
        "categoryid": None, "itemname": None, "itemtype": "mod", "itemmodule": None,
        "iteminstance": None, "itemnumber": None, "iteminfo": None, "idnumber": None,
        "calculation": None, "gradetype": 1, "grademax": 100.0, "grademin": 0.0,
        "scaleid": None, "outcomeid": None, "gradepass": 0.0, "multfactor": 1.0,
        "plusfactor": 0.0, "aggregationcoef": 0.0, "aggregationcoef2": 0.0,
        "weightoverride": 0, "sortorder": 1, "display": 0, "decimals": None, "hidden": 0,
        "locked": 0, "locktime": 0, "needsupdate": 0, "timecreated": timestamp,
        "timemodified": timestamp,
    }
    unknown = set(fields) - set(base)
    if unknown:
        raise ValueError(f"not grade_item fields: {sorted(unknown)}")
    return element("grade_item", {**base, **fields}, [group("grade_grades")], id=item_id)


def grades_xml(items: Iterable[etree._Element]) -> bytes:
    return document(group("activity_gradebook", [group("grade_items", items),
                                                 group("grade_letters")]))


def resource_xml(instance: int, cmid: int, contextid: int, name: str,
                 timestamp: int) -> bytes:
    """``resource.xml``: a file resource (the course descriptor), opened in place."""
    fields = {"name": name, "intro": "", "introformat": 1, "tobemigrated": 0,
              "legacyfiles": 0, "legacyfileslast": None, "display": RESOURCELIB_DISPLAY_OPEN,
              "displayoptions": "a:0:{}", "filterfiles": 0, "revision": 1,
              "timemodified": timestamp}
    resource = element("resource", fields, id=instance)
    return document(element("activity", children=[resource], id=instance, moduleid=cmid,
                            modulename="resource", contextid=contextid))


def common_files() -> dict[str, bytes]:
    """The files every activity folder has, empty here (no users, events or comments)."""
    return {
        "calendar.xml": document(group("events")),
        "comments.xml": document(group("comments")),
        "competencies.xml": document(group("course_module_competencies",
                                           [group("competencies")])),
        "completion.xml": document(group("completions", [group("completionviews")])),
        "filters.xml": document(group("filters", [group("filter_actives"),
                                                  group("filter_configs")])),
        "grade_history.xml": document(group("grade_history", [group("grade_grades")])),
        "roles.xml": document(group("roles", [group("role_overrides"),
                                              group("role_assignments")])),
        "xapistate.xml": document(group("states")),
    }
