"""Building every language: round trip, fallbacks, thresholds, bad translations, cache."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from i18n_support import SLUG, fill, po_file, set_msgstr

from mirco_lms.build import BuildOptions, build
from mirco_lms.cli import main
from mirco_lms.config import ProjectConfig
from mirco_lms.errors import ConfigError, TranslationError
from mirco_lms.package import validate_package

LANGS = ("en", "sr-Latn", "sr-Cyrl", "mk")


def page(dist: Path, language: str, fmt: str = "scorm12", name: str = "index.html") -> str:
    with zipfile.ZipFile(dist / f"{SLUG}-1.0.0-{language}-{fmt}.zip") as archive:
        return archive.read(name).decode("utf-8")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_round_trip_every_language_valid(translated: Path) -> None:
    report = build(ProjectConfig.load(translated))
    assert {(r.language, r.format) for r in report.rows} == {
        (lang, fmt) for lang in LANGS for fmt in ("scorm12", "scorm2004")}
    assert not report.warnings
    for row in report.rows:
        assert row.path.name == f"{SLUG}-1.0.0-{row.language}-{row.format}.zip"
        assert validate_package(row.path) == []
    dist = report.out_dir
    serbian = page(dist, "sr-Latn")
    assert '<html lang="sr-Latn"' in serbian
    assert "1951. godine usvojena je <strong>Konvencija</strong>" in serbian
    assert '<a href="https://www.unhcr.org/en/about-unhcr">Konvenciju</a>' in serbian
    assert "<code>mirco build</code>" in serbian
    assert "Provera znanja" in serbian and "1 h 30 min" in serbian  # UI strings
    assert "(non-refoulement)" in serbian and "notranslit" not in serbian
    cyrillic = page(dist, "sr-Cyrl")
    assert '<html lang="sr-Cyrl"' in cyrillic
    assert "1951. године усвојена је <strong>Конвенција</strong>" in cyrillic
    assert "(non-refoulement)" in cyrillic and "<code>mirco build</code>" in cyrillic
    assert "info@example.org" in cyrillic and "1 ч 30 мин" in cyrillic
    macedonian = page(dist, "mk")
    assert '<html lang="mk"' in macedonian and "Проверка на знаењето" in macedonian
    assert "Во 1951 година е донесена" in macedonian
    manifest = page(dist, "mk", "scorm2004", "metadata.xml")
    assert "<language>mk</language>" in manifest
    assert '<string language="mk">Основи на азилот</string>' in manifest
    descriptor = (dist / f"{SLUG}-1.0.0-mk-descriptor.html").read_text(encoding="utf-8")
    assert '<html lang="mk"' in descriptor and "1 ч 30 мин" in descriptor


def test_question_ids_and_answers_per_language(translated: Path) -> None:
    dist = build(ProjectConfig.load(translated)).out_dir
    ids = {lang: re.findall(r'data-question="([^"]+)"', page(dist, lang)) for lang in LANGS}
    assert ids["en"] and all(found == ids["en"] for found in ids.values())
    serbian = page(dist, "sr-Latn")
    for answer in ("Konvencija o statusu izbeglica", "Konvencija o izbeglicama",
                   "Ženevska konvencija"):
        assert f'"text":"{answer}"' in serbian
    assert '"text":"Refugee Convention"' not in serbian
    assert '"text":"Конвенција о статусу избеглица"' in page(dist, "sr-Cyrl")


def test_threshold_withholds_the_language_and_leaves_its_packages(translated: Path) -> None:
    config = ProjectConfig.load(translated)
    build(config)
    before = snapshot(config.out_dir)
    fill(translated, "mk", {}, skip=0)  # nothing new: stays complete
    path = po_file(translated, "mk")
    po = polib.pofile(str(path))
    for entry in po[-3:]:
        entry.msgstr = ""
    po.save(str(path))
    report = build(config)
    [status] = report.withheld
    assert (status.module, status.language, status.state) == (SLUG, "mk", "partial")
    assert status.percent_text == "91.8 %" and status.missing == 3
    assert {r.language for r in report.rows} == {"en", "sr-Latn", "sr-Cyrl"}
    assert not report.built  # the other languages were up to date
    again = build(config)  # the state is kept in the build cache: nothing is built again
    assert not again.built and [s.language for s in again.withheld] == ["mk"]
    assert again.withheld[0].percent == status.percent
    after = snapshot(config.out_dir)
    assert {k: v for k, v in after.items() if k != ".mirco-build.json"} == {
        k: v for k, v in before.items() if k != ".mirco-build.json"}
    # the same rule in validate: a warning naming the catalog, and exit 0
    result = CliRunner().invoke(main, ["validate", "--project", str(translated)])
    assert result.exit_code == 0, result.output
    assert f"{SLUG} [mk] is partial (91.8 % translated, 3 missing" in result.output
    assert f"translations/mk/LC_MESSAGES/{SLUG}.po: warning:" in result.output
    # asked for by name, the language that cannot be built makes the build fail
    result = CliRunner().invoke(main, ["build", "--lang", "mk", "--project", str(translated)])
    assert result.exit_code == 1
    assert "not built (under the coverage threshold)" in result.output
    assert "--allow-partial" in result.output


def test_allow_partial_falls_back_and_lists_segments(translated: Path) -> None:
    path = po_file(translated, "mk")
    set_msgstr(path, "Read the text slowly.", "")
    config = ProjectConfig.load(translated)
    report = build(config, BuildOptions(languages=("mk",), allow_partial=True))
    [warning] = report.warnings
    assert "[mk]: 1 untranslated segment shown in en" in warning.message
    assert f"modules/{SLUG}/module.md:34 (paragraph)" in warning.message
    html = page(report.out_dir, "mk")
    assert "<p>Read the text slowly.</p>" in html and "Прочитајте ја" in html
    # once built partially, a build without --allow-partial withholds it, up to date or not
    again = build(config, BuildOptions(languages=("mk",)))
    assert not again.rows and [s.language for s in again.withheld] == ["mk"]


def test_changing_a_catalog_rebuilds_only_that_language(translated: Path) -> None:
    config = ProjectConfig.load(translated)
    build(config)
    set_msgstr(po_file(translated, "mk"), "Read the text slowly.", "Читајте полека.")
    report = build(config)
    assert {r.language for r in report.built} == {"mk"}
    assert {r.language for r in report.skipped} == {"en", "sr-Latn", "sr-Cyrl"}
    assert "Читајте полека." in page(report.out_dir, "mk")
    set_msgstr(po_file(translated, "sr-Latn"), "Read the text slowly.", "Čitajte polako.")
    report = build(config)
    assert {r.language for r in report.built} == {"sr-Latn", "sr-Cyrl"}
    assert "Читајте полако." in page(report.out_dir, "sr-Cyrl")


def test_sr_cyrl_catalog_takes_precedence(translated: Path) -> None:
    fill(translated, "sr-Cyrl", {(None, "Read the text slowly."): "Читајте лагано."})
    dist = build(ProjectConfig.load(translated), BuildOptions(languages=("sr-Cyrl",))).out_dir
    html = page(dist, "sr-Cyrl")
    assert "Читајте лагано." in html and "Прочитајте" in html  # the rest from sr-Latn


def test_lang_option_and_unknown_language(translated: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["build", "--lang", "mk", "--format", "scorm12",
                                  "--project", str(translated)])
    assert result.exit_code == 0, result.output
    rows = [line.split()[:3] for line in result.output.splitlines()]
    assert [SLUG, "mk", "scorm12"] in rows and [SLUG, "en", "scorm12"] not in rows
    assert f"{SLUG}-1.0.0-mk-descriptor.html" in result.output
    assert "-en-" not in result.output
    result = runner.invoke(main, ["build", "--lang", "de", "--project", str(translated)])
    assert result.exit_code == 2 and "unknown language 'de'" in result.output


@pytest.mark.parametrize(("value", "message"), [
    ('["en", "sr"]', "does not say which script"),
    ('["en", "sr_Latn"]', "write it 'sr-Latn'"),
    ('["en", "hr"]', "unknown language 'hr'"),
])
def test_unknown_language_in_config(project: Path, value: str, message: str) -> None:
    toml = project / "mirco.toml"
    toml.write_text(re.sub(r"languages = .*", f"languages = {value}",
                           toml.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        ProjectConfig.load(project)
    assert message in info.value.message
    assert info.value.location is not None and info.value.location.line == 11
    assert "en, sr-Latn, sr-Cyrl, bs, cnr, mk, sq" in (info.value.hint or "")


def _refused(project: Path, runner: CliRunner) -> str:
    dist = project / "dist"
    before = snapshot(dist) if dist.exists() else {}
    result = runner.invoke(main, ["build", "--project", str(project)])
    assert result.exit_code == 2, result.output
    assert (snapshot(dist) if dist.exists() else {}) == before
    return result.output


def test_bad_translations_are_refused(translated: Path, runner: CliRunner) -> None:
    runner.invoke(main, ["build", "--project", str(translated)])
    path = po_file(translated, "sr-Latn")
    set_msgstr(path, "Article 33", "Član 33\n- (x) Član 34")
    out = _refused(translated, runner)
    line = _line_of(path, 'msgstr ""', after='msgid "Article 33"')
    assert f"{path}:{line}: error: the translation bundles 2 options into one" in out
    set_msgstr(path, "Article 33", "Član 33")
    set_msgstr(path, "Refugee Convention | Geneva Convention", " | ", "fill-in answers")
    out = _refused(translated, runner)
    assert "no accepted answers left" in out and "final-test.md:" in out


def test_invalid_po_syntax_names_the_line(translated: Path, runner: CliRunner) -> None:
    path = po_file(translated, "mk")
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("msgstr") and i > 10)
    lines[at] = 'msgstr "unterminated'
    path.write_text("\n".join(lines), encoding="utf-8")
    out = _refused(translated, runner)
    assert f"{path}:{at + 1}: error: invalid PO syntax" in out


def test_ui_override_and_placeholder_check(translated: Path, runner: CliRunner) -> None:
    ui = translated / "translations" / "sr-Latn" / "LC_MESSAGES" / "ui.po"
    ui.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Check answer"\nmsgstr "Proverite odgovor"\n\n'
        'msgid "Page {current} of {total}"\nmsgstr "Strana {current} od {ukupno}"\n',
        encoding="utf-8")
    out = _refused(translated, runner)
    assert f"{ui}:9: error: the translation drops {{total}} and adds {{ukupno}}" in out
    text = ui.read_text(encoding="utf-8").replace("{ukupno}", "{total}")
    ui.write_text(text, encoding="utf-8")
    dist = build(ProjectConfig.load(translated)).out_dir
    assert "Proverite odgovor" in page(dist, "sr-Latn")
    assert "Проверите одговор" in page(dist, "sr-Cyrl")  # the override, transliterated
    assert "Провери го одговорот" in page(dist, "mk")


def test_percent_sign_in_percent_format_string(translated: Path) -> None:
    ui = translated / "translations" / "mk" / "LC_MESSAGES" / "ui.po"
    ui.parent.mkdir(parents=True, exist_ok=True)
    ui.write_text('msgid "passing score %(score)s %%"\nmsgstr "праг %(score)s %"\n',
                  encoding="utf-8")
    with pytest.raises(TranslationError, match="write '%%'") as info:
        build(ProjectConfig.load(translated))
    assert info.value.location is not None and info.value.location.line == 2


def _line_of(path: Path, start: str, after: str) -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    first = next(i for i, line in enumerate(lines) if line.startswith(after))
    return next(i for i, line in enumerate(lines[first:], start=first + 1)
                if line.startswith(start))
