"""The render stage: a :class:`LocalizedModule` → pages (jinja2) → a :class:`PackageSpec`.

>>> theme = Theme.for_project(project.templates_dir)
>>> rendered = render_package(LocalizedModule(module, module.language), theme, options)
>>> rendered.spec       # files and SCOs, handed to a package format

Templates are looked up in the course project's ``templates/`` first, then in the
default theme (``mirco_lms/templates/``); every UI string goes through gettext.
"""

from mirco_lms.render.assemble import RenderedPackage, RenderOptions, render_package
from mirco_lms.render.localized import LocalizedModule
from mirco_lms.render.theme import DEFAULT_THEME_DIR, Theme

__all__ = [
    "DEFAULT_THEME_DIR",
    "LocalizedModule",
    "RenderOptions",
    "RenderedPackage",
    "Theme",
    "render_package",
]
