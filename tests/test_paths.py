"""``paths.inside``: the file of a folder a name from an author or a client names, or None
— never an exception."""

from __future__ import annotations

import os
from pathlib import Path

from mirco_lms.paths import inside, inside_file


def test_a_name_inside_the_folder(tmp_path: Path) -> None:
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "map.svg").write_text("<svg/>")
    assert inside(tmp_path, "images/map.svg") == (tmp_path / "images" / "map.svg").resolve()
    assert inside_file(tmp_path, "images/./map.svg") is not None
    assert inside_file(tmp_path, "images") is None  # a folder, not a file
    assert inside(tmp_path, ".") == tmp_path.resolve()


def test_names_no_file_can_have_or_that_leave(tmp_path: Path) -> None:
    outside = tmp_path.parent / "elsewhere.txt"
    for name in ("a\x00b", "../elsewhere.txt", str(outside), "images/../../elsewhere.txt"):
        assert inside(tmp_path, name) is None, name[:40]
    for name in ("a\x00b", "x" * 5000, "x/" * 3000, "../elsewhere.txt", str(outside)):
        assert inside_file(tmp_path, name) is None, name[:40]


def test_a_link_that_leaves_is_outside(tmp_path: Path) -> None:
    folder = tmp_path / "module"
    folder.mkdir()
    (tmp_path / "secret.txt").write_text("x")
    os.symlink(tmp_path / "secret.txt", folder / "link.txt")
    assert inside(folder, "link.txt") is None
    os.symlink(folder / "loop", folder / "loop")
    assert inside(folder, "loop/x") is None
