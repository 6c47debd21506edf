"""Fixtures of the i18n tests: the fixture project, bare and fully translated."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from i18n_support import FIXTURE, fill


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh copy of the fixture project (no catalogs yet)."""
    dest = tmp_path / "project"
    shutil.copytree(FIXTURE, dest)
    return dest


@pytest.fixture
def translated(project: Path) -> Path:
    """The fixture project with complete sr-Latn and mk catalogs."""
    fill(project, "sr-Latn")
    fill(project, "mk")
    return project
