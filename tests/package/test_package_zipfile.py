"""Deterministic, atomic zip writing (package/zipfile.py)."""

from __future__ import annotations

import random
import zipfile
import zlib
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
            stored = info.filename.endswith(".png")  # compressed already: stored as is
            assert info.compress_type == (zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
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

    def failing_fsync(fd: int) -> None:  # ENOSPC surfaces when the data reaches the disk
        calls["n"] += 1
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pzip.os, "fsync", failing_fsync)
    changed = [PackageFile(f.path, f.data + b"changed") for f in FILES]
    with pytest.raises(BuildError, match="cannot write the package: No space left") as info:
        pzip.write_zip(dest, changed)
    assert calls["n"] == 1
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


def test_hand_laid_archive_is_byte_identical_to_zipfiles(tmp_path: Path) -> None:
    files = [
        PackageFile("index.html", b"<p>page</p>" * 500),
        PackageFile("images/čvor-žena.svg", "<svg>šđ</svg>".encode() * 300),
        PackageFile("empty.txt", b""),
        PackageFile("tiny.js", b"x"),
        PackageFile("media/intro.MP4", random.Random(7).randbytes(5000)),
        PackageFile("images/map.png", b"\x89PNG" + bytes(range(256)) * 10),
    ]
    stamp = (2024, 2, 29, 23, 59, 58)
    fast = tmp_path / "fast.zip"
    slow = tmp_path / "slow.zip"
    with fast.open("wb") as handle:
        pzip._write_entries(handle, files, stamp)
    with slow.open("wb") as handle:
        pzip._write_with_zipfile(handle, files, stamp)
    assert fast.read_bytes() == slow.read_bytes()
    with zipfile.ZipFile(fast) as archive:
        assert archive.testzip() is None
        assert {i.filename: archive.read(i) for i in archive.infolist()} == {
            f.path: f.data for f in files
        }
        assert archive.getinfo("images/čvor-žena.svg").flag_bits & 0x800
        assert archive.getinfo("media/intro.MP4").compress_type == zipfile.ZIP_STORED
        assert archive.getinfo("images/map.png").compress_type == zipfile.ZIP_STORED
        assert archive.getinfo("index.html").compress_type == zipfile.ZIP_DEFLATED


def test_deflate_cache_returns_the_same_stream_and_stays_bounded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pzip, "_DEFLATED", type(pzip._DEFLATED)())
    monkeypatch.setattr(pzip, "_DEFLATED_BYTES", 0)
    monkeypatch.setattr(pzip, "_DEFLATED_LIMIT", 60_000)
    blobs = [random.Random(n).randbytes(6000) for n in range(20)]  # ~6 KB deflated each
    first = [pzip.deflated(b) for b in blobs]
    assert [pzip.deflated(b) for b in blobs[-2:]] == first[-2:]
    for (crc, data), blob in zip(first, blobs, strict=True):
        assert crc == zlib.crc32(blob)
        assert zlib.decompress(data, -15) == blob
    assert 0 < len(pzip._DEFLATED) < len(blobs)
    assert pzip._DEFLATED_BYTES <= 60_000
    big = random.Random(99).randbytes(8000)  # over an eighth of the limit: not kept
    assert zlib.decompress(pzip.deflated(big)[1], -15) == big
    assert all(value != pzip.deflated(big) for value in pzip._DEFLATED.values())
