"""A small, hand-checkable dataset: 8 learners (+1 registered who never started), 2 courses,
2 languages, 2 institutions in 2 countries. Statements follow docs/xapi-profile.md.

Who did what (scores in percent; C1 final test: 3 one-point questions q1 q2 q3,
correct answers a, b, a; passing score 70):

who  inst/cty  lang  course  first pre-test  final test(s), answers q1 q2 q3   completed
L1   MUP/RS    en    C1      33.33 (*)       abc 66.67 failed; aba 100 passed  +24 h
L2   MUP/RS    en    C1      66.67           aca 66.67 failed                  +2 h
L3   MUP/RS    sr    C1      33.33           aba 100 passed                    +4 h
L4   MSB/BA    sr    C1      0               bab 0 failed (+)                  no
L5   MSB/BA    en    C1      —               abb 66.67 failed                  +6 h
L6   MSB/BA    sr    C2      50              80 passed                         +3 h
L7   MUP/RS    en    C2      20              — (at smuggling-vs-trafficking)   no
L8   MSB/BA**  en    C2      60              90 passed                         +48 h
L9   MUP/RS    —     —       registered only, no statements

(*) a second pre-test (66.67) is ignored: the first counts.
(+) a later 'passed' statement of L4 is voided and must not count.
(**) L8's statements carry no institution/country: they come from the learner registry.
Sessions ('terminated' durations, minutes): L1 60+30, L2 45, L3 90, L4 20, L5 60, L6 120,
L7 15, L8 75. C1 enrolments start in March 2024, C2 ones in April 2024.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from mirco_lms.lrs.resources import statement_writes as writes
from mirco_lms.lrs.store import SqlStore
from mirco_lms.lrs.store.registry import Learner as Registered
from mirco_lms.lrs.store.registry import upsert_learners
from mirco_lms.xapi import profile as p

BASE = "https://example.org/mirco"
HOME = "https://lms.example.org"
C1 = "migration-human-rights"
C2 = "smuggling-of-migrants"
SUBMITTER = writes.Submitter(
    authority={"objectType": "Agent", "account": {"homePage": "http://lrs.test", "name": "t"}},
)
CHOICES = {"a": ("Option A", "Opcija A"), "b": ("Option B", "Opcija B"),
           "c": ("Option C", "Opcija C")}
CORRECT = {"q1": "a", "q2": "b", "q3": "a"}


@dataclass(frozen=True)
class Person:
    key: str
    name: str
    institution: str
    country: str
    language: str
    sends_org: bool = True


PEOPLE = {
    "L1": Person("L1", "Ana Anić", "MUP", "RS", "en"),
    "L2": Person("L2", "Bojan Babić", "MUP", "RS", "en"),
    "L3": Person("L3", "Cvijeta Cvetić", "MUP", "RS", "sr-Latn"),
    "L4": Person("L4", "Dario Dedić", "MSB", "BA", "sr-Latn"),
    "L5": Person("L5", "Edin Efendić", "MSB", "BA", "en"),
    "L6": Person("L6", "Fatima Fazlić", "MSB", "BA", "sr-Latn"),
    "L7": Person("L7", "Goran Gavrić", "MUP", "RS", "en"),
    "L8": Person("L8", "Hana Hasić", "MSB", "BA", "en", sends_org=False),
    "L9": Person("L9", "Ivan Ilić", "MUP", "RS", "en"),
}


def ifi(key: str) -> str:
    return f"account:{HOME}|{key.lower()}"


class Script:
    """Builds one enrolment's statements in time order."""

    def __init__(self, person: Person, course: str, start: datetime) -> None:
        self.person, self.course, self.start = person, course, start
        self.ids = p.ActivityIds(BASE, course)
        self.registration = str(uuid.uuid4())
        self.out: list[dict[str, Any]] = []

    def emit(self, hours: float, verb: str, obj: str, kind: str, *,
             result: dict[str, Any] | None = None, parent: str | None = None,
             assessment: str | None = None, attempt: int | None = None,
             definition: dict[str, Any] | None = None) -> dict[str, Any]:
        extensions: dict[str, Any] = {p.EXT_MODULE_VERSION: "1.0.0"}
        if self.person.sends_org:
            extensions[p.EXT_INSTITUTION] = self.person.institution
            extensions[p.EXT_COUNTRY] = self.person.country
        if assessment:
            extensions[p.EXT_ASSESSMENT] = assessment
        if attempt:
            extensions[p.EXT_ATTEMPT] = attempt
        activities: dict[str, Any] = {"grouping": [{"id": self.ids.module}],
                                      "category": [{"id": p.CATEGORY}]}
        if parent:
            activities["parent"] = [{"id": parent}]
        stmt: dict[str, Any] = {
            "id": str(uuid.uuid4()),
            "actor": {"objectType": "Agent", "name": self.person.name,
                      "account": {"homePage": HOME, "name": self.person.key.lower()}},
            "verb": {"id": verb, "display": {"en-US": p.short_id(verb)}},
            "object": {"objectType": "Activity", "id": obj,
                       "definition": {"type": kind, **(definition or {})}},
            "context": {"registration": self.registration, "language": self.person.language,
                        "contextActivities": activities, "extensions": extensions},
            "timestamp": (self.start + timedelta(hours=hours)).isoformat(),
        }
        if result:
            stmt["result"] = result
        self.out.append(stmt)
        return stmt

    def module(self, hours: float, verb: str, **result: Any) -> dict[str, Any]:
        return self.emit(hours, verb, self.ids.module, p.COURSE, result=result or None)

    def lesson(self, hours: float, lesson: str) -> None:
        self.emit(hours, p.EXPERIENCED, self.ids.page(lesson), p.LESSON, parent=self.ids.module,
                  result={"duration": "PT10M"})

    def pretest(self, hours: float, scaled: float, attempt: int = 1) -> None:
        self.emit(hours, p.COMPLETED, self.ids.page("pretest"), p.ASSESSMENT,
                  parent=self.ids.module, assessment=p.PRETEST, attempt=attempt,
                  result={"score": {"scaled": scaled}, "completion": True})

    def answers(self, hours: float, page: str, assessment: str, attempt: int,
                answers: str) -> None:
        """The ``answered`` statements of ``answers`` (a letter per question q1, q2…)."""
        test = self.ids.page(page)
        for index, answer in enumerate(answers, start=1):
            question = f"q{index}"
            right = answer == CORRECT[question]
            self.emit(hours, p.ANSWERED, self.ids.question(page, question),
                      p.INTERACTION, parent=test, assessment=assessment, attempt=attempt,
                      definition=_question_definition(question, self.person.language),
                      result={"response": answer, "success": right,
                              "score": {"raw": 1 if right else 0, "min": 0, "max": 1}})

    def final(self, hours: float, scaled: float, attempt: int = 1,
              answers: str = "", raw: int | None = None) -> None:
        test = self.ids.page("final-test")
        self.answers(hours, "final-test", p.FINAL, attempt, answers)
        verb = p.PASSED if scaled >= 0.7 else p.FAILED
        score: dict[str, Any] = {"scaled": scaled}
        if raw is not None:
            score.update(raw=raw, min=0, max=3)
        result = {"score": score, "success": verb == p.PASSED, "completion": True}
        self.emit(hours, verb, test, p.ASSESSMENT, parent=self.ids.module, assessment=p.FINAL,
                  attempt=attempt, result=result)
        self.module(hours, verb, **result)

    def session_end(self, hours: float, duration: str) -> None:
        self.module(hours, p.TERMINATED, duration=duration)


def _question_definition(question: str, language: str) -> dict[str, Any]:
    index = 0 if language == "en" else 1
    return {
        "interactionType": "choice",
        "description": {language: f"{question} ({language})"},
        "correctResponsesPattern": [CORRECT[question]],
        "choices": [{"id": key, "description": {language: texts[index]}}
                    for key, texts in CHOICES.items()],
    }


def _c1(person: Person, day: int, pre: list[float], finals: list[tuple[str, int]],
        done: float | None, sessions: list[tuple[float, str]]) -> list[dict[str, Any]]:
    s = Script(person, C1, datetime(2024, 3, day, 8, tzinfo=UTC))
    s.module(0, p.INITIALIZED)
    for attempt, scaled in enumerate(pre, start=1):
        s.pretest(0.1 * attempt, scaled, attempt)
    s.lesson(0.5, "foundations")
    for attempt, (answers, raw) in enumerate(finals, start=1):
        s.final(1 + attempt * 0.2 if done is None else min(done - 0.5, 1 + attempt), raw / 3,
                attempt, answers, raw)
    if done is not None:
        s.module(done, p.COMPLETED, completion=True)
    for hours, duration in sessions:
        s.session_end(hours, duration)
    return s.out


def _c2(person: Person, day: int, pre: float, final: float | None, done: float | None,
        sessions: list[tuple[float, str]]) -> list[dict[str, Any]]:
    s = Script(person, C2, datetime(2024, 4, day, 8, tzinfo=UTC))
    s.module(0, p.INITIALIZED)
    s.pretest(0.1, pre)
    s.lesson(0.5, "legal-framework")
    s.lesson(0.7, "smuggling-vs-trafficking")
    if final is not None:
        s.final(1, final)
    if done is not None:
        s.module(done, p.COMPLETED, completion=True)
    for hours, duration in sessions:
        s.session_end(hours, duration)
    return s.out


def statements() -> tuple[list[dict[str, Any]], str]:
    """Every statement, and the id of L4's 'passed' statement that is then voided."""
    P = PEOPLE
    out: list[dict[str, Any]] = []
    out += _c1(P["L1"], 1, [1 / 3, 2 / 3], [("abc", 2), ("aba", 3)], 24,
               [(1.8, "PT1H"), (24.1, "PT30M")])
    out += _c1(P["L2"], 2, [2 / 3], [("aca", 2)], 2, [(2.1, "PT45M")])
    out += _c1(P["L3"], 3, [1 / 3], [("aba", 3)], 4, [(4.1, "PT1H30M")])
    out += _c1(P["L4"], 4, [0.0], [("bab", 0)], None, [(1.5, "PT20M")])
    out += _c1(P["L5"], 5, [], [("abb", 2)], 6, [(6.1, "PT1H")])
    out += _c2(P["L6"], 1, 0.5, 0.8, 3, [(3.1, "PT2H")])
    out += _c2(P["L7"], 2, 0.2, None, None, [(0.9, "PT15M")])
    out += _c2(P["L8"], 3, 0.6, 0.9, 48, [(48.1, "PT1H15M")])
    late = Script(P["L4"], C1, datetime(2024, 3, 20, 8, tzinfo=UTC))
    wrong = late.module(0, p.PASSED, success=True, score={"scaled": 1.0})
    out.append(wrong)
    return out, wrong["id"]


def registry() -> list[Registered]:
    return [
        Registered(ifi(key), key.lower(), None, person.name, person.institution,
                   person.country, "Border police" if person.institution == "MUP" else None)
        for key, person in PEOPLE.items() if key not in ("L6",)
    ]


def load(store: SqlStore) -> None:
    """Store the statements (then void L4's wrong 'passed') and the registry."""
    stmts, wrong = statements()
    writes.save_statements(store, writes.Batch(stmts), SUBMITTER, "1.0.3")
    void = {
        "actor": {"objectType": "Agent", "account": {"homePage": HOME, "name": "admin"}},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/voided"},
        "object": {"objectType": "StatementRef", "id": wrong},
    }
    writes.save_statements(store, writes.Batch([void]), SUBMITTER, "1.0.3")
    upsert_learners(store, registry())
