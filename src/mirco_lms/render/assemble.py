"""Pages → SCOs → a :class:`PackageSpec`: launch files, assets, runtime and course data.

By default a module is ONE SCO: ``index.html`` holds every page as a section and the
SCORM API is initialized once. With ``sco_per_lesson`` the overview, each lesson and
each assessment is its own SCO with its own launch file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from mirco_lms import blocks, questions
from mirco_lms.config import TrackingSettings
from mirco_lms.formats.builtin import scorm_api
from mirco_lms.i18n.formatting import number_symbols
from mirco_lms.media.package import asset_files, language_assets
from mirco_lms.package.spec import PackageFile, PackageSpec, ScoSpec
from mirco_lms.render.localized import RUNTIME_STRINGS, LocalizedModule
from mirco_lms.render.minify import minify_css, minify_js
from mirco_lms.render.pages import Page, render_pages
from mirco_lms.render.theme import Theme
from mirco_lms.render.xapi import CMI5, COVER_PAGE, tracking_data, unit_activity
from mirco_lms.xapi.profile import ActivityIds

if TYPE_CHECKING:
    from mirco_lms.config import ProjectConfig

RUNTIME_DIR = Path(__file__).resolve().parent.parent / "runtime"
QUESTION_SOURCES = (
    "src/questions.js", "src/questions/choice.js", "src/questions/multiple-choice.js",
    "src/questions/true-false.js", "src/questions/fill-in.js", "src/questions/numeric.js",
    "src/questions/matching.js", "src/questions/sequencing.js", "src/questions/likert.js",
    "src/questions/essay.js",
    "src/questions/ordering-drag.js",
)
"""The question types' registry and the built-in types' modules (choice before the types
built on it, fill-in before numeric)."""
RUNTIME_SOURCES = (
    "src/core.js", "src/lms.js", "src/state.js", "src/quiz.js", *QUESTION_SOURCES,
    "src/tracking.js", "src/navigation.js", "src/assessment.js", "src/finish.js",
    "src/scenario.js", "src/cover.js", "src/player.js",
)
"""The learner runtime's JavaScript, concatenated in this order into ``_mirco/mirco.js``."""
XAPI_SOURCES = (
    "src/xapi.js", "src/queue.js", "src/sender.js", "src/outbox.js", "src/cmi5.js",
)
"""The xAPI statements, their queue, its sender and indicator, and the cmi5 launch: added
before ``player.js`` only to packages that send statements (tracking configured, or cmi5)."""
RUNTIME_FILES = (*RUNTIME_SOURCES, *XAPI_SOURCES, "mirco.css")
"""Every source file of the learner runtime (hashed into build fingerprints)."""
ACTIVITIES_FILE = "_mirco/activities.json"
"""cmi5 packages: the course and AU activity ids, read by ``package/cmi5.py``."""
SHARED_PREFIX = "_mirco/"
DATA_SCHEMA = 1
"""Version of the course data format the runtime reads."""


@dataclass(frozen=True)
class RenderOptions:
    """Project settings that change what is rendered."""

    sco_per_lesson: bool = False
    organization: str = ""
    activity_base: str = "https://example.org/mirco"
    package_format: str = ""
    """The package format the pages go into (``scorm12``, ``scorm2004``, ``cmi5``); empty:
    unknown.

    The runtime prefers the LMS API of that SCORM version when a frame offers both; in
    ``cmi5`` it follows the cmi5 launch rules and uses no SCORM API."""
    tracking: TrackingSettings = field(default_factory=TrackingSettings)
    """``[tracking]``: the LRS packages send xAPI statements to (when configured)."""
    institution: str = ""
    """``[project].institution``: the training provider's institution (not the learners')."""
    country: str = ""
    """``[project].country``: ISO 3166-1 alpha-2 of the training provider (not the learners')."""

    @classmethod
    def for_project(cls, config: ProjectConfig, sco_per_lesson: bool) -> RenderOptions:
        """The options of ``config``'s project (``sco_per_lesson`` as the build decided)."""
        return cls(sco_per_lesson=sco_per_lesson, organization=config.organization,
                   activity_base=config.tracking.activity_base, tracking=config.tracking,
                   institution=config.institution, country=config.country)


@dataclass(frozen=True)
class RenderedPackage:
    """The render stage's result for one module in one language."""

    spec: PackageSpec
    pages: int
    """Pages of the module (overview, lessons, assessments)."""
    questions: int
    """Questions rendered: assessment questions (every pooled one) and knowledge checks."""


def xml_id(text: str) -> str:
    """``text`` made a valid XML NCName, for manifest identifiers."""
    cleaned = re.sub(r"[^A-Za-z0-9_.-]", "_", text)
    return cleaned if re.match(r"[A-Za-z_]", cleaned) else f"_{cleaned}"


def json_for_html(data: Any) -> Markup:
    """JSON safe inside ``<script type="application/json">`` (no ``</script>`` breakout)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _course_data(
    localized: LocalizedModule, pages: list[Page], sco_id: str, options: RenderOptions,
    whole: bool, elsewhere: dict[str, dict[str, str]],
) -> dict[str, Any]:
    module = localized.module
    questions: dict[str, Any] = {}
    for page in pages:
        questions.update(page.questions)
    data = {
        "schema": DATA_SCHEMA,
        "module": {"id": module.id, "slug": module.slug, "version": module.version,
                   "title": module.title},
        "language": localized.language,
        "sco": sco_id,
        "activityId": f"{options.activity_base}/{module.id}",
        "pages": [page.data() for page in pages],
        "questions": questions,
        "assessments": {p.assessment["kind"]: p.assessment for p in pages if p.assessment},
        "outcomes": [{"id": o.id, "text": o.text} for o in module.outcomes],
        "passingScore": module.passing_score if module.final_test else None,
        "attempts": module.attempts,
        "scorm": scorm_api(options.package_format),
        "strings": {key: localized.gettext(text) for key, text in RUNTIME_STRINGS.items()},
        "numbers": number_symbols(localized.language),
        "mode": CMI5 if options.package_format == CMI5 else "scorm",
    }
    own = {page.id for page in pages}
    others = {page_id: to for page_id, to in elsewhere.items() if page_id not in own}
    if others:  # one SCO per lesson: where the links to the other SCOs' pages lead
        data["elsewhere"] = others
    tracking = replace(options.tracking, activity_base=options.activity_base)
    xapi = tracking_data(module, pages, whole, tracking, options.package_format,
                         (options.institution, options.country))
    if xapi is not None:
        data["xapi"] = xapi
    return data


def sends_statements(options: RenderOptions) -> bool:
    """Whether the packages of ``options`` carry the xAPI sender."""
    return options.tracking.enabled or options.package_format == CMI5


def runtime_bundle(xapi: bool = False) -> bytes:
    """``mirco.js``: the runtime's sources in their fixed order, in one strict-mode scope;
    the modules of question types registered from outside (their ``script``) come last,
    before ``player.js`` starts the player.

    ``xapi`` adds the statement builder, the offline queue and the cmi5 launch. The
    interactive blocks' modules (:func:`mirco_lms.blocks.runtime_scripts`) come just
    before ``player.js`` too."""
    names: tuple[str, ...] = RUNTIME_SOURCES
    if xapi:
        names = (*RUNTIME_SOURCES[:-1], *XAPI_SOURCES, RUNTIME_SOURCES[-1])
    parts = [b"/*! mirco learner runtime */\n(function () {\n\"use strict\";\n"]
    files = [(name, RUNTIME_DIR / name) for name in names]
    at = names.index("src/player.js")
    files[at:at] = [(f"questions/{kind.name}.js", kind.script)
                    for kind in questions.kinds() if kind.script is not None]
    at = [name for name, _ in files].index("src/player.js")
    files[at:at] = blocks.runtime_scripts()
    for name, path in files:
        parts.append(f"/*! --- {name} --- */\n".encode())  # kept by the minifier
        parts.append(path.read_bytes())
    parts.append(b"})();\n")
    return b"".join(parts)


def runtime_css() -> bytes:
    """``mirco.css``: the runtime's styles, then those of the interactive blocks."""
    parts = [(RUNTIME_DIR / "mirco.css").read_bytes()]
    parts.extend(path.read_bytes() for _, path in blocks.runtime_styles())
    return b"\n".join(parts)


def _shared_files(theme: Theme, xapi: bool) -> list[PackageFile]:
    files = [PackageFile(SHARED_PREFIX + "mirco.js", minify_js(runtime_bundle(xapi))),
             PackageFile(SHARED_PREFIX + "mirco.css", minify_css(runtime_css()))]
    files.extend(PackageFile(SHARED_PREFIX + name, path.read_bytes())
                 for name, path in theme.static_files())
    return files


def _group(pages: list[Page], per_lesson: bool) -> list[tuple[str, list[Page]]]:
    """(launch file, pages) of every SCO."""
    if not per_lesson:
        return [("index.html", pages)]
    groups: list[tuple[str, list[Page]]] = []
    for page in pages:
        if page.kind == "finish" and groups:
            groups[-1][1].append(page)  # the finish page ends the last SCO, not one of its own
        elif groups and groups[-1][1][-1].kind == COVER_PAGE:
            groups[-1][1].append(page)  # the cover opens the first SCO, not one of its own
        else:
            groups.append((page.file_name, [page]))
    return groups


def _content(pages: list[Page]) -> Page:
    """The page a SCO is about: its first page after the cover."""
    return next((p for p in pages if p.kind != COVER_PAGE), pages[0])


def _sco_id(module_id: str, pages: list[Page], whole: bool) -> str:
    return xml_id(f"ITEM-{module_id}" if whole else f"ITEM-{module_id}-{_content(pages).id}")


def _sco(
    localized: LocalizedModule, theme: Theme, options: RenderOptions, launch: str,
    pages: list[Page], whole: bool, shared: tuple[str, ...],
    elsewhere: dict[str, dict[str, str]],
) -> tuple[PackageFile, ScoSpec]:
    """The launch file and the SCO of ``pages`` (``whole``: the SCO is the whole module).

    ``elsewhere``: page id → ``{sco, href, title}`` of every page of the package."""
    module = localized.module
    first = _content(pages)
    sco_id = _sco_id(module.id, pages, whole)
    data = _course_data(localized, pages, sco_id, options, whole, elsewhere)
    html = theme.render("sco.html", {
        "module": module, "language": localized.language,
        "direction": localized.direction, "pages": pages,
        "title": module.title if whole else f"{first.title} – {module.title}",
        "course_data": json_for_html(data), "static": shared, "tracking": "xapi" in data,
    }, localized.translations)
    used = dict.fromkeys(a for p in pages for a in p.assets)
    assets = dict.fromkeys(Path(f.path).as_posix()
                           for f in language_assets(module, localized.language, used))
    final = any(p.assessment and p.assessment["kind"] == "final" for p in pages)
    sco = ScoSpec(
        identifier=sco_id,
        title=module.title if whole else first.title,
        href=launch,
        files=(launch, *assets, *shared),
        mastery_score=module.passing_score if final else None,
        duration_minutes=(module.duration_minutes or None) if whole else first.duration_minutes,
    )
    return PackageFile(launch, html.encode("utf-8")), sco


def _activities_file(
    module_id: str, groups: list[tuple[str, list[Page]]],
    built: list[tuple[PackageFile, ScoSpec]], options: RenderOptions,
) -> PackageFile:
    """``_mirco/activities.json``: the publisher ids of a cmi5 package's AUs, by SCO."""
    ids = ActivityIds(options.activity_base, module_id)
    whole = len(groups) == 1
    aus = {sco.identifier: unit_activity(ids, pages, whole).data()
           for (_, pages), (_, sco) in zip(groups, built, strict=True)}
    data = {"module": ids.module, "aus": aus}
    return PackageFile(ACTIVITIES_FILE, json.dumps(data, indent=1, sort_keys=True).encode())


def render_package(
    localized: LocalizedModule, theme: Theme, options: RenderOptions = RenderOptions(),
    pages: list[Page] | None = None,
) -> RenderedPackage:
    """Render ``localized`` into the files and SCOs of a package (no format yet).

    ``pages``, when given, are this module's pages from :func:`render_pages` — they do not
    depend on the package format, so one rendering serves every format of a language.
    """
    module = localized.module
    if pages is None:
        pages = render_pages(localized, theme)
    shared = _shared_files(theme, sends_statements(options))
    shared_names = tuple(f.path for f in shared)
    groups = _group(pages, options.sco_per_lesson)
    whole = len(groups) == 1
    elsewhere = {} if whole else {
        page.id: {"sco": _sco_id(module.id, sco_pages, whole), "href": launch,
                  "title": page.title}
        for launch, sco_pages in groups for page in sco_pages
    }
    built = [_sco(localized, theme, options, launch, sco_pages, whole, shared_names, elsewhere)
             for launch, sco_pages in groups]
    every_asset = [*module.assets, *(a for lesson in module.lessons for a in lesson.assets)]
    files = [launch for launch, _ in built]
    files.extend(asset_files(module, localized.language, dict.fromkeys(every_asset)))
    files.extend(shared)
    if options.package_format == CMI5:
        files.append(_activities_file(module.id, groups, built, options))
    spec = PackageSpec(
        module=module, language=localized.language, title=module.title,
        description=module.description, keywords=module.keywords,
        files=tuple(files), scos=tuple(sco for _, sco in built),
        organization=options.organization,
    )
    questions = sum(len(p.questions) for p in pages)
    return RenderedPackage(spec, pages=len(pages), questions=questions)
