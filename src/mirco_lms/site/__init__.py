"""The catalogue as an e-library: ``mirco build --format site`` writes a static,
multilingual website of every module (lessons, descriptors, offline search) that needs
no LMS and does no tracking. See docs/formats.md."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from mirco_lms.formats.base import CourseOutput, CourseSource, Output
from mirco_lms.render import Theme
from mirco_lms.site.write import MARKER

SITE_FOLDER = "site"
"""The site's folder in the output folder."""

__all__ = ["MARKER", "SITE_FOLDER", "build_site"]


def build_site(source: CourseSource, label: str) -> list[CourseOutput]:
    """Write the site into ``source.out_dir``/site: built aside, checked, then renamed into
    place (an old site is replaced only when the new one is complete and valid)."""
    from mirco_lms.build.output import TEMP_PREFIX, publish
    from mirco_lms.errors import PackageInvalid
    from mirco_lms.site.check import check_site
    from mirco_lms.site.collect import collect
    from mirco_lms.site.write import SiteWriter

    config = source.config
    theme = Theme.for_project(config.templates_dir if config.templates_dir.is_dir() else None)
    modules = collect(config, source.languages, source.folders, source.allow_partial, theme)
    temp = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", dir=source.out_dir))
    try:
        folder = temp / SITE_FOLDER
        written = SiteWriter(config, theme, folder, modules).write()
        errors = [d for d in check_site(folder, MARKER) if d.severity == "error"]
        if errors:
            raise PackageInvalid(f"the built site is invalid: {errors[0].message}",
                                 location=errors[0].location,
                                 hint="this is a bug in mirco or in a theme override")
        publish(Output(SITE_FOLDER, "folder"), temp, source.out_dir)
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    target = source.out_dir / SITE_FOLDER
    return [CourseOutput(label, lang.language, target / lang.language, lang.size, lang.pages, 0)
            for lang in written]
