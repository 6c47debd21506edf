"""SCORM 1.2 packages: IMS CP 1.1.2 + ADL CP 1.2 manifest, LOM 1.2.1 inline."""

from __future__ import annotations

from pathlib import Path

from mirco_lms.package.common import PackageFormat, PackageResult, build_package
from mirco_lms.package.manifest import scorm12_manifest
from mirco_lms.package.spec import PackageSpec

FORMAT = PackageFormat(name="scorm12", suffix="-scorm12.zip", manifest=scorm12_manifest)


def build(spec: PackageSpec, out_dir: Path) -> PackageResult:
    """Write ``<out_dir>/<stem>-scorm12.zip``; see :func:`~.common.build_package`."""
    return build_package(spec, out_dir, FORMAT)
