"""The xAPI profile is one module: the runtime keeps no copy of its IRIs, and the
collector's store does not reach into the reports for it."""

from __future__ import annotations

import re
from pathlib import Path

import mirco_lms
from mirco_lms.render.assemble import RUNTIME_DIR
from mirco_lms.xapi import profile as p
from mirco_lms.xapi.profile import runtime_iris

PACKAGE = Path(mirco_lms.__file__).resolve().parent


def _profile_iris() -> set[str]:
    """Every IRI (and IRI prefix) the profile module defines."""
    return {value for name, value in vars(p).items()
            if name.isupper() and isinstance(value, str) and "://" in value}


def test_runtime_has_no_iri_of_the_profile() -> None:
    iris = _profile_iris()
    assert p.ANSWERED in iris and p.EXTENSIONS in iris and p.CMI5_MASTERY_SCORE in iris
    sources = sorted((RUNTIME_DIR / "src").glob("*.js"))
    assert sources
    for source in sources:
        text = source.read_text(encoding="utf-8")
        found = sorted(iri for iri in iris if iri in text)
        assert not found, f"{source.name} hard-codes {found}: read them from course.xapi.profile"
        assert not re.search(r"adlnet\.gov/expapi|w3id\.org/xapi/mirco", text), source.name


def test_runtime_reads_only_names_the_course_data_gives() -> None:
    """Each `profile.<group>.<name>` the runtime reads is written by the build."""
    iris = runtime_iris()
    text = (RUNTIME_DIR / "src" / "xapi.js").read_text(encoding="utf-8")
    used = re.findall(
        r"\b(?:iri|profile)\.(extensions|types|categories)(?:\.([a-z]+)\b|\[\"([a-z-]+)\"\])",
        text)
    assert len(used) >= 10
    for group, dotted, quoted in used:
        assert (dotted or quoted) in iris[group], (group, dotted or quoted)
    sent = set(re.findall(r"(?:about|send)\(\s*\"([a-z]+)\"", text))
    sent |= set(re.findall(r"\"(passed|failed)\"", text))
    assert {"initialized", "answered", "terminated"} <= sent
    assert sent <= set(iris["verbs"])


def test_every_verb_iri_of_the_runtime_is_in_the_profile() -> None:
    iris = runtime_iris()
    assert set(iris["verbs"].values()) == set(p.VERBS)
    assert all(value in _profile_iris() for group in iris.values() for value in group.values())


def test_the_store_does_not_import_the_reports() -> None:
    for module in sorted((PACKAGE / "lrs" / "store").rglob("*.py")):
        assert "mirco_lms.reports" not in module.read_text(encoding="utf-8"), module.name
