"""``mirco lrs``: run the xAPI Learning Record Store and manage what it holds."""

from __future__ import annotations

import json
import os
import secrets
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from mirco_lms.cli import main
from mirco_lms.cli._options import project_option
from mirco_lms.config import CONFIG_FILE, ProjectConfig
from mirco_lms.errors import ConfigError
from mirco_lms.lrs import auth, transfer
from mirco_lms.lrs.resources import statement_reads
from mirco_lms.lrs.settings import LrsSettings
from mirco_lms.lrs.store import StatementStore, normalize_url, open_statement_store


def resolve_db(db: str | None, project_dir: Path) -> str:
    """--db, else MIRCO_DB, else the project's ``[lrs].db``, else a SQLite file in it."""
    if db:
        return db
    if os.environ.get("MIRCO_DB"):
        return os.environ["MIRCO_DB"]
    if (project_dir / CONFIG_FILE).is_file():
        return ProjectConfig.load(project_dir).default_db_url
    return f"sqlite:///{(project_dir / '.mirco' / 'lrs.sqlite3').resolve()}"


def db_options(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option(
        "--db",
        "db",
        metavar="URL",
        default=None,
        help="Database: sqlite:///abs/path.db or postgresql://user@host/db "
        "(default: MIRCO_DB, else [lrs].db of mirco.toml, else "
        "<project>/.mirco/lrs.sqlite3).",
    )(func)
    return project_option(func)


def _store(db: str | None, project_dir: Path) -> StatementStore:
    return open_statement_store(resolve_db(db, project_dir))


@main.group("lrs")
def lrs() -> None:
    """The xAPI Learning Record Store: serve it, manage keys, import and export."""


@lrs.command()
@db_options
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8100, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Server processes; one per core uses the machine (on SQLite, one more process "
    "writes the statements of them all).",
)
@click.option(
    "--xapi-version",
    type=click.Choice(["2.0.0", "1.0.3"]),
    default=None,
    help="Version named in answers to requests that name none "
    "(default: MIRCO_XAPI_VERSION, else 2.0.0).",
)
def serve(
    db: str | None,
    project_dir: Path,
    host: str,
    port: int,
    workers: int,
    xapi_version: str | None,
) -> None:
    """Run the LRS; the xAPI endpoint is http://HOST:PORT/xapi/."""
    from mirco_lms.lrs.http import server

    url = resolve_db(db, project_dir)
    if xapi_version:
        os.environ["MIRCO_XAPI_VERSION"] = xapi_version
    open_statement_store(url).close()  # create or migrate once, before the workers start
    os.environ["MIRCO_DB"] = url
    os.environ["MIRCO_LRS_BIND"] = f"http://{host}:{port}"  # authority homePage fallback
    # one signing key for every worker of this run (more tokens cross workers)
    os.environ.setdefault("MIRCO_SECRET_KEY", secrets.token_hex(32))
    LrsSettings.from_env()  # report bad MIRCO_* settings before starting
    # uvicorn picks httptools and uvloop when installed (dependencies of mirco). Without
    # them, several workers share a socket that asyncio does not set TCP_NODELAY on
    # (uvicorn creates it with proto 0), and h11's header and body writes then wait on
    # Nagle and delayed ACK: ~40 ms per request.
    click.echo(f"mirco LRS on http://{host}:{port}/xapi/ (database {_redact(url)})", err=True)
    try:
        server.serve(host, port, workers, url)
    except OSError as exc:
        raise ConfigError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}",
            hint="choose another --port, or stop the program using this one",
        ) from exc


def _redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(normalize_url(url)).render_as_string(hide_password=True)


@lrs.command()
@db_options
def migrate(db: str | None, project_dir: Path) -> None:
    """Create the LRS tables or bring them to the current schema version."""
    store = _store(db, project_dir)
    store.close()
    click.echo("the LRS database is up to date")


@lrs.group()
def credentials() -> None:
    """API keys of the LRS (HTTP Basic: key as user name, secret as password)."""


@credentials.command("add")
@click.argument("name")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    required=True,
    type=click.Choice(auth.SCOPES),
    help="What the key may do; repeat for several.",
)
@click.option("--json", "as_json", is_flag=True, help="Print key and secret as JSON.")
@db_options
def credentials_add(
    name: str, scopes: tuple[str, ...], as_json: bool, db: str | None, project_dir: Path
) -> None:
    """Create a key called NAME; its secret is printed once and only kept hashed."""
    store = _store(db, project_dir)
    credential, secret = auth.new_credential(name, list(scopes))
    store.add_credential(credential)
    store.close()
    if as_json:
        click.echo(
            json.dumps(
                {
                    "name": credential.name,
                    "key": credential.key,
                    "secret": secret,
                    "scopes": list(credential.scopes),
                }
            )
        )
        return
    click.echo(
        f"name:   {credential.name}\nkey:    {credential.key}\nsecret: {secret}\n"
        f"scopes: {' '.join(credential.scopes)}"
    )
    click.echo("The secret is shown only now: store it safely.", err=True)


@credentials.command("list")
@db_options
def credentials_list(db: str | None, project_dir: Path) -> None:
    """List keys (never secrets)."""
    from rich.console import Console
    from rich.table import Column, Table

    store = _store(db, project_dir)
    table = Table("name", "scopes", "created", "status")
    table.columns.insert(0, Column("key", no_wrap=True))
    for cred in store.credentials():
        table.add_row(
            cred.key,
            cred.name,
            " ".join(cred.scopes),
            cred.created,
            "revoked" if cred.revoked else "active",
        )
    store.close()
    Console().print(table)


@credentials.command("revoke")
@click.argument("key")
@db_options
def credentials_revoke(key: str, db: str | None, project_dir: Path) -> None:
    """Revoke KEY: requests with it get 401 (within a few seconds on running servers)."""
    store = _store(db, project_dir)
    found = store.revoke_credential(key)
    store.close()
    if not found:
        raise click.BadParameter(f"no credential with key {key!r}", param_hint="KEY")
    click.echo(f"revoked {key}")


@lrs.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--batch-size",
    default=500,
    show_default=True,
    type=click.IntRange(1, 10_000),
    help="Statements stored per transaction.",
)
@db_options
def import_(file: Path, batch_size: int, db: str | None, project_dir: Path) -> None:
    """Import statements from FILE, one JSON statement per line.

    \b
    The whole file is checked first: a bad line stops the import with FILE:LINE: message
    (exit 2) and nothing is stored. Then statements are stored in batches, each in one
    transaction: a batch that cannot be stored (an id already stored with different
    content) is not stored at all, earlier batches stay, and the error names the batch's
    first line. Identical statements already stored are skipped, so importing a file of
    statements with ids again is safe. Statements keep their authority; stored is set
    by this LRS.
    """
    from rich.progress import Progress

    store = _store(db, project_dir)
    size = file.stat().st_size
    with Progress(transient=True, console=_err_console()) as progress:
        check = progress.add_task("checking", total=size)
        save = progress.add_task("storing", total=size)
        report = transfer.import_jsonl(
            store,
            file,
            batch_size=batch_size,
            check_progress=lambda n: progress.advance(check, n),
            store_progress=lambda n: progress.advance(save, n),
        )
    store.close()
    click.echo(f"imported {report.stored} statements from {file}")


def _err_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


@lrs.command()
@click.option("--agent", help='Agent as JSON ({"mbox": "mailto:a@b.org"}) or a mailto: IRI.')
@click.option("--verb", help="Verb IRI.")
@click.option("--activity", help="Activity IRI (the statement's object).")
@click.option("--since", help="Stored after this ISO 8601 time.")
@click.option("--until", help="Stored at or before this ISO 8601 time.")
@click.option(
    "--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (written whole, then moved into place); default stdout.",
)
@db_options
def export(
    agent: str | None,
    verb: str | None,
    activity: str | None,
    since: str | None,
    until: str | None,
    fmt: str,
    output: Path | None,
    db: str | None,
    project_dir: Path,
) -> None:
    """Export statements (not voided ones), oldest first, as JSON Lines or CSV."""
    params = {
        k: v
        for k, v in {"verb": verb, "activity": activity, "since": since, "until": until}.items()
        if v
    }
    if agent:
        params["agent"] = json.dumps({"mbox": agent}) if agent.startswith("mailto:") else agent
    query = statement_reads.parse_query(params, max_limit=1000)
    store = _store(db, project_dir)
    if output is None:
        transfer.export(store, query, fmt, sys.stdout)
    else:
        partial = output.with_name(output.name + ".partial")
        with partial.open("w", encoding="utf-8", newline="") as out:
            count = transfer.export(store, query, fmt, out)
        partial.replace(output)
        click.echo(f"exported {count} statements to {output}", err=True)
    store.close()
