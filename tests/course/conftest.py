"""Fixtures of the course tests: they live in course_support.py, which tests import by name."""

from course_support import *  # noqa: F403 (fixtures and helpers, re-exported for pytest)
