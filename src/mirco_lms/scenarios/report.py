"""``mirco report scenarios``: how learners played each branching scenario.

A play is one ``answered`` statement about a scenario (sent when the learner reaches an
ending; its activity definition carries the ``scenario`` extension, see
``docs/xapi-profile.md``), the path in ``result.response`` as node ids joined by ``[,]``.
Per scenario (and per language, delivery or session with ``--by``): plays, learners,
how often each ending was reached and each choice taken, the share that reached an
ending the author marked best; and every distinct path with its count.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from mirco_lms.reports import labels
from mirco_lms.reports.data import Row, definitions, name_of
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


def scenario_info(definition: dict[str, Any]) -> dict[str, list[str]] | None:
    """``{"endings": […], "best": […]}`` of a scenario's definition, else None."""
    found = (definition.get("extensions") or {}).get(p.EXT_SCENARIO)
    if not isinstance(found, dict):
        return None
    return {key: [str(x) for x in found.get(key) or []] for key in ("endings", "best")}


def path_of(row: Row) -> list[str]:
    return [part for part in (row.response or "").split(p.RESPONSE_SEPARATOR) if part]


def _group(row: Row, by: str | None) -> str:
    return (getattr(row, GROUP_FIELDS[by]) or "(unknown)") if by in GROUP_FIELDS else "all"


def tables(rows: Sequence[Row], by: str | None, definition_of: Definition,
           language: str | None) -> tuple[Table, Table]:
    plays: dict[tuple[str, str, str], list[Row]] = defaultdict(list)
    for row in rows:
        if row.verb_id == p.ANSWERED and row.question_id:
            plays[(str(row.course_id), row.question_id, _group(row, by))].append(row)
    main: list[dict[str, Any]] = []
    paths: list[dict[str, Any]] = []
    for key in sorted(plays):
        course, scenario, group = key
        lang = group if by == "language" else language
        definition = definition_of(scenario, lang)
        info = scenario_info(definition)
        if info is None:
            continue  # a question, not a scenario
        found = plays[key]
        steps = labels.component_labels(definition, "choices", lang)
        start = next(iter(steps), "")
        ends = Counter(path_of(r)[-1] for r in found if path_of(r))
        chosen = Counter(edge for r in found for edge in _edges(start, path_of(r)))
        best = [r for r in found if path_of(r) and path_of(r)[-1] in info["best"]]
        head = {"course": p.short_id(course), "scenario": p.short_id(scenario),
                **({"group": group} if by else {})}
        main.append({**head, "scenario_id": scenario,
                     "title": name_of(definition, lang) or p.short_id(scenario),
                     "plays": len(found),
                     "learners": len({r.actor_id for r in found}),
                     "best": len(best) / len(found) if info["best"] else None,
                     "endings": [_option(e, ends[e], e in info["best"], steps)
                                 for e in info["endings"]],
                     "choices": [_choice(e, c, steps) for e, c in chosen.most_common()]})
        for path, count in Counter(tuple(path_of(r)) for r in found).most_common():
            paths.append({**head, "path": " → ".join(steps.get(n, n) for n in path),
                          "response": p.RESPONSE_SEPARATOR.join(path), "plays": count,
                          "share": count / len(found)})
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


def _build(ctx: ReportContext) -> Parts:
    ids = {r.question_id for r in ctx.rows if r.question_id}
    general = definitions(ctx.source, ids)
    languages = {r.language for r in ctx.rows if r.language}
    by_language = {lang: ctx.source.sent_definitions(ids, lang) for lang in languages}

    def definition_of(activity: str, language: str | None) -> dict[str, Any]:
        """As sent in ``language`` (else in English), else the stored definition."""
        sent = by_language.get(language or "en", {}).get(activity)
        return sent or general.get(activity, {})

    language = ctx.spec.language
    if language:  # the exact tag the learners used (sr → sr-Latn)
        language = next((lang for lang in sorted(languages)
                         if lang.lower().startswith(language.lower())), language)
    main, paths = tables(ctx.rows, ctx.spec.by, definition_of, language)
    return Parts((main, paths), charts(main), NOTES)


SCENARIOS = ReportKind(
    "scenarios", "Branching scenarios",
    "plays, endings reached, choices and paths taken, per scenario", _build,
    by=tuple(GROUP_FIELDS), verbs=(p.ANSWERED,))
"""The report kind, registered in :mod:`mirco_lms.reports.builtin`."""
