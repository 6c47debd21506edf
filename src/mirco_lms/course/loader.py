"""A module folder → a :class:`~mirco_lms.course.model.Module` plus diagnostics.

The loader reads ``module.md``, the lessons and the assessments (those two in
:mod:`mirco_lms.course.pages`), and collects every problem it can find as a
:class:`~mirco_lms.errors.Diagnostic` (``file:line`` + hint) instead of stopping at the
first. ``LoadResult.module`` is ``None`` only when
``module.md`` itself cannot be read; any error diagnostic means the module must not be
built (:meth:`LoadResult.require` raises them as one :class:`DiagnosticsError`).

Line convention: the ``location`` of a Module, Lesson or Assessment is the file line
where its Markdown body starts, so line ``i`` (0-based) of ``overview_md`` / ``body_md``
is file line ``location.line + i``. Questions, choices, outcomes… carry their own line.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from mirco_lms.course.accreditation import AccreditationRules
from mirco_lms.course.accreditation_fields import (
    outcome_bloom,
    outcome_domain,
    read_accreditation,
)
from mirco_lms.course.assets import TargetCache, local_assets, question_markdown
from mirco_lms.course.checks import check_module
from mirco_lms.course.cover import read_cover
from mirco_lms.course.fields import Fields
from mirco_lms.course.frontmatter import SourceFile
from mirco_lms.course.model import AssessmentKind, Delivery, Module, Outcome, SyllabusUnit
from mirco_lms.course.pages import (
    ASSESSMENT_KEYS,
    DEFAULT_EVALUATION,
    DEFAULT_FINAL_TEST,
    DEFAULT_PRETEST,
    LESSON_KEYS,
    MODULE_FILE,
    NOT_LESSONS,
    check_containers,
    default_lesson_id,
    first_heading,
    load_assessment,
    load_lessons,
    read_source,
)
from mirco_lms.course.questions import ID_PATTERN
from mirco_lms.errors import Diagnostic, DiagnosticsError, Location, SourceError
from mirco_lms.media.svg import read_diagrams

__all__ = [
    "ASSESSMENT_KEYS",
    "DEFAULT_FINAL_TEST",
    "DEFAULT_PRETEST",
    "LANGUAGE_PATTERN",
    "LESSON_KEYS",
    "MODULE_FILE",
    "MODULE_KEYS",
    "NOT_LESSONS",
    "SLUG_PATTERN",
    "LoadResult",
    "check_containers",
    "default_lesson_id",
    "discover_modules",
    "first_heading",
    "load_module",
    "load_modules",
]

log = logging.getLogger(__name__)

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|\d{3}))?$")
MODULE_KEYS = (
    "id",
    "title",
    "version",
    "language",
    "description",
    "keywords",
    "target_group",
    "prerequisites",
    "duration",
    "delivery",
    "passing_score",
    "attempts",
    "outcomes",
    "syllabus",
    "lessons",
    "pretest",
    "final_test",
    "evaluation",
    "next_steps",
    "accreditation",
    "cover",
)


@dataclass
class LoadResult:
    """What loading one module folder gave: the module (if readable) and the problems."""

    module: Module | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    folder: Path | None = None

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def ok(self) -> bool:
        """True when the module loaded with no errors (warnings allowed)."""
        return self.module is not None and not self.errors

    def require(self) -> Module:
        """The module, or a DiagnosticsError carrying every diagnostic when there are errors."""
        if self.module is None or self.errors:
            raise DiagnosticsError(self.diagnostics or [Diagnostic("module could not be loaded")])
        return self.module


_RULES = AccreditationRules()


# --- many modules --------------------------------------------------------------------------


def discover_modules(modules_dir: Path) -> list[Path]:
    """Module folders under ``modules_dir`` (those holding a ``module.md``), by name."""
    if not modules_dir.is_dir():
        raise SourceError(
            f"the modules folder {modules_dir} does not exist",
            location=Location(modules_dir),
            hint="run mirco in a course project (a folder with mirco.toml and modules/)",
        )
    return sorted(p for p in modules_dir.iterdir() if p.is_dir() and (p / MODULE_FILE).is_file())


def load_modules(
    modules_dir: Path, slugs: Sequence[str] | None = None, *, check: bool = True,
    rules: AccreditationRules = _RULES,
) -> list[LoadResult]:
    """Load every module under ``modules_dir``, or only those named in ``slugs``."""
    folders = discover_modules(modules_dir)
    if slugs:
        available = {p.name: p for p in folders}
        unknown = [s for s in slugs if s not in available]
        if unknown:
            names = ", ".join(sorted(available)) or "(none)"
            raise SourceError(
                f"unknown module {unknown[0]!r}",
                location=Location(modules_dir),
                hint=f"available modules: {names}",
            )
        folders = [available[s] for s in dict.fromkeys(slugs)]
    return [load_module(folder, check=check, rules=rules) for folder in folders]


# --- one module ----------------------------------------------------------------------------


def validate_sources(
    modules_dir: Path, slugs: Sequence[str] | None = None, rules: AccreditationRules = _RULES
) -> list[Diagnostic]:
    """Load and check every module (or those in ``slugs``): all diagnostics, in file order."""
    out: list[Diagnostic] = []
    for result in load_modules(modules_dir, slugs, check=True, rules=rules):
        out.extend(result.diagnostics)
    return out


def load_module(
    folder: Path, *, check: bool = True, rules: AccreditationRules = _RULES
) -> LoadResult:
    """Load one module folder; with ``check`` also run :func:`checks.check_module`
    (``rules``: the project's accreditation rules, ``[accreditation]`` of mirco.toml)."""
    folder = Path(folder)
    diagnostics: list[Diagnostic] = []
    module_file = folder / MODULE_FILE
    if not module_file.is_file():
        diagnostics.append(
            Diagnostic(
                f"{folder.name!r} has no {MODULE_FILE}",
                Location(folder),
                f"create {MODULE_FILE} with the module's front matter (id, title, version…)",
            )
        )
        return LoadResult(None, diagnostics, folder)
    source = read_source(module_file, diagnostics)
    if source is None:
        return LoadResult(None, diagnostics, folder)
    if not SLUG_PATTERN.match(folder.name):
        diagnostics.append(
            Diagnostic(
                f"the module folder name {folder.name!r} is not a valid slug",
                Location(folder),
                "use lowercase letters, digits and hyphens, e.g. 'human-rights'",
            )
        )
    targets = TargetCache()  # every Markdown text is parsed once, for assets and checks
    module = _build_module(folder, source, diagnostics, targets)
    if check:
        diagnostics.extend(check_module(module, targets, rules))
    diagnostics.sort(key=_diagnostic_order)
    log.debug("loaded module %s: %d diagnostics", folder.name, len(diagnostics))
    return LoadResult(module, diagnostics, folder)


def _diagnostic_order(d: Diagnostic) -> tuple[str, int]:
    return (str(d.location.file or ""), d.location.line or 0)



def _build_module(
    folder: Path, source: SourceFile, diags: list[Diagnostic], targets: TargetCache
) -> Module:
    f = Fields(source.meta, source.path, diags)
    f.check_unknown(MODULE_KEYS)
    f.require("id", "title", "version", "language", "outcomes")
    module_id = f.text("id")
    if module_id and not ID_PATTERN.match(module_id):
        f.error(
            "id",
            f"the module id {module_id!r} is not valid",
            "use letters, digits, '-', '_' and '.', e.g. 'migration-human-rights'",
        )
    language = f.text("language")
    _check_language(f, language)
    lessons = load_lessons(folder, f, diags, targets)
    pretest = load_assessment(folder, f, "pretest", DEFAULT_PRETEST, AssessmentKind.PRETEST, diags)
    final = load_assessment(
        folder, f, "final_test", DEFAULT_FINAL_TEST, AssessmentKind.FINAL, diags
    )
    evaluation = load_assessment(folder, f, "evaluation", DEFAULT_EVALUATION,
                                 AssessmentKind.EVALUATION, diags)
    if final is not None and "passing_score" not in f:
        f.error(
            None,
            "the module has a final test but no passing_score",
            "add 'passing_score: 70' (percent of the final test's points)",
        )
    module = Module(
        slug=folder.name,
        id=module_id,
        title=f.text("title"),
        version=f.text("version"),
        language=language,
        description=f.text("description"),
        overview_md=source.body.strip("\n"),
        keywords=f.strings("keywords"),
        target_group=f.text("target_group"),
        next_steps=f.text("next_steps"),
        prerequisites=f.strings("prerequisites"),
        duration_minutes=f.duration("duration") or 0,
        delivery=_delivery(f),
        outcomes=_outcomes(f),
        syllabus=_syllabus(f),
        lessons=tuple(lessons),
        pretest=pretest,
        final_test=final,
        evaluation=evaluation,
        passing_score=f.integer("passing_score", 70),
        attempts=f.integer("attempts", 0, example=3),
        accreditation=read_accreditation(f),
        cover=read_cover(f, folder),
        root=folder,
        location=source.location(source.body_line + _leading_newlines(source.body)),
    )
    return _with_assets(module, targets)


def _leading_newlines(text: str) -> int:
    return len(text) - len(text.lstrip("\n"))


def _check_language(f: Fields, language: str) -> None:
    if not language:
        return
    if language.lower() == "sr":
        f.error(
            "language",
            "the language 'sr' does not say which script",
            "write sr-Latn (Latin script) or sr-Cyrl (Cyrillic script)",
        )
    elif not LANGUAGE_PATTERN.match(language):
        f.error(
            "language",
            f"the language {language!r} is not a BCP 47 tag",
            "write e.g. en, sr-Latn, sr-Cyrl, bs, cnr, mk or sq",
        )


def _delivery(f: Fields) -> tuple[Delivery, ...]:
    known = {d.value: d for d in Delivery}
    out: list[Delivery] = []
    for value in f.strings("delivery"):
        if value in known:
            out.append(known[value])
        else:
            f.error(
                "delivery",
                f"unknown delivery mode {value!r}",
                f"use one or more of: {', '.join(known)}",
            )
    return tuple(out)


def _outcomes(f: Fields) -> tuple[Outcome, ...]:
    out: list[Outcome] = []
    for item in f.maps("outcomes"):
        item.check_unknown(("id", "text", "domain", "bloom"), " in an outcome")
        item.require("id", "text")
        outcome_id = item.text("id")
        if outcome_id and not ID_PATTERN.match(outcome_id):
            item.error(
                "id",
                f"the outcome id {outcome_id!r} is not valid",
                "use letters, digits, '-', '_' and '.', e.g. LO1",
            )
        out.append(Outcome(outcome_id, item.text("text"), Location(f.path, item.line()),
                           outcome_domain(item), outcome_bloom(item)))
    if "outcomes" in f and not out and not f.values["outcomes"].value:
        f.error("outcomes", "outcomes is empty", "list at least one learning outcome")
    return tuple(out)


def _syllabus(f: Fields) -> tuple[SyllabusUnit, ...]:
    out: list[SyllabusUnit] = []
    for item in f.maps("syllabus"):
        item.check_unknown(
            ("title", "duration", "outcomes", "lessons", "description", "methods"),
            " in a syllabus unit",
        )
        item.require("title", "duration")
        out.append(
            SyllabusUnit(
                title=item.text("title"),
                duration_minutes=item.duration("duration") or 0,
                outcomes=item.strings("outcomes"),
                lessons=item.strings("lessons"),
                description=item.text("description"),
                methods=item.strings("methods"),
                location=Location(f.path, item.line()),
            )
        )
    return tuple(out)



# --- assets --------------------------------------------------------------------------------


def _with_assets(module: Module, targets: TargetCache) -> Module:
    lessons = tuple(
        replace(lesson, assets=tuple(local_assets(lesson.body_md, targets)))
        for lesson in module.lessons
    )
    module = replace(module, lessons=lessons)
    used: dict[str, None] = {module.cover.image: None} if module.cover else {}
    for text in _all_markdown(module):
        used.update(dict.fromkeys(local_assets(text, targets)))
    diagrams = read_diagrams(module.root, tuple(used))[0] if module.root is not None else []
    return replace(module, assets=tuple(used), diagrams=tuple(diagrams))


def _all_markdown(module: Module) -> list[str]:
    texts = [module.overview_md] + [lesson.body_md for lesson in module.lessons]
    for assessment in module.assessments:
        texts.append(assessment.intro_md)
        texts.extend(question_markdown(q) for q in assessment.questions)
    return texts
