"""``mirco certificates issue``: certificates for everyone who met a course's rule.

For each learner found by :func:`~mirco_lms.certificates.eligibility.eligible` who holds
no certificate of the course yet: a verification code, the signed Open Badges 3.0
credential, the record (with its evidence statements) and, in ``out``, the PDF
(``<code>.pdf``) and the badge (``<code>.jwt``). Learners who already hold one are
reported, not issued again; their files are written again only when missing. Files
are written whole and then moved into place.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from mirco_lms.certificates import badge, eligibility, keys, pdf, records
from mirco_lms.certificates.eligibility import Achievement
from mirco_lms.certificates.records import Certificate, HasEngine
from mirco_lms.certificates.settings import CertificateSettings
from mirco_lms.course.model import Module
from mirco_lms.errors import CertificateError
from mirco_lms.lrs.store.reads import ReportSource
from mirco_lms.render.theme import Theme
from mirco_lms.reports.data import definitions, name_of, resolve_course
from mirco_lms.xapi import profile as p


class CertificateStore(ReportSource, HasEngine, Protocol):
    """What issuing reads and writes: the views (through the report source) and the
    certificate tables (the SQL store is both)."""


@dataclass(frozen=True)
class Request:
    """What ``issue`` is asked for."""

    course: str
    """A module id or course IRI."""
    session: str | None = None
    """A classroom session id (or its full activity IRI)."""
    since: datetime | None = None
    out: Path = Path("certificates")


@dataclass
class IssueReport:
    course_id: str
    rule: str
    issued: list[Certificate] = field(default_factory=list)
    already: list[Certificate] = field(default_factory=list)
    skipped: list[tuple[Achievement, str]] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


def issue(store: CertificateStore, request: Request, settings: CertificateSettings) -> IssueReport:
    """Issue the certificates of ``request`` (see the module docstring)."""
    base_url = settings.require_base_url()
    issuer = settings.require_issuer()
    key = keys.load(settings.key_folder)
    config = settings.project
    activity_base = config.tracking.activity_base if config else None
    modules = _modules(settings)
    course_id = resolve_course(store, request.course, activity_base, tuple(modules))
    session = _session(request.session, activity_base)
    module = modules.get(p.short_id(course_id))
    final_test = None if module is None else module.final_test is not None
    rule, found = eligibility.eligible(store, store.engine, course_id, final_test=final_test,
                                       session=session, since=request.since)
    report = IssueReport(course_id, rule)
    theme = Theme.for_project(config.templates_dir if config else None)
    translations = config.translations_dir if config else None
    names = definitions(store, [course_id]).get(course_id)
    for achieved in found:
        held = records.existing(store, achieved.actor_id, course_id)
        if held is None:
            if not achieved.name:
                report.skipped.append((achieved, "the statements and the learner registry "
                                                 "give no name"))
                continue
            language = achieved.language or (config.i18n.languages[0] if config else "en")
            course_name = (_title(module, language, translations) or name_of(names, language)
                           or p.short_id(course_id))
            held = _new(achieved, course_name, language, session, base_url, issuer, key)
            if records.save(store, held):
                report.issued.append(held)
            else:  # issued meanwhile by another run
                held = records.existing(store, achieved.actor_id, course_id) or held
                report.already.append(held)
        else:
            report.already.append(held)
        report.files += _write_files(held, request.out, issuer, theme, translations)
    return report


def _new(achieved: Achievement, course_name: str, language: str, session: str | None,
         base_url: str, issuer: str, key: keys.SigningKey) -> Certificate:
    code = records.new_code()
    verify_url = f"{base_url}/verify/{code}"
    now = datetime.now(UTC).replace(microsecond=0)
    vc = badge.credential(
        verify_url=verify_url, base_url=base_url, issuer_name=issuer,
        learner_name=achieved.name or "", course_id=achieved.course_id,
        course_name=course_name, rule=achieved.rule, issued=now, language=language,
    )
    return Certificate(
        code=code, actor_id=achieved.actor_id, course_id=achieved.course_id,
        learner_name=achieved.name or "", course_name=course_name, language=language,
        rule=achieved.rule, achieved=achieved.achieved,
        issued=now.strftime("%Y-%m-%dT%H:%M:%SZ"), session_id=session,
        verify_url=verify_url, key_id=key.key_id,
        public_jwk=json.dumps(key.public_jwk, sort_keys=True),
        badge=badge.sign(vc, key), evidence=achieved.evidence,
    )


def _write_files(certificate: Certificate, out: Path, issuer: str, theme: Theme,
                 translations: Path | None) -> list[Path]:
    """The certificate's PDF and badge in ``out``, each written only when missing."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    targets = ((out / f"{certificate.code}.pdf", None), (out / f"{certificate.code}.jwt",
                                                         certificate.badge.encode("ascii")))
    for path, content in targets:
        if path.exists():
            continue
        data = content if content is not None else pdf.render(
            certificate, issuer=issuer, theme=theme, translations_dir=translations)
        partial = path.with_name(path.name + ".partial")
        partial.write_bytes(data)
        partial.replace(path)
        written.append(path)
    return written


def _session(session: str | None, activity_base: str | None) -> str | None:
    if session is None:
        return None
    if "://" in session:
        return session
    if not activity_base:
        raise CertificateError(
            f"the session {session!r} needs the project's activity base to be found",
            hint="run in the course project (or pass --project DIR), or give the "
            "session's full activity IRI",
        )
    return eligibility.session_iri(activity_base, session)


def _modules(settings: CertificateSettings) -> dict[str, Module]:
    """The project's modules by id."""
    config = settings.project
    if config is None or not config.modules_dir.is_dir():
        return {}
    from mirco_lms.course.loader import discover_modules, load_module

    found: dict[str, Module] = {}
    for folder in discover_modules(config.modules_dir):
        module = load_module(folder, check=False).module
        if module is not None:
            found[module.id] = module
    return found


def _title(module: Module | None, language: str, translations: Path | None) -> str:
    """The module's title in ``language`` (its translation catalogs), or ''."""
    if module is None:
        return ""
    if translations is None or language == module.language:
        return module.title
    from mirco_lms.i18n.localize import localize_from

    return localize_from(translations, module, language).module.title

