"""Deterministic, atomic zip writing (package/zipfile.py)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from mirco_lms.errors import BuildError
from mirco_lms.package import zipfile as pzip
from mirco_lms.package.spec import PackageFile

FILES = [
    PackageFile("index.html", b"<!doctype html><title>x</title>\n" * 20),
    PackageFile("img/map.png", bytes(range(256)) * 4),
    PackageFile("runtime/mirco.js", b"window.mirco = {};\n"),
    PackageFile("a/\u0161ablon.txt", "šablon".encode()),
]


def test_entries_sorted_fixed_time_mode_and_compression(tmp_path: Path) -> None:
    dest = tmp_path / "out.zip"
    size = pzip.write_zip(dest, reversed(FILES))  # any iterable, any order
    assert size == dest.stat().st_size
    with zipfile.ZipFile(dest) as archive:
        infos = archive.infolist()
        assert [i.filename for i in infos] == sorted(f.path for f in FILES)
        for info in infos:
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
            assert info.compress_type == zipfile.ZIP_DEFLATED
            assert info.external_attr >> 16 == 0o100644
            assert info.create_system == 3
            assert info.extra == b""
        assert archive.read("a/šablon.txt") == "šablon".encode()
        assert archive.testzip() is None


def test_same_input_gives_identical_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "1.zip", tmp_path / "2.zip"
    pzip.write_zip(first, FILES)
    pzip.write_zip(second, list(reversed(FILES)))
    assert first.read_bytes() == second.read_bytes()


def test_source_date_epoch_sets_the_timestamp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    first, second = tmp_path / "1.zip", tmp_path / "2.zip"
    pzip.write_zip(first, FILES)
    pzip.write_zip(second, FILES)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2023, 11, 14, 22, 13, 20)}
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    pzip.write_zip(second, FILES)
    assert first.read_bytes() != second.read_bytes()


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0", (1980, 1, 1, 0, 0, 0)), ("315532800", (1980, 1, 1, 0, 0, 0)), ("", pzip.ZIP_EPOCH)],
)
def test_source_date_epoch_before_1980_is_clamped(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: tuple[int, ...]
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    assert pzip.default_date_time() == expected


def test_bad_source_date_epoch_is_a_build_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(BuildError, match="SOURCE_DATE_EPOCH must be a whole number") as info:
        pzip.default_date_time()
    assert "Unix timestamp" in (info.value.hint or "")


def test_explicit_date_time_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    dest = tmp_path / "out.zip"
    pzip.write_zip(dest, FILES, date_time=(2020, 2, 2, 2, 2, 2))
    with zipfile.ZipFile(dest) as archive:
        assert archive.infolist()[0].date_time == (2020, 2, 2, 2, 2, 2)


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/etc/passwd", "an absolute path"),
        ("C:/evil.txt", "an absolute path"),
        ("../outside.html", "'..' component"),
        ("lessons/../../outside.html", "'..' component"),
        ("img\\map.png", "a backslash"),
        ("img//map.png", "an empty or '.' component"),
        ("./index.html", "an empty or '.' component"),
        ("", "an empty path"),
        ("bad\x00name", "a control character"),
    ],
)
def test_unsafe_paths_are_refused_before_writing(tmp_path: Path, path: str, reason: str) -> None:
    dest = tmp_path / "out.zip"
    with pytest.raises(BuildError, match="is not allowed") as info:
        pzip.write_zip(dest, [*FILES, PackageFile(path, b"x")])
    assert reason in info.value.message
    assert "relative POSIX path" in (info.value.hint or "")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("other", ["index.html", "INDEX.html"])
def test_duplicate_paths_are_refused(tmp_path: Path, other: str) -> None:
    with pytest.raises(BuildError, match="'index.html'|'INDEX.html'") as info:
        pzip.write_zip(tmp_path / "out.zip", [*FILES, PackageFile(other, b"again")])
    assert "occurs" in info.value.message
    assert list(tmp_path.iterdir()) == []


def test_failure_mid_write_keeps_existing_zip_and_leaves_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = tmp_path / "course.zip"
    pzip.write_zip(dest, FILES)
    before = dest.read_bytes()
    calls = {"n": 0}
    real = zipfile.ZipFile.writestr

    def failing_writestr(self: zipfile.ZipFile, *args: object, **kwargs: object) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(28, "No space left on device")
        real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(zipfile.ZipFile, "writestr", failing_writestr)
    changed = [PackageFile(f.path, f.data + b"changed") for f in FILES]
    with pytest.raises(BuildError, match="cannot write the package: No space left") as info:
        pzip.write_zip(dest, changed)
    assert calls["n"] == 3
    assert info.value.location is not None and info.value.location.file == dest
    assert dest.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["course.zip"]


def test_unexpected_error_mid_write_is_reraised_and_cleaned_up(tmp_path: Path) -> None:
    dest = tmp_path / "course.zip"
    dest.write_bytes(b"the previous package")
    broken = [*FILES, PackageFile("z-last.txt", None)]  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        pzip.write_zip(dest, broken)
    assert dest.read_bytes() == b"the previous package"
    assert [p.name for p in tmp_path.iterdir()] == ["course.zip"]


def test_missing_output_folder_is_a_build_error(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="cannot write the package") as info:
        pzip.write_zip(tmp_path / "nowhere" / "out.zip", FILES)
    assert "output folder" in (info.value.hint or "")
