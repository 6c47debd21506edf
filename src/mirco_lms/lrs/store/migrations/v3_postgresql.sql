-- Migration 3 (frozen; never edit): the learner registry and mirco_statements_flat
-- as first released.
CREATE TABLE learners (
    actor_ifi TEXT NOT NULL,
    account TEXT,
    email TEXT,
    name TEXT,
    institution TEXT,
    country VARCHAR(2),
    unit TEXT,
    updated VARCHAR(40) NOT NULL,
    PRIMARY KEY (actor_ifi)
)
;
CREATE INDEX ix_learners_institution ON learners (institution)
;
CREATE VIEW mirco_statements_flat AS
SELECT
    y.statement_id, y.time, y.stored, y.actor_id,
    COALESCE(y.actor_name_sent, l.name) AS actor_name,
    y.verb_id, substring(y.verb_id from '[^/]*$') AS verb,
    y.object_id, y.object_type,
    COALESCE(y.grouping_id, CASE WHEN y.object_type = 'http://adlnet.gov/expapi/activities/course' THEN y.object_id END)
        AS course_id,
    y.module_version,
    CASE WHEN y.object_type IN ('http://adlnet.gov/expapi/activities/lesson', 'http://adlnet.gov/expapi/activities/assessment') THEN y.object_id
         WHEN y.object_type = 'http://adlnet.gov/expapi/activities/cmi.interaction' THEN y.parent_id END AS lesson_id,
    CASE WHEN y.object_type = 'http://adlnet.gov/expapi/activities/cmi.interaction' THEN y.object_id END AS question_id,
    y.assessment, y.attempt, y.language, y.registration,
    y.score_scaled, y.score_raw, y.score_min, y.score_max, y.success, y.completion,
    CASE WHEN y.dur ~ '^P(\d+(\.\d+)?[YMWD])*(T(\d+(\.\d+)?[HMS])+)?$' AND y.dur <> 'P' THEN CAST(EXTRACT(EPOCH FROM CAST(y.dur AS interval)) AS double precision) END AS duration_seconds,
    y.response,
    COALESCE(y.institution_sent, l.institution) AS institution,
    COALESCE(y.country_sent, l.country) AS country,
    COALESCE(y.unit_sent, l.unit) AS unit
FROM (
  SELECT x.*, NULL AS dur_date, NULL AS dur_time
  FROM (
    SELECT
    s.id AS statement_id,
    to_char(CAST(s.timestamp AS timestamptz) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS time,
    to_char(CAST(s.stored AS timestamptz) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS stored,
    s.actor_ifi AS actor_id,
    (s.j #>> '{actor,name}') AS actor_name_sent,
    s.verb_id AS verb_id,
    s.object_activity_id AS object_id,
    COALESCE((s.j #>> '{object,definition,type}'), (CAST(a.definition AS jsonb) ->> 'type')) AS object_type,
    (s.j #>> '{context,contextActivities,grouping,0,id}') AS grouping_id,
    (s.j #>> '{context,contextActivities,parent,0,id}') AS parent_id,
    (s.j #>> '{context,extensions,https://w3id.org/xapi/mirco/extensions/module-version}') AS module_version,
    (s.j #>> '{context,extensions,https://w3id.org/xapi/mirco/extensions/assessment}') AS assessment,
    CASE WHEN jsonb_typeof(s.j #> '{context,extensions,https://w3id.org/xapi/mirco/extensions/attempt}') = 'number' AND (s.j #>> '{context,extensions,https://w3id.org/xapi/mirco/extensions/attempt}') ~ '^-?[0-9]+$' THEN CAST(s.j #>> '{context,extensions,https://w3id.org/xapi/mirco/extensions/attempt}' AS integer) END AS attempt,
    (s.j #>> '{context,language}') AS language,
    s.registration AS registration,
    CASE WHEN jsonb_typeof(s.j #> '{result,score,scaled}') = 'number' THEN CAST(s.j #>> '{result,score,scaled}' AS double precision) END AS score_scaled,
    CASE WHEN jsonb_typeof(s.j #> '{result,score,raw}') = 'number' THEN CAST(s.j #>> '{result,score,raw}' AS double precision) END AS score_raw,
    CASE WHEN jsonb_typeof(s.j #> '{result,score,min}') = 'number' THEN CAST(s.j #>> '{result,score,min}' AS double precision) END AS score_min,
    CASE WHEN jsonb_typeof(s.j #> '{result,score,max}') = 'number' THEN CAST(s.j #>> '{result,score,max}' AS double precision) END AS score_max,
    CASE WHEN jsonb_typeof(s.j #> '{result,success}') = 'boolean' THEN CAST(s.j #>> '{result,success}' AS boolean) END AS success,
    CASE WHEN jsonb_typeof(s.j #> '{result,completion}') = 'boolean' THEN CAST(s.j #>> '{result,completion}' AS boolean) END AS completion,
    (s.j #>> '{result,duration}') AS dur,
    (s.j #>> '{result,response}') AS response,
    (s.j #>> '{context,extensions,https://w3id.org/xapi/mirco/extensions/institution}') AS institution_sent,
    upper((s.j #>> '{context,extensions,https://w3id.org/xapi/mirco/extensions/country}')) AS country_sent,
    (s.j #>> '{context,extensions,https://w3id.org/xapi/mirco/extensions/unit}') AS unit_sent
    FROM (SELECT st.*, CAST(st."full" AS jsonb) AS j FROM statements st) s
    LEFT JOIN activities a ON a.id = s.object_activity_id
    WHERE NOT s.voided AND NOT s.is_voiding
  ) x
) y
LEFT JOIN learners l ON l.actor_ifi = y.actor_id
;
