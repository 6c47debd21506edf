"""``mirco certificates``: issue, list and revoke certificates; make the signing key."""

from __future__ import annotations

from pathlib import Path

import click

from mirco_lms.certificates import keys, records
from mirco_lms.certificates import settings as cert_settings
from mirco_lms.cli import main
from mirco_lms.cli._options import project_option
from mirco_lms.cli.lrs import db_options, resolve_db
from mirco_lms.lrs.store import open_store
from mirco_lms.reports.spec import parse_time

_keys_option = click.option(
    "--keys", "keys_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Folder of the signing key (default: [certificates].keys of mirco.toml, else "
    "MIRCO_CERTIFICATE_KEYS, else <project>/.mirco/keys).",
)


@main.group("certificates")
def certificates() -> None:
    """Certificates of completion: PDF, Open Badges 3.0, verifiable at /verify/<code>."""


@certificates.command()
@project_option
@_keys_option
def keygen(project_dir: Path, keys_dir: Path | None) -> None:
    """Create the provider's Ed25519 signing key (private key file mode 0600)."""
    found = cert_settings.load(project_dir, keys=keys_dir)
    key = keys.generate(found.key_folder)
    click.echo(f"wrote {found.key_folder / keys.PRIVATE_FILE} (keep it secret) and "
               f"{found.key_folder / keys.PUBLIC_FILE}; key id {key.key_id}")


@certificates.command()
@click.option("--course", required=True, help="Module id or course IRI.")
@click.option("--session", help="Only statements of this classroom session (its id or IRI).")
@click.option("--since", help="Only statements from this date (YYYY-MM-DD or ISO 8601).")
@click.option("-o", "--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the PDFs and badges (default: <project>/certificates).")
@click.option("--base-url", help="The LRS's public address, for verification links "
              "(default: [certificates].base_url, else MIRCO_BASE_URL).")
@click.option("--issuer", help="The issuer's name (default: [certificates].issuer, else "
              "[project].organization).")
@_keys_option
@db_options
def issue(course: str, session: str | None, since: str | None, out: Path | None,
          base_url: str | None, issuer: str | None, keys_dir: Path | None, db: str | None,
          project_dir: Path) -> None:
    """Issue certificates to the learners who met the course's completion rule."""
    from mirco_lms.certificates.issue import Request
    from mirco_lms.certificates.issue import issue as run

    found = cert_settings.load(project_dir, keys=keys_dir, base_url=base_url, issuer=issuer)
    request = Request(course, session, parse_time(since, "--since") if since else None,
                      out or project_dir / "certificates")
    store = open_store(resolve_db(db, project_dir))
    try:
        report = run(store, request, found)
    finally:
        store.close()
    click.echo(f"course {report.course_id} (rule: {report.rule})")
    for cert in report.issued:
        click.echo(f"issued   {cert.code}  {cert.learner_name}  {cert.language}")
    for cert in report.already:
        click.echo(f"already  {cert.code}  {cert.learner_name}  ({cert.status}, issued "
                   f"{cert.issued})")
    for achieved, reason in report.skipped:
        click.echo(f"skipped  {achieved.actor_id}: {reason}", err=True)
    click.echo(f"{len(report.issued)} issued, {len(report.already)} already issued, "
               f"{len(report.skipped)} skipped; {len(report.files)} files written to "
               f"{request.out}")


@certificates.command("list")
@click.option("--course", help="Only this course (module id or course IRI).")
@db_options
def list_(course: str | None, db: str | None, project_dir: Path) -> None:
    """List issued certificates: code, status, issued, learner, course."""
    from mirco_lms.reports.data import resolve_course

    store = open_store(resolve_db(db, project_dir))
    try:
        # a module id is found among the courses statements mention (as by mirco report)
        course_id = None if course is None else resolve_course(store, course, None)
        found = records.listed(store, course_id)
    finally:
        store.close()
    for cert in found:
        status = f"revoked {cert.revoked}" if cert.revoked else "valid"
        click.echo(f"{cert.code}\t{status}\t{cert.issued}\t{cert.learner_name}\t"
                   f"{cert.course_name}\t{cert.course_id}")
    if not found:
        click.echo("no certificates issued yet", err=True)


@certificates.command()
@click.argument("code")
@click.option("--reason", required=True, help="Why the certificate is withdrawn (kept).")
@db_options
def revoke(code: str, reason: str, db: str | None, project_dir: Path) -> None:
    """Revoke the certificate CODE: /verify/CODE then shows it revoked."""
    store = open_store(resolve_db(db, project_dir))
    try:
        cert = records.revoke(store, code, reason)
    finally:
        store.close()
    click.echo(f"revoked {cert.code} ({cert.learner_name}, {cert.course_name}) on "
               f"{cert.revoked}")
