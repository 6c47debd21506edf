"""The registry of output formats: the built-in ones, and a toy folder format registered
from a test module, end to end (config, build, atomic publish, cache, validate)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from toy_format import INDEX, ToyPages

from mirco_lms.build import CACHE_FILE, TEMP_PREFIX, BuildOptions, build
from mirco_lms.cli import main
from mirco_lms.config import ProjectConfig
from mirco_lms.errors import ConfigError
from mirco_lms.formats import Output, register, registry, unregister


@pytest.fixture
def toy() -> Iterator[ToyPages]:
    fmt = register(ToyPages())
    yield fmt
    unregister(fmt.name)


def _set_formats(project: Path, formats: str) -> None:
    config = project / "mirco.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"(?m)^formats = \[.*\]", f"formats = {formats}", text),
                      encoding="utf-8")


def _toy_folders(out: Path) -> list[Path]:
    return sorted(p for p in out.iterdir() if p.is_dir() and p.name.endswith("-toy"))


def _stamps(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}


def test_the_builtin_formats() -> None:
    assert registry.names() == (
        "scorm12", "scorm2004", "cmi5", "moodle", "site", "programme-pdf", "print"
    )
    assert registry.default_names() == ("scorm12", "scorm2004")
    assert registry.implicit() == ("descriptor",)
    assert registry.label("scorm2004") == "SCORM 2004" and registry.label("nope") == "nope"
    moodle = registry.course_format("moodle")
    assert moodle is not None and moodle.requires == ("scorm12",)


class _Impostor(ToyPages):
    name = "scorm12"


def test_a_name_is_registered_once() -> None:
    with pytest.raises(ValueError, match="'scorm12' is already registered"):
        register(_Impostor())
    assert registry.module_format("scorm12").label == "SCORM 1.2"


def test_builtin_outputs_are_recognised_by_their_format(sample_project: Path,
                                                       runner: CliRunner) -> None:
    config = ProjectConfig.load(sample_project)
    report = build(config, BuildOptions(formats=("scorm12", "scorm2004", "cmi5", "moodle")))
    for row in report.rows:
        fmt = registry.recognise(row.path)
        assert fmt is not None and fmt.name == row.format
        assert fmt.validate(row.path) == []
    for path in report.descriptors:
        assert getattr(registry.recognise(path), "name", None) == "descriptor"
    assert registry.recognise(config.out_dir / CACHE_FILE) is None
    course = next(r.path for r in report.rows if r.format == "moodle")
    result = runner.invoke(main, ["validate", str(course), str(config.out_dir)])
    assert result.exit_code == 0, result.output


def test_an_unknown_format_lists_the_registered_ones(sample_project: Path,
                                                     toy: ToyPages) -> None:
    _set_formats(sample_project, '["nope"]')
    with pytest.raises(ConfigError, match="unknown format 'nope'") as caught:
        ProjectConfig.load(sample_project)
    assert caught.value.hint == (
        "use one of scorm12, scorm2004, cmi5, moodle, site, programme-pdf, print, toy"
    )


def test_a_registered_folder_format_end_to_end(
    sample_project: Path, runner: CliRunner, toy: ToyPages
) -> None:
    out = sample_project / "dist"
    args = ["build", "--project", str(sample_project), "-j", "1"]

    # selectable with --format, built as a folder, published with nothing left behind
    first = runner.invoke(main, [*args, "--format", "toy"])
    assert first.exit_code == 0, first.output
    folders = _toy_folders(out)
    assert folders and "toy" in first.output
    assert not [p for p in out.iterdir() if p.name.startswith(TEMP_PREFIX)]
    folder = folders[0]
    pages = json.loads((folder / INDEX).read_text(encoding="utf-8"))["pages"]
    assert "overview.html" in pages and len(pages) >= 3
    assert sorted(p.name for p in folder.iterdir()) == sorted([*pages, INDEX])
    cache = json.loads((out / CACHE_FILE).read_text(encoding="utf-8"))["modules"]
    slug = folder.name.split("-1.")[0]
    entry = cache[slug]["outputs"]["en/toy"]
    assert entry["folder"] == folder.name and entry["files"] == len(pages) + 1
    assert entry["size"] == sum(p.stat().st_size for p in folder.iterdir())

    # selectable in mirco.toml; unchanged sources: not rebuilt, not touched
    _set_formats(sample_project, '["toy"]')
    assert ProjectConfig.load(sample_project).build.formats == ("toy",)
    before = _stamps(folder)
    second = build(ProjectConfig.load(sample_project), BuildOptions(jobs=1))
    assert second.rows and {r.status for r in second.rows} == {"skipped"}
    assert {r.path for r in second.rows} == set(folders)
    assert _stamps(folder) == before

    # a folder output changed by hand is not intact: rebuilt, replaced whole
    (folder / "stray.html").write_text("not built by mirco", encoding="utf-8")
    (folder / pages[0]).unlink()
    third = build(ProjectConfig.load(sample_project), BuildOptions(jobs=1))
    rebuilt = {r.path for r in third.rows if r.status == "built"}
    assert rebuilt == {folder}
    assert sorted(p.name for p in folder.iterdir()) == sorted([*pages, INDEX])

    # a changed source rebuilds its module's folder
    lesson = sorted((sample_project / "modules" / slug).glob("0*.md"))[0]
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\nA toy sentence.\n",
                      encoding="utf-8")
    fourth = build(ProjectConfig.load(sample_project), BuildOptions(jobs=1))
    assert {r.path for r in fourth.rows if r.status == "built"} == {folder}
    assert any("A toy sentence." in (folder / page).read_text(encoding="utf-8")
               for page in pages)

    # recognised and checked by mirco validate, alone or in the output folder
    assert runner.invoke(main, ["validate", str(folder)]).exit_code == 0
    assert runner.invoke(main, ["validate", str(out)]).exit_code == 0
    (folder / pages[-1]).unlink()
    broken = runner.invoke(main, ["validate", str(out)])
    assert broken.exit_code == 1 and f"the page {pages[-1]} is missing" in broken.output


def test_a_folder_output_replaces_the_old_one_whole(tmp_path: Path) -> None:
    from mirco_lms.build.output import publish

    temp, out = tmp_path / "temp", tmp_path / "out"
    (temp / "site").mkdir(parents=True)
    (temp / "site" / "new.html").write_text("new", encoding="utf-8")
    (out / "site").mkdir(parents=True)
    (out / "site" / "old.html").write_text("old", encoding="utf-8")
    publish(Output("site", "folder"), temp, out)
    assert [p.name for p in (out / "site").iterdir()] == ["new.html"]
    assert list(temp.iterdir()) == []
    entry = Output("site", "folder").cache_entry(out)
    assert Output.intact(entry, out)
    (out / "site" / "new.html").write_text("longer text", encoding="utf-8")
    assert not Output.intact(entry, out)
