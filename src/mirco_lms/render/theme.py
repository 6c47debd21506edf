"""The theme: jinja2 templates and static files, overridable file by file.

A course project may hold its own ``templates/`` folder. A file there replaces the file
of the same path in the default theme shipped with mirco (``mirco_lms/templates/``), the
way mkdocs' ``custom_dir`` works: override ``lesson.html`` and keep everything else.
Static files (``static/…``) are overridden the same way and copied into every package
under ``_mirco/``.
"""

from __future__ import annotations

import gettext
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from mirco_lms.errors import BuildError, Location

DEFAULT_THEME_DIR = Path(__file__).resolve().parent.parent / "templates"
"""The default theme, shipped as package data."""

STATIC_DIR = "static"
"""Theme sub-folder whose files are copied into packages (``_mirco/<name>``)."""


def _walk(folder: Path) -> Iterator[tuple[str, Path]]:
    """(POSIX path relative to ``folder``, absolute path) of every file, sorted."""
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not any(part.startswith(".") for part in path.parts[-1:]):
            yield path.relative_to(folder).as_posix(), path


@dataclass(frozen=True)
class Theme:
    """The template search path: the project's ``templates/`` first, then the default."""

    dirs: tuple[Path, ...]
    """Folders searched in order; the first holding a file wins."""
    _envs: dict[object, tuple[gettext.NullTranslations | None, jinja2.Environment]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @classmethod
    def for_project(cls, templates_dir: Path | None) -> Theme:
        """The default theme, overridden by ``templates_dir`` when that folder exists."""
        dirs = [DEFAULT_THEME_DIR]
        if templates_dir is not None and templates_dir.is_dir():
            dirs.insert(0, templates_dir.resolve())
        return cls(tuple(dirs))

    def environment(
        self, translations: gettext.NullTranslations | None = None
    ) -> jinja2.Environment:
        """A jinja2 environment for one catalog (cached; the null catalog is shared)."""
        if translations is not None and type(translations) is gettext.NullTranslations:
            translations = None  # every null catalog is the same: share one environment
        key: object = None if translations is None else getattr(
            translations, "content_key", None) or id(translations)
        cached = self._envs.get(key)
        if cached is not None and (cached[0] is translations or isinstance(key, str)):
            return cached[1]  # the same catalog, or one with the same messages
        language = getattr(translations, "language", None)
        if not isinstance(language, str):
            language = "en"
        from mirco_lms.i18n.formatting import filters, localized_output

        env = jinja2.Environment(
            finalize=localized_output(language),
            loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(d)) for d in self.dirs]),
            autoescape=jinja2.select_autoescape(["html", "htm", "xml", "svg"]),
            undefined=jinja2.StrictUndefined,
            extensions=["jinja2.ext.i18n"],
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        env.filters.update(filters(language))  # format_number, format_date… in that language
        if translations is None:
            env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
        else:
            env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
        self._envs[key] = (translations, env)  # the catalog is kept alive with its id
        return env

    def render(
        self, name: str, context: dict[str, object],
        translations: gettext.NullTranslations | None = None,
    ) -> str:
        """Render template ``name``; template mistakes become a :class:`BuildError`."""
        env = self.environment(translations)
        try:
            return env.get_template(name).render(context)
        except jinja2.TemplateSyntaxError as exc:
            raise BuildError(
                f"template syntax error: {exc.message}",
                location=Location(file=exc.filename or exc.name, line=exc.lineno),
                hint="fix the template in your project's templates/ folder",
            ) from exc
        except jinja2.TemplateNotFound as exc:
            raise BuildError(
                f"template {exc.name!r} not found (needed by {name!r})",
                location=Location(file=self.dirs[0]),
                hint="a theme override must keep the names of the templates it includes",
            ) from exc
        except jinja2.UndefinedError as exc:
            raise BuildError(
                f"template error in {name!r}: {exc.message}",
                location=_template_location(exc, self.dirs),
                hint="use only the variables the default theme passes to this template",
            ) from exc

    def find(self, relative: str) -> Path | None:
        """The file that wins for ``relative`` (a POSIX path inside the theme)."""
        for folder in self.dirs:
            candidate = folder / relative
            if candidate.is_file():
                return candidate
        return None

    def static_files(self) -> list[tuple[str, Path]]:
        """(name relative to ``static/``, winning file) for every static file of the theme."""
        found: dict[str, Path] = {}
        for folder in reversed(self.dirs):
            for rel, path in _walk(folder / STATIC_DIR):
                found[rel] = path
        return sorted(found.items())

    def files(self) -> list[tuple[str, Path]]:
        """Every file of every theme folder (for content hashing), in search order."""
        out: list[tuple[str, Path]] = []
        for index, folder in enumerate(self.dirs):
            out.extend((f"{index}/{rel}", path) for rel, path in _walk(folder))
        return out

    def digest(self) -> str:
        """A hash of every theme file: changes whenever a template or static file changes."""
        return digest_files(self.files())


def digest_files(files: Iterable[tuple[str, Path]]) -> str:
    """SHA-256 over names and contents of ``files`` (name, path) in the given order."""
    sha = hashlib.sha256()
    for name, path in files:
        sha.update(name.encode("utf-8") + b"\0")
        sha.update(path.read_bytes())
        sha.update(b"\0")
    return sha.hexdigest()


def _template_location(exc: BaseException, dirs: tuple[Path, ...]) -> Location:
    """The template file and line of a rendering error, from the traceback."""
    tb = exc.__traceback__
    where = Location()
    roots = tuple(str(d) for d in dirs)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.startswith(roots):
            where = Location(file=filename, line=tb.tb_lineno)
        tb = tb.tb_next
    return where
