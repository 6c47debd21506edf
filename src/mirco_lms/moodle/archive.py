"""A :class:`~mirco_lms.moodle.model.Course` → the files of its backup → the ``.mbz``.

Numbering (the ids only have to be consistent inside one backup; Moodle gives new ones on
restore): section 0 is 1, module ``k``'s section ``k + 2``; its SCORM activity course
module ``10 + 2k`` and its descriptor ``11 + 2k``; a course module's context is
``100 + cmid``; module ``k``'s grade category ``k + 2``.
"""

from __future__ import annotations

from pathlib import Path

from mirco_lms.moodle import activities as act
from mirco_lms.moodle.backup import Activity, Section, moodle_backup_xml
from mirco_lms.moodle.course import course_files, root_files, section_summary, section_xml
from mirco_lms.moodle.files import FileTable, unzip
from mirco_lms.moodle.model import Course, CourseModule
from mirco_lms.moodle.scorm import scorm_xml
from mirco_lms.moodle.xml import document, group
from mirco_lms.package.spec import PackageFile
from mirco_lms.package.zipfile import default_date_time, write_zip

COURSE_CONTEXT = 2


def backup_name(course: Course) -> str:
    return f"{course.shortname}.mbz"


def backup_files(course: Course) -> dict[str, bytes]:
    """Every file of the backup of ``course``, by its path in the archive."""
    table = FileTable(course.timestamp)
    out: dict[str, bytes] = {}
    sections = [Section(1, 0)]
    listed: list[Activity] = []
    out[f"{sections[0].directory}/section.xml"] = section_xml(
        1, 0, None, course.summary, [], course.timestamp)
    out[f"{sections[0].directory}/inforef.xml"] = document(group("inforef"))
    for k, module in enumerate(course.modules):
        section = Section(k + 2, k + 1)
        sections.append(section)
        scorm, descriptor = 10 + 2 * k, 11 + 2 * k
        out.update(_scorm_activity(module, k, scorm, section, table, course.timestamp))
        out.update(_descriptor_activity(module, k, descriptor, section, table, course))
        listed += [Activity(scorm, section.sectionid, "scorm", module.title),
                   Activity(descriptor, section.sectionid, "resource",
                            _descriptor_title(module, course))]
        out[f"{section.directory}/section.xml"] = section_xml(
            section.sectionid, section.number, module.title,
            section_summary(module, course.labels.get("outcomes", "Learning outcomes")),
            [scorm, descriptor], course.timestamp)
        out[f"{section.directory}/inforef.xml"] = document(group("inforef"))
    out.update(course_files(course, COURSE_CONTEXT))
    categories = [(k + 2, m.title) for k, m in enumerate(course.modules)]
    out.update(root_files([10 + 2 * k for k in range(len(course.modules))], categories,
                          course.timestamp))
    out["files.xml"] = document(table.xml())
    out.update(table.pool())
    out["moodle_backup.xml"] = moodle_backup_xml(
        course, backup_name(course), COURSE_CONTEXT, sections, listed)
    return out


def _descriptor_title(module: CourseModule, course: Course) -> str:
    return f"{module.title}: {course.labels.get('descriptor', 'course descriptor')}"


def _scorm_activity(module: CourseModule, k: int, cmid: int, section: Section,
                    table: FileTable, timestamp: int) -> dict[str, bytes]:
    folder = f"activities/scorm_{cmid}"
    context = 100 + cmid
    stored = [table.add(context, "mod_scorm", "package", "/", module.package_name,
                        module.package)]
    stored += table.add_tree(context, "mod_scorm", "content", unzip(module.package))
    item = act.grade_item(100 + k, {
        "categoryid": k + 2, "itemname": module.title, "itemmodule": "scorm",
        "iteminstance": k + 1, "itemnumber": 0, "idnumber": "",
        "gradepass": float(module.passing_score or 0), "aggregationcoef2": 1.0,
        "sortorder": 3 + 2 * k, "needsupdate": 1}, timestamp)
    files = {f"{folder}/{name}": data for name, data in act.common_files().items()}
    files.update({
        f"{folder}/scorm.xml": document(scorm_xml(module, k + 1, cmid, context, timestamp)),
        f"{folder}/module.xml": act.module_xml(cmid, "scorm", section.sectionid,
                                               section.number, timestamp,
                                               act.COMPLETION_AUTOMATIC),
        f"{folder}/inforef.xml": act.inforef_xml(stored, [100 + k]),
        f"{folder}/grades.xml": act.grades_xml([item]),
    })
    return files


def _descriptor_activity(module: CourseModule, k: int, cmid: int, section: Section,
                         table: FileTable, course: Course) -> dict[str, bytes]:
    folder = f"activities/resource_{cmid}"
    context = 100 + cmid
    stored = [table.add(context, "mod_resource", "content", "/", ".", b""),
              table.add(context, "mod_resource", "content", "/", module.descriptor_name,
                        module.descriptor, sortorder=1)]
    files = {f"{folder}/{name}": data for name, data in act.common_files().items()}
    files.update({
        f"{folder}/resource.xml": act.resource_xml(k + 1, cmid, context,
                                                   _descriptor_title(module, course),
                                                   course.timestamp),
        f"{folder}/module.xml": act.module_xml(cmid, "resource", section.sectionid,
                                               section.number, course.timestamp, 0),
        f"{folder}/inforef.xml": act.inforef_xml(stored),
        f"{folder}/grades.xml": act.grades_xml([]),
    })
    return files


def write_backup(course: Course, out_dir: Path) -> tuple[Path, int]:
    """Write ``<out_dir>/<shortname>.mbz`` atomically (a zip, which Moodle restores like
    its own .tar.gz backups); the path and its size."""
    dest = Path(out_dir) / backup_name(course)
    files = [PackageFile(path, data) for path, data in backup_files(course).items()]
    size = write_zip(dest, files, date_time=default_date_time())
    return dest, size
