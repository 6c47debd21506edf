"""The analysts' view ``mirco_statements_flat``: one row per statement, plain columns.

The SQL differs by dialect (SQLite ``json_extract`` and string functions, PostgreSQL
``jsonb`` operators and ``interval``) and is written by :func:`flat_view_sql` alone. The
view is built in three layers so that each expression is written once:

1. ``x``: fields read from the statement JSON (and the stored activity definition);
2. ``y``: ``x`` plus the date and time parts of ``result.duration``;
3. the view: derived columns, and the learner registry as a fallback for the learner's
   name, institution, country and unit.

Voided statements and voiding statements are left out. ``time`` and ``stored`` are
ISO 8601 UTC texts (``2024-03-01T08:00:00.000Z``) on both databases, so they compare and
sort as strings. Column meanings are documented in ``docs/analytics.md``.
"""

from __future__ import annotations

from mirco_lms.reports import profile as p

VIEW = "mirco_statements_flat"

COLUMNS = (
    "statement_id", "time", "stored", "actor_id", "actor_name", "verb_id", "verb",
    "object_id", "object_type", "course_id", "module_version", "lesson_id", "question_id",
    "assessment", "attempt", "language", "registration", "score_scaled", "score_raw",
    "score_min", "score_max", "success", "completion", "duration_seconds", "response",
    "institution", "country", "unit",
)
"""The view's columns, in order."""

_DATE_UNITS = (("Y", 31_557_600), ("M", 2_592_000), ("W", 604_800), ("D", 86_400))
"""Seconds per unit in the date part (a year of 365.25 days, a month of 30 days —
the values PostgreSQL uses for ``EXTRACT(EPOCH FROM interval)``)."""
_TIME_UNITS = (("H", 3_600), ("M", 60), ("S", 1))


class _Sqlite:
    """Expressions of the SQLite flavour (JSON1 functions; no regular expressions)."""

    @staticmethod
    def text(*path: str) -> str:
        return f"json_extract(s.\"full\", '{_sqlite_path(path)}')"

    number = text

    @staticmethod
    def integer(*path: str) -> str:
        value = _Sqlite.text(*path)
        return f"CASE WHEN json_type(s.\"full\", '{_sqlite_path(path)}') = 'integer' " \
               f"THEN {value} END"

    boolean = text

    @staticmethod
    def definition_type() -> str:
        return "json_extract(a.definition, '$.type')"

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
        return "CASE WHEN y.dur LIKE 'P%' THEN " + " + ".join(terms) + " END"


class _Postgres:
    """Expressions of the PostgreSQL flavour (``jsonb`` operators, ``interval``)."""

    @staticmethod
    def text(*path: str) -> str:
        return f"(s.j #>> {_pg_path(path)})"

    @staticmethod
    def number(*path: str) -> str:
        return (f"CASE WHEN jsonb_typeof(s.j #> {_pg_path(path)}) = 'number' "
                f"THEN CAST(s.j #>> {_pg_path(path)} AS double precision) END")

    @staticmethod
    def integer(*path: str) -> str:
        value = f"s.j #>> {_pg_path(path)}"
        return (f"CASE WHEN jsonb_typeof(s.j #> {_pg_path(path)}) = 'number' "
                f"AND ({value}) ~ '^-?[0-9]+$' THEN CAST({value} AS integer) END")

    @staticmethod
    def boolean(*path: str) -> str:
        return (f"CASE WHEN jsonb_typeof(s.j #> {_pg_path(path)}) = 'boolean' "
                f"THEN CAST(s.j #>> {_pg_path(path)} AS boolean) END")

    @staticmethod
    def definition_type() -> str:
        return "(CAST(a.definition AS jsonb) ->> 'type')"

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
        pattern = r"^P(\d+(\.\d+)?[YMWD])*(T(\d+(\.\d+)?[HMS])+)?$"
        return (f"CASE WHEN y.dur ~ '{pattern}' AND y.dur <> 'P' "
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
    }
    return ",\n    ".join(f"{expr} AS {name}" for name, expr in fields.items())


def flat_view_sql(dialect: str) -> str:
    """``CREATE VIEW mirco_statements_flat`` for ``sqlite`` or ``postgresql``."""
    d: type[_Sqlite] | type[_Postgres] = _Sqlite if dialect == "sqlite" else _Postgres
    source = (
        "(SELECT st.*, CAST(st.\"full\" AS jsonb) AS j FROM statements st) s"
        if d is _Postgres else "statements s"
    )
    kinds = f"'{p.LESSON}', '{p.ASSESSMENT}'"
    return f"""CREATE VIEW {VIEW} AS
SELECT
    y.statement_id, y.time, y.stored, y.actor_id,
    COALESCE(y.actor_name_sent, l.name) AS actor_name,
    y.verb_id, {d.last_segment('y.verb_id')} AS verb,
    y.object_id, y.object_type,
    COALESCE(y.grouping_id, CASE WHEN y.object_type = '{p.COURSE}' THEN y.object_id END)
        AS course_id,
    y.module_version,
    CASE WHEN y.object_type IN ({kinds}) THEN y.object_id
         WHEN y.object_type = '{p.INTERACTION}' THEN y.parent_id END AS lesson_id,
    CASE WHEN y.object_type = '{p.INTERACTION}' THEN y.object_id END AS question_id,
    y.assessment, y.attempt, y.language, y.registration,
    y.score_scaled, y.score_raw, y.score_min, y.score_max, y.success, y.completion,
    {d.duration_seconds()} AS duration_seconds,
    y.response,
    COALESCE(y.institution_sent, l.institution) AS institution,
    COALESCE(y.country_sent, l.country) AS country,
    COALESCE(y.unit_sent, l.unit) AS unit
FROM (
  SELECT x.*, {d.duration_parts()}
  FROM (
    SELECT
    {_extract(d)}
    FROM {source}
    LEFT JOIN activities a ON a.id = s.object_activity_id
    WHERE NOT s.voided AND NOT s.is_voiding
  ) x
) y
LEFT JOIN learners l ON l.actor_ifi = y.actor_id"""


def drop_view_sql() -> str:
    return f"DROP VIEW IF EXISTS {VIEW}"
