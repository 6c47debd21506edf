"""The theme: project overrides file by file, template errors point at file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from mirco_lms.course.model import Module
from mirco_lms.errors import BuildError
from mirco_lms.render import DEFAULT_THEME_DIR, LocalizedModule, Theme, render_package
from mirco_lms.render.descriptor import DescriptorInfo, render_descriptor


def index_html(module: Module, theme: Theme) -> str:
    rendered = render_package(LocalizedModule(module, "en"), theme)
    return next(f.data for f in rendered.spec.files if f.path == "index.html").decode()


def test_project_templates_override_file_by_file(module: Module, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    (templates / "static").mkdir(parents=True)
    (templates / "check.html").write_text('<div class="my-check">{{ question.id }}</div>\n')
    (templates / "static" / "theme.css").write_text("body { color: red; }\n")
    (templates / "static" / "extra.css").write_text("p { margin: 0; }\n")
    theme = Theme.for_project(templates)
    assert theme.dirs == (templates.resolve(), DEFAULT_THEME_DIR)
    html = index_html(module, theme)
    assert '<div class="my-check">kc-1</div>' in html
    assert 'class="mirco-question mirco-question-choice"' in html  # question.html from the default
    rendered = render_package(LocalizedModule(module, "en"), theme)
    files = {f.path: f.data for f in rendered.spec.files}
    assert files["_mirco/theme.css"] == b"body { color: red; }\n"
    assert "_mirco/extra.css" in files and '<link rel="stylesheet" href="_mirco/extra.css">' in html


def test_missing_templates_folder_means_default_theme() -> None:
    assert Theme.for_project(Path("/nonexistent")).dirs == (DEFAULT_THEME_DIR,)


def test_theme_digest_changes_with_an_override(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    before = Theme.for_project(templates).digest()
    (templates / "lesson.html").write_text("x")
    assert Theme.for_project(templates).digest() != before


def test_template_syntax_error(module: Module, tmp_path: Path) -> None:
    (tmp_path / "lesson.html").write_text("<section>\n{% if %}\n</section>\n")
    with pytest.raises(BuildError) as caught:
        index_html(module, Theme.for_project(tmp_path))
    assert caught.value.location is not None
    assert str(caught.value.location).endswith("lesson.html:2")
    assert "syntax error" in caught.value.message


def test_undefined_variable_in_override(module: Module, tmp_path: Path) -> None:
    (tmp_path / "overview.html").write_text("<section>\n\n{{ nope.title }}\n</section>\n")
    with pytest.raises(BuildError) as caught:
        index_html(module, Theme.for_project(tmp_path))
    assert str(caught.value.location).endswith("overview.html:3")
    assert "'nope' is undefined" in caught.value.message


def test_descriptor_has_what_a_dossier_needs(module: Module) -> None:
    html = render_descriptor(LocalizedModule(module, "en"), Theme.for_project(None),
                             DescriptorInfo("Training Centre", "Ministry", "RS"))
    for expected in (
        "Course descriptor", "Migration &amp; Human Rights", "Version 1.0.0",
        "Explain the sources.", "Apply the rule.",          # outcomes
        "Self-paced online, Blended",                        # delivery modalities
        "Border police", "None",                             # target group, prerequisites
        "1 h 30 min", "45 min",                              # durations
        "diagnostic pre-test of 1 question,",                # pre-test
        "final test of 9 questions (10 points)", "drawn from a bank of 10",
        "passing score 70 %", "3 attempts allowed",
        "1 formative knowledge check",
        "Unit 1: Foundations", "lecture",                    # lesson plan
        "Training Centre · Ministry (RS)",
    ):
        assert expected in html, expected
    assert "<style>" in html and "<link" not in html and "<script" not in html
