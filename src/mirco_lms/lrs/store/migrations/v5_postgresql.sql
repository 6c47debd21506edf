-- Migration 5 (frozen; never edit): classroom sessions and their trainers, the
-- learners' gender, issued certificates and the statements they rest on, the views'
-- delivery and session_id columns.
ALTER TABLE learners ADD COLUMN gender TEXT
;
CREATE TABLE sessions (
    id TEXT NOT NULL,
    course TEXT NOT NULL,
    language VARCHAR(35) NOT NULL,
    start_date VARCHAR(10) NOT NULL,
    end_date VARCHAR(10) NOT NULL,
    venue TEXT,
    delivery VARCHAR(20) NOT NULL,
    updated VARCHAR(40) NOT NULL,
    PRIMARY KEY (id)
)
;
CREATE TABLE session_trainers (
    session_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    PRIMARY KEY (session_id, position)
)
;
CREATE TABLE certificates (
    code_hash VARCHAR(64) NOT NULL,
    code VARCHAR(64) NOT NULL,
    actor_ifi TEXT NOT NULL,
    course_id TEXT NOT NULL,
    learner_name TEXT NOT NULL,
    course_name TEXT NOT NULL,
    language VARCHAR(35) NOT NULL,
    rule VARCHAR(40) NOT NULL,
    achieved VARCHAR(40) NOT NULL,
    issued VARCHAR(40) NOT NULL,
    session_id TEXT,
    verify_url TEXT NOT NULL,
    key_id VARCHAR(64) NOT NULL,
    public_jwk TEXT NOT NULL,
    badge TEXT NOT NULL,
    revoked VARCHAR(40),
    revoked_reason TEXT,
    PRIMARY KEY (code_hash),
    UNIQUE (code)
)
;
CREATE INDEX ix_certificates_course ON certificates (course_id, issued)
;
CREATE UNIQUE INDEX ux_certificates_achievement ON certificates (actor_ifi, course_id)
;
CREATE TABLE certificate_evidence (
    code_hash VARCHAR(64) NOT NULL,
    statement_id VARCHAR(36) NOT NULL,
    role VARCHAR(20) NOT NULL,
    PRIMARY KEY (code_hash, statement_id)
)
;
DROP VIEW IF EXISTS mirco_statement_outcomes
;
DROP VIEW IF EXISTS mirco_statements_flat
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
    CASE WHEN jsonb_typeof(s.j #> '{context,extensions,https://w3id.org/xapi/mirco/extensions/attempt}') = 'number' AND (s.j #>> '{context,extensions,https://w3id.org/xapi/mirco/extensions/attempt}') ~ '^[0-9]{1,7}$' THEN CASE WHEN CAST(s.j #>> '{context,extensions,https://w3id.org/xapi/mirco/extensions/attempt}' AS integer) <= 1000000 THEN CAST(s.j #>> '{context,extensions,https://w3id.org/xapi/mirco/extensions/attempt}' AS integer) END END AS attempt,
    (s.j #>> '{context,language}') AS language,
    s.registration AS registration,
    CASE WHEN jsonb_typeof(s.j #> '{result,score,scaled}') <> 'number' THEN NULL WHEN abs(CAST(s.j #> '{result,score,scaled}' AS numeric)) > 1e15 THEN NULL WHEN abs(CAST(s.j #> '{result,score,scaled}' AS numeric)) < 1e-300 THEN 0 ELSE CAST(CAST(s.j #> '{result,score,scaled}' AS numeric) AS double precision) END AS score_scaled,
    CASE WHEN jsonb_typeof(s.j #> '{result,score,raw}') <> 'number' THEN NULL WHEN abs(CAST(s.j #> '{result,score,raw}' AS numeric)) > 1e15 THEN NULL WHEN abs(CAST(s.j #> '{result,score,raw}' AS numeric)) < 1e-300 THEN 0 ELSE CAST(CAST(s.j #> '{result,score,raw}' AS numeric) AS double precision) END AS score_raw,
    CASE WHEN jsonb_typeof(s.j #> '{result,score,min}') <> 'number' THEN NULL WHEN abs(CAST(s.j #> '{result,score,min}' AS numeric)) > 1e15 THEN NULL WHEN abs(CAST(s.j #> '{result,score,min}' AS numeric)) < 1e-300 THEN 0 ELSE CAST(CAST(s.j #> '{result,score,min}' AS numeric) AS double precision) END AS score_min,
    CASE WHEN jsonb_typeof(s.j #> '{result,score,max}') <> 'number' THEN NULL WHEN abs(CAST(s.j #> '{result,score,max}' AS numeric)) > 1e15 THEN NULL WHEN abs(CAST(s.j #> '{result,score,max}' AS numeric)) < 1e-300 THEN 0 ELSE CAST(CAST(s.j #> '{result,score,max}' AS numeric) AS double precision) END AS score_max,
    CASE WHEN jsonb_typeof(s.j #> '{result,success}') = 'boolean' THEN CAST(s.j #>> '{result,success}' AS boolean) END AS success,
    CASE WHEN jsonb_typeof(s.j #> '{result,completion}') = 'boolean' THEN CAST(s.j #>> '{result,completion}' AS boolean) END AS completion,
    (s.j #>> '{result,duration}') AS dur,
    (s.j #>> '{result,response}') AS response,
    (s.j #>> '{context,extensions,https://w3id.org/xapi/mirco/extensions/institution}') AS institution_sent,
    upper((s.j #>> '{context,extensions,https://w3id.org/xapi/mirco/extensions/country}')) AS country_sent,
    (s.j #>> '{context,extensions,https://w3id.org/xapi/mirco/extensions/unit}') AS unit_sent,
    (s.j #>> '{context,extensions,https://w3id.org/xapi/mirco/extensions/provider-institution}') AS provider_institution_sent,
    upper((s.j #>> '{context,extensions,https://w3id.org/xapi/mirco/extensions/provider-country}')) AS provider_country_sent,
    COALESCE(s.j #> '{context,contextActivities,category}' @> CAST('[{"id": "https://w3id.org/xapi/mirco/v1"}]' AS jsonb), false) AS profile_v1,
    (s.j #>> '{context,extensions,https://w3id.org/xapi/mirco/extensions/delivery}') AS delivery_sent,
    (s.j #>> '{context,extensions,https://w3id.org/xapi/mirco/extensions/session}') AS session_sent
    FROM (SELECT st.*, CAST(st."full" AS jsonb) AS j FROM statements st OFFSET 0) s
    LEFT JOIN activities a ON a.id = s.object_activity_id
    WHERE NOT s.voided AND NOT s.is_voiding
  ) x
 ) y OFFSET 0
) z
LEFT JOIN learners l ON l.actor_ifi = z.actor_id
;
CREATE VIEW mirco_statement_outcomes AS
SELECT s.id AS statement_id, o.value #>> '{}' AS outcome
FROM (SELECT st.id, st.voided, st.is_voiding, CAST(st."full" AS jsonb) #> '{context,extensions,https://w3id.org/xapi/mirco/extensions/outcomes}' AS v FROM statements st OFFSET 0) s CROSS JOIN LATERAL jsonb_array_elements(CASE jsonb_typeof(s.v) WHEN 'array' THEN s.v WHEN 'string' THEN jsonb_build_array(s.v) ELSE CAST('[]' AS jsonb) END) o
WHERE NOT s.voided AND NOT s.is_voiding AND jsonb_typeof(o.value) = 'string'
;
