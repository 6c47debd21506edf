"""Build benchmark: a synthetic course project of 96 modules × 20 pages (1,920 pages).

Each module has an overview, 17 lessons (with a figure, a table, a callout and a
knowledge check each), a pre-test and a final test of 10 questions (every question
type). The script times

- a full build (``mirco build --force``, both SCORM formats, validated packages), best of
  ``--repeat`` runs interleaved with as many runs of the lower bound (best of those),
- a no-op rebuild (nothing changed: every module skipped), in-process and via the CLI,
- a lower bound measured in the same run, in one process: markdown-it-py rendering of
  every page + one jinja2 page template + zipfile writing of the same bytes, once per
  package the build writes,

and prints pages/s, the ratio to the lower bound and peak memory (maxrss of this
process and of its children). Targets: full build ≤ 1.5 × the lower bound, no-op
rebuild < 0.5 s, peak memory < 500 MB. Figures are printed, never asserted.

The print target (``--format print``: trainer's guide, participant handbook, paper tests
and keys, as PDFs) is timed on the first ``--print-modules`` modules, in one process:
milliseconds per PDF page, and the ratio of its time to rendering the same modules' HTML
pages for a package.

    python benchmarks/build_bench.py [--modules 96] [--jobs N] [--repeat 3] [--keep DIR]
                                     [--print-modules 2]
"""

from __future__ import annotations

import argparse
import io
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

LESSONS = 17
QUESTIONS = 10
WORDS = (
    "migration border asylum refugee protection rights procedure officer application "
    "identification referral reception detention return readmission cooperation data "
    "interview vulnerability child trafficking smuggling assessment decision appeal law "
    "convention article state territory jurisdiction safeguard guarantee access interpreter"
).split()
SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="120" viewBox="0 0 400 120">'
    '<rect x="10" y="10" width="380" height="100" fill="#e8eef7" stroke="#0b5cad"/>'
    '<text x="200" y="65" text-anchor="middle" font-size="18">Process overview</text></svg>\n'
)


def words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def paragraph(rng: random.Random) -> str:
    count = rng.randint(3, 5)
    sentences = [words(rng, rng.randint(8, 16)).capitalize() + "." for _ in range(count)]
    sentences[1] = sentences[1][:-1] + " with **emphasis** and a [link](https://example.org/x)."
    return " ".join(sentences)


def lesson(rng: random.Random, slug: str, n: int) -> str:
    body = [f"---\ntitle: Lesson {n} — {words(rng, 3)}\nduration: 20m\n---\n",
            f"# Lesson {n} — {words(rng, 3)}\n", paragraph(rng) + "\n"]
    for section in range(1, 4):
        body.append(f"## Section {section}: {words(rng, 2)}\n")
        body.append(paragraph(rng) + "\n")
        body.append(paragraph(rng) + "\n")
        if section == 1:
            body.append("\n".join(f"- {words(rng, 6)}" for _ in range(5)) + "\n")
        if section == 2:
            rows = "\n".join(f"| {words(rng, 2)} | {words(rng, 5)} |" for _ in range(4))
            body.append(f"| Term | Meaning |\n|---|---|\n{rows}\n")
            caption = f"Figure {n}. {words(rng, 5)}."
            body.append(f'![A diagram of the process](images/figure.svg "{caption}")\n')
        if section == 3:
            body.append(f"::: note\n{paragraph(rng)}\n:::\n")
    body.append(
        f"::: check {{#kc-{slug}-{n} outcome=LO{n % 3 + 1}}}\n{words(rng, 10).capitalize()}?\n\n"
        f"- (x) {words(rng, 3)}\n  > Correct: {words(rng, 6)}.\n- ( ) {words(rng, 3)}\n"
        f"  > Not quite: {words(rng, 6)}.\n:::\n"
    )
    return "\n".join(body)


def question(rng: random.Random, qid: str, kind: int, outcome: int) -> str:
    head = f"## {words(rng, 12).capitalize()}? {{#{qid} outcome=LO{outcome}}}\n\n"
    answers = {
        0: f"- ( ) {words(rng, 4)}\n  > {words(rng, 8)}.\n- (x) {words(rng, 4)}\n"
           f"  > Correct. {words(rng, 8)}.\n- ( ) {words(rng, 4)}\n- ( ) {words(rng, 4)}\n",
        1: "".join(f"- [{mark}] {words(rng, 4)}\n" for mark in "x x "),
        2: "- (x) True\n  > Correct.\n- ( ) False\n  > It is true.\n",
        3: f"- = {rng.choice(WORDS)}\n- = {rng.choice(WORDS)}s\n",
        4: f"- = {rng.randint(1950, 2020)}\n",
        5: "\n".join(f"- {w} -> {words(rng, 4)}" for w in rng.sample(WORDS, 4)) + "\n",
        6: "\n".join(f"{i}. {words(rng, 4)}" for i in range(1, 5)) + "\n",
    }[kind]
    return head + answers + f"\n> {words(rng, 10).capitalize()}.\n"


def assessment(rng: random.Random, slug: str, kind: str, title: str) -> str:
    parts = [f"---\ntitle: {title}\n---\n\n{paragraph(rng)}\n"]
    for n in range(1, QUESTIONS + 1):
        parts.append(question(rng, f"{kind}-{slug}-{n}", n % 7, n % 3 + 1))
    return "\n".join(parts)


def module_md(rng: random.Random, slug: str, index: int) -> str:
    units = [(1, 5), (6, 9), (10, 13), (14, 17)]
    syllabus = "".join(
        f"  - title: Unit {u + 1}\n    duration: {(b - a + 1) * 20}m\n"
        f"    outcomes: [LO{u % 3 + 1}]\n"
        f"    lessons: [{', '.join(f'lesson-{i:02d}' for i in range(a, b + 1))}]\n"
        f"    methods: [lecture, case study]\n"
        for u, (a, b) in enumerate(units)
    )
    outcomes = "".join(
        f"  - id: LO{i}\n    text: {words(rng, 10).capitalize()}.\n" for i in (1, 2, 3)
    )
    return (
        f"---\nid: {slug}\ntitle: Synthetic module {index}\nversion: 1.0.0\nlanguage: en\n"
        f"description: {words(rng, 20)}\ntarget_group: Border police and asylum officers\n"
        f"prerequisites: [None]\nduration: {LESSONS * 20}m\n"
        f"delivery: [self-paced-online, blended]\n"
        f"passing_score: 70\nattempts: 3\noutcomes:\n{outcomes}syllabus:\n{syllabus}---\n\n"
        f"# Synthetic module {index}\n\n{paragraph(rng)}\n\n{paragraph(rng)}\n"
    )


def generate(root: Path, modules: int) -> list[Path]:
    """Write the synthetic project; returns every page source (for the lower bound)."""
    rng = random.Random(20240601)
    (root / "mirco.toml").write_text(
        '[project]\nname = "Benchmark"\norganization = "Bench"\n\n'
        '[build]\nformats = ["scorm12", "scorm2004"]\n', encoding="utf-8")
    pages: list[Path] = []
    for index in range(1, modules + 1):
        slug = f"module-{index:03d}"
        folder = root / "modules" / slug
        (folder / "images").mkdir(parents=True)
        (folder / "images" / "figure.svg").write_text(SVG, encoding="utf-8")
        files = {"module.md": module_md(rng, slug, index)}
        for n in range(1, LESSONS + 1):
            files[f"{n:02d}-lesson-{n:02d}.md"] = lesson(rng, slug, n)
        files["pretest.md"] = assessment(rng, slug, "pre", "Pre-test")
        files["final-test.md"] = assessment(rng, slug, "fin", "Final test")
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
            pages.append(folder / name)
    return pages


def lower_bound(pages: list[Path], packages_per_module: int) -> float:
    """markdown-it + one jinja2 template + zip writing of the same bytes, one process."""
    import jinja2
    from markdown_it import MarkdownIt
    from markupsafe import Markup

    started = time.perf_counter()
    md = MarkdownIt("commonmark").enable("table")
    template = jinja2.Environment(autoescape=True).from_string(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{{ title }}</title>"
        "</head><body><main>{{ body }}</main></body></html>"
    )
    by_module: dict[Path, list[tuple[str, bytes]]] = {}
    for page in pages:
        text = page.read_text(encoding="utf-8")
        body = Markup(md.render(text))
        html = template.render(title=page.stem, body=body)
        by_module.setdefault(page.parent, []).append((page.stem + ".html", html.encode("utf-8")))
    with tempfile.TemporaryDirectory() as out:
        for folder, entries in by_module.items():
            for n in range(packages_per_module):
                buffer = io.BytesIO()
                with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                    for name, data in entries:
                        archive.writestr(name, data)
                Path(out, f"{folder.name}-{n}.zip").write_bytes(buffer.getvalue())
    return time.perf_counter() - started


def cpu_seconds() -> float:
    """User + system CPU time of this process and of its reaped children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def stages(modules_dir: Path, count: int) -> dict[str, float]:
    """Single-process seconds per stage for the first ``count`` modules (where time goes)."""
    from mirco_lms.course.loader import discover_modules, load_module
    from mirco_lms.course.markdown import keeping_parses
    from mirco_lms.package import FORMATS, validate_package
    from mirco_lms.render import LocalizedModule, Theme, render_package

    folders = discover_modules(modules_dir)[:count]
    theme = Theme.for_project(None)
    render_package(LocalizedModule(load_module(folders[0]).require(), "en"), theme)  # warm up
    out: dict[str, float] = {"load + check": 0.0, "render": 0.0}
    specs = []
    for folder in folders:  # as a build worker does: load, then render what it parsed
        with keeping_parses():
            started = time.perf_counter()
            module = load_module(folder).require()
            loaded = time.perf_counter()
            specs.append(render_package(LocalizedModule(module, module.language), theme).spec)
            out["load + check"] += loaded - started
            out["render"] += time.perf_counter() - loaded
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        results = [FORMATS[fmt](spec, Path(folder)) for spec in specs
                   for fmt in ("scorm12", "scorm2004")]
        out["package (2 formats)"] = time.perf_counter() - started
        started = time.perf_counter()
        for result in results:
            validate_package(result.path)
        out["validate"] = time.perf_counter() - started
    return out


def pdf_pages(data: bytes) -> int:
    """The page count of a PDF, read with pypdf (the test extra)."""
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def print_target(modules_dir: Path, count: int) -> dict[str, float]:
    """Single-process seconds of the print format and of the HTML render, first ``count``
    modules, and the PDF pages written."""
    from mirco_lms.course.loader import discover_modules, load_module
    from mirco_lms.formats.base import ModuleSource
    from mirco_lms.printed.format import PrintedDocuments
    from mirco_lms.render import LocalizedModule, RenderOptions, Theme, render_package
    from mirco_lms.render.descriptor import DescriptorInfo
    from mirco_lms.render.pages import render_pages

    theme = Theme.for_project(None)
    fmt = PrintedDocuments()
    out = {"html": 0.0, "print": 0.0, "pdf pages": 0.0, "html pages": 0.0}
    with tempfile.TemporaryDirectory() as folder:
        for path in discover_modules(modules_dir)[:count]:
            localized = LocalizedModule(load_module(path).require(), "en")
            started = time.perf_counter()
            pages = render_pages(localized, theme)
            render_package(localized, theme, RenderOptions(), pages)
            out["html"] += time.perf_counter() - started
            out["html pages"] += len(pages)
            started = time.perf_counter()
            source = ModuleSource(localized, theme, RenderOptions(), pages,
                                  DescriptorInfo(), Path(folder))
            output = fmt.build(source)
            out["print"] += time.perf_counter() - started
            out["pdf pages"] += sum(pdf_pages(pdf.read_bytes())
                                    for pdf in (Path(folder) / output.name).glob("*.pdf"))
    return out


def peak_mb() -> tuple[float, float]:
    """maxrss of this process and of its largest child, in MB (Linux reports KB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--modules", type=int, default=96)
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: cores)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="full builds and lower bounds measured, interleaved (best used)")
    parser.add_argument("--keep", type=Path, default=None, help="build in DIR and keep it")
    parser.add_argument("--print-modules", type=int, default=2,
                        help="modules the print target is timed on (0: skip it)")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    from mirco_lms.build import BuildOptions, build
    from mirco_lms.config import ProjectConfig

    root = args.keep or Path(tempfile.mkdtemp(prefix="mirco-bench-"))
    if args.keep and root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True, exist_ok=True)
    try:
        pages = generate(root, args.modules)
        config = ProjectConfig.load(root)
        options = BuildOptions(force=True, jobs=args.jobs)
        fulls: list[tuple[float, float]] = []  # (wall, CPU) of each full build
        bounds: list[tuple[float, float]] = []
        for _ in range(args.repeat):  # interleaved, so a busy moment hits both sides alike
            cpu, started = cpu_seconds(), time.perf_counter()
            report = build(config, options)
            fulls.append((time.perf_counter() - started, cpu_seconds() - cpu))
            cpu = cpu_seconds()
            bounds.append((lower_bound(pages, len(config.build.formats)), cpu_seconds() - cpu))
        full, full_cpu = min(fulls)
        bound, bound_cpu = min(bounds)
        started = time.perf_counter()
        noop = build(config, BuildOptions(jobs=args.jobs))
        noop_seconds = time.perf_counter() - started
        own, children = peak_mb()
        env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent / "src")}
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "mirco_lms", "build", "--project", str(root)],
                       check=True, env=env, stdout=subprocess.DEVNULL)
        noop_cli = time.perf_counter() - started
        _print(args, len(pages), report, noop, full, noop_seconds, noop_cli, bound, own, children)
        print(f"runs (s):          full {', '.join(f'{w:.2f}' for w, _ in fulls)}; "
              f"lower bound {', '.join(f'{w:.2f}' for w, _ in bounds)} (best of each used; "
              f"load average {os.getloadavg()[0]:.2f})")
        print(f"CPU time:          build {full_cpu:.2f} s, lower bound {bound_cpu:.2f} s "
              f"(ratio {full_cpu / bound_cpu:.2f}; the build's is spread over the cores)")
        sample = min(8, args.modules)
        per_page = 1000 / (sample * (LESSONS + 3))
        parts = stages(root / "modules", sample)
        print(f"stages, one process, first {sample} modules (ms/page): " + ", ".join(
            f"{name} {seconds * per_page:.2f}" for name, seconds in parts.items()))
        if args.print_modules:
            _print_target(root / "modules", min(args.print_modules, args.modules))
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


def _print_target(modules_dir: Path, count: int) -> None:
    found = print_target(modules_dir, count)
    pdf_pages, seconds = int(found["pdf pages"]), found["print"]
    html_ms = 1000 * found["html"] / found["html pages"]
    print(f"print target, one process, first {count} modules: {pdf_pages} PDF pages "
          f"({pdf_pages / count:.0f} per module, 6 PDFs each) in {seconds:.2f} s: "
          f"{1000 * seconds / pdf_pages:.1f} ms per PDF page")
    print(f"print vs HTML:     {seconds:.2f} s for the PDFs, {found['html']:.2f} s for the "
          f"HTML pages of a package ({html_ms:.2f} ms/page): ratio {seconds / found['html']:.1f}")


def _print(args, n_pages, report, noop, full, noop_s, noop_cli, bound, own, children) -> None:  # type: ignore[no-untyped-def]
    pages = sum(r.pages for r in report.rows if r.format == report.rows[0].format)
    size = sum(r.size for r in report.rows)
    ratio = full / bound
    peak = own + children
    print(f"project: {args.modules} modules, {pages} pages ({n_pages} source files), "
          f"{len(report.rows)} packages, {size / 1e6:.1f} MB, cores: {os.cpu_count()}")
    print(f"full build:        {full:7.2f} s  {pages / full:7.1f} pages/s  "
          f"{1000 * full / pages:6.2f} ms/page")
    print(f"lower bound:       {bound:7.2f} s  {pages / bound:7.1f} pages/s  "
          f"{1000 * bound / pages:6.2f} ms/page  (reference ~3.4 ms/page)")
    print(f"ratio full/bound:  {ratio:7.2f}     target <= 1.50  "
          f"{'OK' if ratio <= 1.5 else 'MISSED'}")
    print(f"no-op rebuild:     {noop_s:7.3f} s  in-process, {len(noop.skipped)} skipped  "
          f"target < 0.5 s  {'OK' if noop_s < 0.5 else 'MISSED'}")
    print(f"no-op rebuild CLI: {noop_cli:7.3f} s  "
          "(a fresh `mirco build`, interpreter start included)")
    print(f"peak memory:       {peak:7.1f} MB  (this process {own:.1f} MB + largest child "
          f"{children:.1f} MB)  target < 500 MB  {'OK' if peak < 500 else 'MISSED'}")


if __name__ == "__main__":
    main()
