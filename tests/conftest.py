"""Shared fixtures: the repository's own sample project, a click runner."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def sample_project(tmp_path: Path) -> Path:
    """A copy of this repository's sample course project in a temporary folder."""
    dest = tmp_path / "project"
    dest.mkdir()
    shutil.copy(REPO / "mirco.toml", dest / "mirco.toml")
    shutil.copytree(REPO / "modules", dest / "modules")
    if (REPO / "translations").is_dir():
        shutil.copytree(REPO / "translations", dest / "translations")
    return dest
