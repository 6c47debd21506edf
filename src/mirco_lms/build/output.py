"""The output folder of a build: temporary folders, writing files, checking packages."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from mirco_lms.errors import BuildError, Location, PackageInvalid
from mirco_lms.package import validate_package

log = logging.getLogger("mirco_lms.build")

TEMP_PREFIX = ".mirco-tmp-"
"""Temporary folders of running builds, inside the output folder: ``<prefix><pid>-…``."""


def sweep(out_dir: Path) -> None:
    """Remove temporary folders left by builds that were killed (their process is gone)."""
    for folder in out_dir.glob(f"{TEMP_PREFIX}*"):
        pid = folder.name[len(TEMP_PREFIX):].split("-", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            log.info("removing %s, left by an interrupted build", folder)
            shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue  # the process exists but belongs to someone else

def write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise BuildError(
            f"cannot write {path.name}: {exc.strerror or exc}", location=Location(file=path),
            hint="check free disk space and that the output folder is writable",
        ) from exc

def check_package(path: Path) -> None:
    errors = [d for d in validate_package(path) if d.severity == "error"]
    if errors:
        raise PackageInvalid(
            f"the built package {path.name} is invalid: {errors[0].message}",
            location=errors[0].location,
            hint="this is a bug in mirco or in a theme override; please report it",
        )
