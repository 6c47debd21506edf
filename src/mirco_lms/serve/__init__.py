"""``mirco serve``: a local preview of the course project for authors.

Every module is built into a temporary folder (with :func:`mirco_lms.build.build`) and
played inside a SCORM 1.2 / 2004 test frame — the project's own small API emulation —
with a live panel of the CMI values the course sets. Sources, templates and translations
are watched: a change rebuilds and reloads the open pages; a build error is shown in the
page with its file and line.

>>> app = create_app(PreviewSite(project_dir))
"""

from mirco_lms.serve.app import create_app
from mirco_lms.serve.site import BuildFailure, PreviewSite

__all__ = ["BuildFailure", "PreviewSite", "create_app"]
