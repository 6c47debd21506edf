"""The build pipeline on the sample project: valid, deterministic, incremental, atomic."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from mirco_lms.build import CACHE_FILE, TEMP_PREFIX, BuildOptions, build
from mirco_lms.config import ProjectConfig
from mirco_lms.errors import BuildError, DiagnosticsError
from mirco_lms.package import validate_package


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def modules_of(project: Path) -> list[str]:
    return sorted(p.name for p in (project / "modules").iterdir() if (p / "module.md").is_file())


@pytest.fixture
def config(sample_project: Path) -> ProjectConfig:
    return ProjectConfig.load(sample_project)


def test_every_package_is_valid(config: ProjectConfig) -> None:
    report = build(config)
    slugs = modules_of(config.root)
    assert len(report.rows) == len(slugs) * len(config.build.formats)
    assert {r.module for r in report.rows} == set(slugs)
    for row in report.rows:
        assert row.status == "built"
        assert row.path.is_file() and row.path.stat().st_size == row.size
        assert validate_package(row.path) == []
        assert row.pages >= 3 and row.questions > 0
    assert len(report.descriptors) == len(slugs)
    for path in report.descriptors:
        html = path.read_text(encoding="utf-8")
        assert "<style>" in html and "<link" not in html and "<script" not in html
    leftovers = [p.name for p in config.out_dir.iterdir() if p.name.startswith(TEMP_PREFIX)]
    assert leftovers == []


def test_build_twice_gives_identical_bytes(config: ProjectConfig, tmp_path: Path) -> None:
    first = build(config, BuildOptions(out_dir=tmp_path / "a", jobs=1))
    second = build(config, BuildOptions(out_dir=tmp_path / "b", jobs=2))
    a, b = files(tmp_path / "a"), files(tmp_path / "b")
    a.pop(CACHE_FILE), b.pop(CACHE_FILE)
    assert a == b
    assert [r.size for r in first.rows] == [r.size for r in second.rows]


def test_source_date_epoch_sets_entry_times(
    config: ProjectConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    report = build(config, BuildOptions(formats=("scorm12",)))
    with zipfile.ZipFile(report.rows[0].path) as archive:
        stamps = {info.date_time for info in archive.infolist()}
    assert stamps == {(2023, 11, 14, 22, 13, 20)}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")
    again = build(config, BuildOptions(formats=("scorm12",)))
    assert all(row.status == "built" for row in again.rows)  # the epoch is part of the key


def test_incremental_builds(config: ProjectConfig) -> None:
    slugs = modules_of(config.root)
    build(config)
    second = build(config)
    assert second.rows and all(r.status == "skipped" for r in second.rows)
    assert second.descriptors

    changed = slugs[0]
    lesson = sorted((config.modules_dir / changed).glob("0*.md"))[0]
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\nOne more sentence.\n",
                      encoding="utf-8")
    third = build(config)
    assert {r.module for r in third.built} == {changed}
    assert {r.module for r in third.skipped} == set(slugs) - {changed}

    (config.root / "templates").mkdir(exist_ok=True)  # the sample has its own
    (config.root / "templates" / "lesson.html").write_text(
        '<section class="mirco-page" id="page-{{ page_id }}" data-page="{{ page_id }}">'
        "{{ body }}</section>\n"
    )
    fourth = build(config)
    assert {r.module for r in fourth.built} == set(slugs)

    assert all(r.status == "skipped" for r in build(config).rows)
    forced = build(config, BuildOptions(force=True))
    assert all(r.status == "built" for r in forced.rows)


def test_deleted_output_is_rebuilt(config: ProjectConfig) -> None:
    report = build(config)
    report.rows[0].path.unlink()
    again = build(config)
    assert {r.module for r in again.built} == {report.rows[0].module}


def test_failure_on_a_later_module_leaves_dist_as_it_was(config: ProjectConfig) -> None:
    slugs = modules_of(config.root)
    assert len(slugs) >= 2
    build(config)
    before = files(config.out_dir)
    # Change every module (so all must be rebuilt), and make rendering fail on the second.
    for slug in slugs:
        overview = config.modules_dir / slug / "module.md"
        overview.write_text(overview.read_text(encoding="utf-8") + "\nChanged.\n",
                            encoding="utf-8")
    (config.root / "templates").mkdir(exist_ok=True)  # the sample has its own
    (config.root / "templates" / "lesson.html").write_text(
        f'{{% if module.slug == "{slugs[1]}" %}}{{{{ missing_variable }}}}{{% endif %}}'
        '<section class="mirco-page" data-page="{{ page_id }}">{{ body }}</section>\n'
    )
    for jobs in (1, 2):
        with pytest.raises(BuildError, match="missing_variable"):
            build(config, BuildOptions(jobs=jobs))
        assert files(config.out_dir) == before


def test_source_errors_stop_before_anything_is_written(config: ProjectConfig) -> None:
    slug = modules_of(config.root)[-1]
    module_md = config.modules_dir / slug / "module.md"
    module_md.write_text(module_md.read_text(encoding="utf-8").replace("version:", "versio:", 1),
                         encoding="utf-8")
    with pytest.raises(DiagnosticsError) as caught:
        build(config)
    assert any(str(d.location.file).endswith("module.md") for d in caught.value.diagnostics)
    assert not config.out_dir.exists()


def test_cache_records_outputs(config: ProjectConfig) -> None:
    report = build(config)
    cache = json.loads((config.out_dir / CACHE_FILE).read_text(encoding="utf-8"))
    assert set(cache["modules"]) == {r.module for r in report.rows}
    for entry in cache["modules"].values():
        assert len(entry["key"]) == 64
        assert all((config.out_dir / out["file"]).is_file() for out in entry["outputs"].values())


def test_a_corrupt_cache_means_a_full_build(config: ProjectConfig) -> None:
    build(config)
    (config.out_dir / CACHE_FILE).write_text("{not json", encoding="utf-8")
    assert all(r.status == "built" for r in build(config).rows)


def test_sco_per_lesson_packages_are_valid(config: ProjectConfig) -> None:
    report = build(config, BuildOptions(sco_per_lesson=True))
    for row in report.rows:
        assert validate_package(row.path) == []
        with zipfile.ZipFile(row.path) as archive:
            launch = [n for n in archive.namelist() if n.endswith(".html")]
        # the cover opens the first SCO, the finish page ends the last one
        assert len(launch) == row.pages - 2


def test_unknown_format(config: ProjectConfig) -> None:
    with pytest.raises(BuildError, match="'cmi5' is not available|'nope' is not available"):
        build(config, BuildOptions(formats=("nope",)))


def test_progress_reports_each_stage(config: ProjectConfig) -> None:
    events: list[tuple[str, str, int, int]] = []
    build(config, BuildOptions(jobs=2), progress=lambda e: events.append(
        (e.stage, e.module, e.done, e.total)))
    slugs = modules_of(config.root)
    for stage in ("check", "build"):
        seen = [e for e in events if e[0] == stage]
        assert sorted(e[1] for e in seen) == slugs
        assert [e[2] for e in seen] == list(range(1, len(slugs) + 1))
    assert not [e for e in build(config).rows if e.status == "built"]


def test_leftovers_of_a_killed_build_are_swept(config: ProjectConfig) -> None:
    build(config)
    dead = config.out_dir / f"{TEMP_PREFIX}999999999-abc"  # no such process
    dead.mkdir()
    (dead / "half.zip").write_bytes(b"PK")
    build(config, BuildOptions(force=True))
    assert not dead.exists()


def test_every_language_of_the_sample_project_builds_valid_packages(
    sample_project_all_languages: Path,
) -> None:
    """The shipped project as it is: every configured language, every format, all valid."""
    config = ProjectConfig.load(sample_project_all_languages)
    report = build(config)
    languages = {row.language for row in report.rows}
    assert languages == set(config.i18n.languages)
    assert len(languages) > 1
    assert len(report.rows) == len(languages) * 3 * len(config.build.formats)
    for row in report.rows:
        assert [d for d in validate_package(row.path) if d.severity == "error"] == []
    assert report.warnings == ()
