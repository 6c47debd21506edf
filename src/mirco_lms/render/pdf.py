"""HTML → PDF with WeasyPrint: the one place mirco makes a PDF.

Every printed document (programme document, trainer's guide, participant handbook, paper
tests, certificates) is an HTML page rendered from the theme's jinja2 templates and handed
here. The PDFs are

- **deterministic**: the same HTML gives the same bytes; the creation date written into
  the document's metadata comes from ``SOURCE_DATE_EPOCH`` when it is set (as
  reproducible-builds.org asks), and is left out otherwise;
- **tagged** (PDF/UA-1): headings, paragraphs, lists, tables and images' alt text reach
  screen readers, and the document's language comes from ``<html lang>``;
- **offline**: only ``file:`` and ``data:`` URLs are fetched; a page that links to the
  network gets a :class:`~mirco_lms.errors.BuildError` instead of a silent download.

>>> pdf = html_to_pdf("<html lang='sr-Cyrl'><h1>Део III</h1></html>", base_url=folder)

WeasyPrint needs Pango and HarfBuzz from the system (``make browser-deps`` installs them
from Debian); their absence is reported as a :class:`BuildError` naming the packages.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mirco_lms.errors import BuildError

SYSTEM_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core"
"""The Debian packages WeasyPrint loads at run time."""

PDF_VARIANT = "pdf/ua-1"
"""Tagged PDF: structure, language and alternative text for assistive technology."""


def source_date() -> datetime | None:
    """The build's fixed time from ``SOURCE_DATE_EPOCH``, or ``None`` when it is not set.

    A value that is not a whole number of seconds is a :class:`BuildError` (the
    reproducible-builds specification asks tools to refuse it rather than guess)."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value is None or value == "":
        return None
    try:
        return datetime.fromtimestamp(int(value), tz=UTC)
    except (ValueError, OverflowError, OSError):
        raise BuildError(
            f"SOURCE_DATE_EPOCH={value!r} is not a number of seconds since 1970-01-01",
            hint="set it to a Unix timestamp such as $(git log -1 --format=%ct), or unset it",
        ) from None


def _offline_fetcher() -> Any:
    """WeasyPrint's URL fetcher, limited to files and inline data; anything else stops
    the rendering (a :class:`FatalURLFetchingError`, reported as a :class:`BuildError`)."""
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    class OfflineFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.startswith(("file:", "data:")):
                raise FatalURLFetchingError(url)
            return super().fetch(url, headers)

    return OfflineFetcher(allowed_protocols=("file", "data"))


def _weasyprint() -> Any:
    try:
        import weasyprint
    except OSError as exc:  # Pango / HarfBuzz missing: WeasyPrint fails while loading them
        raise BuildError(
            f"PDF output needs system libraries that are missing: {exc}",
            hint=f"install them (Debian: apt-get install {SYSTEM_PACKAGES}), "
            "or run `make browser-deps`",
        ) from None
    return weasyprint


def html_to_pdf(
    html: str,
    *,
    base_url: Path | str,
    stylesheets: Sequence[Path] = (),
    metadata: Mapping[str, str] | None = None,
) -> bytes:
    """Render ``html`` (a whole document) to PDF bytes.

    ``base_url`` is the folder relative URLs resolve against (the module's folder for its
    images, the theme's static folder for its CSS); ``stylesheets`` are added after the
    document's own; ``metadata`` may give ``title``, ``description``, ``keywords`` and
    ``authors`` when the HTML ``<head>`` does not carry them.
    """
    weasyprint = _weasyprint()
    base = Path(base_url).resolve()  # a file URI needs an absolute path
    from weasyprint.urls import FatalURLFetchingError

    fetcher = _offline_fetcher()
    try:
        document = weasyprint.HTML(string=html, base_url=base.as_uri() + "/", url_fetcher=fetcher)
        css = [weasyprint.CSS(filename=str(sheet), url_fetcher=fetcher) for sheet in stylesheets]
        rendered = document.render(stylesheets=css, pdf_variant=PDF_VARIANT)
    except FatalURLFetchingError as exc:
        raise BuildError(
            f"a printed page refers to {exc.args[0]!r}, which is not a local file",
            hint="ship images and stylesheets with the module (images/) or the theme "
            "(templates/static/); printed documents are built offline",
        ) from None
    except Exception as exc:  # noqa: BLE001 - the engine's own failure, reported with its cause
        raise BuildError(
            f"the PDF engine could not lay out the page: {exc}",
            hint="check the theme's print templates and CSS for the named problem",
        ) from exc
    info = rendered.metadata
    for key, value in (metadata or {}).items():
        if key == "authors":
            info.authors = [value]
        elif not getattr(info, key, None):
            setattr(info, key, value)
    moment = source_date()
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None
    info.created = stamp
    info.modified = stamp
    pdf: bytes = rendered.write_pdf(pdf_variant=PDF_VARIANT)
    return pdf
