"""E-library benchmark: the sample catalogue copied ``--copies`` times (3 modules × 4
languages each), built as a site (``mirco build --format site``).

Prints the time of a site build whose modules are up to date (what the site itself
costs: every page rendered again from the sources, written and checked), pages and
bytes per language, and the size of each language's search index (bytes, words) —
the index is loaded whole by the search page, so its size is what a reader waits for.
Figures are printed, never asserted.

    python benchmarks/site_bench.py [--copies 10]
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _project(dest: Path, copies: int) -> Path:
    shutil.copy(REPO / "mirco.toml", dest / "mirco.toml")
    for source in sorted((REPO / "modules").iterdir()):
        for number in range(copies):
            slug = source.name if number == 0 else f"{source.name}-{number}"
            shutil.copytree(source, dest / "modules" / slug)
            for po in (REPO / "translations").glob(f"*/LC_MESSAGES/{source.name}.po"):
                target = dest / "translations" / po.relative_to(REPO / "translations")
                target = target.with_name(f"{slug}.po")
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(po, target)
    return dest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=10)
    args = parser.parse_args()
    from mirco_lms.build import BuildOptions, build
    from mirco_lms.config import ProjectConfig

    with tempfile.TemporaryDirectory() as work:
        project = _project(Path(work), args.copies)
        config = ProjectConfig.load(project)
        options = BuildOptions(formats=("site",))
        started = time.perf_counter()
        build(config, options)
        first = time.perf_counter() - started
        started = time.perf_counter()
        report = build(config, options)
        again = time.perf_counter() - started
        site = report.out_dir / "site"
        modules = len(list((project / "modules").iterdir()))
        print(f"modules: {modules}, first build (modules + site): {first:.2f} s, "
              f"site build (modules up to date): {again:.2f} s")
        for row in report.rows:
            index = site / row.language / "search-index.js"
            data = json.loads(index.read_text(encoding="utf-8")
                              .removeprefix("window.MIRCO_SEARCH = ").rstrip(";\n"))
            print(f"  {row.language:8} {row.pages:5} pages {row.size / 1e6:7.2f} MB  "
                  f"index {index.stat().st_size / 1e3:8.1f} KB, {len(data['terms']):6} words, "
                  f"{index.stat().st_size / max(row.pages, 1) / 1e3:.1f} KB/page")


if __name__ == "__main__":
    main()
