"""Packaging: a :class:`~mirco_lms.package.spec.PackageSpec` in, a validated zip out.

``FORMATS`` maps a package format key to its packager ``build(spec, out_dir) ->
PackageResult``. The formats a build can make (packages and others) are registered in
:mod:`mirco_lms.formats`, whose package formats call these.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from mirco_lms.errors import Diagnostic
from mirco_lms.package import cmi5, html_targets, scorm12, scorm2004
from mirco_lms.package import validate as _scorm
from mirco_lms.package.common import PackageResult
from mirco_lms.package.spec import PackageSpec
from mirco_lms.package.validate import validate_manifest

BuildFunction = Callable[[PackageSpec, Path], PackageResult]

FORMATS: dict[str, BuildFunction] = {
    "scorm12": scorm12.build,
    "scorm2004": scorm2004.build,
    "cmi5": cmi5.build,
}
"""Package format key → packager."""


def validate_package(zip_path: Path) -> list[Diagnostic]:
    """Every check of a package zip: SCORM (imsmanifest.xml) or cmi5 (cmi5.xml), then what
    its pages load and link (:mod:`.html_targets`)."""
    if cmi5.is_cmi5_package(Path(zip_path)):
        found = cmi5.validate_cmi5_package(Path(zip_path))
    else:
        found = _scorm.validate_package(zip_path)
    return found + html_targets.check_zip(Path(zip_path))


__all__ = ["FORMATS", "BuildFunction", "PackageResult", "validate_manifest", "validate_package"]
