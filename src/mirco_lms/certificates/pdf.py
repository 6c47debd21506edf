"""A certificate as PDF: the theme's ``certificates/certificate.html`` (and ``.css``) in the
learner's course language, with a QR code of the verification address, printed through
:func:`mirco_lms.render.pdf.html_to_pdf`.

A project overrides the look with its own ``templates/certificates/`` files and the
wording with its ``translations/<lang>/LC_MESSAGES/ui.po`` (see ``docs/certificates.md``).
"""

from __future__ import annotations

import gettext
from datetime import date
from pathlib import Path

import segno

from mirco_lms.certificates.records import Certificate
from mirco_lms.i18n import locales
from mirco_lms.i18n.formatting import format_date
from mirco_lms.render.pdf import html_to_pdf
from mirco_lms.render.theme import Theme

TEMPLATE = "certificates/certificate.html"
STYLESHEET = "certificates/certificate.css"


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as inline SVG markup (error correction M, a 4-module border)."""
    code = segno.make_qr(url, error="m")
    return str(code.svg_inline(scale=4, border=4, omitsize=True, title=url))


def ui_language(language: str) -> str | None:
    """The shipped UI language closest to ``language``, or None: ``sr-Latn-RS`` →
    ``sr-Latn``, ``en-US`` → ``en``; a bare ``sr`` → the first shipped ``sr-*``."""
    shipped = {code.lower(): code for code in locales.SUPPORTED}
    parts = language.strip().lower().split("-")
    for end in range(len(parts), 0, -1):
        found = shipped.get("-".join(parts[:end]))
        if found is not None:
            return found
    return next((code for code in locales.SUPPORTED
                 if code.lower().startswith(parts[0] + "-")), None)


def _translations(language: str, translations_dir: Path | None) -> gettext.NullTranslations:
    found = ui_language(language)
    if found is None or found == "en":
        return gettext.NullTranslations()
    from mirco_lms.i18n.ui import ui_translations

    return ui_translations(found, translations_dir)


def html(certificate: Certificate, *, issuer: str, theme: Theme,
         translations_dir: Path | None = None) -> str:
    """The certificate page, in the certificate's language."""
    translations = _translations(certificate.language, translations_dir)
    context: dict[str, object] = {
        "certificate": certificate,
        "issuer": issuer,
        "issued": format_date(date.fromisoformat(certificate.issued[:10]),
                              ui_language(certificate.language) or "en"),
        "language": certificate.language,
        "qr_svg": qr_svg(certificate.verify_url),
    }
    return theme.render(TEMPLATE, context, translations)


def render(certificate: Certificate, *, issuer: str, theme: Theme,
           translations_dir: Path | None = None) -> bytes:
    """The certificate as PDF bytes (the same record gives the same bytes)."""
    page = html(certificate, issuer=issuer, theme=theme, translations_dir=translations_dir)
    css = theme.find(STYLESHEET)
    return html_to_pdf(
        page, base_url=(css or theme.dirs[-1] / STYLESHEET).parent,
        stylesheets=[css] if css else [],
        metadata={"title": certificate.course_name, "authors": issuer},
    )
