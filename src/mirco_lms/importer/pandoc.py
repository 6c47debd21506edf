"""Pandoc, run as a program: a document → pandoc's JSON AST, and blocks → Markdown.

The pandoc binary is the one ``pypandoc-binary`` ships; mirco never converts documents
itself. Every failure becomes an :class:`ImportError_` naming the document.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from mirco_lms.errors import Location, MircoError

READERS = {".docx": "docx", ".odt": "odt", ".md": "commonmark_x", ".markdown": "commonmark_x",
           ".html": "html", ".htm": "html"}
"""Pandoc's reader for each file type ``mirco import`` accepts."""
EMBEDDING = frozenset({"docx", "odt"})
"""Readers of documents that hold their images (extracted by pandoc); the images of
Markdown and HTML are files next to the document, copied by the import."""
WRITER = "commonmark_x-attributes"
"""Markdown as mirco reads it: CommonMark with pipe tables, footnotes and fenced divs
(attributes off: width and height of images are dropped, not written as ``{…}``)."""
API_VERSION = [1, 23, 1]


class DocumentImportError(MircoError):
    """A document cannot be imported: its type, its content, or pandoc refused it."""


def pandoc_path() -> str:
    """The pandoc program; a clear error when it is not installed."""
    try:
        import pypandoc
    except ImportError as err:  # pragma: no cover - a dependency of mirco
        raise DocumentImportError(
            "pandoc is not available", hint="pip install pypandoc-binary") from err
    try:
        return str(pypandoc.get_pandoc_path())
    except OSError as err:
        raise DocumentImportError(
            "pandoc is not available", hint="pip install pypandoc-binary") from err


def reader_for(path: Path) -> str:
    """The pandoc reader of ``path``'s type; an error naming the types accepted."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        accepted = ", ".join(sorted({".docx", ".odt", ".md", ".html"}))
        raise DocumentImportError(
            f"cannot import a {path.suffix or 'file without extension'!r} file",
            location=Location(file=path),
            hint=f"import a document of one of these types: {accepted} "
                 "(save a .doc as .docx, or slides as .odt, first)")
    return reader


def _run(args: list[str], data: bytes | None, source: Path) -> bytes:
    try:
        done = subprocess.run([pandoc_path(), *args], input=data, capture_output=True,
                              timeout=300, check=False)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise DocumentImportError(f"pandoc could not run: {err}",
                                  location=Location(file=source)) from err
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DocumentImportError(
            f"the document cannot be read: {message[-1] if message else 'pandoc failed'}",
            location=Location(file=source),
            hint="open it in its word processor, save it again, and import the new file")
    return done.stdout


def read_ast(source: Path, media_dir: Path) -> dict[str, Any]:
    """``source`` as pandoc's JSON AST; images embedded in it extracted under
    ``media_dir`` (image addresses of Markdown and HTML are left as written)."""
    reader = reader_for(source)
    if not source.is_file():
        raise DocumentImportError("the document does not exist", location=Location(file=source),
                                  hint="check the path")
    args = ["--from", reader, "--to", "json", str(source)]
    if reader in EMBEDDING:  # images inside the file; never fetch images from the web
        args.insert(-1, f"--extract-media={media_dir}")
    out = _run(args, None, source)
    ast: dict[str, Any] = json.loads(out)
    return ast


def write_markdown(blocks: list[Any], source: Path) -> str:
    """``blocks`` (pandoc AST) written as Markdown mirco reads."""
    document = {"pandoc-api-version": API_VERSION, "meta": {}, "blocks": blocks}
    out = _run(["--from", "json", "--to", WRITER, "--wrap=none"],
               json.dumps(document).encode("utf-8"), source)
    return out.decode("utf-8")
