"""Where the browser tests find the repository and the npm packages they load."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
NODE = REPO / "node_modules"
LIBS = {
    "scorm12.js": NODE / "scorm-again" / "dist" / "scorm12.js",
    "scorm2004.js": NODE / "scorm-again" / "dist" / "scorm2004.js",
    "axe.min.js": NODE / "axe-core" / "axe.min.js",
}
"""The LMS run-time (scorm-again) and the accessibility checker (axe-core), from npm."""
