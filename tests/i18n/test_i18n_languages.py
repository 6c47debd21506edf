"""Adding a language (``mirco i18n init``) and the catalogs' headers and plural rules."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from i18n_support import SLUG, po_file

from mirco_lms.build import BuildOptions, build
from mirco_lms.cli import main
from mirco_lms.config import ProjectConfig
from mirco_lms.i18n import locales
from mirco_lms.i18n.ui import UiTranslations, ui_translations

REPO = Path(__file__).resolve().parents[2]
SHIPPED = sorted([*REPO.glob("translations/*/LC_MESSAGES/*.po"),
                  *REPO.glob("src/mirco_lms/locale/*/LC_MESSAGES/*.po")])
HEADERS = ("Project-Id-Version", "PO-Revision-Date", "Last-Translator", "Language-Team",
           "Language", "MIME-Version", "Content-Type", "Content-Transfer-Encoding",
           "Plural-Forms")


def test_init_from_another_language_prefills_everything_fuzzy(
    translated: Path, runner: CliRunner
) -> None:
    toml = translated / "mirco.toml"
    before = toml.read_text(encoding="utf-8")
    result = runner.invoke(main, ["i18n", "init", "bs", "--from", "sr-Latn",
                                  "--project", str(translated)])
    assert result.exit_code == 0, result.output
    serbian = polib.pofile(str(po_file(translated, "sr-Latn")))
    bosnian = polib.pofile(str(po_file(translated, "bs")))
    done = [e for e in serbian if e.msgstr and not e.obsolete]
    assert f"{len(done)} entries started from sr-Latn, marked fuzzy" in result.output
    assert f"0/{len(done)} translated, {len(done)} fuzzy, 0 missing" in result.output
    for entry in done:
        copy = bosnian.find(entry.msgid, msgctxt=entry.msgctxt)
        assert copy is not None and copy.fuzzy and copy.msgstr == entry.msgstr
        assert "started from the sr-Latn translation" in copy.tcomment
    assert bosnian.metadata["Language"] == "bs"
    assert bosnian.metadata["Language-Team"] == "Bosnian (bs)"
    # mirco.toml: the language added, every comment and line kept
    after = toml.read_text(encoding="utf-8")
    assert after == before.replace('"sr-Cyrl", "mk"]', '"sr-Cyrl", "mk", "bs"]')
    assert ProjectConfig.load(translated).i18n.languages[-1] == "bs"
    # fuzzy entries are not translations: bs is withheld by build until reviewed
    report = build(ProjectConfig.load(translated), BuildOptions(formats=("scorm12",)))
    assert [(s.language, s.state) for s in report.withheld] == [("bs", "untranslated")]
    assert "bs" not in {r.language for r in report.rows}


def test_init_without_from_makes_empty_catalogs(translated: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["i18n", "init", "cnr", "--project", str(translated)])
    assert result.exit_code == 0, result.output
    catalog = polib.pofile(str(po_file(translated, "cnr")))
    assert catalog.percent_translated() == 0 and not catalog.fuzzy_entries()
    assert "added cnr (Montenegrin)" in result.output


@pytest.mark.parametrize(("args", "message"), [
    (["mk"], "mk is already a language of this project"),
    (["de"], "unknown language 'de'"),
    (["sr"], "does not say which script"),
    (["bs", "--from", "cnr"], "there are no cnr catalogs to start from"),
    (["bs", "--from", "bs"], "a language cannot start from itself"),
    (["bs", "--from", "xx"], "unknown language 'xx'"),
])
def test_init_errors_change_nothing(
    translated: Path, runner: CliRunner, args: list[str], message: str
) -> None:
    toml = translated / "mirco.toml"
    before = toml.read_text(encoding="utf-8")
    catalogs = sorted(p.relative_to(translated) for p in translated.rglob("*.po"))
    result = runner.invoke(main, ["i18n", "init", *args, "--project", str(translated)])
    assert result.exit_code == 2, result.output
    assert message in result.output and "hint:" in result.output
    assert "Traceback" not in result.output
    assert toml.read_text(encoding="utf-8") == before
    assert sorted(p.relative_to(translated) for p in translated.rglob("*.po")) == catalogs


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_shipped_catalogs_have_full_headers_and_cldr_plurals(path: Path) -> None:
    po = polib.pofile(str(path))
    language = path.parent.parent.name
    assert [key for key in HEADERS if not po.metadata.get(key, "").strip()
            and key != "Last-Translator"] == []
    assert "Last-Translator" in po.metadata
    assert po.metadata["Plural-Forms"] == locales.plural_forms(language)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext is installed by make test")
def test_msgfmt_check_passes_without_warnings(translated: Path) -> None:
    made = sorted(translated.glob("translations/*/LC_MESSAGES/*.po"))
    assert made
    for path in [*SHIPPED, *made]:
        result = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)],
                                capture_output=True, text=True, check=False)
        assert result.returncode == 0 and result.stderr == "", (path, result.stderr)


def test_macedonian_plural_rule_is_cldr_not_english() -> None:
    assert locales.plural_forms("mk") == "nplurals=2; plural=(n % 10 != 1 || n % 100 == 11);"
    ui: UiTranslations = ui_translations("mk")
    assert [ui.plural_index(n) for n in (1, 2, 11, 21, 31, 111, 101)] == [0, 1, 1, 0, 0, 1, 0]
    serbian = ui_translations("sr-Latn")
    assert [serbian.plural_index(n) for n in (1, 2, 5, 11, 12, 21, 22, 25)] == [
        0, 1, 2, 2, 2, 0, 1, 2]


def test_update_keeps_a_translators_header_and_fixes_plural_forms(translated: Path) -> None:
    path = po_file(translated, "mk")
    po = polib.pofile(str(path))
    po.metadata["Last-Translator"] = "Ana Petrovska <ana@example.org>"
    po.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
    po.save(str(path))
    result = CliRunner().invoke(main, ["i18n", "update", "--lang", "mk",
                                       "--project", str(translated)])
    assert result.exit_code == 0, result.output
    again = polib.pofile(str(path))
    assert again.metadata["Last-Translator"] == "Ana Petrovska <ana@example.org>"
    assert again.metadata["Plural-Forms"] == locales.plural_forms("mk")
    assert SLUG in path.name
