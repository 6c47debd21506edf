"""Packaging: a :class:`~mirco_lms.package.spec.PackageSpec` in, a validated zip out.

``FORMATS`` maps a format key (as written in mirco.toml's ``formats``) to its build
function ``build(spec, out_dir) -> PackageResult``; a new format registers itself here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from mirco_lms.package import scorm12, scorm2004
from mirco_lms.package.common import PackageResult
from mirco_lms.package.spec import PackageSpec
from mirco_lms.package.validate import validate_manifest, validate_package

BuildFunction = Callable[[PackageSpec, Path], PackageResult]

FORMATS: dict[str, BuildFunction] = {
    "scorm12": scorm12.build,
    "scorm2004": scorm2004.build,
}
"""Format key → build function."""

__all__ = ["FORMATS", "BuildFunction", "PackageResult", "validate_manifest", "validate_package"]
