"""Links and images in translations pass the same check as in the sources: a PO entry
that adds a remote image, a path out of the module or an absolute path stops the build
at the PO line, naming the msgid, and nothing in dist/ changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from i18n_support import po_file, set_msgstr

from mirco_lms.cli import main

MSGID = "Read the text slowly."


def _snapshot(folder: Path) -> dict[str, bytes]:
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _msgstr_line(path: Path, msgid: str) -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    first = lines.index(f'msgid "{msgid}"')
    return next(i for i, line in enumerate(lines[first:], start=first + 1)
                if line.startswith("msgstr"))


def _refused(project: Path, runner: CliRunner) -> str:
    before = _snapshot(project / "dist")
    result = runner.invoke(main, ["build", "--project", str(project)])
    assert result.exit_code == 2, result.output
    assert _snapshot(project / "dist") == before
    return result.output


@pytest.mark.parametrize(
    ("translation", "message"),
    [
        ("Pročitajte ![tekst](https://tracker.example/pixel.png) polako.", "is on the web"),
        ("Pročitajte ![tekst](//tracker.example/pixel.png) polako.", "is on the web"),
        ("Pročitajte [tekst](../../../etc/passwd) polako.", "leaves the module folder"),
        ("Pročitajte [tekst](/etc/passwd) polako.", "is an absolute path"),
        ("Pročitajte [tekst](javascript:alert(1)) polako.", "is not a file in the module"),
        ("Pročitajte ![tekst](data:image/png;base64,iVBO) polako.", "is inline data"),
        ("Pročitajte ![tekst](images/nowhere.png) polako.", "does not exist"),
        ("Pročitajte ![](images/border.jpg) polako.", "has no alt text"),
    ],
)
def test_a_translated_target_is_checked_like_the_source(
    translated: Path, runner: CliRunner, translation: str, message: str
) -> None:
    runner.invoke(main, ["build", "--project", str(translated)])
    path = po_file(translated, "sr-Latn")
    set_msgstr(path, MSGID, translation)
    out = _refused(translated, runner)
    assert f"{path}:{_msgstr_line(path, MSGID)}: error: " in out, out
    assert message in out and f"msgid {MSGID!r}" in out


def test_a_link_reference_across_segments_is_checked(translated: Path,
                                                      runner: CliRunner) -> None:
    path = po_file(translated, "mk")
    set_msgstr(path, "Run `mirco build` when you are done.",
               "Стартувајте ![слика][r] `mirco build` кога ќе завршите.")
    set_msgstr(path, "Read [the Convention](https://www.unhcr.org/en/about-unhcr) and write to "
               "info@example.org.", "Прочитајте ја Конвенцијата.\n\n"
               "[r]: https://tracker.example/pixel.png")
    out = _refused(translated, runner)
    lines = path.read_text(encoding="utf-8").split("\n")
    defined = next(i for i, text in enumerate(lines) if "[r]: https" in text)
    line = next(i + 1 for i in range(defined, 0, -1) if lines[i].startswith("msgstr"))
    assert f"{path}:{line}: error: " in out and "is on the web" in out
    assert "in the mk translation of msgid" in out


def test_the_source_links_kept_in_translation_build(translated: Path, runner: CliRunner) -> None:
    path = po_file(translated, "sr-Latn")
    set_msgstr(path, MSGID, "Pročitajte [tekst](https://www.unhcr.org) i [ovo](#top) polako.")
    result = runner.invoke(main, ["build", "--project", str(translated)])
    assert result.exit_code == 0, result.output


def test_validate_reports_a_bad_translation_at_its_po_line(translated: Path,
                                                           runner: CliRunner) -> None:
    path = po_file(translated, "sr-Latn")
    set_msgstr(path, MSGID, "Pročitajte ![tekst](https://tracker.example/pixel.png) polako.")
    out = runner.invoke(main, ["validate", "--project", str(translated)])
    assert out.exit_code == 1, out.output
    assert f"{path}:{_msgstr_line(path, MSGID)}: error: " in out.output
    assert "is on the web" in out.output
