"""The ``mirco`` command line: thin click commands, one module per verb.

This package is the only place where :class:`~mirco_lms.errors.MircoError` becomes an
exit code: 0 success, 1 problems found (``validate``), 2 bad input or usage. Library code
raises; commands here parse options, call one function and print its report.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

import click

from mirco_lms import __version__
from mirco_lms.errors import MircoError

log = logging.getLogger("mirco_lms")


class MircoGroup(click.Group):
    """A click group that prints MircoErrors as ``file:line: error: message`` + hint and exits."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except MircoError as err:
            for problem in err.as_diagnostics():  # each as ``file:line: error: message``
                click.echo(problem.format(), err=True)
            ctx.exit(err.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)
        except Exception as err:  # an unexpected failure: say so plainly, no traceback
            if os.environ.get("MIRCO_DEBUG"):
                raise
            log.debug("unexpected error", exc_info=True)
            click.echo(
                f"internal error: {type(err).__name__}: {err}\n"
                "  hint: this is a bug in mirco; run again with MIRCO_DEBUG=1 for details",
                err=True,
            )
            ctx.exit(70)


@click.group(cls=MircoGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="mirco")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
def main(verbose: int) -> None:
    """mirco: Markdown course modules to localized SCORM packages, and an xAPI LRS.

    Run the commands in a course project folder (one with mirco.toml and modules/), or
    pass --project DIR.
    """
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(
        level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )


def _register() -> None:
    # Each verb lives in its own module and adds itself to ``main`` on import.
    import importlib
    import pkgutil

    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")


_register()
