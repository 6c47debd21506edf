"""The printed documents of one module in one language, as HTML and as PDF.

- the **trainer's guide**: the descriptor's summary, the lesson plans with timing, the
  lessons with their trainer notes, every question with its answer key and feedback;
- the **participant handbook**: the lessons without trainer notes and without answers,
  with space for notes;
- the **paper tests**: per test, its versions (A, B…) to hand out, an answer sheet per
  version with a box for the learner's id, and the answer key of every version.

Each is rendered from the theme's ``print/`` templates (overridable in a project's
``templates/print/``) and laid out with the theme's one print stylesheet.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mirco_lms import __version__
from mirco_lms.course.model import Assessment, Module, Pool
from mirco_lms.errors import BuildError, Location
from mirco_lms.media.package import asset_files
from mirco_lms.printed.papers import DEFAULT_SEED, PaperVersion, draw_versions
from mirco_lms.printed.views import PaperQuestion, PrintMarkdown, paper_question, unit_views
from mirco_lms.render.descriptor import DescriptorInfo
from mirco_lms.render.localized import DELIVERY_LABELS, LocalizedModule, format_duration
from mirco_lms.render.pdf import html_to_pdf
from mirco_lms.render.theme import Theme

STYLESHEET = "print/print.css"
GUIDE, HANDBOOK, PAPERS, KEY = ("print/guide.html", "print/handbook.html",
                                "print/papers.html", "print/key.html")


@dataclass(frozen=True)
class PrintJob:
    """What the documents of one module in one language are made from."""

    localized: LocalizedModule
    theme: Theme
    info: DescriptorInfo = DescriptorInfo()
    seed: str = DEFAULT_SEED
    """The seed of the paper tests' draws (the same seed, the same papers)."""

    @property
    def module(self) -> Module:
        return self.localized.module

    def render(self, template: str, context: dict[str, Any]) -> str:
        localized = self.localized
        base: dict[str, Any] = {
            "module": self.module,
            "language": localized.language,
            "direction": localized.direction,
            "info": self.info,
            "duration": lambda minutes: format_duration(minutes, localized),
            "generator": f"mirco {__version__}",
        }
        return self.theme.render(template, base | context, localized.translations)

    def pdf(self, html: str) -> bytes:
        """``html`` laid out with the theme's print stylesheet; images resolve against the
        module's folder."""
        sheet = self.theme.find(STYLESHEET)
        if sheet is None:
            raise BuildError(f"the theme has no {STYLESHEET}",
                             location=Location(self.theme.dirs[0]),
                             hint="a theme override must keep the print stylesheet's name")
        metadata = {"authors": self.info.organization} if self.info.organization else None
        if self.module.root is None:
            return html_to_pdf(html, base_url=self.theme.dirs[-1].resolve(),
                               stylesheets=[sheet], metadata=metadata)
        # the images as the language shows them (its own files, its translated diagrams)
        with tempfile.TemporaryDirectory(prefix="mirco-print-") as folder:
            base = Path(folder)
            for file in asset_files(self.module, self.localized.language, self.module.assets):
                target = base / file.path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(file.data)
            return html_to_pdf(html, base_url=base, stylesheets=[sheet], metadata=metadata)


@dataclass(frozen=True)
class TestView:
    """A test in the trainer's guide: its questions (all of them) with answer keys."""

    assessment: Assessment
    intro: Any
    groups: tuple[tuple[Pool | None, tuple[PaperQuestion, ...]], ...]


def _test_views(job: PrintJob, md: PrintMarkdown) -> list[TestView]:
    out: list[TestView] = []
    for assessment in job.module.tests:
        number = 0  # each test numbers its questions from 1
        groups: list[tuple[Pool | None, tuple[PaperQuestion, ...]]] = []
        for item in assessment.items:
            bank = item.questions if isinstance(item, Pool) else (item,)
            views = []
            for question in bank:
                number += 1
                views.append(paper_question(question, md, job.module.id, number))
            groups.append((item if isinstance(item, Pool) else None, tuple(views)))
        out.append(TestView(assessment, md.block(assessment.intro_md), tuple(groups)))
    return out


def guide_html(job: PrintJob) -> str:
    """The trainer's guide of ``job``, as HTML."""
    md = PrintMarkdown(job.localized, trainer_notes=True)
    module = job.module
    return job.render(GUIDE, {
        "units": unit_views(module, md, job.theme, key=True),
        "delivery": [job.localized.gettext(DELIVERY_LABELS[d]) for d in module.delivery],
        "tests": _test_views(job, md),
        "papers": {a.id: draw_versions(a, module.id, seed=job.seed) for a in module.tests},
        "syllabus_minutes": sum(unit.duration_minutes for unit in module.syllabus),
        "plan_minutes": sum(a.minutes for lesson in module.lessons for a in lesson.plan),
    })


def handbook_html(job: PrintJob) -> str:
    """The participant handbook of ``job``, as HTML: no trainer notes, no answers."""
    md = PrintMarkdown(job.localized, trainer_notes=False)
    return job.render(HANDBOOK, {"units": unit_views(job.module, md, job.theme, key=False)})


@dataclass(frozen=True)
class VersionView:
    """One version of a paper test: its label and its questions, numbered."""

    label: str
    questions: tuple[PaperQuestion, ...]

    @property
    def points(self) -> float:
        return sum(q.points for q in self.questions if q.graded)


def version_views(job: PrintJob, assessment: Assessment) -> list[VersionView]:
    """The versions of ``assessment`` as printed (each drawn and shuffled with its seed)."""
    md = PrintMarkdown(job.localized, trainer_notes=False)
    return [_version_view(md, version) for version in
            draw_versions(assessment, job.module.id, seed=job.seed)]


def _version_view(md: PrintMarkdown, version: PaperVersion) -> VersionView:
    return VersionView(version.label, tuple(
        paper_question(q, md, version.seed, n) for n, q in enumerate(version.questions, start=1)))


def papers_html(job: PrintJob, assessment: Assessment,
                versions: Sequence[VersionView]) -> str:
    """The papers of ``assessment`` to hand out: each version, then its answer sheet."""
    md = PrintMarkdown(job.localized, trainer_notes=False)
    return job.render(PAPERS, {"assessment": assessment, "versions": versions,
                               "intro": md.block(assessment.intro_md)})


def key_html(job: PrintJob, assessment: Assessment, versions: Sequence[VersionView]) -> str:
    """The answer key of every version of ``assessment``, for the trainer."""
    return job.render(KEY, {"assessment": assessment, "versions": versions})
