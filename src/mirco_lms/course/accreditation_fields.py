"""Reading a module's ``accreditation:`` front matter into an :class:`Accreditation`.

Every wrong value is a diagnostic at its own ``file:line`` with a hint, as for the other
fields (:class:`~mirco_lms.course.fields.Fields`); what can be read is kept, so one
loading reports every problem. Sums and agreements between fields (hours, credits,
weights, grade bands) are checked later by :mod:`mirco_lms.course.accreditation_checks`.
"""

from __future__ import annotations

import datetime
import math
import re
from typing import TypeVar

from mirco_lms.course.accreditation import (
    Accreditation,
    AssessmentComponent,
    Bloom,
    ComponentTest,
    Framework,
    GradeBand,
    LearningHours,
    OutcomeDomain,
    Reference,
)
from mirco_lms.course.fields import Fields
from mirco_lms.errors import Location

ACCREDITATION_KEYS = (
    "framework", "level", "ects", "hours", "entry_requirements", "languages",
    "assessment", "trainer_qualifications", "reading", "resources", "quality_assurance",
    "evaluation", "approved", "approved_by",
)
HOURS_KEYS = ("contact", "online", "self_study", "assessment", "total")
ASSESSMENT_KEYS = ("components", "pass_mark", "grades")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|\d{3}))?$")
_URL = re.compile(r"^https?://\S+$")


def read_accreditation(module: Fields) -> Accreditation | None:
    """The ``accreditation:`` mapping of module.md, or None when it is not written."""
    if "accreditation" not in module:
        return None
    node = module.values["accreditation"]
    if not node.is_map:
        module.error("accreditation", "accreditation must be a mapping of 'key: value' lines",
                     "indent the accreditation fields under 'accreditation:' "
                     "(e.g. '  ects: 1')")
        return None
    f = Fields(node, module.path, module.diagnostics)
    f.check_unknown(ACCREDITATION_KEYS, " in accreditation")
    lines = dict(node.key_lines)
    assessment = _sub(f, "assessment")
    if assessment is not None:
        assessment.check_unknown(ASSESSMENT_KEYS, " in accreditation.assessment")
        lines.update({f"assessment.{k}": v for k, v in assessment.node.key_lines.items()})
    return Accreditation(
        framework=_framework(f),
        level=_level(f),
        ects=_ects(f),
        hours=_hours(f),
        entry_requirements=f.strings("entry_requirements"),
        languages=_languages(f),
        components=_components(assessment) if assessment else (),
        pass_mark=_percent(assessment, "pass_mark") if assessment else None,
        grades=_grades(assessment) if assessment else (),
        trainer_qualifications=f.strings("trainer_qualifications"),
        reading=_references(f, "reading"),
        resources=_references(f, "resources"),
        quality_assurance=f.text("quality_assurance"),
        evaluation=f.text("evaluation"),
        approved=_date(f, "approved"),
        approved_by=f.text("approved_by"),
        location=Location(module.path, module.line("accreditation")),
        key_lines=lines,
    )


def outcome_domain(item: Fields) -> OutcomeDomain | None:
    """An outcome's ``domain:`` (knowledge, skills or competence)."""
    return _choice(item, "domain", OutcomeDomain, "the outcome's domain")


def outcome_bloom(item: Fields) -> Bloom | None:
    """An outcome's ``bloom:`` level (remember … create)."""
    return _choice(item, "bloom", Bloom, "the Bloom level")


_E = TypeVar("_E", OutcomeDomain, Bloom, Framework, ComponentTest)


def _choice(f: Fields, key: str, kind: type[_E], what: str) -> _E | None:
    value = f.text(key)
    if not value:
        return None
    known = {member.value.lower(): member for member in kind}
    if value.lower() in known:
        return known[value.lower()]
    f.error(key, f"{what} {value!r} is not one of {', '.join(m.value for m in kind)}",
            f"write e.g. '{key}: {next(iter(kind)).value}'")
    return None


def _sub(f: Fields, key: str) -> Fields | None:
    if key not in f:
        return None
    node = f.values[key]
    if not node.is_map:
        f.error(key, f"{key} must be a mapping of 'key: value' lines",
                f"indent its fields under '{key}:'")
        return None
    return Fields(node, f.path, f.diagnostics)


def _framework(f: Fields) -> Framework | None:
    return _choice(f, "framework", Framework, "the qualifications framework")


def _level(f: Fields) -> int | None:
    if "level" not in f:
        return None
    level = f.integer("level", 0, example=5)
    if level and not 1 <= level <= 8:
        f.error("level", f"level {level} is outside the framework's levels 1–8",
                "MQF and EQF levels run from 1 to 8, e.g. 'level: 5'")
        return None
    if "framework" not in f:
        f.error("level", "the level does not say of which framework",
                "add 'framework: MQF' (or EQF) next to 'level:'")
    return level or None


def _number(f: Fields, key: str, example: str) -> float | None:
    if key not in f:
        return None
    value = f.values[key].value
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(
            value) or value <= 0:
        f.error(key, f"{key} must be a positive number, not {f.values[key].text!r}",
                f"write e.g. '{key}: {example}'")
        return None
    return float(value)


def _ects(f: Fields) -> float | None:
    return _number(f, "ects", "1.5")


def _hours(f: Fields) -> LearningHours | None:
    h = _sub(f, "hours")
    if h is None:
        return None
    h.check_unknown(HOURS_KEYS, " in accreditation.hours")
    if not any(key in h for key in HOURS_KEYS[:4]):
        f.error("hours", "hours lists none of contact, online, self_study, assessment",
                "write e.g. 'contact: 8h', 'online: 6h', 'self_study: 10h', 'assessment: 1h'")
    return LearningHours(
        contact=h.duration("contact") or 0,
        online=h.duration("online") or 0,
        self_study=h.duration("self_study") or 0,
        assessment=h.duration("assessment") or 0,
        total=h.duration("total"),
        location=Location(f.path, f.line("hours")),
    )


def _languages(f: Fields) -> tuple[str, ...]:
    out: list[str] = []
    for tag in f.strings("languages"):
        if tag.lower() == "sr":
            f.error("languages", "the language 'sr' does not say which script",
                    "write sr-Latn (Latin script) or sr-Cyrl (Cyrillic script)")
        elif not _LANGUAGE.match(tag):
            f.error("languages", f"the language {tag!r} is not a BCP 47 tag",
                    "write e.g. en, sr-Latn, sr-Cyrl, mk")
        else:
            out.append(tag)
    return tuple(out)


def _percent(f: Fields, key: str, item: str = "") -> int | None:
    if key not in f:
        return None
    value = f.integer(key, -1, example=60)
    if value == -1:
        return None
    if not 0 <= value <= 100:
        f.error(key, f"{key}{item} {value} is outside 0–100", f"{key} is a percent, e.g. 60")
        return None
    return value


def _components(a: Fields) -> tuple[AssessmentComponent, ...]:
    out: list[AssessmentComponent] = []
    for item in a.maps("components"):
        item.check_unknown(("title", "weight", "test", "description"),
                           " in an assessment component")
        item.require("title", "weight")
        out.append(AssessmentComponent(
            title=item.text("title"),
            weight=_percent(item, "weight") or 0,
            test=_choice(item, "test", ComponentTest, "the test"),
            description=item.text("description"),
            location=Location(a.path, item.line()),
        ))
    return tuple(out)


def _grades(a: Fields) -> tuple[GradeBand, ...]:
    out: list[GradeBand] = []
    for item in a.maps("grades"):
        item.check_unknown(("grade", "from", "passed"), " in a grade band")
        item.require("grade", "from")
        out.append(GradeBand(
            grade=item.text("grade"),
            minimum=_percent(item, "from") or 0,
            passed=item.boolean("passed", True),
            location=Location(a.path, item.line()),
        ))
    return tuple(out)


def _references(f: Fields, key: str) -> tuple[Reference, ...]:
    out: list[Reference] = []
    for item in f.maps(key):
        item.check_unknown(("citation", "url", "note", "required"), f" in {key}")
        item.require("citation")
        url = item.text("url")
        if url and not _URL.match(url):
            item.error("url", f"the url {url!r} is not a web address",
                       "write the full address, e.g. https://www.unhcr.org/…")
            url = ""
        out.append(Reference(
            citation=item.text("citation"),
            url=url,
            note=item.text("note"),
            required=item.boolean("required", False),
            location=Location(f.path, item.line()),
        ))
    return tuple(out)


def _date(f: Fields, key: str) -> str:
    if key not in f:
        return ""
    value = f.values[key].value
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.isoformat()
    text = f.text(key)
    try:
        return datetime.date.fromisoformat(text).isoformat()
    except ValueError:
        f.error(key, f"{key} {text!r} is not a date", f"write it as YYYY-MM-DD, e.g. '{key}: "
                "2026-09-15'")
        return ""
