"""A toy output format, registered from the tests: a folder with one HTML file per page.

It stands for any format added outside mirco's own code: its output is a folder (not a
zip), which the build must publish whole, cache and recognise like the built-in ones.
"""

from __future__ import annotations

import json
from pathlib import Path

from mirco_lms.errors import Diagnostic, Location
from mirco_lms.formats import ModuleFormat, ModuleSource, Output

INDEX = "toy.json"


class ToyPages(ModuleFormat):
    """``<slug>-<version>-<lang>-toy/``: ``<page id>.html`` per page, listed in toy.json."""

    name = "toy"
    label = "Toy pages"

    def build(self, source: ModuleSource) -> Output:
        module = source.localized.module
        name = f"{module.slug}-{module.version}-{source.localized.language}-toy"
        folder = source.out_dir / name
        folder.mkdir()
        pages = []
        for page in source.pages:
            (folder / f"{page.id}.html").write_text(
                f"<!doctype html><title>{page.title}</title>{page.html}\n", encoding="utf-8")
            pages.append(f"{page.id}.html")
        (folder / INDEX).write_text(json.dumps({"pages": pages}) + "\n", encoding="utf-8")
        return Output(name, "folder")

    def recognises(self, path: Path) -> bool:
        return path.is_dir() and (path / INDEX).is_file()

    def validate(self, path: Path) -> list[Diagnostic]:
        pages = json.loads((path / INDEX).read_text(encoding="utf-8"))["pages"]
        return [Diagnostic(f"the page {page} is missing", Location(file=str(path / page)))
                for page in pages if not (path / page).is_file()]
