"""Lesson and assessment files of a module folder → :class:`Lesson` / :class:`Assessment`.

Which Markdown files are lessons (front matter ``lessons:`` or every ``*.md`` in natural
order), and how a lesson or an assessment file becomes its model node. Problems are
collected as diagnostics; see :mod:`mirco_lms.course.loader` for the line convention.
Every body is parsed once; its link and image targets go into the :class:`TargetCache`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from markdown_it.token import Token

from mirco_lms.blocks import block_problems
from mirco_lms.course.assets import TargetCache
from mirco_lms.course.fields import Fields
from mirco_lms.course.frontmatter import SourceFile, load_source
from mirco_lms.course.markdown import parse, split_trailing_attrs
from mirco_lms.course.model import (
    DEFAULT_REVIEW,
    Assessment,
    AssessmentKind,
    Lesson,
    Review,
)
from mirco_lms.course.plans import read_plan
from mirco_lms.course.questions import (
    ID_PATTERN,
    Context,
    parse_assessment,
    question_from_check,
)
from mirco_lms.errors import Diagnostic, Location, SourceError
from mirco_lms.paths import inside_file
from mirco_lms.scenarios.parse import scenarios_in

MODULE_FILE = "module.md"
DEFAULT_PRETEST = "pretest.md"
DEFAULT_FINAL_TEST = "final-test.md"
DEFAULT_EVALUATION = "evaluation.md"
NOT_LESSONS = frozenset({"readme.md", "changelog.md", "notes.md"})
"""Markdown files in a module folder that are never lessons (compared in lower case)."""
LESSON_KEYS = ("id", "title", "duration", "plan")
ASSESSMENT_KEYS = ("id", "title", "shuffle_questions", "time_limit", "review", "required",
                   "anonymous")
REQUIRED = "required"
"""``pretest: required`` in ``module.md``: the default pre-test file, to be done first."""
_NUMERIC_PREFIX = re.compile(r"^\d+[-_. ]*")


def read_source(path: Path, diagnostics: list[Diagnostic]) -> SourceFile | None:
    try:
        return load_source(path)
    except SourceError as exc:
        diagnostics.append(Diagnostic(exc.message, exc.location or Location(path), exc.hint))
        return None


# --- lessons -------------------------------------------------------------------------------


def lesson_files(folder: Path, f: Fields) -> list[Path]:
    excluded = {MODULE_FILE, DEFAULT_PRETEST, DEFAULT_FINAL_TEST, DEFAULT_EVALUATION}
    excluded |= {f.text(key) for key in ("pretest", "final_test", "evaluation") if key in f}
    if "lessons" not in f:
        files = [
            p
            for p in folder.glob("*.md")
            if p.name not in excluded and p.name.lower() not in NOT_LESSONS
        ]
        return sorted(files, key=lambda p: _natural_key(p.name))
    out: list[Path] = []
    for name in f.strings("lessons"):
        path = _resolve_in(folder, name if name.endswith(".md") else f"{name}.md")
        if path is None:
            available = ", ".join(sorted(p.name for p in folder.glob("*.md"))) or "(none)"
            f.error(
                "lessons",
                f"the lesson file {name!r} does not exist",
                f"Markdown files in the module folder: {available}",
            )
            continue
        out.append(path)
    return out


def _natural_key(name: str) -> list[object]:
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", name)]


def _resolve_in(folder: Path, name: str) -> Path | None:
    """The file ``folder/name`` if it stays inside ``folder`` (as a path under ``folder``
    as given); None if there is none (:func:`~mirco_lms.paths.inside_file`: also for a
    name no file can have)."""
    path = inside_file(folder, name)
    return None if path is None else folder / path.relative_to(folder.resolve())


def default_lesson_id(path: Path) -> str:
    """``02-non-refoulement.md`` → ``non-refoulement``."""
    return _NUMERIC_PREFIX.sub("", path.stem) or path.stem


def load_lessons(
    folder: Path, f: Fields, diags: list[Diagnostic], targets: TargetCache
) -> list[Lesson]:
    """The lessons of the module whose ``module.md`` fields are ``f``, in order."""
    lessons: list[Lesson] = []
    for path in lesson_files(folder, f):
        source = read_source(path, diags)
        if source is not None:
            lessons.append(build_lesson(source, diags, targets))
    return lessons


def build_lesson(source: SourceFile, diags: list[Diagnostic], targets: TargetCache) -> Lesson:
    """A lesson from its source file; its body's targets go into ``targets``."""
    f = Fields(source.meta, source.path, diags)
    f.check_unknown(LESSON_KEYS)
    tokens = parse(source.body)
    targets.add(source.body, tokens)
    ctx = Context(source.path, source.body.split("\n"), source.body_line, diags)
    checks = [question_from_check(block, ctx) for block in check_containers(tokens)]
    diags.extend(Diagnostic(p.message, source.location(source.body_line + p.line), p.hint)
                 for p in block_problems(tokens))
    scenarios = scenarios_in(tokens, ctx)
    title = f.text("title") or first_heading(tokens)
    if not title:
        diags.append(
            Diagnostic(
                f"the lesson {source.path.name} has no title",
                source.location(source.body_line),
                "start the lesson with a level-1 heading ('# Title') or add 'title:' front matter",
            )
        )
    lesson_id = f.text("id") or default_lesson_id(source.path)
    if not ID_PATTERN.match(lesson_id):
        f.error(
            "id" if "id" in f else None,
            f"the lesson id {lesson_id!r} is not valid",
            "use letters, digits, '-', '_' and '.'; set 'id:' in the lesson's front matter",
        )
    return Lesson(
        id=lesson_id,
        title=title,
        body_md=source.body,
        checks=tuple(q for q in checks if q is not None),
        duration_minutes=f.duration("duration"),
        source=source.path,
        location=source.location(source.body_line),
        plan=read_plan(f),
        scenarios=tuple(scenarios),
    )


def check_containers(tokens: Sequence[Token]) -> list[list[Token]]:
    """Every ``::: check`` container (open to close token), wherever it is nested."""
    out: list[list[Token]] = []
    current: list[Token] | None = None
    depth = 0
    for token in tokens:
        if current is None and token.type == "container_check_open":
            current, depth = [], 0
        if current is None:
            continue
        current.append(token)
        depth += token.nesting
        if depth == 0:
            out.append(current)
            current = None
    return out


def first_heading(tokens: Sequence[Token]) -> str:
    """Text of the first level-1 heading (attributes removed), or ``""``."""
    for i, token in enumerate(tokens[:-1]):
        if token.type == "heading_open" and token.tag == "h1":
            return split_trailing_attrs(tokens[i + 1].content)[0]
    return ""


# --- assessments ---------------------------------------------------------------------------

_DEFAULT_TITLES = {AssessmentKind.PRETEST: "Pre-test", AssessmentKind.FINAL: "Final test",
                   AssessmentKind.EVALUATION: "Course evaluation"}


def _assessment_file(folder: Path, f: Fields, key: str, default: str) -> Path | None:
    if key in f.values and (f.values[key].value is None or f.values[key].value is False):
        return None  # 'pretest:' or 'pretest: false': explicitly none
    if key not in f:
        path = folder / default
        return path if path.is_file() else None
    name = f.text(key)
    if name == REQUIRED and not (folder / REQUIRED).is_file():
        path = folder / default
        if not path.is_file():
            f.error(key, f"'{key}: required' needs the pre-test file {default}, which does "
                    "not exist", f"create {default} in the module folder, or remove '{key}:'")
            return None
        return path
    resolved = _resolve_in(folder, name) if name else None
    if resolved is None:
        f.error(
            key,
            f"the {key} file {name!r} does not exist",
            f"create {name} in the module folder or remove '{key}:'",
        )
        return None
    return resolved


def load_assessment(
    folder: Path,
    f: Fields,
    key: str,
    default: str,
    kind: AssessmentKind,
    diags: list[Diagnostic],
) -> Assessment | None:
    """The assessment named by ``key`` in ``module.md`` (or its default file), if any."""
    path = _assessment_file(folder, f, key, default)
    source = read_source(path, diags) if path is not None else None
    if source is None:
        return None
    meta = Fields(source.meta, source.path, diags)
    meta.check_unknown(ASSESSMENT_KEYS)
    required = _required(f, key, meta, kind)
    review = _review(meta, kind)
    ctx = Context(source.path, source.body.split("\n"), source.body_line, diags)
    body = parse_assessment(parse(source.body), ctx)
    if not body.items:
        diags.append(
            Diagnostic(
                f"the {kind.value} {source.path.name} has no questions",
                source.location(source.body_line),
                "add questions as '## Question text {#q-id outcome=LO1}' followed by answers",
            )
        )
    return Assessment(
        id=meta.text("id") or default_lesson_id(source.path),
        kind=kind,
        title=meta.text("title") or body.title or _DEFAULT_TITLES[kind],
        intro_md=body.intro_md,
        items=tuple(body.items),
        shuffle_questions=meta.boolean("shuffle_questions", False),
        time_limit_minutes=meta.duration("time_limit"),
        source=source.path,
        location=source.location(source.body_line),
        review=review,
        required=required,
        anonymous=_anonymous(meta, kind),
    )


def _required(module: Fields, key: str, meta: Fields, kind: AssessmentKind) -> bool:
    """``pretest: required`` in ``module.md``, or ``required: true`` in the pre-test."""
    own = meta.boolean("required", False)
    if own and kind is AssessmentKind.FINAL:
        meta.error("required", "only the pre-test and the evaluation can be required",
                   "remove 'required:'; the final test always counts toward completion")
        return False
    return own or (kind is AssessmentKind.PRETEST and key in module.values
                   and module.values[key].value == REQUIRED)


def _anonymous(meta: Fields, kind: AssessmentKind) -> bool:
    """``anonymous: true``: the evaluation's answers are kept apart from the learner."""
    anonymous = meta.boolean("anonymous", False)
    if anonymous and kind is not AssessmentKind.EVALUATION:
        meta.error("anonymous", f"a {kind.value} cannot be anonymous (its answers count "
                   "toward the learner's result)", "remove 'anonymous:'; only evaluation.md "
                   "can be anonymous")
        return False
    return anonymous


def _review(meta: Fields, kind: AssessmentKind) -> Review:
    """The test's ``review:`` (when the correct answers are shown), checked."""
    default = DEFAULT_REVIEW[kind]
    if "review" not in meta:
        return default
    text = meta.text("review")
    choices = ", ".join(r.value for r in Review)
    try:
        review = Review(text)
    except ValueError:
        meta.error("review", f"review must be one of {choices}, not {text!r}",
                   f"write e.g. 'review: {default.value}'")
        return default
    if kind is AssessmentKind.EVALUATION and review is not Review.NEVER:
        meta.error("review", "an evaluation has no answers to review",
                   "remove 'review:' from the evaluation")
        return default
    if kind is AssessmentKind.PRETEST and review in (Review.AFTER_PASS,
                                                      Review.AFTER_LAST_ATTEMPT):
        meta.error("review", f"the pre-test cannot use review: {text} (it has no passing "
                   "score and no last attempt)", "write 'review: always' or 'review: never'")
        return default
    return review
