"""Deterministic, atomic zip writing shared by every package format.

The same files always give the same bytes: entries sorted by path, one fixed timestamp
(``SOURCE_DATE_EPOCH`` when set, else 1980-01-01 00:00:00), fixed permissions, DEFLATE at
a fixed level (media that are compressed already are stored as they are), no extra
fields. The zip is written to a temporary file beside ``dest`` and moved into place with
:func:`os.replace`, so a failed build never leaves a half-written package and never
touches a package that is already there.
"""

from __future__ import annotations

import hashlib
import logging
import os
import struct
import tempfile
import time
import zipfile
import zlib
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from mirco_lms.errors import BuildError, Location
from mirco_lms.package.spec import PackageFile

log = logging.getLogger(__name__)

ZIP_EPOCH: tuple[int, int, int, int, int, int] = (1980, 1, 1, 0, 0, 0)
"""The earliest time a zip entry can carry; used when ``SOURCE_DATE_EPOCH`` is unset."""

COMPRESS_LEVEL = 6
"""DEFLATE level of every entry: fixed, so output depends on the input alone. zlib's
default (as ``zip`` uses): level 9 makes course packages 0.4 % smaller and takes a third
longer."""

FILE_MODE = 0o644
"""Unix permissions stored for every entry (a regular file, ``rw-r--r--``)."""

_UNIX = 3
"""``create_system`` value for Unix: tells unzip to honour ``external_attr``."""


def write_zip(
    dest: Path,
    files: Iterable[PackageFile],
    *,
    date_time: tuple[int, int, int, int, int, int] | None = None,
) -> int:
    """Write ``files`` to the zip ``dest`` atomically; return the size of the zip in bytes.

    Raises :class:`~mirco_lms.errors.BuildError` for an unsafe or duplicate path (before
    anything is written). On any failure the temporary file is removed and an existing
    ``dest`` is left as it was.
    """
    entries = sorted(files, key=lambda f: f.path)
    check_member_paths([f.path for f in entries], where=dest)
    stamp = date_time if date_time is not None else default_date_time()
    dest = Path(dest)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    except OSError as err:
        raise BuildError(
            f"cannot write the package: {err.strerror or err}",
            location=Location(file=dest),
            hint="check that the output folder exists and is writable",
        ) from err
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            _write_entries(handle, entries, stamp)
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, dest)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        raise BuildError(
            f"cannot write the package: {err.strerror or err}",
            location=Location(file=dest),
            hint="check free disk space and that the output folder is writable",
        ) from err
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    size = dest.stat().st_size
    log.debug("wrote %s (%d entries, %d bytes)", dest, len(entries), size)
    return size


def _write_entries(
    handle: BinaryIO, entries: list[PackageFile], stamp: tuple[int, int, int, int, int, int]
) -> None:
    """Write the zip to ``handle`` and flush it to disk.

    The archive is laid out by hand (local headers, data, central directory, end record —
    PKWARE APPNOTE 4.3) so that compressed data can come from :data:`_DEFLATED`: the XSDs,
    the runtime and the theme are the same bytes in every package of a build and are
    deflated once. Archives beyond the classic format's limits are left to ``zipfile``.
    """
    if len(entries) >= 0xFFFF or sum(len(e.data) for e in entries) >= _ZIP64_LIMIT:
        _write_with_zipfile(handle, entries, stamp)
    else:
        _write_archive(handle, entries, stamp)
    handle.flush()
    os.fsync(handle.fileno())


_ZIP64_LIMIT = 0x7FFFFFFF
"""Total uncompressed bytes above which offsets might need zip64 (then ``zipfile`` writes)."""
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_VERSION = 20
"""Version made by / needed to extract: 2.0 (DEFLATE)."""
_UTF8_NAME = 0x800
"""General-purpose flag: the file name is UTF-8."""


def _write_archive(
    handle: BinaryIO, entries: list[PackageFile], stamp: tuple[int, int, int, int, int, int]
) -> None:
    """Each entry's local header and data as it is deflated, then the central directory."""
    dos_time = stamp[3] << 11 | stamp[4] << 5 | stamp[5] // 2
    dos_date = (stamp[0] - 1980) << 9 | stamp[1] << 5 | stamp[2]
    central: list[bytes] = []
    offset = 0
    for entry in entries:
        name = entry.path.encode("utf-8")
        flags = 0 if entry.path.isascii() else _UTF8_NAME
        method = compression(entry.path)
        if method == zipfile.ZIP_STORED:
            crc, data = zlib.crc32(entry.data), entry.data
        else:
            crc, data = deflated(entry.data)
        header = _LOCAL.pack(b"PK\x03\x04", _VERSION, 0, flags, method,
                             dos_time, dos_date, crc, len(data), len(entry.data), len(name), 0)
        central.append(_CENTRAL.pack(
            b"PK\x01\x02", _VERSION, _UNIX, _VERSION, 0, flags, method,
            dos_time, dos_date, crc, len(data), len(entry.data), len(name), 0, 0, 0, 0,
            (0o100000 | FILE_MODE) << 16, offset,
        ) + name)
        handle.write(header + name)
        handle.write(data)
        offset += len(header) + len(name) + len(data)
    directory = b"".join(central)
    end = _END.pack(b"PK\x05\x06", 0, 0, len(entries), len(entries), len(directory), offset, 0)
    handle.write(directory + end)


_DEFLATED: OrderedDict[bytes, tuple[int, bytes]] = OrderedDict()
"""(CRC-32, raw DEFLATE data) by content digest, least recently used first."""
_DEFLATED_BYTES = 0
_DEFLATED_LIMIT = 64 * 1024 * 1024
"""Compressed bytes the cache keeps at most (per process)."""
_CACHE_MIN = 2048
"""Smaller files are deflated each time (hashing would cost about as much)."""


def deflated(data: bytes) -> tuple[int, bytes]:
    """CRC-32 and raw DEFLATE stream of ``data`` at :data:`COMPRESS_LEVEL`, memoized."""
    global _DEFLATED_BYTES
    if not _CACHE_MIN <= len(data) <= _DEFLATED_LIMIT // 8:  # tiny, or media kept out
        return zlib.crc32(data), _deflate(data)
    key = hashlib.blake2b(data, digest_size=20).digest()
    hit = _DEFLATED.get(key)
    if hit is not None:
        _DEFLATED.move_to_end(key)
        return hit
    value = zlib.crc32(data), _deflate(data)
    _DEFLATED[key] = value
    _DEFLATED_BYTES += len(value[1])
    while _DEFLATED_BYTES > _DEFLATED_LIMIT and _DEFLATED:
        _DEFLATED_BYTES -= len(_DEFLATED.popitem(last=False)[1][1])
    return value


def _deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -15)  # as zipfile does
    return compressor.compress(data) + compressor.flush()


def _write_with_zipfile(
    handle: BinaryIO, entries: list[PackageFile], stamp: tuple[int, int, int, int, int, int]
) -> None:
    with zipfile.ZipFile(handle, "w", allowZip64=True) as archive:
        for entry in entries:
            info = _zip_info(entry.path, stamp)
            archive.writestr(info, entry.data, compresslevel=COMPRESS_LEVEL)


def default_date_time() -> tuple[int, int, int, int, int, int]:
    """The entry timestamp: ``SOURCE_DATE_EPOCH`` (UTC) when set, else 1980-01-01."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return ZIP_EPOCH
    try:
        seconds = int(raw)
    except ValueError:
        raise BuildError(
            f"SOURCE_DATE_EPOCH must be a whole number of seconds, got {raw!r}",
            location=Location(json_path="$SOURCE_DATE_EPOCH"),
            hint="set it to a Unix timestamp such as 1700000000, or unset it",
        ) from None
    stamp = time.gmtime(max(seconds, 0))[:6]
    if stamp < ZIP_EPOCH:
        return ZIP_EPOCH
    if stamp[0] > 2107:  # the zip format stores years 1980–2107 only
        return (2107, 12, 31, 23, 59, 58)
    return (stamp[0], stamp[1], stamp[2], stamp[3], stamp[4], stamp[5])


STORED_SUFFIXES = frozenset({
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif",
    ".mp4", ".m4v", ".webm", ".ogv", ".mp3", ".m4a", ".ogg", ".oga", ".opus",
    ".woff", ".woff2", ".zip", ".gz", ".pdf",
})
"""Files that are compressed already: stored as they are (as ``zip`` does), since
deflating them again costs time and saves next to nothing."""


def compression(path: str) -> int:
    """The zip method of a member: ``ZIP_STORED`` for compressed media, else DEFLATE."""
    dot = path.rfind(".")
    suffix = path[dot:].lower() if dot > path.rfind("/") else ""
    return zipfile.ZIP_STORED if suffix in STORED_SUFFIXES else zipfile.ZIP_DEFLATED


def _zip_info(path: str, stamp: tuple[int, int, int, int, int, int]) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(path, date_time=stamp)
    info.compress_type = compression(path)
    info.create_system = _UNIX
    info.external_attr = (0o100000 | FILE_MODE) << 16
    info.extra = b""
    return info


def member_path_problem(path: str) -> str | None:
    """Why ``path`` is not a safe member path of a package, or None when it is."""
    if not path:
        return "an empty path"
    if "\\" in path:
        return "a backslash (zip paths use '/')"
    if path.startswith("/") or (len(path) > 1 and path[1] == ":"):
        return "an absolute path"
    parts = path.split("/")
    if ".." in parts:
        return "a '..' component (it would escape the package)"
    if any(part in ("", ".") for part in parts):
        return "an empty or '.' component"
    if any(ord(ch) < 32 for ch in path):
        return "a control character"
    return None


def check_member_paths(paths: Iterable[str], *, where: Path | str | None = None) -> None:
    """Raise BuildError for the first unsafe path, or two paths that would collide."""
    seen: dict[str, str] = {}
    for path in paths:
        problem = member_path_problem(path)
        if problem:
            raise BuildError(
                f"package file path {path!r} is not allowed: it contains {problem}",
                location=Location(file=where) if where else None,
                hint="use a relative POSIX path inside the package, such as 'img/map.png'",
            )
        key = path.casefold()
        if key in seen:
            same = "twice" if seen[key] == path else f"and as {seen[key]!r}"
            raise BuildError(
                f"package file path {path!r} occurs {same}",
                location=Location(file=where) if where else None,
                hint="each file must have one path; names differing only in case clash "
                "on Windows and macOS",
            )
        seen[key] = path
