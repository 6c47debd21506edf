"""Checks of a module's accreditation fields against each other and against the module.

The loader (:mod:`mirco_lms.course.accreditation_fields`) reports values that cannot be
read; these checks report readable values that disagree: learning hours that do not add
up or do not match the credits, weights that do not make 100, a grading scheme whose
bands do not meet the pass mark, a component that names a test the module lacks.
"""

from __future__ import annotations

from mirco_lms.course.accreditation import Accreditation, AccreditationRules, ComponentTest
from mirco_lms.course.model import Module
from mirco_lms.errors import Diagnostic


def check_accreditation(module: Module, rules: AccreditationRules) -> list[Diagnostic]:
    """Every disagreement in ``module.accreditation`` (nothing when it has none)."""
    acc = module.accreditation
    if acc is None:
        return []
    return [*_hours(acc, rules), *_components(acc, module), *_grading(acc, module)]


def hours_text(minutes: int) -> str:
    """``25h``, ``7h 30m``, ``45m``: how durations are written in the sources."""
    hours, rest = divmod(minutes, 60)
    return f"{hours}h {rest}m" if hours and rest else (f"{hours}h" if hours else f"{rest}m")


def _hours(acc: Accreditation, rules: AccreditationRules) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    hours = acc.hours
    if hours is not None and hours.total is not None and hours.total != hours.parts_minutes:
        out.append(Diagnostic(
            f"the learning hours add up to {hours_text(hours.parts_minutes)} (contact "
            f"{hours_text(hours.contact)}, online {hours_text(hours.online)}, self-study "
            f"{hours_text(hours.self_study)}, assessment {hours_text(hours.assessment)}) but "
            f"total is {hours_text(hours.total)}",
            hours.location,
            "correct the parts or 'total' (or leave 'total' out: it is their sum)",
        ))
    if acc.ects is not None and hours is None:
        out.append(Diagnostic(
            "ects is given without the learning hours behind it", acc.where("ects"),
            "add 'hours:' with contact, online, self_study and assessment",
        ))
    elif acc.ects is not None and hours is not None:
        low, high = rules.hours_per_ects
        per_credit = hours.total_minutes / 60 / acc.ects
        if not low <= per_credit <= high:
            out.append(Diagnostic(
                f"{acc.ects:g} ECTS stand for {low * acc.ects:g}–{high * acc.ects:g} hours of "
                f"learning, but the hours add up to {hours_text(hours.total_minutes)} "
                f"({per_credit:.1f} h per credit)",
                acc.where("ects"),
                f"1 ECTS is {low}–{high} hours ([accreditation].hours_per_ects in "
                "mirco.toml): correct 'ects' or the hours",
            ))
    return out


def _components(acc: Accreditation, module: Module) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    if not acc.components:
        return out
    total = sum(c.weight for c in acc.components)
    if total != 100:
        weights = ", ".join(f"{c.title} {c.weight}" for c in acc.components)
        out.append(Diagnostic(
            f"the assessment components' weights add up to {total}, not 100 ({weights})",
            acc.where("assessment.components"),
            "make the weights (percent of the final mark) add up to 100",
        ))
    tests = {ComponentTest.PRETEST: module.pretest, ComponentTest.FINAL: module.final_test}
    for component in acc.components:
        if component.test is not None and tests[component.test] is None:
            out.append(Diagnostic(
                f"the component {component.title!r} is the {component.test.value} test, but "
                "the module has none",
                component.location,
                "add the test to the module, or remove 'test:' from the component",
            ))
        if component.test is ComponentTest.PRETEST and component.weight:
            out.append(Diagnostic(
                f"the component {component.title!r} gives the pre-test a weight of "
                f"{component.weight}, but the pre-test never counts toward the result",
                component.location,
                "give the pre-test weight 0, or leave it out of the components",
            ))
    if module.final_test is not None and not any(
            c.test is ComponentTest.FINAL for c in acc.components):
        out.append(Diagnostic(
            "no assessment component is the final test",
            acc.where("assessment.components"),
            "add 'test: final' to the component that stands for the final test",
            "warning",
        ))
    return out


def _grading(acc: Accreditation, module: Module) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    bands = acc.grades
    seen: dict[int, str] = {}
    for band in bands:
        if band.minimum in seen:
            out.append(Diagnostic(
                f"the grades {seen[band.minimum]!r} and {band.grade!r} both start at "
                f"{band.minimum} %",
                band.location, "give every grade band its own lower limit ('from:')",
            ))
        seen.setdefault(band.minimum, band.grade)
        if acc.pass_mark is not None and band.passed != (band.minimum >= acc.pass_mark):
            state = "passing" if band.passed else "failing"
            out.append(Diagnostic(
                f"the grade {band.grade!r} from {band.minimum} % is {state}, but the pass "
                f"mark is {acc.pass_mark} %",
                band.location,
                "bands from the pass mark up pass; mark those below it 'passed: false'",
            ))
    if bands and min(b.minimum for b in bands) != 0:
        out.append(Diagnostic(
            f"no grade band starts at 0 % (the lowest starts at "
            f"{min(b.minimum for b in bands)} %)",
            acc.where("assessment.grades"),
            "add the lowest band, e.g. '- {grade: Fail, from: 0, passed: false}'",
        ))
    if acc.pass_mark is not None and bands and acc.pass_mark not in seen:
        out.append(Diagnostic(
            f"no grade band starts at the pass mark of {acc.pass_mark} %",
            acc.where("assessment.pass_mark"),
            "let the lowest passing band start at the pass mark ('from: "
            f"{acc.pass_mark}')",
        ))
    only_final = [c for c in acc.components if c.weight] and all(
        c.test is ComponentTest.FINAL for c in acc.components if c.weight)
    if only_final and acc.pass_mark is not None and acc.pass_mark != module.passing_score:
        out.append(Diagnostic(
            f"the final test is the whole mark, but the pass mark ({acc.pass_mark} %) is not "
            f"the module's passing_score ({module.passing_score} %)",
            acc.where("assessment.pass_mark"),
            "make the two agree, so the package and the programme document pass the same "
            "learners",
        ))
    return out
