"""The e-library written as files: a folder per language, a folder per module in it, the
theme's look, a search index per language; every link relative, so that the site works
from any web server, from a USB stick and from ``file://``. Deterministic: the same
sources give the same bytes.

::

    site/index.html                    the languages
    site/assets/                       theme.css, site.css, search.js
    site/<lang>/index.html             the catalogue
    site/<lang>/search.html            search (search-index.js beside it)
    site/<lang>/<slug>/index.html      a module's overview; lesson-<id>.html its lessons
    site/<lang>/<slug>/descriptor.html its course descriptor
    site/<lang>/<slug>/images/…        what its pages show
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from mirco_lms.config import ProjectConfig
from mirco_lms.errors import BuildError, Location
from mirco_lms.formats.base import write_output
from mirco_lms.i18n.locales import language_name
from mirco_lms.media.package import asset_files
from mirco_lms.package.spec import PackageFile
from mirco_lms.render import Theme
from mirco_lms.render.localized import format_duration
from mirco_lms.site.collect import SiteModule, page_file
from mirco_lms.site.search import Document, index_script

ASSETS = {"theme.css": "static/theme.css", "site.css": "site/site.css",
          "search.js": "site/search.js"}
"""The site's shared files and the theme file each comes from."""
MARKER = "mirco-site.txt"
"""A file at the site's root naming its languages (the format recognises a site by it)."""
_TAGS = re.compile(r"<[^>]+>")
_HIDDEN = re.compile(r"<(script|style|button)\b.*?</\1>", re.S)


@dataclass(frozen=True)
class LanguageSite:
    """What was written for one language."""

    language: str
    pages: int
    size: int


def _text(markup: str) -> str:
    """The visible text of an HTML fragment."""
    return " ".join(html.unescape(_TAGS.sub(" ", _HIDDEN.sub(" ", markup))).split())


class SiteWriter:
    """Writes the site of a project into ``folder``."""

    def __init__(self, config: ProjectConfig, theme: Theme, folder: Path,
                 modules: Mapping[str, Sequence[SiteModule]]) -> None:
        self.config, self.theme, self.folder = config, theme, folder
        self.modules = modules
        self.languages = [lang for lang in modules if modules[lang]]
        self.available = {(lang, m.slug) for lang in self.languages for m in modules[lang]}

    def write(self) -> list[LanguageSite]:
        if not self.languages:
            raise BuildError("no module is built in any language, so the site would be empty",
                             location=Location(file=self.config.modules_dir),
                             hint="build the languages first, or use --allow-partial")
        self._assets()
        first = self.languages[0]
        self._page("index.html", self.theme.render("site/languages.html", {
            "language": first, "site_name": self.config.name,
            "switcher": self._switcher(first, "index.html", "", True)}))
        return [self._language(lang) for lang in self.languages]

    def _assets(self) -> None:
        for name, relative in ASSETS.items():
            found = self.theme.find(relative)
            if found is None:
                raise BuildError(f"the theme has no {relative}", hint="reinstall mirco")
            self._bytes(f"assets/{name}", found.read_bytes())
        self._bytes(MARKER, ("mirco e-library\n" + "\n".join(self.languages) + "\n").encode())

    def _bytes(self, relative: str, data: bytes) -> None:
        path = self.folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        write_output(path, data)

    def _page(self, relative: str, text: str) -> None:
        self._bytes(relative, text.encode("utf-8"))

    def _switcher(self, language: str, relative: str, root: str,
                  front: bool = False) -> list[dict[str, Any]]:
        """Links to ``relative`` (inside a language folder) in every language that has it."""
        slug = relative.split("/", 1)[0] if "/" in relative else None
        return [{"code": lang, "name": language_name(lang, lang), "current": lang == language
                 and not front, "href": f"{root}{lang}/{'index.html' if front else relative}"}
                for lang in self.languages if slug is None or (lang, slug) in self.available]

    def _context(self, module: SiteModule | None, language: str, relative: str,
                 title: str) -> dict[str, Any]:
        depth = relative.count("/") + 1
        root = "../" * depth
        home = "../" * (depth - 1)
        crumbs = [{"title": self.config.name, "href": f"{home}index.html"}]
        if module is not None:
            crumbs.append({"title": module.localized.module.title, "href": "index.html"})
        return {"language": language, "direction": "ltr", "title": title,
                "site_name": self.config.name, "organization": self.config.organization,
                "root": root, "home": home, "switcher": self._switcher(language, relative, root),
                "breadcrumbs": crumbs if depth > 1 else []}

    def _render(self, template: str, module: SiteModule | None, language: str,
                relative: str, title: str, translations: Any, **extra: Any) -> None:
        context = self._context(module, language, relative, title) | extra
        if module is not None:
            context["direction"] = module.localized.direction
        self._page(f"{language}/{relative}", self.theme.render(template, context, translations))

    def _language(self, language: str) -> LanguageSite:
        modules = self.modules[language]
        translations = modules[0].localized.translations
        documents: list[Document] = []
        entries = [{"slug": m.slug, "module": m.localized.module,
                    "duration": format_duration(m.localized.module.duration_minutes,
                                                m.localized)} for m in modules]
        self._render("site/catalogue.html", None, language, "index.html", self.config.name,
                     translations, modules=entries)
        for module in modules:
            documents.extend(self._module(language, module))
        self._render("site/search.html", None, language, "search.html",
                     translations.gettext("Search"), translations)
        self._page(f"{language}/search-index.js", index_script(documents))
        files = [p for p in (self.folder / language).rglob("*") if p.is_file()]
        return LanguageSite(language, sum(1 for p in files if p.suffix == ".html"),
                            sum(p.stat().st_size for p in files))

    def _module(self, language: str, module: SiteModule) -> list[Document]:
        title = module.localized.module.title
        documents = []
        pages = module.pages
        for number, page in enumerate(pages):
            relative = f"{module.slug}/{page_file(page)}"
            neighbours = {
                "previous": _link(pages[number - 1]) if number > 0 else None,
                "next": _link(pages[number + 1]) if number + 1 < len(pages) else None}
            body = _local_links(str(page.html), module.lesson_files)
            page_title = title if page.kind == "overview" else page.title
            self._render("site/module.html", module, language, relative, page_title,
                         module.localized.translations, page_html=Markup(body),
                         is_overview=page.kind == "overview", **neighbours)
            documents.append(Document(relative, page_title, title, _text(body)))
            for file in asset_files(module.localized.module, language, page.assets):
                self._asset(module, language, file)
        self._descriptor(language, module)
        return documents

    def _descriptor(self, language: str, module: SiteModule) -> None:
        relative = f"{module.slug}/descriptor.html"
        context = self._context(module, language, relative, "")
        links = " · ".join(
            f'<a href="{html.escape(o["href"])}" hreflang="{o["code"]}" lang="{o["code"]}"'
            + (' aria-current="page"' if o["current"] else "") + f'>{html.escape(o["name"])}</a>'
            for o in context["switcher"])
        nav = (f'<nav class="site-languages" aria-label="'
               f'{html.escape(module.localized.gettext("Languages"))}"><p>'
               f'<a href="index.html">{html.escape(module.localized.module.title)}</a> · '
               f"{links}</p></nav>")
        text = module.descriptor.replace("<body>", f"<body>\n{nav}", 1)
        if 'rel="icon"' not in text:  # no request for a /favicon.ico the site lacks
            text = text.replace("</head>", '<link rel="icon" href="data:,">\n</head>', 1)
        self._page(f"{language}/{relative}", text)

    def _asset(self, module: SiteModule, language: str, file: PackageFile) -> None:
        """An image or media file as the language shows it (its captions, its translated
        diagram), once per language and module."""
        relative = f"{language}/{module.slug}/{file.path}"
        if not (self.folder / relative).exists():
            self._bytes(relative, file.data)


def _link(page: Any) -> dict[str, str]:
    return {"href": page_file(page), "title": page.title}


_PAGE_ANCHOR = re.compile(r'href="#page-(lesson-[^"]+)"')


def _local_links(markup: str, lessons: Mapping[str, str]) -> str:
    """Links between the pages of a module, made links between the site's files."""
    markup = _PAGE_ANCHOR.sub(r'href="\1.html"', markup)
    for source, target in lessons.items():
        markup = markup.replace(f'href="{source}"', f'href="{target}"').replace(
            f'href="{source}#', f'href="{target}#')
    return markup
