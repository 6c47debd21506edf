"""The certificate PDF is printed on the project's own artwork: the sample catalogue's
``templates/certificates/`` (its style sheet and ``artwork.svg``) override mirco's default
file by file, as docs/branding.md tells a partner institution to do."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

from certificates_support import dataset
from click.testing import CliRunner
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from mirco_lms.certificates import records
from mirco_lms.cli import main
from mirco_lms.lrs.store import SqlStore

C1 = f"{dataset.BASE}/{dataset.C1}"
AMBER = "0.878431 0.647059 0.14902"
"""#e0a526, the centre's amber, as PDF colour operands: used only by its artwork."""
TEAL = "0.05098 0.360784 0.388235"
"""#0d5c63, the centre's teal (the artwork's frame, the headings)."""


def _drawing(document: bytes) -> str:
    """Every content stream of the first page, with its form XObjects and patterns."""
    page = PdfReader(io.BytesIO(document)).pages[0]
    found = [page.get_contents().get_data()]  # type: ignore[union-attr]

    def walk(node: DictionaryObject) -> None:
        resources = node.get("/Resources")
        if resources is None:
            return
        for kind in ("/XObject", "/Pattern"):
            for child in (resources.get_object().get(kind) or {}).values():
                child = child.get_object()
                found.append(child.get_data())
                walk(child)

    walk(page)
    return b"\n".join(found).decode("latin-1")


def _issue(runner: CliRunner, store: SqlStore, project: Path, out: Path) -> list[Path]:
    result = runner.invoke(main, ["certificates", "issue", "--db", store.url, "--project",
                                  str(project), "--course", dataset.C1, "-o", str(out)])
    assert result.exit_code == 0, result.output
    return [out / f"{cert.code}.pdf" for cert in records.listed(store, C1)]


def test_the_certificate_uses_the_centres_artwork_and_colours(
    runner: CliRunner, loaded: SqlStore, project: Path
) -> None:
    assert (project / "templates" / "certificates" / "artwork.svg").is_file()
    documents = _issue(runner, loaded, project, project / "out")
    assert documents
    for document in documents:
        drawing = _drawing(document.read_bytes())
        assert re.search(rf"{AMBER} (rg|RG)", drawing)  # the artwork's corners and emblem
        assert re.search(rf"{TEAL} (rg|RG)", drawing)


def test_without_the_projects_templates_the_default_certificate_is_printed(
    runner: CliRunner, loaded: SqlStore, project: Path
) -> None:
    shutil.rmtree(project / "templates")
    for document in _issue(runner, loaded, project, project / "plain"):
        assert not re.search(rf"{AMBER} (rg|RG)", _drawing(document.read_bytes()))
