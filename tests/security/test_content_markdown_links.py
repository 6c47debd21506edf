"""Links and images the renderer refuses (``javascript:``, ``data:``, ``file:``) are errors
at their file:line, in every spelling, instead of silently becoming plain text."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mirco_lms.cli import main
from mirco_lms.course.assets import resolve_target
from mirco_lms.course.loader import validate_sources
from mirco_lms.course.markdown import render_markdown
from mirco_lms.course.targets import find_targets, may_hide_targets

LESSON = "modules/migration-human-rights/01-foundations.md"


@pytest.mark.parametrize(
    "markdown",
    [
        "[click](javascript:alert(1))",
        "[click](JavaScript:alert(document.domain))",
        "[click](java&#x73;cript:alert(1))",
        "[click](javascript&colon;alert(1))",
        "<javascript:alert(1)>",
        "[click](vbscript:msgbox(1))",
        "[file](file:///etc/passwd)",
        "[page](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "![pixel](data:image/png;base64,iVBORw0KGgo=)",
        "![svg](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
        "![disk](file:///C:/img.png)",
        "[ref][evil-ref]\n\n[evil-ref]: javascript:alert(1)",
    ],
)
def test_refused_targets_are_errors_at_their_line(
    runner, sample_project: Path, markdown: str  # type: ignore[no-untyped-def]
) -> None:
    lesson = sample_project / LESSON
    lines = lesson.read_text(encoding="utf-8").split("\n")
    at = lines.index("# Human rights of all migrants") + 1  # after the front matter's end
    lines[at:at] = ["", markdown, ""]
    line = at + 2  # 1-based line of the inserted Markdown
    lesson.write_text("\n".join(lines), encoding="utf-8")
    diagnostics = [d for d in validate_sources(sample_project / "modules")
                   if d.severity == "error"]
    assert len(diagnostics) == 1, diagnostics
    [error] = diagnostics
    assert error.location.file == lesson and error.location.line == line
    assert "not a file in the module folder" in error.message
    if markdown.startswith(("[click](javascript:", "![pixel]", "[file]")):  # build: a few
        out = runner.invoke(main, ["build", "--project", str(sample_project)])
        assert out.exit_code == 2 and f"01-foundations.md:{line}: error: " in out.output
        assert not (sample_project / "dist").exists() or not any(
            (sample_project / "dist").iterdir())


def test_the_renderer_still_refuses_them() -> None:
    html = render_markdown("[x](javascript:alert(1)) ![y](data:image/svg+xml;base64,AA)")
    assert 'href="javascript' not in html and "<img" not in html
    assert [t.url for t in find_targets("[x](javascript:alert(1))")] == ["javascript:alert(1)"]


def test_ordinary_prose_is_parsed_once() -> None:
    """Text that cannot hide a target behind a character reference reuses the page's
    parse; text that may is parsed again on its own."""
    assert not may_hide_targets("The data show a [file](files/a.pdf) and a script.")
    assert may_hide_targets("[x](java&#115;cript:1)")


_SCHEMES = st.sampled_from(["javascript", "vbscript", "file", "data"])


@st.composite
def _spelled(draw: st.DrawFn) -> str:
    """A refused scheme in a random letter case, some letters as character references."""
    letters = []
    for ch in draw(_SCHEMES):
        ch = ch.upper() if draw(st.booleans()) else ch
        letters.append(f"&#{ord(ch)};" if draw(st.integers(0, 4)) == 0 else ch)
    return "".join(letters) + draw(st.sampled_from([":", "&colon;", "&#58;"]))


@settings(max_examples=200, deadline=None)
@given(scheme=_spelled(), rest=st.from_regex(r"[a-z0-9/,.]{0,12}(\(1\))?", fullmatch=True),
       image=st.booleans())
def test_every_spelling_of_a_refused_scheme_is_found_and_refused(
    scheme: str, rest: str, image: bool
) -> None:
    text = f"Before.\n\n{'!' if image else ''}[label]({scheme}{rest})\n"
    [target] = find_targets(text)
    assert resolve_target(target.url).kind in ("scheme", "data")
    assert 'href="javascript' not in render_markdown(text).lower()
