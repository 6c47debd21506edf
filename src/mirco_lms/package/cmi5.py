"""cmi5 packages: a zip with ``cmi5.xml`` (the course structure) at its root.

The pages are rendered for cmi5 (``package_format="cmi5"``): the runtime follows the cmi5
launch rules (fetch URL, LMS.LaunchData, cmi5 defined statements) and uses no SCORM API.
The render stage lists the AUs' publisher ids in ``_mirco/activities.json``; this module
turns them into the course structure, checks it and writes the zip atomically.
"""

from __future__ import annotations

import json
import logging
import zipfile
from pathlib import Path

from mirco_lms.errors import BuildError, Diagnostic, Location, PackageInvalid
from mirco_lms.package import contents
from mirco_lms.package.cmi5_structure import COURSE_STRUCTURE, Au, check_course_structure, cmi5_xml
from mirco_lms.package.common import PackageResult, check_spec, write_package
from mirco_lms.package.spec import PackageFile, PackageSpec

log = logging.getLogger(__name__)

NAME = "cmi5"
SUFFIX = "-cmi5.zip"
ACTIVITIES = "_mirco/activities.json"
"""Written by the render stage for cmi5: ``{"module": IRI, "aus": {sco id: {id, type}}}``."""


def _activities(spec: PackageSpec) -> dict[str, object]:
    found = next((f for f in spec.files if f.path == ACTIVITIES), None)
    if found is None:
        raise BuildError(
            f"package {spec.identifier!r} has no {ACTIVITIES}: it was not rendered for cmi5",
            hint="render with RenderOptions(package_format='cmi5')",
        )
    data = json.loads(found.data)
    assert isinstance(data, dict)
    return data


def course_structure(spec: PackageSpec) -> bytes:
    """The cmi5.xml of ``spec``, one AU per SCO."""
    data = _activities(spec)
    aus_data = data["aus"]
    assert isinstance(aus_data, dict)
    aus = []
    for sco in spec.scos:
        activity = aus_data.get(sco.identifier)
        if not isinstance(activity, dict):
            raise BuildError(f"SCO {sco.identifier!r} has no activity id in {ACTIVITIES}")
        aus.append(Au(id=activity["id"], activity_type=activity["type"], title=sco.title,
                      url=sco.href, mastery_score=sco.mastery_score))
    return cmi5_xml(spec, str(data["module"]), aus)


def build(spec: PackageSpec, out_dir: Path) -> PackageResult:
    """Write ``<out_dir>/<stem>-cmi5.zip``; nothing is written when cmi5.xml is invalid."""
    check_spec(spec, {COURSE_STRUCTURE})
    xml = course_structure(spec)
    paths = {f.path for f in spec.files}
    errors = check_course_structure(xml, COURSE_STRUCTURE, paths)
    if errors:
        raise PackageInvalid(
            f"the cmi5 course structure of {spec.identifier!r} is invalid "
            f"({len(errors)} problem{'s' if len(errors) != 1 else ''})",
            location=errors[0].location, hint=errors[0].hint, diagnostics=errors,
        )
    files = [*spec.files, PackageFile(COURSE_STRUCTURE, xml)]
    return write_package(Path(out_dir) / f"{spec.file_name_stem}{SUFFIX}", files, NAME,
                         len(spec.scos))


def is_cmi5_package(zip_path: Path) -> bool:
    """Whether the zip has cmi5.xml and no imsmanifest.xml at its root."""
    try:
        with zipfile.ZipFile(zip_path) as archive:
            names = set(archive.namelist())
    except (OSError, zipfile.BadZipFile):
        return False
    return COURSE_STRUCTURE in names and "imsmanifest.xml" not in names


def validate_cmi5_package(zip_path: Path) -> list[Diagnostic]:
    """Member paths safe, cmi5.xml valid, every AU's launch file present."""
    label = str(zip_path)
    try:
        with zipfile.ZipFile(zip_path) as archive:
            names = [info.filename for info in archive.infolist()]
            xml = archive.read(COURSE_STRUCTURE)
    except (OSError, KeyError, zipfile.BadZipFile) as err:
        return [Diagnostic(f"cannot read {COURSE_STRUCTURE} from the zip: {err}",
                           Location(file=label), hint="rebuild the package")]
    found = list(contents.check_members(names, label))
    found += check_course_structure(xml, f"{label}!{COURSE_STRUCTURE}", set(names))
    return found
