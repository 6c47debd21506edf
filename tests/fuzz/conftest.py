"""Fixtures of the fuzz tests: the collector's (SQLite and PostgreSQL stores, apps,
clients, credentials), from tests/lrs/lrs_support.py."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "lrs"))

from lrs_support import *  # noqa: E402, F403 (fixtures and helpers, re-exported for pytest)
