"""``mirco report scenarios``: how learners played each branching scenario.

A play is one ``answered`` statement about a scenario (sent when the learner reaches an
ending; its activity definition carries the ``scenario`` extension, see
``docs/xapi-profile.md``), the path in ``result.response`` as node ids joined by ``[,]``.
Per scenario (and per language, delivery or session with ``--by``): plays, learners,
how often each ending was reached and each choice taken, the share that reached an
ending the author marked best; and every distinct path with its count.

The database counts: plays per (course, question, group, language, path), each with its
first statement (for the order of equal counts, as the plays were met), and the distinct
learners per scenario; no statement is held in memory.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import case, func, select

from mirco_lms.lrs.store.reads import flat
from mirco_lms.reports import labels
from mirco_lms.reports.data import definitions, filters, name_of
from mirco_lms.reports.kind import Parts, ReportContext, ReportKind
from mirco_lms.reports.model import Chart, Column, Table
from mirco_lms.xapi import profile as p

GROUP_FIELDS = {"language": "language", "delivery": "delivery", "session": "session_id"}
NOTES = (
    "A play is one 'answered' statement about a scenario: the learner reached an ending. "
    "Plays stopped half-way are not sent (the path is kept in the package's suspend data).",
    "Endings: how often each ending was reached (✓ marks an ending the author marked "
    "best). Choices: how often each choice was made, as 'from node → to node'.",
    "Best: the share of plays that reached a best ending (empty when the scenario marks "
    "none). Scenarios are never scored: they count toward no test result.",
)
Definition = Callable[[str, str | None], dict[str, Any]]
Key = tuple[str, str, str]
"""(course, scenario, group)."""
Paths = dict[Key, dict[str, list[Any]]]
"""Per key: each response (a path) → [plays, its first statement's sort key]."""


def scenario_info(definition: dict[str, Any]) -> dict[str, list[str]] | None:
    """``{"endings": […], "best": […]}`` of a scenario's definition, else None."""
    found = (definition.get("extensions") or {}).get(p.EXT_SCENARIO)
    if not isinstance(found, dict):
        return None
    return {key: [str(x) for x in found.get(key) or []] for key in ("endings", "best")}


def path_of(response: str) -> list[str]:
    return [part for part in response.split(p.RESPONSE_SEPARATOR) if part]


def tables(plays: Paths, learners: Mapping[Key, int], by: str | None,
           definition_of: Definition, language: str | None) -> tuple[Table, Table]:
    """The scenarios and paths tables from the plays counted per path (``plays``) and
    the learners per scenario; the questions among ``plays`` are left out."""
    main: list[dict[str, Any]] = []
    paths: list[dict[str, Any]] = []
    for key in sorted(plays):
        course, scenario, group = key
        lang = group if by == "language" else language
        definition = definition_of(scenario, lang)
        info = scenario_info(definition)
        if info is None:
            continue  # a question, not a scenario
        steps = labels.component_labels(definition, "choices", lang)
        start = next(iter(steps), "")
        counted = sorted(plays[key].items(), key=lambda kv: kv[1][1])  # as first met
        total = sum(n for _, (n, _) in counted)
        ends: Counter[str] = Counter()
        chosen: Counter[tuple[str, str]] = Counter()
        taken: Counter[tuple[str, ...]] = Counter()
        best = 0
        for response, (n, _) in counted:
            path = path_of(response)
            taken[tuple(path)] += n
            for edge in _edges(start, path):
                chosen[edge] += n
            if path:
                ends[path[-1]] += n
                best += n if path[-1] in info["best"] else 0
        head = {"course": p.short_id(course), "scenario": p.short_id(scenario),
                **({"group": group} if by else {})}
        main.append({**head, "scenario_id": scenario,
                     "title": name_of(definition, lang) or p.short_id(scenario),
                     "plays": total, "learners": learners.get(key, 0),
                     "best": best / total if info["best"] else None,
                     "endings": [_option(e, ends[e], e in info["best"], steps)
                                 for e in info["endings"]],
                     "choices": [_choice(e, c, steps) for e, c in chosen.most_common()]})
        for nodes, count in taken.most_common():
            paths.append({**head, "path": " → ".join(steps.get(n, n) for n in nodes),
                          "response": p.RESPONSE_SEPARATOR.join(nodes), "plays": count,
                          "share": count / total})
    grouped = (Column("group", by),) if by else ()
    columns = (Column("course", "course"), Column("scenario", "scenario"), *grouped,
               Column("title", "title"), Column("plays", "plays", "int"),
               Column("learners", "learners", "int"), Column("best", "best ending", "rate"),
               Column("endings", "endings reached", "options"),
               Column("choices", "choices taken", "options"))
    path_columns = (Column("course", "course"), Column("scenario", "scenario"), *grouped,
                    Column("path", "path"), Column("response", "node ids"),
                    Column("plays", "plays", "int"),
                    Column("share", "share", "rate"))
    suffix = f" by {by}" if by else ""
    return (Table("Branching scenarios" + suffix, columns, tuple(main), "scenarios"),
            Table("Paths taken" + suffix, path_columns, tuple(paths), "paths"))


def _option(node: str, count: int, best: bool, steps: dict[str, str]) -> dict[str, Any]:
    label = steps.get(node, "")
    return {"id": node, "label": label if label != node else "", "count": count,
            "correct": best}


def _edges(start: str, path: list[str]) -> list[tuple[str, str]]:
    """The choices of a path: (from node, to node), the first from the start node."""
    return list(zip([start, *path[:-1]], path, strict=True))


def _choice(edge: tuple[str, str], count: int, steps: dict[str, str]) -> dict[str, Any]:
    source, target = edge
    return {"id": f"{source}>{target}",
            "label": f"{steps.get(source, source)} → {steps.get(target, target)}",
            "count": count, "correct": False}


def charts(main: Table) -> tuple[Chart, ...]:
    rated = [r for r in main.rows if r["best"] is not None]
    if not rated:
        return ()
    names = tuple(r["scenario"] + (f" {r['group']}" if r.get("group") else "") for r in rated)
    return (Chart("bars", "Plays reaching a best ending", names,
                  tuple(r["best"] * 100 for r in rated), "%"),)


def _where(ctx: ReportContext) -> list[Any]:
    return [*filters(ctx.spec, ctx.course), flat.c.verb_id == p.ANSWERED,
            flat.c.question_id.is_not(None)]


def _group_key(by: str | None) -> list[Any]:
    return [flat.c[GROUP_FIELDS[by]].label("grp")] if by in GROUP_FIELDS else []


def _group(value: Any, by: str | None) -> str:
    return (value or "(unknown)") if by in GROUP_FIELDS else "all"


def _plays(ctx: ReportContext) -> tuple[Paths, set[str]]:
    """Every answered question's plays counted per path by the database, and the
    languages they were answered in."""
    by = ctx.spec.by
    keys = [flat.c.course_id, flat.c.question_id, flat.c.language, flat.c.response,
            *_group_key(by)]
    first = func.min(flat.c.time.concat(flat.c.stored).concat(flat.c.statement_id))
    query = (select(*keys, func.count(flat.c.statement_id).label("n"), first.label("first"))
             .where(*_where(ctx)).group_by(*keys))
    plays: Paths = {}
    languages: set[str] = set()
    for r in ctx.source.select_views(query):
        key = (str(r["course_id"]), str(r["question_id"]), _group(r.get("grp"), by))
        held = plays.setdefault(key, {}).setdefault(r["response"] or "", [0, r["first"]])
        held[0] += int(r["n"])
        held[1] = min(held[1], r["first"])
        if r["language"]:
            languages.add(str(r["language"]))
    return plays, languages


def _learners(ctx: ReportContext, scenarios: list[str]) -> dict[Key, int]:
    """Distinct learners per (course, scenario, group), counted by the database (the
    statements without a learner count as one, as a set of learners holds one None)."""
    if not scenarios:
        return {}
    by = ctx.spec.by
    keys = [flat.c.course_id, flat.c.question_id, *_group_key(by)]
    query = (select(*keys, func.count(func.distinct(flat.c.actor_id)).label("n"),
                    func.max(case((flat.c.actor_id.is_(None), 1), else_=0)).label("none"))
             .where(*_where(ctx), flat.c.question_id.in_(scenarios)).group_by(*keys))
    return {(str(r["course_id"]), str(r["question_id"]), _group(r.get("grp"), by)):
            int(r["n"]) + int(r["none"]) for r in ctx.source.select_views(query)}


def _build(ctx: ReportContext) -> Parts:
    plays, languages = _plays(ctx)
    ids = {question for _, question, _ in plays}
    general = definitions(ctx.source, ids)
    by_language = {lang: ctx.source.sent_definitions(ids, lang) for lang in languages}

    def definition_of(activity: str, language: str | None) -> dict[str, Any]:
        """As sent in ``language`` (else in English), else the stored definition."""
        sent = by_language.get(language or "en", {}).get(activity)
        return sent or general.get(activity, {})

    language = ctx.spec.language
    if language:  # the exact tag the learners used (sr → sr-Latn)
        language = next((lang for lang in sorted(languages)
                         if lang.lower().startswith(language.lower())), language)
    tried = {None, language, *languages}
    scenarios = sorted(q for q in ids if any(
        scenario_info(definition_of(q, lang)) is not None for lang in tried))
    main, paths = tables(plays, _learners(ctx, scenarios), ctx.spec.by, definition_of,
                         language)
    return Parts((main, paths), charts(main), NOTES)


SCENARIOS = ReportKind(
    "scenarios", "Branching scenarios",
    "plays, endings reached, choices and paths taken, per scenario", _build,
    by=tuple(GROUP_FIELDS), verbs=(p.ANSWERED,))
"""The report kind, registered in :mod:`mirco_lms.reports.builtin`."""
