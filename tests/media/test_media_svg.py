"""SVG diagram texts: extracted run by run, put back per language, well-formed always."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from mirco_lms.errors import Location, SourceError
from mirco_lms.media.svg import extract_texts, read_diagrams, translate_svg

WHERE = Location(Path("d.svg"))
SVG = b"""<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">
  <title>kept</title>
  <text id="head" x="1">Smuggling &amp; trafficking</text>
  <g><text>Line <tspan font-weight="bold">bold</tspan> tail</text>
  <text>   </text></g>
  <text><tspan>only</tspan><tspan id="two">spans</tspan></text>
</svg>
"""


def test_every_run_is_a_segment_with_its_element_and_line() -> None:
    texts = extract_texts(SVG, WHERE)
    assert [(t.element, t.text, t.location.line) for t in texts] == [
        ("head", "Smuggling & trafficking", 4),
        ("text[2]", "Line", 5),
        ("text[2]/tspan[1]", "bold", 5),
        ("text[2]/tspan[1] (after)", "tail", 5),
        ("text[4]/tspan[1]", "only", 7),
        ("two", "spans", 7),
    ]


def test_translation_round_trip_escapes_and_keeps_structure() -> None:
    texts = ["Krijumčarenje <i> & trgovina", "Red", "masno", "kraj", "samo", "\"delovi\""]
    out = translate_svg(SVG, texts, WHERE)
    root = etree.fromstring(out)  # still well-formed
    assert [t.text for t in extract_texts(out, WHERE)] == texts
    assert b"&lt;i&gt; &amp; trgovina" in out
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert root.find("s:title", ns).text == "kept"
    assert root.find(".//s:tspan", ns).get("font-weight") == "bold"
    # the spaces between a text and its tspan survive
    assert b"Red <tspan" in out and b"</tspan> kraj" in out
    assert out.startswith(b"<?xml")


def test_a_changed_file_is_refused() -> None:
    with pytest.raises(SourceError, match="6 were extracted"):
        translate_svg(SVG.replace(b"<tspan>only</tspan>", b""), ["x"] * 6, WHERE)


def test_entities_are_not_expanded() -> None:
    evil = b"""<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>"""
    assert all("root:" not in t.text for t in extract_texts(evil, WHERE))


def test_a_broken_svg_is_an_error_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "bad.svg").write_bytes(b"<svg>\n<text>a</txt>\n</svg>")
    (tmp_path / "images" / "good.svg").write_bytes(SVG)
    diagrams, problems = read_diagrams(tmp_path, ["images/bad.svg", "images/good.svg",
                                                  "images/photo.png", "images/gone.svg"])
    assert [d.path for d in diagrams] == ["images/good.svg"]
    assert len(problems) == 1 and "not well-formed" in problems[0].message
    assert problems[0].location == Location(tmp_path / "images" / "bad.svg", 2)


def test_marked_text_wraps_into_lines() -> None:
    svg = (b'<svg xmlns="http://www.w3.org/2000/svg"><text x="40" data-wrap="12">Usually given'
           b"</text><text>Short</text></svg>")
    out = translate_svg(svg, ["Ја нема, или е поништена со средствата", "Кратко"], WHERE)
    root = etree.fromstring(out)
    ns = {"s": "http://www.w3.org/2000/svg"}
    first = root.find("s:text", ns)
    assert first.text == "Ја нема, или"
    assert [(t.get("x"), t.get("dy"), t.text) for t in first.findall("s:tspan", ns)] == [
        ("40", "1.2em", "е поништена"), ("40", "1.2em", "со"), ("40", "1.2em", "средствата")]
    assert root.findall("s:text", ns)[1].text == "Кратко"
