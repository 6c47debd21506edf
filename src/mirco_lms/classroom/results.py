"""``mirco lrs results import``: paper pre-tests and final tests → statements.

Columns: ``learner`` (account or e-mail), ``session``, ``assessment`` (``pretest`` or
``final``), ``attempt`` (optional, default 1), ``date`` (optional: when the test was
written; default the session's first day for the pre-test, its last for the final test),
and either ``score`` (the sheet's total in points, or a percentage such as ``75%``) or
one column per question, headed by the question id of the module's sources, holding the
answer marked on the sheet (:mod:`.scoring`).

Answers become ``answered`` statements on the question activities; each sheet also
gives the assessment's result (pre-test: ``completed``; final test: ``passed`` or
``failed``, and the same on the module), scored as the package scores it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mirco_lms.classroom.project import Lookup, Project
from mirco_lms.classroom.scoring import UnreadableAnswer, interaction, score_answer
from mirco_lms.classroom.statements import RowContext, at
from mirco_lms.classroom.writing import ImportReport, RowStatements, store_rows
from mirco_lms.course.model import Assessment, Module
from mirco_lms.sheets import read_sheet, require_columns, row_error
from mirco_lms.xapi import profile as p

if TYPE_CHECKING:
    from mirco_lms.lrs.store.sql import SqlStore

COLUMNS = ("learner", "session", "assessment", "attempt", "date", "score")
EXAMPLE = "learner,session,assessment,attempt,mhr-f-01,mhr-f-02,…   (or …,score)"


def import_results(store: SqlStore, path: Path, project: Project) -> ImportReport:
    """Check the whole sheet, then store its statements (see :mod:`.writing`)."""
    sheet = read_sheet(path, example=EXAMPLE)
    questions = [h for h in sheet.header if h not in COLUMNS]
    require_columns(sheet, [["learner"], ["session"], ["assessment"],
                            ["score", *questions]], f"the header needs: {EXAMPLE}")
    lookup = Lookup.of(store, path)
    rows: list[RowStatements] = []
    seen: dict[tuple[str, ...], int] = {}
    for line, cells in sheet.rows:
        learner = lookup.learner(line, cells["learner"])
        session = lookup.session(line, cells["session"])
        module = project.module(session.course)
        test = _assessment(path, line, module, cells["assessment"])
        attempt = _attempt(path, line, cells.get("attempt", ""))
        sheet_key = f"{cells['assessment']}/{attempt}"
        key = (learner.actor_ifi, session.id, sheet_key)
        if key in seen:
            raise row_error(path, line, f"this sheet ({sheet_key}) of this learner in "
                            f"{session.id} is already on row {seen[key]}",
                            "keep one row per learner, session, assessment and attempt")
        seen[key] = line
        ctx = RowContext(session, learner, project.ids(session.course), module.version,
                         sheet_key)
        default = session.start if test.kind == p.PRETEST else session.end
        when = at(_date(path, line, cells.get("date", ""), default), 10)
        answers = {q: cells[q] for q in questions if cells[q]}
        statements = _sheet(path, line, ctx, module, test, attempt, when, answers,
                            cells.get("score", ""))
        rows.append(RowStatements(line, ctx.registration, session.id, sheet_key, statements))
    return store_rows(store, path, "results", rows)


def _sheet(path: Path, line: int, ctx: RowContext, module: Module, test: Assessment,
           attempt: int, when: str, answers: dict[str, str], score: str) -> list[dict[str, Any]]:
    if answers and score:
        raise row_error(path, line, "the row gives both answers and a score",
                        "give the answers per question, or the sheet's total score")
    if not answers and not score:
        raise row_error(path, line, "the row gives neither answers nor a score",
                        "fill in the answers per question or the score")
    extensions = {p.EXT_ASSESSMENT: test.kind.value, p.EXT_ATTEMPT: attempt}
    page = ctx.ids.page(test.id)
    out: list[dict[str, Any]] = []
    maximum = test.max_points
    if answers:
        by_id = {q.id: q for q in test.questions}
        total = 0.0
        for qid, written in answers.items():
            question = by_id.get(qid)
            if question is None:
                raise row_error(path, line, f"unknown question id {qid!r} in the {test.kind} "
                                f"of {module.id}", f"its questions: {', '.join(by_id)}")
            try:
                answer = score_answer(question, written)
            except UnreadableAnswer as exc:
                raise row_error(path, line, f"{qid}: {exc.args[0]}", exc.args[1]) from None
            result: dict[str, Any] = {"response": answer.response}
            if answer.success is not None:
                result.update(success=answer.success, score={
                    "raw": answer.raw, "min": 0, "max": answer.points})
                total += answer.raw or 0.0
            more = {**extensions, **({p.EXT_OUTCOMES: list(question.outcomes)}
                                     if question.outcomes else {})}
            out.append(ctx.statement(
                p.ANSWERED, ctx.ids.question(test.id, qid), p.INTERACTION, when,
                result=result, parent=page, extensions=more,
                definition=interaction(question, module.language)))
    else:
        total = _score(path, line, score, maximum)
    scaled = round(total / maximum, 4) if maximum else 0.0
    result = {"score": {"scaled": scaled, "raw": round(scaled * 100, 2), "min": 0, "max": 100},
              "completion": True}
    if test.kind == p.PRETEST:
        out.append(ctx.statement(p.COMPLETED, page, p.ASSESSMENT, when, result=result,
                                 parent=ctx.ids.module, extensions=extensions))
        return out
    passed = scaled * 100 >= module.passing_score
    verb = p.PASSED if passed else p.FAILED
    result = {**result, "success": passed}
    out.append(ctx.statement(verb, page, p.ASSESSMENT, when, result=result,
                             parent=ctx.ids.module, extensions=extensions))
    out.append(ctx.statement(verb, ctx.ids.module, p.COURSE, when, result=result))
    return out


def _assessment(path: Path, line: int, module: Module, kind: str) -> Assessment:
    if kind not in (p.PRETEST, p.FINAL):
        raise row_error(path, line, f"assessment {kind!r} is not pretest or final",
                        "write pretest or final")
    found = module.pretest if kind == p.PRETEST else module.final_test
    if found is None:
        raise row_error(path, line, f"module {module.id!r} has no {kind} test",
                        "check the session's course and the assessment column")
    return found


def _attempt(path: Path, line: int, text: str) -> int:
    if not text:
        return 1
    if not text.isdigit() or not 1 <= int(text) <= 1000:
        raise row_error(path, line, f"attempt {text!r} is not a number from 1 to 1000",
                        "write 1 for the first sheet, 2 for a retake…")
    return int(text)


def _date(path: Path, line: int, text: str, default: date) -> date:
    if not text:
        return default
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise row_error(path, line, f"date {text!r} is not a date",
                        "write YYYY-MM-DD, such as 2024-03-05") from None


def _score(path: Path, line: int, text: str, maximum: float) -> float:
    percent = text.endswith("%")
    try:
        value = float(text.rstrip("%").strip().replace(",", "."))
    except ValueError:
        raise row_error(path, line, f"score {text!r} is not a number",
                        "write the points of the sheet, or a percentage such as 75%") from None
    limit = 100.0 if percent else maximum
    if not 0 <= value <= limit:
        raise row_error(path, line, f"score {text} is out of range (0 to {limit:g}"
                        f"{'%' if percent else ' points'})",
                        "check the sheet's total; a percentage ends with %")
    return value / 100 * maximum if percent else value
