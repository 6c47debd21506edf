"""The output folder of a build: temporary folders, writing, checking and publishing
outputs (files replaced atomically, folders renamed into place)."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from mirco_lms.errors import PackageInvalid
from mirco_lms.formats import Format, Output
from mirco_lms.formats.base import write_output

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


write = write_output


def check(fmt: Format, path: Path) -> None:
    """Raise when the output of ``fmt`` just built at ``path`` has an error."""
    errors = [d for d in fmt.validate(path) if d.severity == "error"]
    if errors:
        raise PackageInvalid(
            f"the built package {path.name} is invalid: {errors[0].message}",
            location=errors[0].location,
            hint="this is a bug in mirco or in a theme override; please report it",
        )


def publish(output: Output, temp_dir: Path, out_dir: Path) -> None:
    """Move ``output`` from ``temp_dir`` into ``out_dir`` (the same file system).

    A file replaces the old one atomically. A folder is renamed into place: an old folder
    of that name is first renamed aside (into ``temp_dir``) and removed afterwards, so
    the output folder never holds a half-written folder; OSError when a move fails.
    """
    source, target = temp_dir / output.name, out_dir / output.name
    if output.kind == "file":
        os.replace(source, target)
        return
    old = temp_dir / f".old-{output.name}"
    if target.is_dir() and not target.is_symlink():
        os.replace(target, old)
    elif target.exists() or target.is_symlink():
        target.unlink()
    os.replace(source, target)
    shutil.rmtree(old, ignore_errors=True)
