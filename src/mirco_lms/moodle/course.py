"""The course level of a backup: ``course/``, ``sections/``, the gradebook and course
completion (backup/moodle2/backup_stepslib.php: course, section, gradebook, completion)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from lxml import etree

from mirco_lms.moodle.activities import grade_item
from mirco_lms.moodle.model import Course, CourseModule
from mirco_lms.moodle.xml import Value, document, element, group

COMPLETION_CRITERIA_TYPE_ACTIVITY = 4
COMPLETION_AGGREGATION_ALL = 1
GRADE_AGGREGATE_SUM = 13
"""Natural: a category's total is the sum of its items."""


def course_xml(course: Course, contextid: int) -> bytes:
    fields: dict[str, Value] = {
        "shortname": course.shortname, "fullname": course.fullname, "idnumber": "",
        "summary": course.summary, "summaryformat": 1, "format": "topics", "showgrades": 1,
        "newsitems": 0, "startdate": course.timestamp, "enddate": 0, "marker": 0,
        "maxbytes": 0, "legacyfiles": 0, "showreports": 0, "visible": 1, "groupmode": 0,
        "groupmodeforce": 0, "defaultgroupingid": 0, "lang": course.language, "theme": "",
        "timecreated": course.timestamp, "timemodified": course.timestamp, "requested": 0,
        "showactivitydates": 0, "showcompletionconditions": 1, "pdfexportfont": None,
        "enablecompletion": 1, "completionnotify": 0,
    }
    category = element("category", {"name": "Miscellaneous", "description": None}, id=1)
    options = [element("courseformatoption", {"format": "topics", "sectionid": 0,
                                              "name": name, "value": value})
               for name, value in (("hiddensections", 1), ("coursedisplay", 0))]
    children = [category, group("tags"), group("customfields"),
                group("courseformatoptions", options)]
    return document(element("course", fields, children, id=1, contextid=contextid))


def course_files(course: Course, contextid: int) -> dict[str, bytes]:
    """Every file of ``course/``: the course, a manual enrolment method, no users."""
    manual = element("enrol", {
        "enrol": "manual", "status": 0, "name": None, "enrolperiod": 0,
        "enrolstartdate": 0, "enrolenddate": 0, "expirynotify": 0,
        "expirythreshold": 86400, "notifyall": 0, "password": None, "cost": None,
        "currency": None, "roleid": 5, **{f"customint{i}": None for i in range(1, 9)},
        **{f"customchar{i}": None for i in range(1, 4)}, "customdec1": None,
        "customdec2": None, **{f"customtext{i}": None for i in range(1, 5)},
        "timecreated": course.timestamp, "timemodified": course.timestamp,
    }, [group("user_enrolments")], id=1)
    return {
        "course/course.xml": course_xml(course, contextid),
        "course/inforef.xml": document(group("inforef", [group("roleref", [
            element("role", {"id": 5})])])),
        "course/completiondefaults.xml": document(group("course_completion_defaults")),
        "course/enrolments.xml": document(group("enrolments", [group("enrols", [manual])])),
        "course/roles.xml": document(group("roles", [group("role_overrides"),
                                                     group("role_assignments")])),
        "course/contentbank.xml": document(group("contents")),
        "course/competencies.xml": document(group("course_competencies", [
            group("competencies"), group("user_competencies")])),
        "course/filters.xml": document(group("filters", [group("filter_actives"),
                                                         group("filter_configs")])),
        "course/calendar.xml": document(group("events")),
        "course/comments.xml": document(group("comments")),
    }


def section_xml(sectionid: int, number: int, name: str | None, summary: str,
                sequence: Sequence[int], timestamp: int) -> bytes:
    fields: dict[str, Value] = {
        "number": number, "name": name, "summary": summary, "summaryformat": 1,
        "sequence": ",".join(str(cmid) for cmid in sequence), "visible": 1,
        "availabilityjson": None, "timemodified": timestamp,
    }
    return document(element("section", fields, id=sectionid))


def section_summary(module: CourseModule, outcomes_label: str) -> str:
    """The module's description and outcomes, as the section's HTML summary."""
    html = f"<p>{escape(module.description)}</p>" if module.description else ""
    if module.outcomes:
        items = "".join(f"<li>{escape(text)}</li>" for text in module.outcomes)
        html += f"<p><strong>{escape(outcomes_label)}</strong></p><ul>{items}</ul>"
    return html


def course_completion_xml(cmids: Sequence[int]) -> bytes:
    """Course completion: every module's SCORM activity complete."""
    criteria = [element("course_completion_criteria", {
        "course": 1, "criteriatype": COMPLETION_CRITERIA_TYPE_ACTIVITY, "module": "scorm",
        "moduleinstance": cmid, "courseinstanceshortname": None, "enrolperiod": None,
        "timeend": None, "gradepass": None, "role": None, "roleshortname": None,
    }, [group("course_completion_crit_completions")], id=n) for n, cmid in enumerate(cmids, 1)]
    kinds = (None, COMPLETION_CRITERIA_TYPE_ACTIVITY)  # overall, and among the activities
    methods = [element("course_completion_aggr_methd", {
        "course": 1, "criteriatype": kind, "method": COMPLETION_AGGREGATION_ALL,
        "value": None}, id=n) for n, kind in enumerate(kinds, 1)]
    return document(group("course_completion", [*criteria, *methods]))


def gradebook_xml(categories: Sequence[tuple[int, str]], timestamp: int) -> bytes:
    """The course category, a category per module (id, name), and their total items."""
    def category(cat_id: int, name: str, parent: int | None) -> etree._Element:
        return element("grade_category", {
            "parent": parent, "depth": 1 if parent is None else 2,
            "path": f"/{cat_id}/" if parent is None else f"/{parent}/{cat_id}/",
            "fullname": name, "aggregation": GRADE_AGGREGATE_SUM, "keephigh": 0,
            "droplow": 0, "aggregateonlygraded": 1 if parent is None else 0,
            "aggregateoutcomes": 0, "timecreated": timestamp, "timemodified": timestamp,
            "hidden": 0}, id=cat_id)

    cats = [category(1, "?", None), *(category(i, n, 1) for i, n in categories)]
    items = [grade_item(1, {"itemtype": "course", "iteminstance": 1, "sortorder": 1,
                            "needsupdate": 1}, timestamp)]
    for n, (cat_id, _) in enumerate(categories):
        items.append(grade_item(1000 + cat_id, {
            "itemtype": "category", "iteminstance": cat_id, "sortorder": 2 + 2 * n,
            "needsupdate": 1}, timestamp))
    setting = element("grade_setting", {"name": "minmaxtouse", "value": 1}, id="")
    return document(group("gradebook", [group("attributes"), group("grade_categories", cats),
                                        group("grade_items", items), group("grade_letters"),
                                        group("grade_settings", [setting])]))


def root_files(cmids: Sequence[int], categories: Sequence[tuple[int, str]],
               timestamp: int) -> dict[str, bytes]:
    """The files at the root of the backup, besides moodle_backup.xml and files.xml."""
    return {
        "completion.xml": course_completion_xml(cmids),
        "gradebook.xml": gradebook_xml(categories, timestamp),
        "grade_history.xml": document(group("grade_history", [group("grade_grades")])),
        "roles.xml": document(group("roles_definition", [element("role", {
            "name": "", "shortname": "student", "nameincourse": None, "description": "",
            "sortorder": 5, "archetype": "student"}, id=5)])),
        "groups.xml": document(group("groups", [group("groupcustomfields"), group(
            "groupings", [group("groupingcustomfields")])])),
        "scales.xml": document(group("scales_definition")),
        "outcomes.xml": document(group("outcomes_definition")),
        "questions.xml": document(group("question_categories")),
        "badges.xml": document(group("badges")),
    }
