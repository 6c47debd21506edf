"""A document → a new module folder: ``module.md`` (a front-matter skeleton and the
overview), one lesson per top-level chapter, the images in ``images/``, and a report of
what the author has to look at.

Every value the document cannot give is written with the marker :data:`TODO`, and the
report lists each with its file and line; the module validates as it is (with
warnings), so it builds and previews at once.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mirco_lms.course.checks import PLACEHOLDER
from mirco_lms.errors import Location
from mirco_lms.importer import pandoc
from mirco_lms.importer.ast import (
    NO_ATTR,
    Chapter,
    ImageRef,
    clean,
    meta_title,
    plain,
    split,
    text_inlines,
)
from mirco_lms.importer.pandoc import DocumentImportError
from mirco_lms.importer.slugs import guess_language, slugify, unique

TODO = PLACEHOLDER
"""Marks every value the author must write or check; ``mirco validate`` warns at each."""
LESSON_MINUTES = 30
IMAGE_TYPES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}


@dataclass(frozen=True)
class Attention:
    """One thing the author has to look at: where, and what."""

    file: str
    """The file's path inside the module folder."""
    line: int | None
    message: str

    def format(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class ImportResult:
    """What ``mirco import`` wrote."""

    folder: Path
    slug: str
    title: str
    language: str
    lessons: tuple[str, ...]
    images: tuple[str, ...]
    attention: tuple[Attention, ...] = field(default=())


def import_document(source: Path, modules_dir: Path, slug: str | None = None,
                    language: str | None = None) -> ImportResult:
    """Start the module ``slug`` (default: from the title) in ``modules_dir`` from
    ``source``; refuses an existing module and leaves nothing behind when it fails."""
    pandoc.reader_for(source)  # an unknown type is refused before anything runs
    if language is not None:
        from mirco_lms.i18n.locales import language_problem, supported_hint

        problem = language_problem(language)
        if problem is not None:
            raise DocumentImportError(problem, hint=supported_hint())
    with tempfile.TemporaryDirectory(prefix="mirco-import-") as work:
        ast = pandoc.read_ast(source.resolve(), Path(work) / "media")
        overview, chapters, _ = split(ast)
        if not chapters:
            raise DocumentImportError(
                "the document has no headings: mirco makes one lesson per top-level heading",
                location=Location(file=source),
                hint="give each chapter a heading style (Heading 1) and import it again")
        title = meta_title(ast) or _title_from_name(source)
        slug = slug or slugify(title) or slugify(source.stem) or "imported-module"
        _check_slug(slug, modules_dir)
        text = " ".join(plain(c.blocks) for c in chapters)
        language = language or guess_language(text)
        return _write(source, modules_dir, slug, title, language,
                      clean(Chapter("", overview)), [clean(c) for c in chapters])


def _title_from_name(source: Path) -> str:
    words = source.stem.replace("_", " ").replace("-", " ").split()
    return " ".join(words).capitalize() if words else "Imported module"


def _check_slug(slug: str, modules_dir: Path) -> None:
    from mirco_lms.course.loader import SLUG_PATTERN

    if not SLUG_PATTERN.match(slug):
        raise DocumentImportError(
            f"invalid module slug {slug!r}",
            hint="use lowercase letters, digits and single hyphens, "
                 "e.g. --module border-management")
    if (modules_dir / slug).exists():
        raise DocumentImportError(
            f"the module folder {slug!r} already exists",
            location=Location(file=modules_dir / slug),
            hint="choose another slug with --module SLUG; "
                 "an existing module is never overwritten")


class _Writer:
    """Writes one module into a staging folder, noting what needs attention."""

    def __init__(self, source: Path, staging: Path) -> None:
        self.source = source
        self.staging = staging
        self.alt_texts: dict[str, str] = {}
        if source.suffix.lower() == ".odt":
            from mirco_lms.importer.odf import alt_texts

            self.alt_texts = alt_texts(source)
        self.attention: list[Attention] = []
        self.images: list[str] = []

    def note(self, file: str, message: str, line: int | None = None) -> None:
        self.attention.append(Attention(file, line, message))

    def place_images(self, chapter: Chapter, file: str) -> None:
        for image in chapter.images:
            self._place(image, file)

    def _place(self, image: ImageRef, file: str) -> None:
        found = self._image_file(image.url)
        if found is None:
            self.note(file, f"image {image.url!r} is not in the document and was left out: "
                      "add it to images/ and link it")
            words = text_inlines(image.alt or image.url)
            if _on_the_web(image.url):  # a link to it instead: packages work offline
                image.node["t"], image.node["c"] = "Link", [NO_ATTR, words, [image.url, ""]]
            else:
                image.node["t"], image.node["c"] = "Emph", words
            return
        name = f"images/image-{len(self.images) + 1:02d}{found.suffix.lower()}"
        (self.staging / "images").mkdir(exist_ok=True)
        shutil.copyfile(found, self.staging / name)
        self.images.append(name)
        alt = image.alt or next((text for href, text in self.alt_texts.items()
                                 if image.url.endswith("/" + href)), "")
        if alt and image.title and image.title == _ident(alt):
            image.title = ""  # pandoc's ODT reader puts the alt text there, as an identifier
        if not alt and image.title:
            alt = image.title.replace("-", " ").strip()
            self.note(file, f"{name}: the alt text was taken from the image's title "
                      f"({alt!r}); check that it describes the image")
        if not alt:
            alt = f"{TODO}: describe this image"
            self.note(file, f"{name} has no alt text: describe the image for screen readers")
        image.node["c"][1] = text_inlines(alt)
        image.node["c"][2] = [name, image.title if image.title != image.url else ""]

    def _image_file(self, url: str) -> Path | None:
        if _on_the_web(url) or url.startswith("data:"):
            return None
        path = Path(url)
        if not path.is_absolute():
            path = self.source.parent / path
        if path.suffix.lower() not in IMAGE_TYPES or not path.is_file():
            return None
        return path

    def markdown(self, chapter: Chapter, file: str) -> str:
        self.place_images(chapter, file)
        for note in chapter.notes:
            self.note(file, note)
        return pandoc.write_markdown(chapter.blocks, self.source).strip() + "\n"

    def write(self, file: str, text: str) -> None:
        (self.staging / file).write_text(text, encoding="utf-8")
        for number, line in enumerate(text.splitlines(), 1):
            if TODO in line and not line.startswith("#"):
                self.note(file, line.strip().lstrip("#").strip(), number)


def _on_the_web(url: str) -> bool:
    return "://" in url or url.startswith("//")


def _ident(text: str) -> str:
    return "-".join(text.lower().split())


def _q(value: str) -> str:
    """A YAML double-quoted scalar."""
    return json.dumps(value, ensure_ascii=False)


def _lesson(title: str, lesson_id: str, body: str) -> str:
    return (f"---\nid: {lesson_id}\ntitle: {_q(title)}\n"
            f"duration: {LESSON_MINUTES}m  # {TODO}: the time this lesson takes\n---\n\n{body}")


def _module_md(slug: str, title: str, language: str, lessons: list[tuple[str, str, str]],
               overview: str) -> str:
    minutes = LESSON_MINUTES * len(lessons)
    units = "".join(
        f"  - title: {_q(lesson_title)}\n    duration: {LESSON_MINUTES}m\n"
        f"    outcomes: [LO1]\n    lessons: [{lesson_id}]\n"
        for _, lesson_id, lesson_title in lessons)
    files = ", ".join(file for file, _, _ in lessons)
    body = overview if overview.strip() else f"{TODO}: say what the module is about.\n"
    return (
        "---\n"
        f"# Imported from a document: every {TODO} marks a value to write or check.\n"
        f"id: {slug}\n"
        f"title: {_q(title)}  # {TODO}: check the title\n"
        "version: 0.1.0\n"
        f"language: {language}  # {TODO}: check the source language\n"
        f"description: {_q(TODO + ': one or two sentences on what the module teaches')}\n"
        f"keywords: [{TODO}]\n"
        f"target_group: {_q(TODO + ': who the module is for')}\n"
        "prerequisites:\n  - None\n"
        f"duration: {minutes}m  # {TODO}: the total learning time (= the syllabus units)\n"
        "delivery: [self-paced-online]\n"
        "outcomes:\n"
        f"  - id: LO1\n    text: {_q(TODO + ': what a learner can do after the module')}\n"
        f"syllabus:  # {TODO}: group the lessons into units, with their time and outcomes\n"
        f"{units}"
        f"lessons: [{files}]\n"
        "---\n\n"
        f"{body}"
    )


def _write(source: Path, modules_dir: Path, slug: str, title: str, language: str,
           overview: Chapter, chapters: list[Chapter]) -> ImportResult:
    dest = modules_dir / slug
    try:
        modules_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{slug}.import-", dir=modules_dir))
    except OSError as err:
        raise DocumentImportError(f"cannot create the module folder: {err.strerror or err}",
                                  location=Location(file=modules_dir)) from err
    try:
        writer = _Writer(source, staging)
        taken: set[str] = set()
        lessons: list[tuple[str, str, str]] = []
        texts: dict[str, Any] = {}
        for number, chapter in enumerate(chapters, 1):
            lesson_id = unique(slugify(chapter.title) or f"lesson-{number}", taken)
            file = f"{number:02d}-{lesson_id}.md"
            lessons.append((file, lesson_id, chapter.title))
            texts[file] = _lesson(chapter.title, lesson_id, writer.markdown(chapter, file))
        overview_md = writer.markdown(overview, "module.md") if overview.blocks else ""
        for file, text in texts.items():
            writer.write(file, text)
        # module.md last: a folder left by an import that was killed is never a module
        writer.write("module.md", _module_md(slug, title, language, lessons, overview_md))
        staging.rename(dest)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    order = {file: n for n, file in enumerate(["module.md", *texts])}
    attention = sorted(writer.attention, key=lambda a: (order.get(a.file, 0), a.line or 0))
    return ImportResult(dest, slug, title, language, tuple(f for f, _, _ in lessons),
                        tuple(writer.images), tuple(attention))
