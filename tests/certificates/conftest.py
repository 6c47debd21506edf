"""Fixtures of the certificate tests: the collector's store fixtures (SQLite and
PostgreSQL), the report tests' hand-checked dataset, a course project with a signing key."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from certificates_support import SETTINGS, dataset, lrs_fixtures

from mirco_lms.certificates import keys
from mirco_lms.lrs.store import SqlStore

globals().update({k: v for k, v in vars(lrs_fixtures).items() if not k.startswith("_")})


@pytest.fixture
def loaded(store: SqlStore) -> Iterator[SqlStore]:
    """The store with the report dataset's statements and learner registry."""
    dataset.load(store)
    yield store


@pytest.fixture
def project(sample_project: Path) -> Path:
    """The sample course project (its modules include the dataset's two courses), with
    ``[certificates]`` settings and a signing key in ``keys/``."""
    config = sample_project / "mirco.toml"
    config.write_text(config.read_text(encoding="utf-8") + SETTINGS, encoding="utf-8")
    keys.generate(sample_project / "keys")
    return sample_project
