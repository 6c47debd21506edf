"""Fixtures of the lrs tests: they live in lrs_support.py, which tests import by name."""

from lrs_support import *  # noqa: F403 (fixtures and helpers, re-exported for pytest)
