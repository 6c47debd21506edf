"""Fixtures of the report tests: the collector's store fixtures (SQLite and PostgreSQL)
and a store loaded with the hand-computed dataset of ``reports_dataset.py``."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from mirco_lms.lrs.store import SqlStore

_LRS_SUPPORT = Path(__file__).resolve().parent.parent / "lrs" / "lrs_support.py"


def _lrs_fixtures():  # type: ignore[no-untyped-def]
    name = "mirco_lrs_test_fixtures"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, _LRS_SUPPORT)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


_lrs = _lrs_fixtures()
# Every public name of tests/lrs/lrs_support.py, fixtures and helpers alike.
globals().update({k: v for k, v in vars(_lrs).items() if not k.startswith("_")})


@pytest.fixture
def loaded(store: SqlStore) -> Iterator[SqlStore]:
    """The store with the dataset's statements and learner registry."""
    import reports_dataset

    reports_dataset.load(store)
    yield store
