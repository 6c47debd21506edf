"""The analysts' views: ``mirco_statements_flat`` (one row per statement, plain columns)
and ``mirco_statement_outcomes`` (one row per statement and learning outcome it carries).

The SQL differs by dialect (SQLite ``json_extract`` and string functions, PostgreSQL
``jsonb`` operators and ``interval``) and is written here alone. The flat view is built in
four layers so that each expression is written once:

1. ``x``: fields read from the statement JSON (and the stored activity definition);
2. ``y``: ``x`` plus the date and time parts of ``result.duration``;
3. ``z``: ``y`` plus the duration in seconds, before its range check;
4. the view: derived columns, the learner's institution, country and unit (the statement's
   learner extensions, else the learner registry — never the provider's), and the
   provider's (profile v2: its own extensions; v1: the old ``institution`` and
   ``country`` extensions, which v1 packages filled with ``[project]``).

Values outside sane ranges are NULL, never an error, so that one hostile statement cannot
make a SELECT fail: ``attempt`` outside 0…1,000,000, a score beyond ±1e15, a duration
over a year, longer than 64 characters or (PostgreSQL) not in the strict ISO 8601 form.

Voided statements and voiding statements are left out. ``time`` and ``stored`` are
ISO 8601 UTC texts (``2024-03-01T08:00:00.000Z``) on both databases, so they compare and
sort as strings. Column meanings are documented in ``docs/analytics.md``.

The migrations (:mod:`mirco_lms.lrs.store.schema`) carry their own frozen copy of this SQL;
a change here needs a new migration that re-creates the views.
"""

from __future__ import annotations

from mirco_lms.xapi import profile as p

VIEW = "mirco_statements_flat"
OUTCOMES_VIEW = "mirco_statement_outcomes"

COLUMNS = (
    "statement_id", "time", "stored", "actor_id", "actor_name", "verb_id", "verb",
    "object_id", "object_type", "course_id", "module_version", "lesson_id", "question_id",
    "assessment", "attempt", "language", "registration", "score_scaled", "score_raw",
    "score_min", "score_max", "success", "completion", "duration_seconds", "response",
    "institution", "country", "unit", "provider_institution", "provider_country",
    "delivery", "session_id",
)
"""The flat view's columns, in order."""
OUTCOME_COLUMNS = ("statement_id", "outcome")
"""The outcomes view's columns."""

MAX_ATTEMPT = 1_000_000
MAX_SCORE = "1e15"
"""Scores beyond ± this are NULL (an SQL literal)."""
MAX_DURATION = 31_557_600
"""A year of 365.25 days, in seconds: longer durations are NULL."""
MAX_DURATION_TEXT = 64

_DATE_UNITS = (("Y", 31_557_600), ("M", 2_592_000), ("W", 604_800), ("D", 86_400))
"""Seconds per unit in the date part (a year of 365.25 days, a month of 30 days —
the values PostgreSQL uses for ``EXTRACT(EPOCH FROM interval)``)."""
_TIME_UNITS = (("H", 3_600), ("M", 60), ("S", 1))


class _Sqlite:
    """Expressions of the SQLite flavour (JSON1 functions; no regular expressions)."""

    @staticmethod
    def text(*path: str) -> str:
        return f"json_extract(s.\"full\", '{_sqlite_path(path)}')"

    @staticmethod
    def _typed(path: tuple[str, ...], types: str, condition: str = "") -> str:
        value = _Sqlite.text(*path)
        extra = f" AND {condition.format(v=value)}" if condition else ""
        return (f"CASE WHEN json_type(s.\"full\", '{_sqlite_path(path)}') IN ({types}){extra} "
                f"THEN {value} END")

    @staticmethod
    def number(*path: str) -> str:
        # the collector accepts only numbers here (and text never lies between numbers):
        # no json_type, one JSON parse fewer per column and row
        value = _Sqlite.text(*path)
        return f"CASE WHEN {value} BETWEEN -{MAX_SCORE} AND {MAX_SCORE} THEN {value} END"

    @staticmethod
    def integer(*path: str) -> str:
        return _Sqlite._typed(path, "'integer'", f"{{v}} BETWEEN 0 AND {MAX_ATTEMPT}")

    boolean = text

    @staticmethod
    def definition_type() -> str:
        return "json_extract(a.definition, '$.type')"

    @staticmethod
    def has_category(category: str) -> str:
        # the category list's JSON text holds the id as a string (a statement that puts
        # it elsewhere in the list only mislabels itself)
        listed = _Sqlite.text("context", "contextActivities", "category")
        return f"COALESCE(instr({listed}, '\"{category}\"') > 0, 0)"

    @staticmethod
    def utc(column: str) -> str:
        return f"strftime('%Y-%m-%dT%H:%M:%fZ', {column})"

    @staticmethod
    def last_segment(column: str) -> str:
        return f"replace({column}, rtrim({column}, replace({column}, '/', '')), '')"

    @staticmethod
    def duration_parts() -> str:
        date = ("CASE WHEN instr(x.dur, 'T') > 0 THEN substr(x.dur, 2, instr(x.dur, 'T') - 2) "
                "ELSE substr(x.dur, 2) END")
        time = "CASE WHEN instr(x.dur, 'T') > 0 THEN substr(x.dur, instr(x.dur, 'T') + 1) END"
        return f"{date} AS dur_date, {time} AS dur_time"

    @staticmethod
    def duration_seconds() -> str:
        terms = [f"{_number_before('y.dur_date', unit)} * {secs}" for unit, secs in _DATE_UNITS]
        time = "COALESCE(y.dur_time, '')"
        terms += [f"{_number_before(time, unit)} * {secs}" for unit, secs in _TIME_UNITS]
        return (f"CASE WHEN y.dur LIKE 'P%' AND length(y.dur) <= {MAX_DURATION_TEXT} THEN "
                + " + ".join(terms) + " END")


class _Postgres:
    """Expressions of the PostgreSQL flavour (``jsonb`` operators, ``interval``)."""

    @staticmethod
    def text(*path: str) -> str:
        return f"(s.j #>> {_pg_path(path)})"

    @staticmethod
    def number(*path: str) -> str:
        value = f"CAST(s.j #> {_pg_path(path)} AS numeric)"
        return (f"CASE WHEN jsonb_typeof(s.j #> {_pg_path(path)}) <> 'number' THEN NULL "
                f"WHEN abs({value}) > {MAX_SCORE} THEN NULL "
                f"WHEN abs({value}) < 1e-300 THEN 0 "
                f"ELSE CAST({value} AS double precision) END")

    @staticmethod
    def integer(*path: str) -> str:
        value = f"s.j #>> {_pg_path(path)}"
        digits = len(str(MAX_ATTEMPT))
        return (f"CASE WHEN jsonb_typeof(s.j #> {_pg_path(path)}) = 'number' "
                f"AND ({value}) ~ '^[0-9]{{1,{digits}}}$' "
                f"THEN CASE WHEN CAST({value} AS integer) <= {MAX_ATTEMPT} "
                f"THEN CAST({value} AS integer) END END")

    @staticmethod
    def boolean(*path: str) -> str:
        return (f"CASE WHEN jsonb_typeof(s.j #> {_pg_path(path)}) = 'boolean' "
                f"THEN CAST(s.j #>> {_pg_path(path)} AS boolean) END")

    @staticmethod
    def definition_type() -> str:
        return "(CAST(a.definition AS jsonb) ->> 'type')"

    @staticmethod
    def has_category(category: str) -> str:
        wanted = '[{"id": "' + category + '"}]'
        return (f"COALESCE(s.j #> '{{context,contextActivities,category}}' "
                f"@> CAST('{wanted}' AS jsonb), false)")

    @staticmethod
    def utc(column: str) -> str:
        return (f"to_char(CAST({column} AS timestamptz) AT TIME ZONE 'UTC', "
                "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')")

    @staticmethod
    def last_segment(column: str) -> str:
        return f"substring({column} from '[^/]*$')"

    @staticmethod
    def duration_parts() -> str:
        return "NULL AS dur_date, NULL AS dur_time"

    @staticmethod
    def duration_seconds() -> str:
        # each designator once, in order, with at most 8 digits (9 after the point): the
        # largest such interval stays far inside PostgreSQL's range
        n = r"\d{1,8}(\.\d{1,9})?"
        pattern = f"^P({n}Y)?({n}M)?({n}W)?({n}D)?(T({n}H)?({n}M)?({n}S)?)?$"
        return (f"CASE WHEN y.dur ~ '{pattern}' AND y.dur !~ '(^P|T)$' "
                "THEN CAST(EXTRACT(EPOCH FROM CAST(y.dur AS interval)) AS double precision) END")


def _sqlite_path(path: tuple[str, ...]) -> str:
    out = "$"
    for part in path:
        if part.isdigit():
            out += f"[{part}]"
        elif part.replace("_", "").isalnum():
            out += f".{part}"
        else:
            out += f'."{part}"'
    return out


def _pg_path(path: tuple[str, ...]) -> str:
    for part in path:
        if any(c in part for c in ",{}\"' \\"):
            raise ValueError(f"unsupported JSON path element {part!r}")
    return "'{" + ",".join(path) + "}'"


def _number_before(text: str, unit: str) -> str:
    """SQLite: the number written just before designator ``unit`` in ``text`` (else 0)."""
    head = f"substr({text}, 1, instr({text}, '{unit}') - 1)"
    number = f"substr({head}, length(rtrim({head}, '0123456789.')) + 1)"
    return f"(CASE WHEN instr({text}, '{unit}') > 0 THEN CAST({number} AS REAL) ELSE 0 END)"


def _extract(d: type[_Sqlite] | type[_Postgres]) -> str:
    """Layer ``x``: the fields of the statement JSON."""
    ext = ("context", "extensions")
    fields = {
        "statement_id": "s.id",
        "time": d.utc("s.timestamp"),
        "stored": d.utc("s.stored"),
        "actor_id": "s.actor_ifi",
        "actor_name_sent": d.text("actor", "name"),
        "verb_id": "s.verb_id",
        "object_id": "s.object_activity_id",
        "object_type": f"COALESCE({d.text('object', 'definition', 'type')}, {d.definition_type()})",
        "grouping_id": d.text("context", "contextActivities", "grouping", "0", "id"),
        "parent_id": d.text("context", "contextActivities", "parent", "0", "id"),
        "module_version": d.text(*ext, p.EXT_MODULE_VERSION),
        "assessment": d.text(*ext, p.EXT_ASSESSMENT),
        "attempt": d.integer(*ext, p.EXT_ATTEMPT),
        "language": d.text("context", "language"),
        "registration": "s.registration",
        "score_scaled": d.number("result", "score", "scaled"),
        "score_raw": d.number("result", "score", "raw"),
        "score_min": d.number("result", "score", "min"),
        "score_max": d.number("result", "score", "max"),
        "success": d.boolean("result", "success"),
        "completion": d.boolean("result", "completion"),
        "dur": d.text("result", "duration"),
        "response": d.text("result", "response"),
        "institution_sent": d.text(*ext, p.EXT_INSTITUTION),
        "country_sent": f"upper({d.text(*ext, p.EXT_COUNTRY)})",
        "unit_sent": d.text(*ext, p.EXT_UNIT),
        "provider_institution_sent": d.text(*ext, p.EXT_PROVIDER_INSTITUTION),
        "provider_country_sent": f"upper({d.text(*ext, p.EXT_PROVIDER_COUNTRY)})",
        "profile_v1": d.has_category(p.CATEGORY_V1),
        "delivery_sent": d.text(*ext, p.EXT_DELIVERY),
        "session_sent": d.text(*ext, p.EXT_SESSION),
    }
    return ",\n    ".join(f"{expr} AS {name}" for name, expr in fields.items())


def flat_view_sql(dialect: str) -> str:
    """``CREATE VIEW mirco_statements_flat`` for ``sqlite`` or ``postgresql``."""
    d: type[_Sqlite] | type[_Postgres] = _Sqlite if dialect == "sqlite" else _Postgres
    source = (
        "(SELECT st.*, CAST(st.\"full\" AS jsonb) AS j FROM statements st OFFSET 0) s"
        if d is _Postgres else "statements s"
    )
    kinds = f"'{p.LESSON}', '{p.ASSESSMENT}'"
    # both databases would copy a subquery's expressions into each use (the JSON parsed
    # again each time); LIMIT -1 / OFFSET 0 make them compute each row once (PostgreSQL:
    # the jsonb too — ten times faster than version 3's view)
    keep = " LIMIT -1" if d is _Sqlite else " OFFSET 0"
    # profile v1 put [project]'s institution and country in the learner's extensions
    learner_sent = "CASE WHEN z.profile_v1 THEN NULL ELSE z.{0}_sent END"
    provider_sent = "CASE WHEN z.profile_v1 THEN z.{0}_sent ELSE z.provider_{0}_sent END"
    return f"""CREATE VIEW {VIEW} AS
SELECT
    z.statement_id, z.time, z.stored, z.actor_id,
    COALESCE(z.actor_name_sent, l.name) AS actor_name,
    z.verb_id, {d.last_segment('z.verb_id')} AS verb,
    z.object_id, z.object_type,
    COALESCE(z.grouping_id, CASE WHEN z.object_type = '{p.COURSE}' THEN z.object_id END)
        AS course_id,
    z.module_version,
    CASE WHEN z.object_type IN ({kinds}) THEN z.object_id
         WHEN z.object_type = '{p.INTERACTION}' THEN z.parent_id END AS lesson_id,
    CASE WHEN z.object_type = '{p.INTERACTION}' THEN z.object_id END AS question_id,
    z.assessment, z.attempt, z.language, z.registration,
    z.score_scaled, z.score_raw, z.score_min, z.score_max, z.success, z.completion,
    CASE WHEN z.dur_s >= 0 AND z.dur_s <= {MAX_DURATION} THEN z.dur_s END
        AS duration_seconds,
    z.response,
    COALESCE({learner_sent.format('institution')}, l.institution) AS institution,
    COALESCE({learner_sent.format('country')}, l.country) AS country,
    COALESCE(z.unit_sent, l.unit) AS unit,
    {provider_sent.format('institution')} AS provider_institution,
    {provider_sent.format('country')} AS provider_country,
    COALESCE(z.delivery_sent, '{p.ELEARNING}') AS delivery, z.session_sent AS session_id
FROM (
 SELECT y.*, {d.duration_seconds()} AS dur_s
 FROM (
  SELECT x.*, {d.duration_parts()}
  FROM (
    SELECT
    {_extract(d)}
    FROM {source}
    LEFT JOIN activities a ON a.id = s.object_activity_id
    WHERE NOT s.voided AND NOT s.is_voiding
  ) x
 ) y{keep}
) z
LEFT JOIN learners l ON l.actor_ifi = z.actor_id"""


def outcomes_view_sql(dialect: str) -> str:
    """``CREATE VIEW mirco_statement_outcomes``: the ``outcomes`` extension's ids, a row
    each (text items only; a single text counts as a list of one)."""
    path = ("context", "extensions", p.EXT_OUTCOMES)
    live = "NOT s.voided AND NOT s.is_voiding"
    if dialect == "sqlite":
        return f"""CREATE VIEW {OUTCOMES_VIEW} AS
SELECT s.id AS statement_id, o.value AS outcome
FROM statements s, json_each(s."full", '{_sqlite_path(path)}') o
WHERE {live} AND o.type = 'text'"""
    value = f"CAST(st.\"full\" AS jsonb) #> {_pg_path(path)}"
    source = f"SELECT st.id, st.voided, st.is_voiding, {value} AS v FROM statements st OFFSET 0"
    listed = ("CASE jsonb_typeof(s.v) WHEN 'array' THEN s.v "
              "WHEN 'string' THEN jsonb_build_array(s.v) ELSE CAST('[]' AS jsonb) END")
    return f"""CREATE VIEW {OUTCOMES_VIEW} AS
SELECT s.id AS statement_id, o.value #>> '{{}}' AS outcome
FROM ({source}) s CROSS JOIN LATERAL jsonb_array_elements({listed}) o
WHERE {live} AND jsonb_typeof(o.value) = 'string'"""


def create_views_sql(dialect: str) -> list[str]:
    """The statements that create both views on ``dialect``."""
    return [flat_view_sql(dialect), outcomes_view_sql(dialect)]
