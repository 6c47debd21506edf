"""The analysts' views: ``mirco_statements_flat`` (one row per statement, plain columns)
and ``mirco_statement_outcomes`` (one row per statement and learning outcome it carries).

The SQL differs by dialect (SQLite ``json_extract`` and string functions, PostgreSQL
``jsonb`` operators and ``interval``) and is written here alone. Since migration 6 the
fields the reports need are read from the statement JSON once, when it is stored
(:func:`report_values`), and since migration 8 the duration in seconds and the verb's
last segment too; the flat view
is one SELECT over those columns: derived ids, the stored activity definition's type, the
learner's institution, country and unit (the statement's learner extensions, else the
learner registry — never the provider's), and the provider's (profile v2: its own
extensions; v1: the old ``institution`` and ``country`` extensions, which v1 packages
filled with ``[project]``).

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

import json
import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from mirco_lms.errors import XapiValidationError
from mirco_lms.lrs.validation.common import parse_timestamp
from mirco_lms.xapi import profile as p

VIEW = "mirco_statements_flat"
OUTCOMES_VIEW = "mirco_statement_outcomes"

COLUMNS = (
    "statement_id", "time", "stored", "actor_id", "actor_name", "verb_id", "verb",
    "object_id", "object_type", "course_id", "module_version", "lesson_id", "question_id",
    "assessment", "attempt", "language", "registration", "score_scaled", "score_raw",
    "score_min", "score_max", "success", "completion", "duration_seconds", "response",
    "institution", "country", "unit", "provider_institution", "provider_country",
    "delivery", "session_id", "outcomes",
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
    """Expressions of the SQLite flavour (JSON1 functions; no regular expressions) over
    the statement JSON ``doc`` (an SQL expression)."""

    def __init__(self, doc: str = 's."full"') -> None:
        self.doc = doc

    def text(self, *path: str) -> str:
        return f"json_extract({self.doc}, '{_sqlite_path(path)}')"

    def _typed(self, path: tuple[str, ...], types: str, condition: str = "") -> str:
        value = self.text(*path)
        extra = f" AND {condition.format(v=value)}" if condition else ""
        return (f"CASE WHEN json_type({self.doc}, '{_sqlite_path(path)}') IN ({types}){extra} "
                f"THEN {value} END")

    def number(self, *path: str) -> str:
        # the collector accepts only numbers here (and text never lies between numbers):
        # no json_type, one JSON parse fewer per column and row
        value = self.text(*path)
        return f"CASE WHEN {value} BETWEEN -{MAX_SCORE} AND {MAX_SCORE} THEN {value} END"

    def integer(self, *path: str) -> str:
        return self._typed(path, "'integer'", f"{{v}} BETWEEN 0 AND {MAX_ATTEMPT}")

    def boolean(self, *path: str) -> str:
        return self.text(*path)

    def json(self, *path: str) -> str:
        """The JSON text of the value at ``path`` (strings quoted), or NULL."""
        return f"({self.doc} -> '{_sqlite_path(path)}')"

    @staticmethod
    def definition_type() -> str:
        return "json_extract(a.definition, '$.type')"

    def has_category(self, category: str) -> str:
        # the category list's JSON text holds the id as a string (a statement that puts
        # it elsewhere in the list only mislabels itself)
        listed = self.text("context", "contextActivities", "category")
        return f"COALESCE(instr({listed}, '\"{category}\"') > 0, 0)"

    @staticmethod
    def last_segment(column: str) -> str:
        return f"replace({column}, rtrim({column}, replace({column}, '/', '')), '')"

    @staticmethod
    def duration_parts() -> str:
        """The date and time parts of ``x.dur``, as ``dur_date`` and ``dur_time``."""
        date = ("CASE WHEN instr(x.dur, 'T') > 0 THEN substr(x.dur, 2, instr(x.dur, 'T') - 2) "
                "ELSE substr(x.dur, 2) END")
        time = "CASE WHEN instr(x.dur, 'T') > 0 THEN substr(x.dur, instr(x.dur, 'T') + 1) END"
        return f"x.dur, {date} AS dur_date, {time} AS dur_time"

    @staticmethod
    def duration_seconds() -> str:
        """``y.dur`` in seconds (before the range check), from :meth:`duration_parts`."""
        terms = [f"{_number_before('y.dur_date', unit)} * {secs}" for unit, secs in _DATE_UNITS]
        time = "COALESCE(y.dur_time, '')"
        terms += [f"{_number_before(time, unit)} * {secs}" for unit, secs in _TIME_UNITS]
        return (f"CASE WHEN y.dur LIKE 'P%' AND length(y.dur) <= {MAX_DURATION_TEXT} THEN "
                + " + ".join(terms) + " END")


class _Postgres:
    """Expressions of the PostgreSQL flavour (``jsonb`` operators, ``interval``) over the
    statement JSON ``doc`` (an SQL expression of type ``jsonb``)."""

    def __init__(self, doc: str = "s.j") -> None:
        self.doc = doc

    def text(self, *path: str) -> str:
        return f"({self.doc} #>> {_pg_path(path)})"

    def number(self, *path: str) -> str:
        j = self.doc
        value = f"CAST({j} #> {_pg_path(path)} AS numeric)"
        return (f"CASE WHEN jsonb_typeof({j} #> {_pg_path(path)}) <> 'number' THEN NULL "
                f"WHEN abs({value}) > {MAX_SCORE} THEN NULL "
                f"WHEN abs({value}) < 1e-300 THEN 0 "
                f"ELSE CAST({value} AS double precision) END")

    def integer(self, *path: str) -> str:
        value = f"{self.doc} #>> {_pg_path(path)}"
        digits = len(str(MAX_ATTEMPT))
        return (f"CASE WHEN jsonb_typeof({self.doc} #> {_pg_path(path)}) = 'number' "
                f"AND ({value}) ~ '^[0-9]{{1,{digits}}}$' "
                f"THEN CASE WHEN CAST({value} AS integer) <= {MAX_ATTEMPT} "
                f"THEN CAST({value} AS integer) END END")

    def boolean(self, *path: str) -> str:
        return (f"CASE WHEN jsonb_typeof({self.doc} #> {_pg_path(path)}) = 'boolean' "
                f"THEN CAST({self.doc} #>> {_pg_path(path)} AS boolean) END")

    def json(self, *path: str) -> str:
        """The ``jsonb`` value at ``path``, or NULL."""
        return f"({self.doc} #> {_pg_path(path)})"

    @staticmethod
    def definition_type() -> str:
        return "(CAST(a.definition AS jsonb) ->> 'type')"

    def has_category(self, category: str) -> str:
        wanted = '[{"id": "' + category + '"}]'
        return (f"COALESCE({self.doc} #> '{{context,contextActivities,category}}' "
                f"@> CAST('{wanted}' AS jsonb), false)")

    @staticmethod
    def last_segment(column: str) -> str:
        return f"substring({column} from '[^/]*$')"

    @staticmethod
    def duration_parts() -> str:
        return "x.dur"

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


Flavour = _Sqlite | _Postgres


_NUMBER = r"(\d+(?:[.,]\d+)?)"
_ISO_DURATION = re.compile(
    rf"P(?:{_NUMBER}W|(?:{_NUMBER}Y)?(?:{_NUMBER}M)?(?:{_NUMBER}D)?"
    rf"(?:T(?:{_NUMBER}H)?(?:{_NUMBER}M)?(?:{_NUMBER}S)?)?)", re.ASCII)
_DURATION_UNITS = (604_800, *(secs for unit, secs in _DATE_UNITS if unit != "W"),
                   *(secs for _unit, secs in _TIME_UNITS))
"""Seconds per unit of :data:`_ISO_DURATION`'s groups: weeks, then years, months, days,
hours, minutes, seconds."""


def seconds_of(duration: str | None) -> float | None:
    """The view's ``duration_seconds`` of an ISO 8601 duration, for every form the
    validator accepts — a fraction in any unit, after a point or a comma (``PT1,5M``: the
    databases' parsers read the digits after the comma, or nothing) — with the units of
    :data:`_DATE_UNITS`, summed exactly and rounded once (PostgreSQL's
    ``EXTRACT(EPOCH FROM interval)``); None when it is not one, or outside
    0…:data:`MAX_DURATION`. The writer binds it (since schema 9)."""
    if duration is None or duration == "P" or duration.endswith("T"):
        return None
    found = _ISO_DURATION.fullmatch(duration)
    if found is None:
        return None
    total = sum((Decimal(part.replace(",", ".")) * secs
                 for part, secs in zip(found.groups(), _DURATION_UNITS, strict=True)
                 if part is not None), Decimal(0))
    return float(total) if total <= MAX_DURATION else None


def duration_seconds(d: Flavour, duration: str) -> str:
    """The view's ``duration_seconds`` of the ISO 8601 duration text ``duration`` (an SQL
    expression): its seconds, or NULL outside 0…:data:`MAX_DURATION`. A scalar subquery
    in three layers (the text, its parts, its seconds) so that each is computed once."""
    seconds = (f"(SELECT {d.duration_seconds()} AS dur_s FROM (SELECT {d.duration_parts()} "
               f"FROM (SELECT {duration} AS dur) x) y)")
    return (f"(SELECT CASE WHEN z.dur_s >= 0 AND z.dur_s <= {MAX_DURATION} THEN z.dur_s END "
            f"FROM {seconds} z)")


def flavour(dialect: str, doc: str | None = None) -> Flavour:
    """The expressions of ``dialect`` over the statement JSON ``doc``."""
    if dialect == "sqlite":
        return _Sqlite() if doc is None else _Sqlite(doc)
    return _Postgres() if doc is None else _Postgres(doc)


def report_values(dialect: str, doc: str) -> dict[str, str]:
    """The report columns of ``statements`` (:data:`REPORT_COLUMNS`), each as the SQL
    expression that reads it from the statement JSON ``doc``: the writer fills them when
    it stores a statement (migration 6 did for the statements stored before), so that
    the views read plain columns instead of parsing each statement's JSON."""
    d = flavour(dialect, doc)
    ext = ("context", "extensions")
    return {
        "actor_name": d.text("actor", "name"),
        "object_type": d.text("object", "definition", "type"),
        "grouping_id": d.text("context", "contextActivities", "grouping", "0", "id"),
        "parent_id": d.text("context", "contextActivities", "parent", "0", "id"),
        "module_version": d.text(*ext, p.EXT_MODULE_VERSION),
        "assessment": d.text(*ext, p.EXT_ASSESSMENT),
        "attempt": d.integer(*ext, p.EXT_ATTEMPT),
        "language": d.text("context", "language"),
        "score_scaled": d.number("result", "score", "scaled"),
        "score_raw": d.number("result", "score", "raw"),
        "score_min": d.number("result", "score", "min"),
        "score_max": d.number("result", "score", "max"),
        "success": d.boolean("result", "success"),
        "completion": d.boolean("result", "completion"),
        "duration": d.text("result", "duration"),
        "response": d.text("result", "response"),
        "institution": d.text(*ext, p.EXT_INSTITUTION),
        "country": f"upper({d.text(*ext, p.EXT_COUNTRY)})",
        "unit": d.text(*ext, p.EXT_UNIT),
        "provider_institution": d.text(*ext, p.EXT_PROVIDER_INSTITUTION),
        "provider_country": f"upper({d.text(*ext, p.EXT_PROVIDER_COUNTRY)})",
        "profile_v1": d.has_category(p.CATEGORY_V1),
        "delivery": d.text(*ext, p.EXT_DELIVERY),
        "session_id": d.text(*ext, p.EXT_SESSION),
        "outcomes": d.json(*ext, p.EXT_OUTCOMES),
        "duration_seconds": duration_seconds(d, d.text("result", "duration")),
        "verb": d.last_segment(d.text("verb", "id")),
    }


REPORT_COLUMNS = tuple(report_values("sqlite", "j"))
"""The columns of ``statements`` read from its JSON when it is stored, in order: values
as the statement carries them (the flat view merges the learner registry in, and checks
ranges where it did before); ``outcomes``: the ``outcomes`` extension's JSON;
``duration_seconds`` and ``verb`` (since migration 8): the view's, ``duration`` in
seconds and the verb IRI's last segment."""


TIME_COLUMNS = ("time_utc", "stored_utc")
"""The columns of ``statements`` holding its ``timestamp`` and ``stored`` as the views
show them (UTC, milliseconds: ``2024-03-01T08:00:00.000Z``), converted when it is stored
(:func:`utc_text`)."""


_PLAIN_UTC = re.compile(
    r"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(?:Z|\+00:00|\+00)?", re.ASCII)
"""The extended form in UTC (or without a zone), as most statements and every ``stored``
carry it: converted by slicing (the statement was validated, so the date is one)."""


def utc_text(timestamp: str | None) -> str | None:
    """A statement's ``timestamp`` or ``stored`` as :data:`TIME_COLUMNS` hold it: UTC,
    milliseconds (truncated, so that it compares with a period's bounds as the instant
    does), fixed width. Parsed by the validator's own grammar — every form it accepts
    (basic ``20151118T121700Z``, hour only ``2015-11-18T12``, a comma before the
    fraction…), which the databases' date functions do not all read; None when there
    is none (or it is not a timestamp)."""
    if timestamp is None:
        return None
    plain = _PLAIN_UTC.fullmatch(timestamp)
    if plain is not None:
        return f"{plain[1]}.{((plain[2] or '') + '000')[:3]}Z"
    try:
        return moment_text(parse_timestamp(timestamp))
    except XapiValidationError:
        return None


def moment_text(moment: datetime) -> str:
    """An instant as :data:`TIME_COLUMNS` hold it (a report's period bounds too)."""
    moment = moment.astimezone(UTC)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}Z"


def flat_view_sql(dialect: str) -> str:
    """``CREATE VIEW mirco_statements_flat`` for ``sqlite`` or ``postgresql``: one flat
    SELECT over the statements' columns (a report that reads a few columns computes only
    those), the activity definition's type and the learner registry.

    SQLite reads the definition and the registry each by a subquery, only for a
    statement that does not carry the value itself (almost every statement carries its
    object's type; most carry the learner's name and country). Joined, they were read
    for every statement, and a query grouping or sorting the view's rows carried the
    definition's JSON through its sort with each row, to compute the type again after
    it: a fifth of a grouped read's time at 1,000,000 statements. PostgreSQL joins them:
    it hashes the two small tables once per query, which costs less than its subqueries
    (a grouped read took a quarter to a half more time with them)."""
    d = flavour(dialect)
    kinds = f"'{p.LESSON}', '{p.ASSESSMENT}'"
    if dialect == "sqlite":
        kind = (f"COALESCE(s.object_type, (SELECT {d.definition_type()} FROM activities a "
                "WHERE a.id = s.object_activity_id))")
        registry = "(SELECT l.{0} FROM learners l WHERE l.actor_ifi = s.actor_ifi)"
        joins = ""
    else:
        kind = f"COALESCE(s.object_type, {d.definition_type()})"
        registry = "l.{0}"
        joins = ("\nLEFT JOIN activities a ON a.id = s.object_activity_id"
                 "\nLEFT JOIN learners l ON l.actor_ifi = s.actor_ifi")
    # profile v1 put [project]'s institution and country in the learner's extensions
    learner_sent = "CASE WHEN s.profile_v1 THEN NULL ELSE s.{0} END"
    provider_sent = "CASE WHEN s.profile_v1 THEN s.{0} ELSE s.provider_{0} END"
    # the extension's JSON text on both databases (PostgreSQL stores jsonb)
    outcomes = "s.outcomes" if dialect == "sqlite" else "CAST(s.outcomes AS text)"
    return f"""CREATE VIEW {VIEW} AS
SELECT
    s.id AS statement_id, s.time_utc AS time, s.stored_utc AS stored,
    s.actor_ifi AS actor_id, COALESCE(s.actor_name, {registry.format('name')}) AS actor_name,
    s.verb_id, s.verb,
    s.object_activity_id AS object_id, {kind} AS object_type,
    COALESCE(s.grouping_id, CASE WHEN {kind} = '{p.COURSE}' THEN s.object_activity_id END)
        AS course_id,
    s.module_version,
    CASE WHEN {kind} IN ({kinds}) THEN s.object_activity_id
         WHEN {kind} = '{p.INTERACTION}' THEN s.parent_id END AS lesson_id,
    CASE WHEN {kind} = '{p.INTERACTION}' THEN s.object_activity_id END AS question_id,
    s.assessment, s.attempt, s.language, s.registration,
    s.score_scaled, s.score_raw, s.score_min, s.score_max, s.success, s.completion,
    s.duration_seconds, s.response,
    COALESCE({learner_sent.format('institution')}, {registry.format('institution')}) AS institution,
    COALESCE({learner_sent.format('country')}, {registry.format('country')}) AS country,
    COALESCE(s.unit, {registry.format('unit')}) AS unit,
    {provider_sent.format('institution')} AS provider_institution,
    {provider_sent.format('country')} AS provider_country,
    COALESCE(s.delivery, '{p.ELEARNING}') AS delivery, s.session_id,
    {outcomes} AS outcomes
FROM statements s{joins}
WHERE NOT s.voided AND NOT s.is_voiding"""


def outcomes_view_sql(dialect: str) -> str:
    """``CREATE VIEW mirco_statement_outcomes``: the ``outcomes`` extension's ids, a row
    each (text items only; a single text counts as a list of one; an object none — SQLite's
    ``json_each`` would list its values)."""
    live = "NOT s.voided AND NOT s.is_voiding"
    if dialect == "sqlite":
        return f"""CREATE VIEW {OUTCOMES_VIEW} AS
SELECT s.id AS statement_id, o.value AS outcome
FROM statements s, json_each(s.outcomes) o
WHERE {live} AND o.type = 'text' AND json_type(s.outcomes) <> 'object'"""
    listed = ("CASE jsonb_typeof(s.outcomes) WHEN 'array' THEN s.outcomes "
              "WHEN 'string' THEN jsonb_build_array(s.outcomes) ELSE CAST('[]' AS jsonb) END")
    return f"""CREATE VIEW {OUTCOMES_VIEW} AS
SELECT s.id AS statement_id, o.value #>> '{{}}' AS outcome
FROM statements s CROSS JOIN LATERAL jsonb_array_elements({listed}) o
WHERE {live} AND jsonb_typeof(o.value) = 'string'"""


def outcome_ids(listed: str | None) -> list[str]:
    """The outcome ids of the flat view's ``outcomes`` (JSON text), as the outcomes view
    lists them: the text items of a list, a single text as a list of one."""
    if not listed:
        return []
    try:
        return outcome_ids_in(json.loads(listed))
    except ValueError:
        return []


def outcome_ids_in(value: Any) -> list[str]:
    """:func:`outcome_ids` of the parsed JSON value."""
    if isinstance(value, str):
        return [value]
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def create_views_sql(dialect: str) -> list[str]:
    """The statements that create both views on ``dialect``."""
    return [flat_view_sql(dialect), outcomes_view_sql(dialect)]
