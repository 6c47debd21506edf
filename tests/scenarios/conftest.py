"""Fixtures of the scenario tests: the course tests' module writer (``write_module``)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "course"))

from course_support import write_module  # noqa: E402,F401 (a fixture, re-exported for pytest)
