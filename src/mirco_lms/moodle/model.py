"""What a Moodle course backup holds, independent of Moodle's XML: typed, frozen."""

from __future__ import annotations

from dataclasses import dataclass

MOODLE_VERSION = 2022112800
"""The Moodle version the backup says it comes from: 4.1 LTS, the oldest release it is
restored into (a restore refuses a backup from a newer Moodle than itself)."""
MOODLE_RELEASE = "4.1"


@dataclass(frozen=True)
class Sco:
    """One entry of the package's manifest, as Moodle's ``scorm_scoes`` keeps it."""

    manifest: str
    organization: str
    parent: str
    identifier: str
    launch: str
    scormtype: str
    title: str
    mastery_score: int | None = None


@dataclass(frozen=True)
class CourseModule:
    """One mirco module in the course: its section, SCORM activity and descriptor."""

    slug: str
    title: str
    description: str
    outcomes: tuple[str, ...]
    passing_score: int | None
    """The final test's passing score (percent); None: the module has no final test."""
    attempts: int
    """Attempts at the final test (0: unlimited): Moodle's number of attempts."""
    package_name: str
    package: bytes
    """The SCORM 1.2 zip."""
    scoes: tuple[Sco, ...]
    descriptor_name: str
    descriptor: bytes
    """The print-ready course descriptor (HTML)."""


@dataclass(frozen=True)
class Course:
    """A course in one language: a section per module."""

    shortname: str
    fullname: str
    summary: str
    language: str
    """The course's forced language (Moodle's language code, e.g. ``sr_cr``), or ""."""
    modules: tuple[CourseModule, ...]
    timestamp: int
    """Every time field of the backup (``SOURCE_DATE_EPOCH`` when set)."""
    labels: dict[str, str]
    """Localized names of the course's own items: ``outcomes``, ``descriptor``,
    ``grades``."""
