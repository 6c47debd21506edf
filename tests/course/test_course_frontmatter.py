"""Front matter: splitting, YAML with file lines, encoding and syntax errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from mirco_lms.course.fields import parse_duration
from mirco_lms.course.frontmatter import decode_utf8, load_source, split_front_matter
from mirco_lms.errors import SourceError

P = Path("lesson.md")


def test_split_keeps_lines_of_keys_and_nested_values() -> None:
    text = "---\ntitle: T\nversion: 1.10\noutcomes:\n  - id: LO1\n    text: X\n---\n# Body\n"
    source = split_front_matter(text, P)
    meta = source.meta
    assert meta.key_lines == {"title": 2, "version": 3, "outcomes": 4}
    assert meta.value["version"].text == "1.10"  # the text as written, not 1.1
    first = meta.value["outcomes"].value[0]
    assert first.line == 5 and first.key_lines == {"id": 5, "text": 6}
    assert source.body == "# Body\n" and source.body_line == 8


def test_no_front_matter_means_the_whole_file_is_body() -> None:
    source = split_front_matter("# Title\n\ntext\n", P)
    assert source.meta.value == {} and source.body_line == 1 and not source.has_front_matter


def test_empty_front_matter_and_dots_end_marker() -> None:
    source = split_front_matter("---\n...\nbody\n", P)
    assert source.meta.value == {} and source.body == "body\n" and source.body_line == 3


def test_crlf_and_bom_are_normalized(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"\xef\xbb\xbf---\r\ntitle: T\r\n---\r\nbody\r\n")
    source = load_source(path)
    assert source.meta.value["title"].value == "T" and source.body == "body\n"


@pytest.mark.parametrize(
    ("text", "fragment", "line"),
    [
        ("---\ntitle: [unclosed\n---\n", "invalid YAML", 2),
        ("---\ntitle: a\n  bad: indent\n---\n", "invalid YAML", 3),
        ("---\ntitle: a\n\tx: 1\n---\n", "invalid YAML", 3),
        ("---\ntitle: a\ntitle: b\n---\n", "appears twice", 3),
        ("---\n- a\n- b\n---\n", "must be a mapping", 2),
        ("---\njust text\n---\n", "must be a mapping", 2),
        ("---\ntitle: a\n", "never closed", 1),
        ("---\nx: !!python/object:os.system a\n---\n", "invalid YAML", 2),
        ("---\na: &x [*x]\n---\n", "recursive alias", 2),
        ("---\nd: 2024-02-30\n---\n", "cannot read the value", 2),
    ],
)
def test_broken_front_matter_names_file_and_line(text: str, fragment: str, line: int) -> None:
    with pytest.raises(SourceError) as info:
        split_front_matter(text, P)
    assert fragment in info.value.message
    assert info.value.location is not None
    assert info.value.location.file == P and info.value.location.line == line
    assert info.value.hint


def test_alias_bomb_is_refused() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 8):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 10)}]")
    with pytest.raises(SourceError, match="too large"):
        split_front_matter("---\n" + "\n".join(lines) + "\n---\n", P)


def test_not_utf8_names_byte_offset_and_line(tmp_path: Path) -> None:
    path = tmp_path / "cp1250.md"
    path.write_bytes(b"---\ntitle: x\n---\n# Zdravo\n" + "Čačak\n".encode("cp1250"))
    with pytest.raises(SourceError) as info:
        load_source(path)
    err = info.value
    assert "not valid UTF-8" in err.message and "offset 26" in err.message
    assert err.location is not None and err.location.line == 5
    assert err.hint is not None and "UTF-8" in err.hint


def test_decode_reports_first_bad_byte() -> None:
    with pytest.raises(SourceError, match="0xff"):
        decode_utf8(b"ok\n\xff", P)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("6h", 360),
        ("90m", 90),
        ("1h 30m", 90),
        ("1h30m", 90),
        ("1.5h", 90),
        ("45 min", 45),
        ("2 hours", 120),
        ("PT6H", 360),
        ("PT6H30M", 390),
        ("PT90M", 90),
        ("P1DT1H", 1500),
        ("pt45m", 45),
    ],
)
def test_durations(text: str, minutes: int) -> None:
    assert parse_duration(text) == minutes


@pytest.mark.parametrize("text", ["", "6", "h", "PT", "P", "six hours", "1h 30", "-1h", "PT1H2"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)
