"""The ``print`` output format: a folder of PDFs per module and language.

``<slug>-<version>-<lang>-print/`` holds ``trainer-guide.pdf``,
``participant-handbook.pdf`` and, per test, ``<kind>-papers.pdf`` (the versions to hand
out, each with its answer sheet) and ``<kind>-key.pdf`` (the answer key of every version),
``<kind>`` being ``pretest`` or ``final``.
"""

from __future__ import annotations

from pathlib import Path

from mirco_lms.errors import Diagnostic, Location
from mirco_lms.formats.base import ModuleFormat, ModuleSource, Output, write_output

GUIDE_FILE = "trainer-guide.pdf"
HANDBOOK_FILE = "participant-handbook.pdf"
SUFFIX = "-print"


def papers_file(kind: str) -> str:
    return f"{kind}-papers.pdf"


def key_file(kind: str) -> str:
    return f"{kind}-key.pdf"


class PrintedDocuments(ModuleFormat):
    """The trainer's guide, the participant handbook and the paper tests, as PDFs."""

    name = "print"
    label = "Printed documents (PDF)"

    def build(self, source: ModuleSource) -> Output:
        from mirco_lms.printed import documents

        module = source.localized.module
        name = f"{module.slug}-{module.version}-{source.localized.language}{SUFFIX}"
        folder = source.out_dir / name
        folder.mkdir(parents=True, exist_ok=True)
        job = documents.PrintJob(source.localized, source.theme, source.info)
        write_output(folder / GUIDE_FILE, job.pdf(documents.guide_html(job)))
        write_output(folder / HANDBOOK_FILE, job.pdf(documents.handbook_html(job)))
        for assessment in module.tests:
            versions = documents.version_views(job, assessment)
            kind = assessment.kind.value
            write_output(folder / papers_file(kind),
                         job.pdf(documents.papers_html(job, assessment, versions)))
            write_output(folder / key_file(kind),
                         job.pdf(documents.key_html(job, assessment, versions)))
        return Output(name, "folder")

    def recognises(self, path: Path) -> bool:
        return path.is_dir() and path.name.endswith(SUFFIX) and (path / GUIDE_FILE).is_file()

    def validate(self, path: Path) -> list[Diagnostic]:
        """The guide and the handbook are there, and every file is a whole PDF."""
        found: list[Diagnostic] = []
        for required in (GUIDE_FILE, HANDBOOK_FILE):
            if not (path / required).is_file():
                found.append(Diagnostic(f"the printed documents have no {required}",
                                        Location(file=str(path)),
                                        hint="build them again with mirco build --format print"))
        for pdf in sorted(path.glob("*.pdf")):
            problem = _pdf_problem(pdf)
            if problem:
                found.append(Diagnostic(problem, Location(file=str(pdf)),
                                        hint="build it again with mirco build --format print"))
        return found


def _pdf_problem(path: Path) -> str | None:
    try:
        data = path.read_bytes()
    except OSError as err:
        return f"{path.name} cannot be read: {err}"
    if not data.startswith(b"%PDF-"):
        return f"{path.name} is not a PDF"
    if b"%%EOF" not in data[-1024:]:
        return f"{path.name} is cut short (no end-of-file marker)"
    return None
