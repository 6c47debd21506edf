"""Rendering a hand-built module: pages, SCOs, question forms and the course data."""

from __future__ import annotations

import gettext
import json
import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from mirco_lms.course.model import Module
from mirco_lms.errors import BuildError
from mirco_lms.render import LocalizedModule, RenderOptions, Theme, render_package


class _Tags(HTMLParser):
    """Collects start tags (name, attrs) of an HTML document."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def files_of(module: Module, **options: Any) -> dict[str, bytes]:
    rendered = render_package(LocalizedModule(module, module.language), Theme.for_project(None),
                              RenderOptions(**options))
    return {f.path: f.data for f in rendered.spec.files}


def course_data(html: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="mirco-course">(.*?)</script>', html,
                      re.DOTALL)
    assert found
    return json.loads(found.group(1))


def test_one_sco_holds_every_page(module: Module) -> None:
    rendered = render_package(LocalizedModule(module, "en"), Theme.for_project(None))
    (sco,) = rendered.spec.scos
    assert sco.href == "index.html" and sco.mastery_score == 70
    assert set(sco.files) == {f.path for f in rendered.spec.files}
    html = next(f.data for f in rendered.spec.files if f.path == "index.html").decode()
    pages = [a["data-page"] for t, a in tags(html) if t == "section"]
    assert pages == ["cover", "overview", "pretest", "lesson-foundations", "lesson-second",
                     "final", "finish"]
    assert rendered.pages == 7  # with the cover and the finish page
    assert rendered.questions == 1 + 1 + 10  # check, pre-test, final (every pooled question)
    assert '<html lang="en" dir="ltr">' in html
    assert html.count('id="mirco-course"') == 1


def test_sco_per_lesson(module: Module) -> None:
    rendered = render_package(LocalizedModule(module, "en"), Theme.for_project(None),
                              RenderOptions(sco_per_lesson=True))
    hrefs = [s.href for s in rendered.spec.scos]
    assert hrefs == ["index.html", "pretest.html", "lesson-foundations.html",
                     "lesson-second.html", "final-test.html"]
    assert [s.mastery_score for s in rendered.spec.scos] == [None, None, None, None, 70]
    files = {f.path: f.data.decode("utf-8", "replace") for f in rendered.spec.files}
    assert "images/boat.png" in rendered.spec.scos[2].files
    final = course_data(files["final-test.html"])
    assert set(final["questions"]) >= {"q-art33", "q-pool-1"} and "kc-1" not in final["questions"]
    assert [p["id"] for p in final["pages"]] == ["final", "finish"]  # it ends the last SCO
    lesson = course_data(files["lesson-foundations.html"])
    assert list(lesson["questions"]) == ["kc-1"] and lesson["questions"]["kc-1"]["check"]
    ids = [s.identifier for s in rendered.spec.scos]
    assert len(set(ids)) == len(ids)


def test_course_data_describes_questions(module: Module) -> None:
    data = course_data(files_of(module)["index.html"].decode())
    assert data["schema"] == 1 and data["language"] == "en"
    assert data["passingScore"] == 70 and data["attempts"] == 3
    q = data["questions"]
    assert q["q-art33"]["correct"] == ["b"] and q["q-art33"]["points"] == 2
    assert q["q-art33"]["choices"][0]["feedback"] == "<p>It defines a refugee.</p>\n"
    assert q["q-multi"]["correct"] == ["a", "c"]
    assert q["q-tf"]["correct"] == ["false"]
    assert q["q-fill"]["answers"][0]["text"] == "Palermo Protocol"
    assert q["q-fill"]["caseSensitive"] is False
    assert q["q-year"]["correct"] == [{"low": 1951, "high": 1951}]
    assert q["q-match"]["correct"] == [["1", "1"], ["2", "2"], ["3", "3"]]
    assert q["q-order"]["correct"] == ["1", "2", "3"]
    final = data["assessments"]["final"]
    assert final["questionsPerAttempt"] == 9 and final["maxPoints"] == 10
    assert final["items"][-1] == {"pool": "pool-a", "title": "Pool A", "draw": 2,
                                  "questions": ["q-pool-1", "q-pool-2", "q-pool-3"]}
    assert data["strings"]["next"] == "Next"
    assert q["q-art33"]["outcomes"] == ["LO2"]


def test_question_forms_are_accessible(module: Module) -> None:
    html = files_of(module)["index.html"].decode()
    parsed = tags(html)
    fieldsets = [a for t, a in parsed if t == "fieldset"]
    assert len(fieldsets) == 12
    assert html.count("<legend>") == 12
    inputs = [a for t, a in parsed if t in ("input", "select")]
    labelled = {a["for"] for t, a in parsed if t == "label"}
    assert all(a["id"] in labelled for a in inputs)
    radios = [a for t, a in parsed if t == "input" and a.get("name") == "mq-q-art33"]
    assert [a["type"] for a in radios] == ["radio"] * 3
    boxes = [a for t, a in parsed if t == "input" and a.get("name") == "mq-q-multi"]
    assert [a["type"] for a in boxes] == ["checkbox"] * 3
    selects = [a for t, a in parsed if t == "select"]
    assert [a["data-source"] for a in selects] == ["1", "2", "3"]
    order = [a["data-item"] for t, a in parsed if t == "li" and "data-item" in a]
    assert sorted(order) == ["1", "2", "3"] and order != ["1", "2", "3"]
    moves = [a["data-move"] for t, a in parsed if t == "button" and "data-move" in a]
    assert moves.count("up") == 3 and moves.count("down") == 3
    # A multi-paragraph stem is described by, not crammed into, the legend.
    assert 'aria-describedby="mq-q-tf-stem"' in html


def test_output_is_escaped_and_self_contained(module: Module) -> None:
    html = files_of(module)["index.html"].decode()
    assert "<title>Migration &amp; Human Rights</title>" in html
    assert "<script>x</script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    data_text = html.split('id="mirco-course">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data_text
    for tag, attrs in tags(html):
        for name in ("src", "href"):
            value = attrs.get(name) or ""
            if tag in ("script", "link", "img"):
                assert not re.match(r"^(https?:)?//", value), (tag, value)


def test_rendering_is_deterministic(module: Module) -> None:
    assert files_of(module) == files_of(module)


def test_shared_runtime_and_assets(module: Module) -> None:
    files = files_of(module)
    assert {"_mirco/mirco.js", "_mirco/mirco.css", "_mirco/theme.css", "images/boat.png"} <= set(
        files
    )
    assert b"API_1484_11" in files["_mirco/mirco.js"]


def test_asset_outside_the_module_is_refused(module: Module) -> None:
    bad = replace(module, assets=("../../etc/passwd",))
    with pytest.raises(BuildError, match="leaves the module folder"):
        files_of(bad)


def test_missing_asset_is_a_build_error(module: Module) -> None:
    assert module.root is not None
    (Path(module.root) / "images" / "boat.png").unlink()
    with pytest.raises(BuildError, match="cannot read asset 'images/boat.png'") as caught:
        files_of(module)
    assert str(caught.value.location).endswith("boat.png")


class _Serbian(gettext.NullTranslations):
    WORDS = {"Next": "Sledeće", "Previous": "Prethodno", "Learning outcomes": "Ishodi učenja",
             "Question %(number)s": "Pitanje %(number)s", "True": "Tačno"}

    def gettext(self, message: str) -> str:
        return self.WORDS.get(message, message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.WORDS.get(singular if n == 1 else plural, singular if n == 1 else plural)


def test_ui_strings_go_through_the_catalog(module: Module) -> None:
    localized = LocalizedModule(module, "sr-Latn", _Serbian())
    rendered = render_package(localized, Theme.for_project(None))
    html = next(f.data for f in rendered.spec.files if f.path == "index.html").decode()
    assert '<html lang="sr-Latn"' in html
    assert "Sledeće" in html and "Ishodi učenja" in html and "Pitanje 1" in html
    assert '<label for="mq-kc-1-true">Tačno</label>' in html
    assert course_data(html)["strings"]["previous"] == "Prethodno"
