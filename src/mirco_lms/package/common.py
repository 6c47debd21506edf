"""What every package format shares: spec checks, manifest validation, the zip.

A format is a :class:`PackageFormat` (name, zip suffix, manifest builder, extra files,
the SCORM version whose XSDs it ships); :func:`build_package` turns a spec into a
validated, deterministic zip. Nothing is written unless the manifest is valid.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from mirco_lms.errors import BuildError, Location, PackageInvalid
from mirco_lms.package.spec import PackageFile, PackageSpec
from mirco_lms.package.validate import MANIFEST, validate_manifest
from mirco_lms.package.xsd import schema_files
from mirco_lms.package.zipfile import check_member_paths, write_zip

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PackageResult:
    """A package written to disk."""

    path: Path
    """The zip file."""
    format: str
    """Format key: ``scorm12``, ``scorm2004``."""
    size: int
    """Size of the zip in bytes."""
    file_count: int
    """Files in the zip: content, manifest, metadata and schema files."""
    sco_count: int


@dataclass(frozen=True)
class PackageFormat:
    """How one format turns a spec into package files."""

    name: str
    """Registry key and validation version (``scorm12``)."""
    suffix: str
    """Appended to ``spec.file_name_stem``: ``-scorm12.zip``."""
    manifest: Callable[[PackageSpec, Sequence[str]], bytes]
    """Builds imsmanifest.xml from the spec and the content file paths."""
    extra_files: Callable[[PackageSpec], tuple[PackageFile, ...]] = lambda spec: ()
    """Files the format adds besides manifest and schemas (SCORM 2004: metadata.xml)."""


def build_package(spec: PackageSpec, out_dir: Path, fmt: PackageFormat) -> PackageResult:
    """Check ``spec``, build and validate the manifest, write ``<out_dir>/<stem><suffix>``.

    Raises BuildError for an unusable spec and PackageInvalid (with every diagnostic) for
    a manifest that breaks the SCORM rules; in both cases nothing is written.
    """
    schemas = schema_files(fmt.name)
    extra = fmt.extra_files(spec)
    reserved = {MANIFEST, *schemas, *(f.path for f in extra)}
    check_spec(spec, reserved)
    manifest = fmt.manifest(spec, [f.path for f in spec.files])
    errors = [d for d in validate_manifest(manifest, fmt.name) if d.severity == "error"]
    if errors:
        raise PackageInvalid(
            f"the {fmt.name} manifest of {spec.identifier!r} is invalid "
            f"({len(errors)} problem{'s' if len(errors) != 1 else ''})",
            location=errors[0].location,
            hint=errors[0].hint,
            diagnostics=errors,
        )
    files = [
        *spec.files,
        PackageFile(MANIFEST, manifest),
        *extra,
        *(PackageFile(name, data) for name, data in schemas.items()),
    ]
    return write_package(Path(out_dir) / f"{spec.file_name_stem}{fmt.suffix}", files,
                         fmt.name, len(spec.scos))


def write_package(dest: Path, files: list[PackageFile], name: str, scos: int) -> PackageResult:
    """Write the zip ``dest`` (atomically) and describe it."""
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise BuildError(
            f"cannot create the output folder: {err.strerror or err}",
            location=Location(file=dest.parent),
            hint="choose an output folder you can write to",
        ) from err
    size = write_zip(dest, files)
    log.info("built %s (%d files, %d bytes)", dest, len(files), size)
    return PackageResult(dest, name, size, len(files), scos)


def check_spec(spec: PackageSpec, reserved: set[str]) -> None:
    """Paths safe and unique, no clash with control files, every SCO file present."""
    paths = [f.path for f in spec.files]
    check_member_paths(paths, where=spec.identifier)
    clash = sorted(reserved.intersection(paths))
    if clash:
        raise BuildError(
            f"content file {clash[0]!r} would overwrite a file the package format adds",
            location=Location(file=clash[0]),
            hint=f"rename it; {', '.join(sorted(reserved))} are reserved at the package root",
        )
    if not spec.scos:
        raise BuildError(
            f"package {spec.identifier!r} has no SCO: the LMS would have nothing to launch",
            hint="the spec needs at least one ScoSpec",
        )
    present = set(paths)
    for sco in spec.scos:
        launch = sco.href.split("#", 1)[0].split("?", 1)[0]
        for path in dict.fromkeys((launch, *sco.files)):
            if path not in present:
                raise BuildError(
                    f"SCO {sco.identifier!r} uses {path!r}, which is not among the package files",
                    location=Location(file=path),
                    hint="add the file to PackageSpec.files or drop it from the SCO",
                )
