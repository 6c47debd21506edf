"""The printed documents of a sample module, built with ``mirco build --format print`` and
read back with pypdf: what each holds and, above all, what it must not hold."""

from __future__ import annotations

import html
import re
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from mirco_lms import questions
from mirco_lms.cli import main
from mirco_lms.course.loader import load_module
from mirco_lms.course.model import Module
from mirco_lms.i18n.translit import transliterate
from mirco_lms.printed import documents
from mirco_lms.printed.format import (
    GUIDE_FILE,
    HANDBOOK_FILE,
    PrintedDocuments,
    key_file,
    papers_file,
)
from mirco_lms.printed.papers import draw_versions
from mirco_lms.render import LocalizedModule, Theme

REPO = Path(__file__).resolve().parents[2]
SLUG = "migration-human-rights"
EPOCH = "1700000000"
_TRAINER_BLOCK = re.compile(r"^::: trainer.*?\n(.*?)^:::", re.M | re.S)


def normal(text: str) -> str:
    """Text with its white space collapsed (PDF lines break where the layout says, after
    a hyphen too)."""
    return re.sub(r"-\s+", "-", re.sub(r"\s+", " ", text)).strip()


def pdf_text(path: Path) -> str:
    return normal(" ".join(page.extract_text() for page in PdfReader(path).pages))


def pages(path: Path) -> list[str]:
    return [normal(page.extract_text()) for page in PdfReader(path).pages]


def plain(markup: str) -> str:
    return normal(html.unescape(re.sub(r"<[^>]+>", "", str(markup))))


def copy_project(dest: Path, languages: str) -> Path:
    dest.mkdir()
    config = (REPO / "mirco.toml").read_text(encoding="utf-8")
    config = re.sub(r"(?m)^languages = \[.*\]$", f"languages = {languages}", config)
    (dest / "mirco.toml").write_text(config, encoding="utf-8")
    shutil.copytree(REPO / "modules", dest / "modules")
    shutil.copytree(REPO / "translations", dest / "translations")
    return dest


def build(project: Path, out: Path, *args: str) -> None:
    result = CliRunner().invoke(main, ["build", "--project", str(project), "--out", str(out),
                                       "-j", "1", *args])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The print format of one sample module, in English and Serbian Cyrillic."""
    patch = pytest.MonkeyPatch()
    patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = tmp_path_factory.mktemp("print")
    project = copy_project(root / "project", '["en", "sr-Latn", "sr-Cyrl"]')
    build(project, root / "dist", "--format", "print", "--lang", "en", "--lang", "sr-Cyrl",
          SLUG)
    yield root
    patch.undo()


@pytest.fixture(scope="module")
def module() -> Module:
    return load_module(REPO / "modules" / SLUG).require()


def folder(built: Path, lang: str) -> Path:
    return built / "dist" / f"{SLUG}-1.0.0-{lang}-print"


def trainer_notes(module: Module) -> list[str]:
    notes = [normal(m.group(1)) for lesson in module.lessons
             for m in _TRAINER_BLOCK.finditer(lesson.body_md)]
    assert len(notes) == len(module.lessons)  # the sample has a note in every lesson
    return notes


def plan_texts(module: Module) -> list[str]:
    texts = [a.trainer for lesson in module.lessons for a in lesson.plan]
    assert texts
    return texts


def job(module: Module) -> documents.PrintJob:
    return documents.PrintJob(LocalizedModule(module, "en"), Theme.for_project(None))


def test_the_outputs_are_there_and_valid(built: Path, tmp_path: Path) -> None:
    out = folder(built, "en")
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted([GUIDE_FILE, HANDBOOK_FILE, papers_file("pretest"), key_file("pretest"),
                            papers_file("final"), key_file("final")])
    fmt = PrintedDocuments()
    assert fmt.recognises(out) and fmt.validate(out) == []
    broken = shutil.copytree(out, tmp_path / out.name)
    (broken / key_file("final")).write_bytes(b"%PDF-1.7 cut")
    assert "cut short" in fmt.validate(broken)[0].message


def test_the_handbook_has_the_lessons_and_no_answers_or_trainer_notes(
    built: Path, module: Module
) -> None:
    text = pdf_text(folder(built, "en") / HANDBOOK_FILE)
    assert "Human rights belong to everyone" in text and "Notes" in text
    for note in trainer_notes(module):
        assert note[:60] not in text
    for line in plan_texts(module):
        assert line not in text
    assert "Answer key" not in text and "Trainer" not in text
    for lesson in module.lessons:
        for check in lesson.checks:
            assert normal(check.stem_md)[:30] in text  # the check, without its key
            for choice in getattr(check, "choices", ()):
                if len(choice.feedback_md) > 30:
                    assert normal(choice.feedback_md)[:40] not in text


def test_the_guide_has_plans_notes_and_every_answer(built: Path, module: Module) -> None:
    path = folder(built, "en") / GUIDE_FILE
    text = pdf_text(path)
    for note in trainer_notes(module):
        assert note[:60] in text
    for line in plan_texts(module):
        assert normal(line) in text
    assert "Lesson plan: Human rights of all migrants (1 h 30 min)" in text
    md = documents.PrintMarkdown(LocalizedModule(module, "en"), trainer_notes=True)
    for assessment in module.assessments:
        assert len(assessment.questions) > assessment.questions_per_attempt or assessment.questions
        for question in assessment.questions:  # the whole bank, pooled questions too
            form = questions.of(question).paper(question, md, f"{module.id}:{question.id}")
            for key in form.key:
                assert plain(key) in text, (question.id, plain(key))
            if question.feedback_md:
                assert normal(question.feedback_md)[:40] in text
    assert 15 <= len(PdfReader(path).pages) <= 80


def test_each_paper_version_holds_its_own_draw_and_its_key_matches(
    built: Path, module: Module
) -> None:
    final = module.final_test
    assert final is not None
    drawn = draw_versions(final, module.id)
    assert [v.label for v in drawn] == ["A", "B"]
    a_ids, b_ids = ([q.id for q in v.questions] for v in drawn)
    assert a_ids != b_ids  # the seed draws other pool questions (or another order)
    assert drawn == draw_versions(final, module.id)  # and the same again

    views = documents.version_views(job(module), final)
    papers = pages(folder(built, "en") / papers_file("final"))
    b_start = next(i for i, page in enumerate(papers) if "version B" in page and i > 0)
    section_a, section_b = " ".join(papers[:b_start]), " ".join(papers[b_start:])
    for view, section, other in ((views[0], section_a, b_ids), (views[1], section_b, a_ids)):
        for question in view.questions:
            assert plain(question.stem)[:50] in section
        assert "Learner id" in section and "Answer sheet" in section
        assert "Answer key" not in section
        only_other = [q for q in final.questions if q.id in other
                      and q.id not in {v.id for v in view.questions}]
        for question in only_other:
            assert normal(question.stem_md)[:50] not in section

    key = pdf_text(folder(built, "en") / key_file("final"))
    for view in views:
        start = key.index(f"version {view.label}")
        rows = key[start:]
        position = 0
        for question in view.questions:  # each key in the order of that version
            expected = "; ".join(plain(k) for k in question.form.key)
            found = rows.find(expected, position)
            assert found >= 0, (view.label, question.number, expected)
            position = found


def test_cyrillic_is_intact(built: Path, module: Module) -> None:
    guide = pdf_text(folder(built, "sr-Cyrl") / GUIDE_FILE)
    assert "ПРИРУЧНИК ЗА ТРЕНЕРА" in guide  # "Trainer's guide", set in capitals
    note = transliterate("Polaznici iz graničnih službi mogu osetiti")
    assert note in guide
    assert transliterate("Predavanje") in guide  # a plan's method
    handbook = pdf_text(folder(built, "sr-Cyrl") / HANDBOOK_FILE)
    assert note not in handbook
    assert "Људска права" in handbook or "људска права" in handbook


def test_the_handbook_shows_the_diagrams_translated(built: Path) -> None:
    """The SVG diagrams are printed as the package shows them: in the document's language."""
    handbook = pdf_text(folder(built, "sr-Cyrl") / HANDBOOK_FILE)
    english = pdf_text(folder(built, "en") / HANDBOOK_FILE)
    assert "Refugee law" in english and "Refugee law" not in handbook
    assert transliterate("Izbegličko pravo") in handbook


def test_the_same_sources_give_the_same_bytes(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    project = built / "project"
    build(project, built / "again", "--format", "print", "--lang", "en", SLUG)
    first, second = folder(built, "en"), built / "again" / folder(built, "en").name
    for path in sorted(first.glob("*.pdf")):
        assert (second / path.name).read_bytes() == path.read_bytes(), path.name


def test_no_learner_output_holds_a_trainer_note_or_a_plan(tmp_path: Path, module: Module) -> None:
    project = copy_project(tmp_path / "project", '["en"]')
    secrets = [note[:50] for note in trainer_notes(module)] + plan_texts(module)
    for fmt in ("scorm12", "scorm2004", "cmi5"):
        build(project, tmp_path / "dist", "--format", fmt, SLUG)
    outputs = sorted((tmp_path / "dist").iterdir())
    zips = [p for p in outputs if p.suffix == ".zip"]
    assert len(zips) == 3
    texts: list[str] = []
    for path in zips:
        with zipfile.ZipFile(path) as archive:
            texts += [archive.read(name).decode("utf-8", "replace")
                      for name in archive.namelist()]
    texts += [p.read_text(encoding="utf-8") for p in outputs if p.suffix == ".html"]
    everything = normal(html.unescape(" ".join(texts)))
    assert "Human rights belong to everyone" in everything
    for secret in secrets:
        assert normal(secret) not in everything, secret
