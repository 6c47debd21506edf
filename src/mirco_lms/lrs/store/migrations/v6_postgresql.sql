-- Migration 6 (frozen; never edit): the report columns, read from each statement's
-- JSON when it is stored instead of at every read of the views (filled here for the
-- statements stored before), and its times as the views show them; the views read
-- them. The JSON is packed from now on, in bytea (the rows stored before keep their
-- UTF-8 JSON; changing the type rewrites the table once, leaving no dead rows of the
-- update). Statistics refreshed sooner after bulk loads.
DROP VIEW IF EXISTS mirco_statement_outcomes
;
DROP VIEW IF EXISTS mirco_statements_flat
;
ALTER TABLE statements
    ADD COLUMN actor_name TEXT,
    ADD COLUMN object_type TEXT,
    ADD COLUMN grouping_id TEXT,
    ADD COLUMN parent_id TEXT,
    ADD COLUMN module_version TEXT,
    ADD COLUMN assessment TEXT,
    ADD COLUMN attempt INTEGER,
    ADD COLUMN language TEXT,
    ADD COLUMN score_scaled DOUBLE PRECISION,
    ADD COLUMN score_raw DOUBLE PRECISION,
    ADD COLUMN score_min DOUBLE PRECISION,
    ADD COLUMN score_max DOUBLE PRECISION,
    ADD COLUMN success BOOLEAN,
    ADD COLUMN completion BOOLEAN,
    ADD COLUMN duration TEXT,
    ADD COLUMN response TEXT,
    ADD COLUMN institution TEXT,
    ADD COLUMN country TEXT,
    ADD COLUMN unit TEXT,
    ADD COLUMN provider_institution TEXT,
    ADD COLUMN provider_country TEXT,
    ADD COLUMN profile_v1 BOOLEAN,
    ADD COLUMN delivery TEXT,
    ADD COLUMN session_id TEXT,
    ADD COLUMN outcomes JSONB,
    ADD COLUMN time_utc TEXT,
    ADD COLUMN stored_utc TEXT
;
UPDATE statements AS s SET
    actor_name = (src.j #>> '{actor,name}'),
    object_type = (src.j #>> '{object,definition,type}'),
    grouping_id = (src.j #>> '{context,contextActivities,grouping,0,id}'),
    parent_id = (src.j #>> '{context,contextActivities,parent,0,id}'),
    module_version = (src.j #>> '{context,extensions,https://w3id.org/xapi/mirco/extensions/module-version}'),
    assessment = (src.j #>> '{context,extensions,https://w3id.org/xapi/mirco/extensions/assessment}'),
    attempt = CASE WHEN jsonb_typeof(src.j #> '{context,extensions,https://w3id.org/xapi/mirco/extensions/attempt}') = 'number' AND (src.j #>> '{context,extensions,https://w3id.org/xapi/mirco/extensions/attempt}') ~ '^[0-9]{1,7}$' THEN CASE WHEN CAST(src.j #>> '{context,extensions,https://w3id.org/xapi/mirco/extensions/attempt}' AS integer) <= 1000000 THEN CAST(src.j #>> '{context,extensions,https://w3id.org/xapi/mirco/extensions/attempt}' AS integer) END END,
    language = (src.j #>> '{context,language}'),
    score_scaled = CASE WHEN jsonb_typeof(src.j #> '{result,score,scaled}') <> 'number' THEN NULL WHEN abs(CAST(src.j #> '{result,score,scaled}' AS numeric)) > 1e15 THEN NULL WHEN abs(CAST(src.j #> '{result,score,scaled}' AS numeric)) < 1e-300 THEN 0 ELSE CAST(CAST(src.j #> '{result,score,scaled}' AS numeric) AS double precision) END,
    score_raw = CASE WHEN jsonb_typeof(src.j #> '{result,score,raw}') <> 'number' THEN NULL WHEN abs(CAST(src.j #> '{result,score,raw}' AS numeric)) > 1e15 THEN NULL WHEN abs(CAST(src.j #> '{result,score,raw}' AS numeric)) < 1e-300 THEN 0 ELSE CAST(CAST(src.j #> '{result,score,raw}' AS numeric) AS double precision) END,
    score_min = CASE WHEN jsonb_typeof(src.j #> '{result,score,min}') <> 'number' THEN NULL WHEN abs(CAST(src.j #> '{result,score,min}' AS numeric)) > 1e15 THEN NULL WHEN abs(CAST(src.j #> '{result,score,min}' AS numeric)) < 1e-300 THEN 0 ELSE CAST(CAST(src.j #> '{result,score,min}' AS numeric) AS double precision) END,
    score_max = CASE WHEN jsonb_typeof(src.j #> '{result,score,max}') <> 'number' THEN NULL WHEN abs(CAST(src.j #> '{result,score,max}' AS numeric)) > 1e15 THEN NULL WHEN abs(CAST(src.j #> '{result,score,max}' AS numeric)) < 1e-300 THEN 0 ELSE CAST(CAST(src.j #> '{result,score,max}' AS numeric) AS double precision) END,
    success = CASE WHEN jsonb_typeof(src.j #> '{result,success}') = 'boolean' THEN CAST(src.j #>> '{result,success}' AS boolean) END,
    completion = CASE WHEN jsonb_typeof(src.j #> '{result,completion}') = 'boolean' THEN CAST(src.j #>> '{result,completion}' AS boolean) END,
    duration = (src.j #>> '{result,duration}'),
    response = (src.j #>> '{result,response}'),
    institution = (src.j #>> '{context,extensions,https://w3id.org/xapi/mirco/extensions/institution}'),
    country = upper((src.j #>> '{context,extensions,https://w3id.org/xapi/mirco/extensions/country}')),
    unit = (src.j #>> '{context,extensions,https://w3id.org/xapi/mirco/extensions/unit}'),
    provider_institution = (src.j #>> '{context,extensions,https://w3id.org/xapi/mirco/extensions/provider-institution}'),
    provider_country = upper((src.j #>> '{context,extensions,https://w3id.org/xapi/mirco/extensions/provider-country}')),
    profile_v1 = COALESCE(src.j #> '{context,contextActivities,category}' @> CAST('[{"id": "https://w3id.org/xapi/mirco/v1"}]' AS jsonb), false),
    delivery = (src.j #>> '{context,extensions,https://w3id.org/xapi/mirco/extensions/delivery}'),
    session_id = (src.j #>> '{context,extensions,https://w3id.org/xapi/mirco/extensions/session}'),
    outcomes = (src.j #> '{context,extensions,https://w3id.org/xapi/mirco/extensions/outcomes}'),
    time_utc = to_char(CAST(s.timestamp AS timestamptz) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    stored_utc = to_char(CAST(s.stored AS timestamptz) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
FROM (SELECT seq, CAST("full" AS jsonb) AS j FROM statements) AS src
WHERE src.seq = s.seq
;
ALTER TABLE statements ALTER COLUMN "full" TYPE bytea USING convert_to("full", 'UTF8')
;
ALTER TABLE statements SET (autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 5000)
;
ALTER TABLE statement_agents SET (autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 5000)
;
ALTER TABLE statement_activities SET (autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 5000)
;
CREATE VIEW mirco_statements_flat AS
SELECT
    z.statement_id, z.time, z.stored, z.actor_id,
    COALESCE(z.actor_name_sent, l.name) AS actor_name,
    z.verb_id, substring(z.verb_id from '[^/]*$') AS verb,
    z.object_id, z.object_type,
    COALESCE(z.grouping_id, CASE WHEN z.object_type = 'http://adlnet.gov/expapi/activities/course' THEN z.object_id END)
        AS course_id,
    z.module_version,
    CASE WHEN z.object_type IN ('http://adlnet.gov/expapi/activities/lesson', 'http://adlnet.gov/expapi/activities/assessment') THEN z.object_id
         WHEN z.object_type = 'http://adlnet.gov/expapi/activities/cmi.interaction' THEN z.parent_id END AS lesson_id,
    CASE WHEN z.object_type = 'http://adlnet.gov/expapi/activities/cmi.interaction' THEN z.object_id END AS question_id,
    z.assessment, z.attempt, z.language, z.registration,
    z.score_scaled, z.score_raw, z.score_min, z.score_max, z.success, z.completion,
    CASE WHEN z.dur_s >= 0 AND z.dur_s <= 31557600 THEN z.dur_s END
        AS duration_seconds,
    z.response,
    COALESCE(CASE WHEN z.profile_v1 THEN NULL ELSE z.institution_sent END, l.institution) AS institution,
    COALESCE(CASE WHEN z.profile_v1 THEN NULL ELSE z.country_sent END, l.country) AS country,
    COALESCE(z.unit_sent, l.unit) AS unit,
    CASE WHEN z.profile_v1 THEN z.institution_sent ELSE z.provider_institution_sent END AS provider_institution,
    CASE WHEN z.profile_v1 THEN z.country_sent ELSE z.provider_country_sent END AS provider_country,
    COALESCE(z.delivery_sent, 'elearning') AS delivery, z.session_sent AS session_id
FROM (
 SELECT y.*, CASE WHEN y.dur ~ '^P(\d{1,8}(\.\d{1,9})?Y)?(\d{1,8}(\.\d{1,9})?M)?(\d{1,8}(\.\d{1,9})?W)?(\d{1,8}(\.\d{1,9})?D)?(T(\d{1,8}(\.\d{1,9})?H)?(\d{1,8}(\.\d{1,9})?M)?(\d{1,8}(\.\d{1,9})?S)?)?$' AND y.dur !~ '(^P|T)$' THEN CAST(EXTRACT(EPOCH FROM CAST(y.dur AS interval)) AS double precision) END AS dur_s
 FROM (
  SELECT x.*, NULL AS dur_date, NULL AS dur_time
  FROM (
    SELECT
    s.id AS statement_id,
    s.time_utc AS time,
    s.stored_utc AS stored,
    s.actor_ifi AS actor_id,
    s.actor_name AS actor_name_sent,
    s.verb_id AS verb_id,
    s.object_activity_id AS object_id,
    COALESCE(s.object_type, (CAST(a.definition AS jsonb) ->> 'type')) AS object_type,
    s.grouping_id AS grouping_id,
    s.parent_id AS parent_id,
    s.module_version AS module_version,
    s.assessment AS assessment,
    s.attempt AS attempt,
    s.language AS language,
    s.registration AS registration,
    s.score_scaled AS score_scaled,
    s.score_raw AS score_raw,
    s.score_min AS score_min,
    s.score_max AS score_max,
    s.success AS success,
    s.completion AS completion,
    s.duration AS dur,
    s.response AS response,
    s.institution AS institution_sent,
    s.country AS country_sent,
    s.unit AS unit_sent,
    s.provider_institution AS provider_institution_sent,
    s.provider_country AS provider_country_sent,
    s.profile_v1 AS profile_v1,
    s.delivery AS delivery_sent,
    s.session_id AS session_sent
    FROM statements s
    LEFT JOIN activities a ON a.id = s.object_activity_id
    WHERE NOT s.voided AND NOT s.is_voiding
  ) x
 ) y OFFSET 0
) z
LEFT JOIN learners l ON l.actor_ifi = z.actor_id
;
CREATE VIEW mirco_statement_outcomes AS
SELECT s.id AS statement_id, o.value #>> '{}' AS outcome
FROM statements s CROSS JOIN LATERAL jsonb_array_elements(CASE jsonb_typeof(s.outcomes) WHEN 'array' THEN s.outcomes WHEN 'string' THEN jsonb_build_array(s.outcomes) ELSE CAST('[]' AS jsonb) END) o
WHERE NOT s.voided AND NOT s.is_voiding AND jsonb_typeof(o.value) = 'string'
