"""Hand-built modules and package specs for the packaging tests (no render stage)."""

from __future__ import annotations

import pytest

from mirco_lms.course.model import (
    Assessment,
    AssessmentKind,
    Choice,
    Lesson,
    Module,
    SingleChoice,
)
from mirco_lms.package.spec import PackageFile, PackageSpec, ScoSpec

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7"
    b"\x9a\xa0\xa0\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _page(title: str) -> bytes:
    return (
        '<!doctype html>\n<html lang="sr-Latn"><head><meta charset="utf-8">'
        f'<title>{title}</title><script src="runtime/mirco.js"></script></head>'
        f'<body><h1>{title}</h1><img src="img/map.png" alt=""></body></html>\n'
    ).encode()


@pytest.fixture
def module() -> Module:
    """A three-lesson module with a final test (passing score 75)."""
    question = SingleChoice(
        id="q1",
        stem_md="Ko podnosi zahtev za azil?",
        choices=(Choice("a", "Tražilac azila", True), Choice("b", "Granična policija", False)),
        outcomes=("o1",),
    )
    final = Assessment(
        id="final", kind=AssessmentKind.FINAL, title="Završni test", intro_md="", items=(question,)
    )
    lessons = tuple(
        Lesson(id=lid, title=title, body_md=f"# {title}\n", duration_minutes=30)
        for lid, title in (
            ("intro", "Uvod u upravljanje migracijama"),
            ("asylum", "Postupak azila"),
            ("return", "Dobrovoljni povratak"),
        )
    )
    return Module(
        slug="migration-basics",
        id="migration-basics",
        title="Osnove upravljanja migracijama",
        version="1.2.0",
        language="sr-Latn",
        description="Uvodni modul: pojmovi, akteri i postupci.",
        overview_md="",
        keywords=("migracije", "azil"),
        duration_minutes=100,
        lessons=lessons,
        final_test=final,
        passing_score=75,
    )


def _common_files() -> list[PackageFile]:
    return [
        PackageFile("runtime/mirco.js", b"window.mirco = {};\n"),
        PackageFile("runtime/mirco.css", b"body { margin: 0 }\n"),
        PackageFile("runtime/LICENSE.txt", b"MIT\n"),
        PackageFile("img/map.png", PNG),
    ]


@pytest.fixture
def multi_spec(module: Module) -> PackageSpec:
    """One SCO per lesson plus the final test SCO (mastery 75)."""
    lessons = [
        ScoSpec(
            identifier=f"ITEM-{lesson.id}",
            title=lesson.title,
            href=f"lessons/{lesson.id}.html",
            files=(f"lessons/{lesson.id}.html", "runtime/mirco.js", "runtime/mirco.css")
            + (("img/map.png",) if lesson.id != "return" else ()),
            duration_minutes=lesson.duration_minutes,
        )
        for lesson in module.lessons
    ]
    final = ScoSpec(
        identifier="ITEM-final",
        title="Završni test",
        href="final.html",
        files=("final.html", "runtime/mirco.js", "runtime/mirco.css", "img/final-only.png"),
        mastery_score=module.passing_score,
        duration_minutes=10,
    )
    pages = [PackageFile(s.href, _page(s.title)) for s in (*lessons, final)]
    return PackageSpec(
        module=module,
        language="sr-Latn",
        title=module.title,
        description=module.description,
        keywords=module.keywords,
        files=(*pages, *_common_files(), PackageFile("img/final-only.png", PNG)),
        scos=(*lessons, final),
        organization="Regionalni centar za obuku",
    )


@pytest.fixture
def single_spec(module: Module) -> PackageSpec:
    """The whole module as one SCO launched from index.html."""
    files = (PackageFile("index.html", _page(module.title)), *_common_files())
    sco = ScoSpec(
        identifier="ITEM-migration-basics",
        title=module.title,
        href="index.html",
        files=tuple(f.path for f in files if f.path != "runtime/LICENSE.txt"),
        mastery_score=module.passing_score,
        duration_minutes=module.duration_minutes,
    )
    return PackageSpec(
        module=module,
        language="sr-Latn",
        title=module.title,
        description=module.description,
        keywords=module.keywords,
        files=files,
        scos=(sco,),
        organization="Regionalni centar za obuku",
    )
