-- Migration 11 (frozen; never edit): SQLite's flat view reads the activity definition and
-- the learner registry by subqueries instead of joins. PostgreSQL keeps its joins (it
-- hashes the two small tables once per query): its views are created again, unchanged.
DROP VIEW IF EXISTS mirco_statement_outcomes
;
DROP VIEW IF EXISTS mirco_statements_flat
;
CREATE VIEW mirco_statements_flat AS
SELECT
    s.id AS statement_id, s.time_utc AS time, s.stored_utc AS stored,
    s.actor_ifi AS actor_id, COALESCE(s.actor_name, l.name) AS actor_name,
    s.verb_id, s.verb,
    s.object_activity_id AS object_id, COALESCE(s.object_type, (CAST(a.definition AS jsonb) ->> 'type')) AS object_type,
    COALESCE(s.grouping_id, CASE WHEN COALESCE(s.object_type, (CAST(a.definition AS jsonb) ->> 'type')) = 'http://adlnet.gov/expapi/activities/course' THEN s.object_activity_id END)
        AS course_id,
    s.module_version,
    CASE WHEN COALESCE(s.object_type, (CAST(a.definition AS jsonb) ->> 'type')) IN ('http://adlnet.gov/expapi/activities/lesson', 'http://adlnet.gov/expapi/activities/assessment') THEN s.object_activity_id
         WHEN COALESCE(s.object_type, (CAST(a.definition AS jsonb) ->> 'type')) = 'http://adlnet.gov/expapi/activities/cmi.interaction' THEN s.parent_id END AS lesson_id,
    CASE WHEN COALESCE(s.object_type, (CAST(a.definition AS jsonb) ->> 'type')) = 'http://adlnet.gov/expapi/activities/cmi.interaction' THEN s.object_activity_id END AS question_id,
    s.assessment, s.attempt, s.language, s.registration,
    s.score_scaled, s.score_raw, s.score_min, s.score_max, s.success, s.completion,
    s.duration_seconds, s.response,
    COALESCE(CASE WHEN s.profile_v1 THEN NULL ELSE s.institution END, l.institution) AS institution,
    COALESCE(CASE WHEN s.profile_v1 THEN NULL ELSE s.country END, l.country) AS country,
    COALESCE(s.unit, l.unit) AS unit,
    CASE WHEN s.profile_v1 THEN s.institution ELSE s.provider_institution END AS provider_institution,
    CASE WHEN s.profile_v1 THEN s.country ELSE s.provider_country END AS provider_country,
    COALESCE(s.delivery, 'elearning') AS delivery, s.session_id,
    CAST(s.outcomes AS text) AS outcomes
FROM statements s
LEFT JOIN activities a ON a.id = s.object_activity_id
LEFT JOIN learners l ON l.actor_ifi = s.actor_ifi
WHERE NOT s.voided AND NOT s.is_voiding
;
CREATE VIEW mirco_statement_outcomes AS
SELECT s.id AS statement_id, o.value #>> '{}' AS outcome
FROM statements s CROSS JOIN LATERAL jsonb_array_elements(CASE jsonb_typeof(s.outcomes) WHEN 'array' THEN s.outcomes WHEN 'string' THEN jsonb_build_array(s.outcomes) ELSE CAST('[]' AS jsonb) END) o
WHERE NOT s.voided AND NOT s.is_voiding AND jsonb_typeof(o.value) = 'string'
;
