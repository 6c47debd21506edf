"""Property tests: arbitrary sources give diagnostics or a MircoError, never a traceback."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import yaml
from course_support import FINAL_MD, LESSON_MD, MODULE_MD
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mirco_lms.course.frontmatter import split_front_matter
from mirco_lms.course.loader import MODULE_KEYS, LoadResult, load_module
from mirco_lms.course.markdown import render_markdown
from mirco_lms.course.model import Module
from mirco_lms.errors import MircoError

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.sampled_from(["6h", "90m", "PT1H", "LO1", "en", "sr", "-1", "1e400", "2024-02-30"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.sampled_from(["id", "text", "title", "duration", "outcomes", "x"]), inner, max_size=4
        ),
    ),
    max_leaves=12,
)


def _load(files: dict[str, str | bytes]) -> LoadResult:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "mod"
        folder.mkdir()
        for name, text in files.items():
            data = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
            (folder / name).write_bytes(data)
        return load_module(folder)


def _assert_sound(result: LoadResult) -> None:
    assert isinstance(result, LoadResult)
    for diagnostic in result.diagnostics:
        assert diagnostic.message and diagnostic.severity in ("error", "warning")
        assert diagnostic.location.file is not None
    if result.ok:
        assert isinstance(result.module, Module)


@SETTINGS
@given(st.text(max_size=300))
def test_arbitrary_front_matter_text(text: str) -> None:
    try:
        split_front_matter(f"---\n{text}\n---\nbody\n", Path("x.md"))
    except MircoError as exc:
        assert exc.location is not None and exc.location.line is not None
    _assert_sound(_load({"module.md": f"---\n{text}\n---\n# T\n"}))


@SETTINGS
@given(st.dictionaries(st.sampled_from(MODULE_KEYS), values, max_size=8))
def test_arbitrary_yaml_values_in_module_md(fields: dict[str, object]) -> None:
    meta = yaml.safe_load(MODULE_MD.split("---")[1])
    meta.update(fields)
    front = yaml.safe_dump(meta, allow_unicode=True)
    _assert_sound(
        _load(
            {
                "module.md": f"---\n{front}---\n# T\n",
                "01-a.md": LESSON_MD,
                "final-test.md": FINAL_MD,
            }
        )
    )


markdown_bits = st.lists(
    st.sampled_from(
        [
            "# H {#p draw=2}",
            "## Q {#q outcome=LO1}",
            "## Q",
            "- (x) a",
            "- ( ) b",
            "- [x] c",
            "- = 3..1",
            "- = x",
            "- a -> b",
            "1. one",
            "  > fb",
            "> general",
            "::: check {#k}",
            "::: note",
            ":::",
            "![a](x.png)",
            "[l](y.md)",
            "text",
            "",
            "{#",
            "- (x)",
            "| a |",
            "|---|",
            "[^1]: f",
            "```",
            "<b>x</b>",
        ]
    ),
    max_size=30,
)


@SETTINGS
@given(markdown_bits, markdown_bits)
def test_arbitrary_lesson_and_test_bodies(lesson: list[str], test: list[str]) -> None:
    _assert_sound(
        _load(
            {
                "module.md": MODULE_MD,
                "01-a.md": "\n".join(lesson),
                "final-test.md": "\n".join(test),
            }
        )
    )
    render_markdown("\n".join(lesson))


@SETTINGS
@given(st.binary(max_size=200))
def test_arbitrary_bytes_as_a_lesson(data: bytes) -> None:
    _assert_sound(_load({"module.md": MODULE_MD, "01-a.md": data}))


@pytest.mark.parametrize("key", ["lessons", "pretest", "final_test", "evaluation", "cover"])
@pytest.mark.parametrize("name", ["a\x00b", "x" * 5000, "../../etc/passwd", "/etc/passwd"])
def test_file_names_no_file_can_have_are_diagnostics(key: str, name: str) -> None:
    """A name holding a NUL byte, too long for the file system, or leaving the module
    folder is the author's error at its field, never an exception (found by the test
    above: a NUL byte in ``lessons`` raised ValueError from the operating system call)."""
    meta = yaml.safe_load(MODULE_MD.split("---")[1])
    meta[key] = [name] if key == "lessons" else name
    front = yaml.safe_dump(meta, allow_unicode=True)
    result = _load({"module.md": f"---\n{front}---\n# T\n", "01-a.md": LESSON_MD})
    _assert_sound(result)
