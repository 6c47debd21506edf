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
    """Every check of a package zip, by the format that recognises it (see
    :mod:`mirco_lms.formats`): its manifest or cmi5.xml, its files, what its pages load
    and link. A zip that no format recognises gets the SCORM checks, which say what it
    lacks, and the link checks."""
    from mirco_lms.formats import registry

    path = Path(zip_path)
    fmt = registry.recognise(path)
    if fmt is not None:
        return fmt.validate(path)
    return _scorm.validate_package(zip_path) + html_targets.check_zip(path)


__all__ = ["FORMATS", "BuildFunction", "PackageResult", "validate_manifest", "validate_package"]
