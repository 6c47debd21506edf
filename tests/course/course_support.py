"""Fixtures for the course tests: small module folders written into tmp_path."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

MODULE_MD = """\
---
id: mhr
title: Migration and Human Rights
version: 1.0.0
language: en
duration: 2h
passing_score: 70
outcomes:
  - id: LO1
    text: Explain the sources.
  - id: LO2
    text: Apply non-refoulement.
syllabus:
  - title: Foundations
    duration: 1h
    outcomes: [LO1]
  - title: Non-refoulement
    duration: 1h
    outcomes: [LO2]
---

# Migration and Human Rights

Overview.
"""

LESSON_MD = """\
# Foundations

Text with a [link](https://www.unhcr.org).
"""

FINAL_MD = """\
---
title: Final test
---

## Which article? {#q-art33 outcome=LO2}

- ( ) Article 1A
- (x) Article 33

## Which source? {#q-src outcome=LO1}

- (x) Treaties
- ( ) Rumours
"""

WriteModule = Callable[..., Path]


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


@pytest.fixture
def write_module(tmp_path: Path) -> WriteModule:
    """Write a valid module (module.md, one lesson, a final test) with overrides.

    ``files`` maps file names to text (dedented), or to bytes, or to None (= delete).
    """

    def write(files: dict[str, str | bytes | None] | None = None, slug: str = "mhr") -> Path:
        folder = tmp_path / "modules" / slug
        folder.mkdir(parents=True, exist_ok=True)
        content: dict[str, str | bytes | None] = {
            "module.md": MODULE_MD,
            "01-foundations.md": LESSON_MD,
            "final-test.md": FINAL_MD,
        }
        content.update(files or {})
        for name, text in content.items():
            path = folder / name
            if text is None:
                path.unlink(missing_ok=True)
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(dedent(text), encoding="utf-8")
        return folder

    return write
