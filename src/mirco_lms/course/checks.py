"""Semantic checks of a loaded :class:`~mirco_lms.course.model.Module`.

The loader reports what keeps a source from being read; these checks report what is
readable but wrong: duplicate ids, outcomes nobody assesses, durations that do not add
up, questions that cannot be answered right, links and images that break the package.
Only local files of the module folder are looked at (packages must work offline).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

from mirco_lms import questions
from mirco_lms.course.accreditation import AccreditationRules
from mirco_lms.course.accreditation_checks import check_accreditation
from mirco_lms.course.assets import FindTargets, question_markdown, resolve_target
from mirco_lms.course.frontmatter import key_line
from mirco_lms.course.model import Assessment, Module, Pool, Question
from mirco_lms.course.plans import check_plans
from mirco_lms.course.targets import find_targets
from mirco_lms.errors import Diagnostic, Location
from mirco_lms.media.checks import check_media
from mirco_lms.scenarios.validate import module_problems

_RULES = AccreditationRules()

# --- the entry points ----------------------------------------------------------------------


def check_module(
    module: Module, find: FindTargets = find_targets,
    rules: AccreditationRules = _RULES,
) -> list[Diagnostic]:
    """Every semantic problem of ``module`` (errors and warnings).

    ``find`` gives the link and image targets of a Markdown text; the loader passes a
    :class:`~mirco_lms.course.assets.TargetCache` so that no text is parsed twice.
    ``rules`` are the project's accreditation rules (hours per ECTS credit).
    """
    out: list[Diagnostic] = []
    out += _check_settings(module)
    out += _check_ids(module)
    out += _check_outcomes(module)
    out += _check_syllabus(module)
    out += check_plans(module)
    for question, _pool in _all_questions(module):
        out += check_question(question)
    for assessment in module.assessments:
        out += _check_pools(assessment)
    out += _check_targets(module, find)
    out += check_accreditation(module, rules)
    out += _check_placeholders(module)
    out += module_problems([s for lesson in module.lessons for s in lesson.scenarios],
                           {o.id for o in module.outcomes})
    out += check_media(module)
    return out


PLACEHOLDER = "TODO-IMPORT"
"""Marks a value still to write (``mirco import`` writes it where a document gave none)."""


def _check_placeholders(module: Module) -> list[Diagnostic]:
    """A warning at every line of the module's files that still holds :data:`PLACEHOLDER`."""
    files = [module.root / "module.md"] if module.root is not None else []
    files += [lesson.source for lesson in module.lessons if lesson.source is not None]
    files += [a.source for a in module.assessments if a.source is not None]
    out: list[Diagnostic] = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # the loader has reported an unreadable file already
        for number, line in enumerate(text.splitlines(), 1):
            if PLACEHOLDER in line and not line.lstrip().startswith("#"):
                shown = " ".join(line.split())
                out.append(_warning(
                    f"still to write: {shown[:90]}", Location(path, number),
                    hint=f"replace {PLACEHOLDER} with the module's own text or value"))
    return out


def check_module_links(module: Module) -> list[Diagnostic]:
    """The link and image problems of ``module`` alone (e.g. a translated module)."""
    return _check_targets(module, find_targets)


def _error(message: str, location: Location, hint: str | None = None) -> Diagnostic:
    return Diagnostic(message, location, hint)


def _warning(message: str, location: Location, hint: str | None = None) -> Diagnostic:
    return Diagnostic(message, location, hint, "warning")


def _all_questions(module: Module) -> Iterator[tuple[Question, Pool | None]]:
    for assessment in module.assessments:
        for item in assessment.items:
            if isinstance(item, Pool):
                yield from ((q, item) for q in item.questions)
            else:
                yield item, None
    for lesson in module.lessons:
        yield from ((q, None) for q in lesson.checks)


# --- module settings, ids, outcomes, syllabus ----------------------------------------------


def _module_key(module: Module, key: str) -> Location:
    """Where ``key`` is written in module.md (the file alone when it is not written)."""
    path = module.root / "module.md" if module.root else None
    return Location(path, key_line(path, key))


def _check_settings(module: Module) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    if not 0 <= module.passing_score <= 100:
        out.append(
            _error(
                f"passing_score {module.passing_score} is outside 0–100",
                _module_key(module, "passing_score"),
                "passing_score is a percent of the final test's points, e.g. 70",
            )
        )
    if module.attempts < 0:
        out.append(
            _error(
                f"attempts {module.attempts} is negative",
                _module_key(module, "attempts"),
                "write the number of attempts allowed, or 0 for unlimited",
            )
        )
    if not module.lessons and not module.assessments:
        out.append(
            _error(
                "the module has no lessons and no tests: its package would be empty",
                Location(_module_key(module, "title").file, module.location.line or 1),
                "add a lesson file (e.g. 01-introduction.md) or a test (final-test.md) "
                "to the module folder",
            )
        )
    return out


def _duplicates(entries: Sequence[tuple[str, Location]], what: str) -> list[Diagnostic]:
    first: dict[str, Location] = {}
    out: list[Diagnostic] = []
    for ident, location in entries:
        if not ident:
            continue
        if ident in first:
            out.append(
                _error(
                    f"duplicate {what} id {ident!r} (first used at {first[ident]})",
                    location,
                    f"give every {what} its own id",
                )
            )
        else:
            first[ident] = location
    return out


def _check_ids(module: Module) -> list[Diagnostic]:
    out = _duplicates([(o.id, o.location) for o in module.outcomes], "outcome")
    pages = [(lesson.id, lesson.location) for lesson in module.lessons]
    pages += [(a.id, a.location) for a in module.assessments]
    out += _duplicates(pages, "lesson/assessment")
    questions: list[tuple[str, Location]] = []
    for assessment in module.assessments:
        for item in assessment.items:
            questions.append((item.id, item.location))
            if isinstance(item, Pool):
                questions += [(q.id, q.location) for q in item.questions]
    for lesson in module.lessons:
        questions += [(q.id, q.location) for q in lesson.checks]
    return out + _duplicates(questions, "question")


def _check_outcomes(module: Module) -> list[Diagnostic]:
    known = {o.id for o in module.outcomes}
    out: list[Diagnostic] = []
    hint = f"known outcomes: {', '.join(sorted(known)) or '(none)'}"
    for unit in module.syllabus:
        for ref in unit.outcomes:
            if ref not in known:
                out.append(
                    _error(
                        f"the syllabus unit {unit.title!r} names an unknown outcome {ref!r}",
                        unit.location,
                        hint,
                    )
                )
    assessed: Counter[str] = Counter()
    in_final = set(
        q_out
        for q in (module.final_test.questions if module.final_test else ())
        for q_out in q.outcomes
    )
    for question, _pool in _all_questions(module):
        for ref in question.outcomes:
            assessed[ref] += 1
            if ref not in known:
                out.append(
                    _error(
                        f"the question {question.id!r} names an unknown outcome {ref!r}",
                        question.location,
                        hint,
                    )
                )
    taught = {ref for unit in module.syllabus for ref in unit.outcomes}
    for outcome in module.outcomes:
        if module.syllabus and assessed[outcome.id] and outcome.id not in taught:
            out.append(
                _warning(
                    f"the outcome {outcome.id!r} is assessed but no syllabus unit teaches it",
                    outcome.location,
                    f"add {outcome.id} to the 'outcomes:' of the syllabus unit that teaches it",
                )
            )
        if not assessed[outcome.id]:
            out.append(
                _warning(
                    f"no question assesses the outcome {outcome.id!r}",
                    outcome.location,
                    f"add outcome={outcome.id} to a question",
                )
            )
        elif module.final_test is not None and outcome.id not in in_final:
            out.append(
                _warning(
                    f"the final test does not assess the outcome {outcome.id!r}",
                    outcome.location,
                    f"add outcome={outcome.id} to a final-test question",
                )
            )
    return out


def _check_syllabus(module: Module) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    lesson_ids = {lesson.id for lesson in module.lessons}
    for unit in module.syllabus:
        for ref in unit.lessons:
            if ref not in lesson_ids:
                out.append(
                    _error(
                        f"the syllabus unit {unit.title!r} names an unknown lesson {ref!r}",
                        unit.location,
                        f"lesson ids: {', '.join(sorted(lesson_ids)) or '(none)'}",
                    )
                )
    listed = {ref for unit in module.syllabus for ref in unit.lessons}
    if listed:  # the syllabus maps lessons to units: every lesson belongs to one
        for lesson in module.lessons:
            if lesson.id and lesson.id not in listed:
                out.append(
                    _warning(
                        f"no syllabus unit lists the lesson {lesson.id!r}",
                        lesson.location,
                        f"add {lesson.id} to the 'lessons:' of the syllabus unit that teaches "
                        "it, so the descriptor's lesson plan shows it",
                    )
                )
    timed = [lesson for lesson in module.lessons if lesson.duration_minutes]
    lesson_time = sum(lesson.duration_minutes or 0 for lesson in timed)
    if module.duration_minutes and lesson_time > module.duration_minutes:
        parts = ", ".join(f"{lesson.id} {_hm(lesson.duration_minutes or 0)}" for lesson in timed)
        out.append(
            _error(
                f"the lessons' durations add up to {_hm(lesson_time)}, more than the module's "
                f"duration of {_hm(module.duration_minutes)} ({parts})",
                _module_key(module, "duration"),
                "shorten the lessons' 'duration', or make the module's 'duration' longer",
            )
        )
    total = sum(unit.duration_minutes for unit in module.syllabus)
    if module.syllabus and module.duration_minutes and total != module.duration_minutes:
        where = module.syllabus[0].location
        out.append(
            _error(
                f"the syllabus units add up to {_hm(total)} but the module's duration is "
                f"{_hm(module.duration_minutes)}",
                where,
                "make the units' durations add up to 'duration', or correct 'duration'",
            )
        )
    return out


def _hm(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours}h {rest}m" if hours and rest else (f"{hours}h" if hours else f"{rest}m")


# --- questions and pools -------------------------------------------------------------------


def check_question(question: Question) -> list[Diagnostic]:
    """Problems that make a question impossible (or wrong) to answer (its type's checks)."""
    return questions.of(question).check(question)


def _check_pools(assessment: Assessment) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for pool in (i for i in assessment.items if isinstance(i, Pool)):
        size = len(pool.questions)
        if pool.draw < 1 or pool.draw > size:
            out.append(
                _error(
                    f"the pool {pool.id!r} draws {pool.draw} of {size} questions",
                    pool.location,
                    f"set draw between 1 and {max(size, 1)}",
                )
            )
        if len({q.points for q in pool.questions}) > 1:
            out.append(
                _warning(
                    f"the questions of pool {pool.id!r} carry different points",
                    pool.location,
                    "give every question of a pool the same points",
                )
            )
    return out


# --- links, images, media ------------------------------------------------------------------

_UNSAFE = {
    "absolute": "is an absolute path",
    "outside": "leaves the module folder",
    "backslash": "uses backslashes",
    "scheme": "is not a file in the module folder",
    "data": "is inline data, not a file in the module folder",
}


def _documents(module: Module) -> Iterator[tuple[Path | None, int, str, bool]]:
    """(file, line of the text's first line, Markdown, lines exact?) of every text."""
    root = module.root
    yield (
        (root / "module.md" if root else None),
        module.location.line or 1,
        module.overview_md,
        True,
    )
    for lesson in module.lessons:
        yield lesson.source, lesson.location.line or 1, lesson.body_md, True
    for assessment in module.assessments:
        yield assessment.source, assessment.location.line or 1, assessment.intro_md, False
        for question in assessment.questions:
            yield assessment.source, question.location.line or 1, question_markdown(question), False


def module_pages(module: Module) -> set[str]:
    """File names of the module's lessons and tests (what a ``.md`` link may point to)."""
    pages = {p.name for p in (lesson.source for lesson in module.lessons) if p is not None}
    return pages | {a.source.name for a in module.assessments if a.source is not None}


def _check_targets(module: Module, find: FindTargets) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    pages = module_pages(module)
    for file, base, text, exact in _documents(module):
        for target in find(text):
            where = Location(file, base + (target.line if exact else 0))
            out += _check_target(target.kind, target.url, target.alt, where, module.root, pages)
    return out


def check_text_targets(
    text: str, where: Location, root: Path | None, pages: set[str]
) -> list[Diagnostic]:
    """The link and image check of the sources, on one Markdown text whose problems are
    all reported at ``where`` (a translation: the line of its msgstr)."""
    out: list[Diagnostic] = []
    for target in find_targets(text):
        out += _check_target(target.kind, target.url, target.alt, where, root, pages)
    return out


def _check_target(
    kind: str, url: str, alt: str, where: Location, root: Path | None, pages: set[str]
) -> list[Diagnostic]:
    resolved = resolve_target(url)
    what = "image" if kind == "image" else "link"
    out: list[Diagnostic] = []
    if kind == "image" and not alt.strip():
        out.append(
            _error(
                f"the image {url!r} has no alt text",
                where,
                "describe the image between the brackets: ![A boat at dawn](…)",
            )
        )
    if resolved.kind in _UNSAFE or (kind == "image" and resolved.kind == "scheme"):
        out.append(
            _error(
                f"the {what} {url!r} {_UNSAFE[resolved.kind]}",
                where,
                "use a path relative to the module folder, with '/', e.g. images/boat.jpg"
                + ("" if kind == "image" else ", or a web page (https://…)"),
            )
        )
    elif kind == "image" and resolved.kind == "remote":
        out.append(
            _error(
                f"the image {url!r} is on the web; packages must work offline",
                where,
                "download it into the module's images/ folder and link that",
            )
        )
    elif kind == "image" and resolved.kind in ("empty", "anchor", "contact"):
        out.append(
            _error(
                f"the image {url!r} has no file",
                where,
                "write the image path, e.g. ![alt](images/boat.jpg)",
            )
        )
    elif resolved.kind == "local" and root is not None:
        out += _check_local(kind, url, resolved.path, where, root, pages)
    return out


def _check_local(
    kind: str, url: str, path: str, where: Location, root: Path, pages: set[str]
) -> list[Diagnostic]:
    if kind == "link" and path.lower().endswith(".md"):
        if path in pages:
            return []
        return [
            _error(
                f"the link {url!r} points to no lesson of this module",
                where,
                f"lesson files: {', '.join(sorted(pages)) or '(none)'}",
            )
        ]
    if not (root / path).is_file():
        what = "image" if kind == "image" else "linked file"
        return [
            _error(
                f"the {what} {path!r} does not exist",
                where,
                "check the file name (letter case counts) and that it is in the module folder",
            )
        ]
    return []
