"""extract / update / status: templates, msgmerge-like merging, coverage."""

from __future__ import annotations

import json
from pathlib import Path

import polib
from click.testing import CliRunner
from i18n_support import SLUG, fill, po_file

from mirco_lms.cli import main
from mirco_lms.config import ProjectConfig
from mirco_lms.i18n.project import extract, status, update

LESSON = Path("modules") / SLUG / "01-definition.md"


def test_extract_writes_one_template_per_module_with_references(project: Path) -> None:
    [(path, changed, count)] = extract(ProjectConfig.load(project))
    assert path == project / "translations" / "templates" / f"{SLUG}.pot"
    assert changed and count == 37
    pot = polib.pofile(str(path))
    entry = pot.find("Read the text slowly.")
    assert entry.occurrences == [(f"modules/{SLUG}/module.md", "34")]
    assert entry.comment == "paragraph"
    option = pot.find("Article 33")
    assert option.comment == "option (question q-art)"
    answers = pot.find("Refugee Convention | Geneva Convention", msgctxt="fill-in answers")
    assert "add or remove alternatives" in answers.comment
    # ids, markers and targets never reach translators
    texts = " ".join(e.msgid for e in pot)
    for hidden in ("q-art", "LO1", "(x)", "images/border.svg", "{#", "::: check"):
        assert hidden not in texts
    # a second run changes nothing (no dates in templates)
    assert extract(ProjectConfig.load(project))[0][1] is False


def test_update_marks_changed_segments_fuzzy_with_previous_msgid(project: Path) -> None:
    path = fill(project, "sr-Latn")
    lesson = project / LESSON
    text = lesson.read_text(encoding="utf-8")
    lesson.write_text(text.replace("a well-founded fear", "a well-founded fear of persecution")
                      .replace("Run `mirco build` when you are done.\n\n", ""), encoding="utf-8")
    update(ProjectConfig.load(project), languages=["sr-Latn"])
    po = polib.pofile(str(path))
    entry = po.find("First element: a well-founded fear of persecution")
    assert entry.fuzzy
    assert entry.msgstr == "Prvi element: osnovan strah"
    assert entry.previous_msgid == "First element: a well-founded fear"
    assert "#| msgid \"First element: a well-founded fear\"" in path.read_text(encoding="utf-8")
    gone = [e for e in po.obsolete_entries() if e.msgid.startswith("Run `mirco build`")]
    assert gone and gone[0].msgstr.startswith("Pokrenite")
    untouched = po.find("Read the text slowly.")
    assert untouched.msgstr == "Pročitajte tekst polako." and not untouched.fuzzy
    [row] = status(ProjectConfig.load(project), languages=["sr-Latn"])
    assert (row.coverage.translated, row.coverage.fuzzy, row.coverage.missing) == (35, 1, 0)


def test_update_creates_catalogs_for_configured_languages(project: Path) -> None:
    update(ProjectConfig.load(project))
    catalogs = (project / "translations").glob("*/LC_MESSAGES/*.po")
    made = sorted(p.parent.parent.name for p in catalogs)
    assert made == ["mk", "sr-Latn"]  # en is the source; sr-Cyrl comes from sr-Latn
    po = polib.pofile(str(po_file(project, "sr-Latn")))
    assert po.metadata["Language"] == "sr_Latn"
    assert po.metadata["Plural-Forms"].startswith("nplurals=3;")
    update(ProjectConfig.load(project), languages=["sr-Cyrl"])
    assert po_file(project, "sr-Cyrl").is_file()


def test_status_table_and_json(project: Path, runner: CliRunner) -> None:
    fill(project, "sr-Latn", skip=5)
    result = runner.invoke(main, ["i18n", "status", "--json", "--project", str(project)])
    assert result.exit_code == 0, result.output
    rows = {(r["module"], r["language"]): r for r in json.loads(result.output)}
    assert rows[(SLUG, "en")]["percent"] == 100
    serbian = rows[(SLUG, "sr-Latn")]
    assert (serbian["translated"], serbian["missing"], serbian["ok"]) == (32, 5, False)
    assert rows[(SLUG, "sr-Cyrl")]["translated"] == 32  # read through the sr-Latn catalog
    assert rows[(SLUG, "mk")]["missing"] == 37
    table = runner.invoke(main, ["i18n", "status", "--project", str(project)])
    assert table.exit_code == 0
    assert "sr-Cyrl" in table.output and "86.4 %" in table.output


def test_cli_update_and_unknown_language(project: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["i18n", "update", "--lang", "mk", "--project", str(project)])
    assert result.exit_code == 0, result.output
    assert f"translations/mk/LC_MESSAGES/{SLUG}.po: 0/37 translated" in result.output
    result = runner.invoke(main, ["i18n", "update", "--lang", "sr", "--project", str(project)])
    assert result.exit_code == 2
    assert "does not say which script" in result.output and "sr-Latn, sr-Cyrl" in result.output
