"""Videos and audio in Markdown: the player, its tracks per language, the transcript, and
the checks that report missing captions, bad WebVTT and misplaced media at file:line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mirco_lms.course.loader import load_module
from mirco_lms.course.markdown import render_markdown
from mirco_lms.errors import Diagnostic, Location
from mirco_lms.media.files import caption_tracks, localized_path, transcript_file
from mirco_lms.media.render import MediaContext

SLUG = "smuggling-of-migrants"
LESSON = "02-smuggling-vs-trafficking.md"
VIDEO = "media/smuggling-or-trafficking.mp4"


@pytest.fixture
def module_dir(sample_project: Path) -> Path:
    return sample_project / "modules" / SLUG


def _errors(folder: Path) -> list[Diagnostic]:
    return [d for d in load_module(folder).diagnostics if d.severity == "error"]


def _line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def _context(folder: Path, language: str) -> MediaContext:
    return MediaContext(folder, language, "en", lambda t: f"[{t}]",
                        lambda text: render_markdown(text))


def test_the_sample_video_has_no_problems(module_dir: Path) -> None:
    assert _errors(module_dir) == []


def test_player_tracks_poster_and_transcript(module_dir: Path) -> None:
    html = render_markdown(f"![Alt & text]({VIDEO} \"Title\")\n", media=_context(module_dir, "mk"))
    assert html.startswith('<figure class="mirco-media"><video controls preload="metadata" '
                           f'src="{VIDEO}" poster="media/smuggling-or-trafficking.jpg">')
    tracks = re.findall(r"<track [^>]*>", html)
    assert tracks == [
        '<track kind="captions" src="media/smuggling-or-trafficking.mk.vtt" srclang="mk" '
        'label="македонски" default>',
        '<track kind="captions" src="media/smuggling-or-trafficking.en.vtt" srclang="en" '
        'label="English">',
    ]
    assert "Alt &amp; text</video>" in html
    assert '<details class="mirco-transcript" lang="mk"><summary>[Transcript]</summary>' in html
    assert "Нарација" in html and html.rstrip().endswith("<figcaption>Title</figcaption></figure>")


def test_without_a_title_the_player_is_a_div_block(module_dir: Path) -> None:
    html = render_markdown(f"![Alt]({VIDEO})\n", media=_context(module_dir, "en"))
    assert html.startswith('<div class="mirco-media"><video') and "<p>" not in html.split(
        "<details")[0]
    assert html.count("<track") == 1 and "srclang=\"en\"" in html and " default>" in html


def test_sr_cyrl_captions_and_transcript_are_made_from_sr_latn(module_dir: Path) -> None:
    tracks = caption_tracks(VIDEO, "sr-Cyrl", "en", module_dir)
    assert [(t.language, t.path, t.origin, t.transliterate) for t in tracks] == [
        ("sr-Cyrl", "media/smuggling-or-trafficking.sr-Cyrl.vtt",
         "media/smuggling-or-trafficking.sr-Latn.vtt", True),
        ("en", "media/smuggling-or-trafficking.en.vtt",
         "media/smuggling-or-trafficking.en.vtt", False)]
    html = render_markdown(f"![Alt]({VIDEO})\n", media=_context(module_dir, "sr-Cyrl"))
    assert "Нарација" in html and 'label="српски (ћирилица)"' in html


def test_a_language_without_its_own_files_falls_back_to_the_source(module_dir: Path) -> None:
    assert [t.language for t in caption_tracks(VIDEO, "sq", "en", module_dir)] == ["en"]
    found = transcript_file(VIDEO, "sq", "en", module_dir)
    assert found is not None and found.language == "en"


def test_a_language_folder_overrides_a_file(module_dir: Path) -> None:
    (module_dir / "images" / "mk").mkdir()
    (module_dir / "images" / "mk" / "referral-flow.svg").write_text("<svg/>")
    assert localized_path("images/referral-flow.svg", "mk", module_dir) == \
        "images/mk/referral-flow.svg"
    assert localized_path("images/referral-flow.svg", "sr-Latn", module_dir) == \
        "images/referral-flow.svg"


def test_media_outside_a_module_renders_the_bare_player() -> None:
    assert render_markdown("![A](x.mp3)\n") == \
        '<div class="mirco-media"><audio controls preload="metadata" src="x.mp3">A</audio></div>\n'


# --- checks -----------------------------------------------------------------------------


def test_missing_source_captions_is_an_error_at_the_markdown_line(module_dir: Path) -> None:
    (module_dir / "media" / "smuggling-or-trafficking.en.vtt").unlink()
    errors = _errors(module_dir)
    assert [e.message for e in errors] == [f"the video {VIDEO!r} has no captions in en"]
    assert errors[0].location == Location(module_dir / LESSON,
                                          _line_of(module_dir / LESSON, VIDEO))
    assert "captions=none" in (errors[0].hint or "")


def test_captions_none_marks_a_video_without_speech(module_dir: Path) -> None:
    (module_dir / "media" / "smuggling-or-trafficking.en.vtt").unlink()
    lesson = module_dir / LESSON
    text = lesson.read_text(encoding="utf-8")
    lesson.write_text(text.replace("(38 seconds)\")", "(38 seconds)\"){captions=none}"),
                      encoding="utf-8")
    assert _errors(module_dir) == []


def test_bad_webvtt_is_reported_at_its_own_line(module_dir: Path) -> None:
    vtt = module_dir / "media" / "smuggling-or-trafficking.mk.vtt"
    vtt.write_text(vtt.read_text(encoding="utf-8").replace("00:04.874 -->", "00:04,874 -->", 1),
                   encoding="utf-8")
    errors = _errors(module_dir)
    assert len(errors) == 1 and "bad cue timing" in errors[0].message
    assert errors[0].location == Location(vtt, _line_of(vtt, "00:04,874"))


@pytest.mark.parametrize(("markdown", "message"), [
    ("See ![Talk](media/talk.mp3) here.", "shares its paragraph with text"),
    ("![Talk](media/talk.mp3)", "has no transcript in en"),
    ("![Talk](media/talk.mp3){captions=none}", "only a video takes captions=none"),
    (f"![Clip]({VIDEO}){{captions=maybe}}", "captions='maybe'"),
])
def test_media_problems_name_the_line(module_dir: Path, markdown: str, message: str) -> None:
    (module_dir / "media" / "talk.mp3").write_bytes(b"ID3")
    lesson = module_dir / "01-legal-framework.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + f"\n{markdown}\n", encoding="utf-8")
    errors = _errors(module_dir)
    assert any(message in e.message for e in errors), [e.message for e in errors]
    found = next(e for e in errors if message in e.message)
    assert found.location == Location(lesson, _line_of(lesson, markdown))


def test_a_broken_svg_of_the_module_is_reported_by_the_checks(module_dir: Path) -> None:
    svg = module_dir / "images" / "referral-flow.svg"
    svg.write_text(svg.read_text(encoding="utf-8").replace("</text>", "</txt>", 1),
                   encoding="utf-8")
    errors = _errors(module_dir)
    assert len(errors) == 1 and "not well-formed XML" in errors[0].message
    assert errors[0].location.file == svg and errors[0].location.line
