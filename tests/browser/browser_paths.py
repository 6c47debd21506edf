"""Where the browser tests find the repository and the npm packages they load."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
NODE = REPO / "node_modules"
LIBS = {
    "scorm12.js": NODE / "scorm-again" / "dist" / "scorm12.js",
    "scorm2004.js": NODE / "scorm-again" / "dist" / "scorm2004.js",
    "axe.min.js": NODE / "axe-core" / "axe.min.js",
}
"""The LMS run-time (scorm-again) and the accessibility checker (axe-core), from npm."""


def missing_libs() -> list[str]:
    """The npm files that are not installed (the browser tests skip when any is)."""
    return [str(path) for path in LIBS.values() if not path.is_file()]


def unpack(dist: Path, dest: Path) -> None:
    """Every package of ``dist`` unpacked into ``dest/<zip name without .zip>/``."""
    for package in sorted(dist.glob("*.zip")):
        with zipfile.ZipFile(package) as archive:
            archive.extractall(dest / package.stem)


def add_lms(root: Path) -> None:
    """The test LMS frame (lms.html) and the npm scripts it loads, beside the packages."""
    for name, path in LIBS.items():
        shutil.copy(path, root / name)
    shutil.copy(HERE / "lms.html", root / "lms.html")
