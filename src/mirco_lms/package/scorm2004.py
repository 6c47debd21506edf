"""SCORM 2004 4th Edition packages: manifest with IMS SS sequencing, LOM in metadata.xml."""

from __future__ import annotations

from pathlib import Path

from mirco_lms.package.common import PackageFormat, PackageResult, build_package
from mirco_lms.package.manifest import METADATA_FILE_2004, lom_metadata, scorm2004_manifest
from mirco_lms.package.spec import PackageFile, PackageSpec


def _metadata(spec: PackageSpec) -> tuple[PackageFile, ...]:
    return (PackageFile(METADATA_FILE_2004, lom_metadata(spec)),)


FORMAT = PackageFormat(
    name="scorm2004",
    suffix="-scorm2004.zip",
    manifest=scorm2004_manifest,
    extra_files=_metadata,
)


def build(spec: PackageSpec, out_dir: Path) -> PackageResult:
    """Write ``<out_dir>/<stem>-scorm2004.zip``; see :func:`~.common.build_package`."""
    return build_package(spec, out_dir, FORMAT)
