"""Helpers of the certificate tests: the report tests' hand-checked dataset and the
collector's store fixtures (SQLite and PostgreSQL), loaded by path."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

TESTS = Path(__file__).resolve().parent.parent


def _load(name: str, path: Path) -> ModuleType:
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


lrs_fixtures = _load("mirco_lrs_test_fixtures", TESTS / "lrs" / "lrs_support.py")
dataset = _load("reports_dataset", TESTS / "reports" / "reports_dataset.py")

BASE_URL = "http://lrs.test"
SETTINGS = f"""
[certificates]
base_url = "{BASE_URL}"
keys = "keys"
issuer = "Migration Training Centre"
"""
