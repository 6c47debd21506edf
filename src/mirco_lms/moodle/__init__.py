"""Moodle course backups (``.mbz``): a whole course per language, restored in one step.

``mirco build --format moodle`` writes ``<out>/<project>-<lang>.mbz``: a course with a
section per module (summary: the module's description and outcomes), the module's SCORM
1.2 package as a SCORM activity configured as the README recommends, its course
descriptor as a file resource, activity and course completion, and a grade category per
module. The backup format follows Moodle's own writer (``backup/moodle2/``); what
Moodle's restore reads is checked by the tests.
"""

from __future__ import annotations

from mirco_lms.moodle.archive import backup_files, write_backup
from mirco_lms.moodle.collect import MOODLE_FORMAT, PACKAGE_FORMAT, write_courses
from mirco_lms.moodle.model import Course, CourseModule

__all__ = ["MOODLE_FORMAT", "PACKAGE_FORMAT", "Course", "CourseModule", "backup_files",
           "write_backup", "write_courses"]
