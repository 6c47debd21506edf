"""Files in a backup: ``files.xml`` records and the ``files/<hh>/<sha1>`` pool."""

from __future__ import annotations

import hashlib
import io
import mimetypes
import posixpath
import zipfile
from dataclasses import dataclass

from lxml import etree

from mirco_lms.moodle.xml import element, group


@dataclass(frozen=True)
class StoredFile:
    """One row of Moodle's ``files`` table, with the bytes it points at."""

    id: int
    contextid: int
    component: str
    filearea: str
    filepath: str
    filename: str
    data: bytes
    timestamp: int
    sortorder: int = 0

    @property
    def contenthash(self) -> str:
        return hashlib.sha1(self.data).hexdigest()

    @property
    def pool_path(self) -> str:
        """Where the bytes go in the backup (directory entries have none)."""
        return f"files/{self.contenthash[:2]}/{self.contenthash}"

    def xml(self) -> etree._Element:
        directory = self.filename == "."
        mimetype = None if directory else _mimetype(self.filename)
        return element("file", {
            "contenthash": self.contenthash, "contextid": self.contextid,
            "component": self.component, "filearea": self.filearea, "itemid": 0,
            "filepath": self.filepath, "filename": self.filename, "userid": None,
            "filesize": len(self.data), "mimetype": mimetype, "status": 0,
            "timecreated": self.timestamp, "timemodified": self.timestamp, "source": None,
            "author": None, "license": None, "sortorder": self.sortorder,
            "repositorytype": None, "repositoryid": None, "reference": None,
        }, id=self.id)


def _mimetype(name: str) -> str:
    guess = mimetypes.guess_type(name, strict=False)[0]
    return {".js": "application/x-javascript", ".xsd": "application/xml"}.get(
        posixpath.splitext(name)[1].lower(), guess or "document/unknown")


class FileTable:
    """Numbers the files of a backup as they are added."""

    def __init__(self, timestamp: int) -> None:
        self.timestamp = timestamp
        self.files: list[StoredFile] = []

    def add(self, contextid: int, component: str, filearea: str, filepath: str,
            filename: str, data: bytes, sortorder: int = 0) -> StoredFile:
        stored = StoredFile(len(self.files) + 1, contextid, component, filearea, filepath,
                            filename, data, self.timestamp, sortorder)
        self.files.append(stored)
        return stored

    def add_tree(self, contextid: int, component: str, filearea: str,
                 files: dict[str, bytes]) -> list[StoredFile]:
        """``files`` (path → bytes) and a "." entry per folder, as Moodle stores a tree."""
        added = []
        folders = {"/"} | {"/" + posixpath.dirname(p) + "/" for p in files if "/" in p}
        for folder in sorted(folders):
            for parent in _parents(folder):
                folders.add(parent)
        for folder in sorted(folders):
            added.append(self.add(contextid, component, filearea, folder, ".", b""))
        for path in sorted(files):
            folder = "/" + posixpath.dirname(path) + "/" if "/" in path else "/"
            added.append(self.add(contextid, component, filearea, folder.replace("//", "/"),
                                  posixpath.basename(path), files[path]))
        return added

    def xml(self) -> etree._Element:
        return group("files", [f.xml() for f in self.files])

    def pool(self) -> dict[str, bytes]:
        """Backup path → bytes of every distinct content (directories have none)."""
        return {f.pool_path: f.data for f in self.files if f.filename != "."}


def _parents(folder: str) -> list[str]:
    parts = [p for p in folder.split("/") if p]
    return ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts))]


def unzip(data: bytes) -> dict[str, bytes]:
    """The files of a zip (a SCORM package), by path."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()
                if not info.is_dir()}
