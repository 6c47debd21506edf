"""The error tree of mirco.

Every error the project raises on purpose derives from :class:`MircoError`. Each carries
a :class:`Location` (a file and line, or a JSON path) and a hint that tells the user how to
fix it. Only ``cli.py`` and ``lrs/http/app.py`` translate these errors into exit codes and HTTP
statuses; library code raises them and never prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


def display_path(file: Path | str) -> str:
    """``file`` as a user reads it: relative to the current folder when it is inside it.

    A course project's files then print as ``modules/<slug>/02-lesson.md`` when mirco runs
    in the project folder, whichever way the loader reached them; files elsewhere print
    as given.
    """
    path = Path(file)
    if not path.is_absolute():
        return str(path)
    try:
        return str(path.relative_to(Path.cwd()))
    except (ValueError, OSError):  # outside the current folder, or no current folder
        return str(path)


@dataclass(frozen=True)
class Location:
    """Where a problem is: a file and line, or a JSON path (``$.actor.mbox``)."""

    file: Path | str | None = None
    """The source file, when the problem is in a file."""
    line: int | None = None
    """1-based line number in ``file``."""
    json_path: str | None = None
    """A JSONPath-like pointer into a JSON document, such as ``$.result.score.scaled``."""

    def __str__(self) -> str:
        parts: list[str] = []
        if self.file is not None:
            parts.append(display_path(self.file))
            if self.line is not None:
                parts.append(str(self.line))
        text = ":".join(parts)
        if self.json_path:
            text = f"{text} {self.json_path}" if text else self.json_path
        return text


class MircoError(Exception):
    """Root of every error mirco raises on purpose.

    ``exit_code`` is what the CLI exits with; ``status`` is the HTTP status the LRS answers.
    """

    exit_code = 2
    status = 400

    def __init__(
        self, message: str, *, location: Location | None = None, hint: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.hint = hint

    def format(self) -> str:
        """``file:line: message`` followed by the hint, the way compilers print errors."""
        where = f"{self.location}: " if self.location and str(self.location) else ""
        text = f"{where}{self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text

    def __str__(self) -> str:
        return self.format()

    def as_diagnostics(self) -> list[Diagnostic]:
        """The problems this error stands for, one diagnostic each (for printing)."""
        return [Diagnostic(self.message, self.location or Location(), self.hint)]


class ConfigError(MircoError):
    """mirco.toml or a MIRCO_* setting is missing or wrong."""


class SourceError(MircoError):
    """A course source (front matter, Markdown, question, image) is wrong."""


class BuildError(MircoError):
    """Building or packaging failed for a reason the author can fix."""


class PackageInvalid(MircoError):
    """A manifest or package breaks the SCORM rules (XSD, files, launch).

    ``diagnostics`` holds every problem found; the message summarizes them.
    """

    def __init__(
        self,
        message: str,
        *,
        location: Location | None = None,
        hint: str | None = None,
        diagnostics: list[Diagnostic] | None = None,
    ) -> None:
        super().__init__(message, location=location, hint=hint)
        self.diagnostics = list(diagnostics or [])

    def format(self) -> str:
        if not self.diagnostics:
            return super().format()
        return "\n".join([self.message, *(d.format() for d in self.diagnostics)])

    def as_diagnostics(self) -> list[Diagnostic]:
        return list(self.diagnostics) or super().as_diagnostics()


class TranslationError(MircoError):
    """A catalog is invalid or a translation breaks a rule (placeholders, options)."""


class ReportError(MircoError):
    """A report was asked for with unknown names or malformed values."""


class CertificateError(MircoError):
    """Certificates cannot be issued, found or revoked as asked (unknown course or code,
    missing or unsafe signing key, missing public address)."""


# --- the collector -----------------------------------------------------------------------


class LrsError(MircoError):
    """An xAPI request the LRS refuses; ``status`` is the HTTP status to answer."""


class XapiValidationError(LrsError):
    """A statement or document breaks a rule of the xAPI specification (400)."""

    status = 400

    def __init__(self, message: str, *, path: str = "$", rule: str | None = None) -> None:
        super().__init__(message, location=Location(json_path=path))
        self.path = path
        self.rule = rule


class BadRequest(LrsError):
    status = 400


class Unauthorized(LrsError):
    status = 401


class Forbidden(LrsError):
    status = 403


class NotFound(LrsError):
    status = 404


class Conflict(LrsError):
    status = 409


class PreconditionFailed(LrsError):
    status = 412


class PayloadTooLarge(LrsError):
    status = 413


class TooManyRequests(LrsError):
    """Too many failed attempts for one key (429); ``retry_after`` in whole seconds."""

    status = 429

    def __init__(self, message: str, *, retry_after: int, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.retry_after = retry_after


class ServiceUnavailable(LrsError):
    """The LRS cannot answer now, but may shortly (503): the request is to be sent again."""

    status = 503


@dataclass
class Diagnostic:
    """One problem found while checking sources or packages (not raised: collected)."""

    message: str
    location: Location = field(default_factory=Location)
    hint: str | None = None
    severity: str = "error"
    """``error`` stops a build; ``warning`` is printed and the build goes on."""

    def format(self) -> str:
        where = f"{self.location}: " if str(self.location) else ""
        text = f"{where}{self.severity}: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class DiagnosticsError(SourceError):
    """Several problems at once: the build stops before anything is written."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        errors = [d for d in diagnostics if d.severity == "error"]
        first = errors[0] if errors else diagnostics[0]
        super().__init__(first.message, location=first.location, hint=first.hint)
        self.diagnostics = diagnostics

    def __reduce__(self) -> tuple[type[DiagnosticsError], tuple[list[Diagnostic]]]:
        # Rebuilt from the diagnostics (not the message) when sent between processes.
        return (type(self), (self.diagnostics,))

    def format(self) -> str:
        return "\n".join(d.format() for d in self.diagnostics)

    def as_diagnostics(self) -> list[Diagnostic]:
        return list(self.diagnostics)
