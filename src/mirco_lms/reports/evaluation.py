"""The ``evaluation`` report: what learners thought of a course (its evaluation survey).

Ratings (``likert`` interactions, answers ``1`` strongly disagree … ``5`` strongly agree)
per item and overall: n, mean, the share who agree (4 or 5) and the distribution, per
course and, with ``--by``, per language or delivery mode. Then every comment (the survey's
free-text answers), by course and question — never with a learner's name, date or any
other detail that could tell who wrote it, anonymous survey or not.

Everything is counted by the database: the ratings as counts per (course, group, item,
answer), the comments as a plain listing; no statement is held in memory.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import func, select

from mirco_lms.lrs.store.reads import flat
from mirco_lms.reports.data import definitions, filters, name_of
from mirco_lms.reports.kind import Parts, ReportContext
from mirco_lms.reports.model import Chart, Column, Table
from mirco_lms.xapi import profile as p

POINTS = ("1", "2", "3", "4", "5")
"""The answers of a rating, lowest first."""
GROUPS = ("language", "delivery")
"""What ``--by`` groups by: a column of the flat view."""
OVERALL = "(overall)"
"""The item of a course's overall satisfaction row: every rating of the course."""
NOTES = (
    "Only the answers to a module's evaluation survey are counted (the 'answered' "
    "statements whose assessment extension is 'evaluation').",
    "Ratings: 1 strongly disagree … 5 strongly agree; mean over the answers; agree = the "
    "share of answers of 4 or 5; distribution = how many answered 1, 2, 3, 4, 5.",
    f"{OVERALL}: every rating of the course's survey taken together.",
    "Each answer is one statement: a learner who sent the survey twice counts twice (an "
    "anonymous survey cannot tell them apart).",
    "Comments are listed without the learner, the date or anything else about who wrote "
    "them, whether or not the survey was anonymous.",
)


def build(ctx: ReportContext) -> Parts:
    """The ratings table (main), the comments table and a chart of each item's mean."""
    by = ctx.spec.by
    items = _items(ctx)
    found = definitions(ctx.source, items)
    texts = {q: name_of(d, ctx.spec.language, "description") or name_of(d, ctx.spec.language)
             for q, d in found.items()}
    kinds = {q: str(d.get("interactionType") or "") for q, d in found.items()}
    ratings = [q for q in items if kinds.get(q) == "likert"]
    comments = [q for q in items if kinds.get(q) in ("long-fill-in", "fill-in")]
    table = ratings_table(_counts(ctx, ratings, by), texts, by)
    listing = comments_table(_comments(ctx, comments, by), texts, by)
    return Parts((table, listing), charts(table), NOTES)


def _where(ctx: ReportContext) -> list[Any]:
    return [*filters(ctx.spec, ctx.course), flat.c.verb_id == p.ANSWERED,
            flat.c.assessment == p.EVALUATION, flat.c.question_id.is_not(None)]


def _items(ctx: ReportContext) -> list[str]:
    query = select(flat.c.question_id).where(*_where(ctx)).distinct()
    return sorted(str(r["question_id"]) for r in ctx.source.select_views(query))


def _counts(ctx: ReportContext, questions: list[str], by: str | None) -> list[dict[str, Any]]:
    """(course, group, question, response) → count, counted by the database."""
    if not questions:
        return []
    group = getattr(flat.c, by) if by in GROUPS else None
    keys = [flat.c.course_id, flat.c.question_id, flat.c.response]
    if group is not None:
        keys.insert(1, group.label("grp"))
    query = (select(*keys, func.count(flat.c.statement_id).label("n")).where(
        *_where(ctx), flat.c.question_id.in_(questions), flat.c.response.in_(POINTS))
        .group_by(*keys))
    return ctx.source.select_views(query)


def _comments(ctx: ReportContext, questions: list[str], by: str | None) -> list[dict[str, Any]]:
    if not questions:
        return []
    columns = [flat.c.course_id, flat.c.question_id, flat.c.response]
    if by in GROUPS:
        columns.insert(1, getattr(flat.c, by).label("grp"))
    query = (select(*columns).where(*_where(ctx), flat.c.question_id.in_(questions),
                                    func.length(func.trim(flat.c.response)) > 0)
             .order_by(flat.c.course_id, flat.c.question_id, flat.c.response))
    return ctx.source.select_views(query)


def _summary(counts: Mapping[str, int]) -> dict[str, Any]:
    n = sum(counts.values())
    total = sum(int(point) * c for point, c in counts.items())
    agree = counts.get("4", 0) + counts.get("5", 0)
    return {"n": n, "mean": total / n if n else None, "agree": agree / n if n else None,
            "distribution": [counts.get(point, 0) for point in POINTS]}


def ratings_table(found: Iterable[Mapping[str, Any]], texts: Mapping[str, str],
                  by: str | None) -> Table:
    """One row per course, group and item, after the course's overall row."""
    cells: dict[tuple[str, str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in found:
        group = str(r.get("grp") or "(unknown)") if by in GROUPS else ""
        course, count = str(r["course_id"]), int(r["n"])
        cells[(course, group, str(r["question_id"]))][str(r["response"])] += count
        cells[(course, group, OVERALL)][str(r["response"])] += count
    rows = []
    for course, group, question in sorted(cells, key=lambda k: (k[0], k[1], k[2] != OVERALL,
                                                                 k[2])):
        rows.append({
            "course": p.short_id(course), "course_id": course,
            **({"group": group} if by in GROUPS else {}),
            "item": question if question == OVERALL else p.short_id(question),
            "text": texts.get(question, ""), **_summary(cells[(course, group, question)]),
        })
    columns = [Column("course", "course")]
    if by in GROUPS:
        columns.append(Column("group", str(by)))
    columns += [Column("item", "item"), Column("text", "statement"), Column("n", "n", "int"),
                Column("mean", "mean (1–5)", "number"), Column("agree", "agree (4–5)", "rate"),
                Column("distribution", "distribution 1…5", "counts")]
    return Table("Course evaluation: satisfaction" + (f" by {by}" if by else ""),
                 tuple(columns), tuple(rows), name="ratings")


def comments_table(found: Iterable[Mapping[str, Any]], texts: Mapping[str, str],
                   by: str | None) -> Table:
    rows = []
    for r in found:
        question = str(r["question_id"])
        rows.append({
            "course": p.short_id(str(r["course_id"])),
            **({"group": str(r.get("grp") or "(unknown)")} if by in GROUPS else {}),
            "item": p.short_id(question), "question": texts.get(question, ""),
            "comment": str(r["response"]).strip(),
        })
    columns = [Column("course", "course")]
    if by in GROUPS:
        columns.append(Column("group", str(by)))
    columns += [Column("item", "item"), Column("question", "question"),
                Column("comment", "comment")]
    return Table("Course evaluation: comments", tuple(columns), tuple(rows), name="comments")


def charts(ratings: Table) -> tuple[Chart, ...]:
    shown = [r for r in ratings.rows if r["mean"] is not None]
    labels = tuple(" ".join(str(x) for x in (r["course"], r.get("group", ""), r["item"]) if x)
                   for r in shown)
    return (Chart("bars", "Mean rating per item (1–5)", labels,
                  tuple(r["mean"] for r in shown), "", note="5: strongly agree"),)

