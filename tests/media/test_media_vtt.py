"""WebVTT captions: what a browser needs is checked, every problem at its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from mirco_lms.errors import Location
from mirco_lms.i18n.translit import transliterate
from mirco_lms.media.vtt import parse_vtt, transliterate_vtt

WHERE = Location(Path("intro.en.vtt"))
GOOD = ("WEBVTT\n\n1\n00:00.000 --> 00:02.500\nHello.\n\n"
        "00:01:02.000 --> 00:01:04.000 line:0\nLater.\n")


def test_a_valid_file_gives_its_cues() -> None:
    captions = parse_vtt("\ufeff" + GOOD, WHERE)
    assert captions.problems == ()
    assert [(c.start, c.end, c.text, c.line) for c in captions.cues] == [
        (0.0, 2.5, "Hello.", 4), (62.0, 64.0, "Later.", 7)]


def test_notes_and_styles_are_skipped() -> None:
    text = "WEBVTT - title\n\nNOTE a comment\nmore\n\nSTYLE\n::cue { color: red }\n\n" \
           "00:01.000 --> 00:02.000\nText\n"
    captions = parse_vtt(text, WHERE)
    assert captions.problems == () and len(captions.cues) == 1


# (text, message fragment, line)
BAD = [
    ("WEBVT\n\n00:01.000 --> 00:02.000\nx\n", "starts with 'WEBVTT'", 1),
    ("WEBVTT\n00:01.000 --> 00:02.000\nx\n", "blank line must separate", 2),
    ("WEBVTT\n\n00:01.000 -> 00:02.000\nx\n", "needs a timing line", 3),
    ("WEBVTT\n\n00:01.00 --> 00:02.000\nx\n", "bad cue timing", 3),
    ("WEBVTT\n\n00:61.000 --> 00:62.000\nx\n", "go up to 59", 3),
    ("WEBVTT\n\n00:03.000 --> 00:02.000\nx\n", "ends before it starts", 3),
    ("WEBVTT\n\nid\n00:01.000 --> 00:02.000\n", "has no text", 4),
    ("WEBVTT\n\n00:05.000 --> 00:06.000\na\n\n00:01.000 --> 00:02.000\nb\n",
     "starts before the one above", 6),
]


@pytest.mark.parametrize(("text", "message", "line"), BAD, ids=[b[1] for b in BAD])
def test_each_problem_names_its_line(text: str, message: str, line: int) -> None:
    problems = parse_vtt(text, WHERE).problems
    assert problems, text
    assert message in problems[0].message
    assert problems[0].location == Location(Path("intro.en.vtt"), line)
    assert problems[0].hint


def test_transliteration_changes_cue_text_only() -> None:
    text = "WEBVTT\n\nNOTE ostaje\n\nprvi\n00:00.000 --> 00:01.000\nKrijumčarenje ljudi, Deo III\n"
    out = transliterate_vtt(text, transliterate)
    assert "NOTE ostaje" in out and "\nprvi\n00:00.000 --> 00:01.000\n" in out
    assert "Кријумчарење људи, Део III" in out
    assert parse_vtt(out, WHERE).problems == ()
