"""Links and images the renderer refuses (``javascript:``, ``data:``, ``file:``) are errors
at their file:line, in every spelling, instead of silently becoming plain text."""

from __future__ import annotations

from pathlib import Path

import pytest

from mirco_lms.cli import main
from mirco_lms.course.checks import validate_sources
from mirco_lms.course.markdown import find_targets, render_markdown

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
    lines[7:7] = ["", markdown, ""]
    lesson.write_text("\n".join(lines), encoding="utf-8")
    diagnostics = [d for d in validate_sources(sample_project / "modules")
                   if d.severity == "error"]
    assert len(diagnostics) == 1, diagnostics
    [error] = diagnostics
    assert error.location.file == lesson and error.location.line == 9
    assert "not a file in the module folder" in error.message
    out = runner.invoke(main, ["build", "--project", str(sample_project)])
    assert out.exit_code != 0 and "01-foundations.md:" in out.output
    assert not (sample_project / "dist").exists() or not any((sample_project / "dist").iterdir())


def test_the_renderer_still_refuses_them() -> None:
    html = render_markdown("[x](javascript:alert(1)) ![y](data:image/svg+xml;base64,AA)")
    assert 'href="javascript' not in html and "<img" not in html
    assert [t.url for t in find_targets("[x](javascript:alert(1))")] == ["javascript:alert(1)"]


def test_ordinary_prose_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from mirco_lms.course import markdown

    assert not markdown.may_hide_targets("The data show a [file](files/a.pdf) and a script.")
    assert markdown.may_hide_targets("[x](java&#115;cript:1)")
