"""A module in its source language → the same module in another language.

The texts come from the module's catalogs (``translations/<lang>/LC_MESSAGES/<slug>.po``),
looked up segment by segment; ``sr-Cyrl`` reads its own catalog first, then the
``sr-Latn`` one transliterated (so Serbian is translated once). A segment with no usable
translation (missing or fuzzy) falls back to the source text and is listed in
:attr:`Localization.fallbacks`; whether that is acceptable (coverage threshold,
``--allow-partial``) is the build's decision. Every translation is checked once: its
placeholders and question structure against the source, its links and images by the
sources' own check (a remote image or a path out of the module is an error at the PO line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from mirco_lms import questions
from mirco_lms.course.checks import check_module_links, check_text_targets, module_pages
from mirco_lms.course.model import Module
from mirco_lms.errors import Location, TranslationError
from mirco_lms.i18n import checks, locales
from mirco_lms.i18n.catalog import Catalog, Coverage, Key, Translation, load_catalog, po_path
from mirco_lms.i18n.translit import strip_optouts, transliterate
from mirco_lms.i18n.walker import FILL_IN_CONTEXT, Source, split_answers, walk


@dataclass(frozen=True)
class Link:
    """One catalog of a lookup chain."""

    catalog: Catalog
    transliterate: bool
    """Whether its translations are transliterated (sr-Latn read for sr-Cyrl)."""


@dataclass(frozen=True)
class Fallback:
    """A segment shown in the source language because it has no usable translation."""

    location: Location
    kind: str
    text: str
    fuzzy: bool


@dataclass(frozen=True)
class Localization:
    """A module in one language, and how complete its translation is."""

    module: Module
    language: str
    fallbacks: tuple[Fallback, ...]
    coverage: Coverage


def catalog_chain(translations_dir: Path, slug: str, language: str, source: str) -> list[Link]:
    """The catalogs ``language`` is looked up in, first match wins."""
    if language == source:
        return []
    chain = [Link(load_catalog(po_path(translations_dir, language, slug), language), False)]
    base = locales.TRANSLITERATED_FROM.get(language)
    if base is not None and base != source:
        chain.append(Link(load_catalog(po_path(translations_dir, base, slug), base), True))
    return chain


def source_is_transliterated(language: str, source: str) -> bool:
    """Whether ``language`` is made from the source text itself (sr-Latn → sr-Cyrl)."""
    return locales.TRANSLITERATED_FROM.get(language) == source


class _Localizer:
    def __init__(self, module: Module, language: str, chain: list[Link]) -> None:
        self.language = language
        self.source = module.language
        self.chain = chain
        self.root = module.root
        self.pages = module_pages(module)
        self.references: list[tuple[Source, Translation]] = []
        """Translations defining link references (``[x]: url``): then the whole
        translated module is checked again, as references may cross segments."""
        self.translit_source = source_is_transliterated(language, self.source)
        self.keys: dict[Key, bool] = {}
        """Every key met, and whether it was translated."""
        self.fallbacks: dict[Key, Fallback] = {}
        self.checked: set[Key] = set()

    def __call__(self, src: Source) -> str:
        key: Key = (src.context, src.text)
        if self.language == self.source:
            self.keys[key] = True
            return strip_optouts(src.text)
        for link in self.chain:
            found = link.catalog.get(key)
            if found is None:
                continue
            if key not in self.checked:
                self._check(src, found)
                self.checked.add(key)
            self.keys[key] = True
            if link.transliterate and found.transliterate:
                return transliterate(found.text)
            return strip_optouts(found.text)
        if self.translit_source:
            self.keys[key] = True
            return transliterate(src.text)
        self.keys.setdefault(key, False)
        if key not in self.fallbacks:
            fuzzy = any(key in link.catalog.fuzzy for link in self.chain)
            self.fallbacks[key] = Fallback(src.location, src.kind, src.text, fuzzy)
        return strip_optouts(src.text)

    def _check(self, src: Source, found: Translation) -> None:
        problem = checks.placeholder_problem(src.text, found.text, percent_format=False)
        if src.kind in questions.inline_kinds():
            problem = problem or checks.option_problem(found.text)
        if src.context == FILL_IN_CONTEXT:
            problem = problem or checks.answers_problem(split_answers(found.text))
        if problem is not None:
            raise TranslationError(
                f"{problem} ({src.kind} at {src.location})",
                location=found.location,
                hint="fix the msgstr in a PO editor; question structure (options, answers, "
                "placeholders) must stay as in the source",
            )
        self._check_targets(src, found)

    def _check_targets(self, src: Source, found: Translation) -> None:
        """Links and images of a translation pass the same check as the source's."""
        if _REFERENCE.search(found.text):
            self.references.append((src, found))
        errors = [d for d in check_text_targets(found.text, found.location, self.root,
                                                self.pages) if d.severity == "error"]
        if errors:
            raise TranslationError(
                f"{errors[0].message}, in the translation of msgid {_short(src.text)!r} "
                f"({src.kind} at {src.location})",
                location=found.location,
                hint=f"{errors[0].hint}; a translation keeps the source's links and images "
                "(or points to a file of the module folder)",
            )

    def coverage(self) -> Coverage:
        translated = sum(self.keys.values())
        fuzzy = sum(1 for f in self.fallbacks.values() if f.fuzzy)
        return Coverage(len(self.keys), translated, fuzzy)


_REFERENCE = re.compile(r"(?m)^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)")
"""A link reference definition (``[label]: url``) and its url."""


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def localize(module: Module, language: str, chain: list[Link]) -> Localization:
    """``module`` in ``language``; TranslationError when a translation breaks a rule."""
    localizer = _Localizer(module, language, chain)
    translated = walk(module, localizer)
    if localizer.references:
        _check_module_targets(translated, language, localizer.references)
    return Localization(translated, language, tuple(localizer.fallbacks.values()),
                        localizer.coverage())


def _check_module_targets(
    translated: Module, language: str, references: list[tuple[Source, Translation]]
) -> None:
    """The source's link and image check over a whole translated module, reported at the
    translation defining the offending link reference."""
    errors = [d for d in check_module_links(translated) if d.severity == "error"]
    if not errors:
        return
    error = errors[0]
    src, found = next(
        ((src, found) for src, found in references
         if any(repr(url) in error.message for url in _REFERENCE.findall(found.text))),
        references[0],
    )
    raise TranslationError(
        f"{error.message} in the {language} translation of msgid {_short(src.text)!r} "
        f"(used at {error.location})",
        location=found.location,
        hint=f"{error.hint}; a translation keeps the source's links and images",
    )


def localize_from(translations_dir: Path, module: Module, language: str) -> Localization:
    """:func:`localize` with the module's catalogs read from ``translations_dir``."""
    chain = catalog_chain(translations_dir, module.slug, language, module.language)
    if language == module.language and not chain and "notranslit" not in repr(module):
        # the source language with no catalog of its own: the module as written
        return Localization(module, language, (), Coverage(0, 0, 0))
    return localize(module, language, chain)
