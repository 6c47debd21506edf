"""Fixtures of the classroom tests: the collector's store fixtures (SQLite and
PostgreSQL), and the report tests' statement scripts for eLearning learners."""

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


_lrs = _load("mirco_lrs_test_fixtures", TESTS / "lrs" / "lrs_support.py")
# Every public name of tests/lrs/lrs_support.py, fixtures and helpers alike.
globals().update({k: v for k, v in vars(_lrs).items() if not k.startswith("_")})
elearning = _load("reports_dataset", TESTS / "reports" / "reports_dataset.py")
