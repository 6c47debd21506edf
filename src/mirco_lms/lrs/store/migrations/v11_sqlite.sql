-- Migration 11 (frozen; never edit): the flat view reads the activity's definition (for
-- its type) and the learner registry by subqueries, only for a statement that does not
-- carry the value itself, instead of joining both tables to every statement. Joined, the
-- definition's JSON was read for every statement and carried through the sort of any
-- query grouping or ordering the view's rows. The columns and their values are unchanged.
DROP VIEW IF EXISTS mirco_statement_outcomes
;
DROP VIEW IF EXISTS mirco_statements_flat
;
CREATE VIEW mirco_statements_flat AS
SELECT
    s.id AS statement_id, s.time_utc AS time, s.stored_utc AS stored,
    s.actor_ifi AS actor_id, COALESCE(s.actor_name, (SELECT l.name FROM learners l WHERE l.actor_ifi = s.actor_ifi)) AS actor_name,
    s.verb_id, s.verb,
    s.object_activity_id AS object_id, COALESCE(s.object_type, (SELECT json_extract(a.definition, '$.type') FROM activities a WHERE a.id = s.object_activity_id)) AS object_type,
    COALESCE(s.grouping_id, CASE WHEN COALESCE(s.object_type, (SELECT json_extract(a.definition, '$.type') FROM activities a WHERE a.id = s.object_activity_id)) = 'http://adlnet.gov/expapi/activities/course' THEN s.object_activity_id END)
        AS course_id,
    s.module_version,
    CASE WHEN COALESCE(s.object_type, (SELECT json_extract(a.definition, '$.type') FROM activities a WHERE a.id = s.object_activity_id)) IN ('http://adlnet.gov/expapi/activities/lesson', 'http://adlnet.gov/expapi/activities/assessment') THEN s.object_activity_id
         WHEN COALESCE(s.object_type, (SELECT json_extract(a.definition, '$.type') FROM activities a WHERE a.id = s.object_activity_id)) = 'http://adlnet.gov/expapi/activities/cmi.interaction' THEN s.parent_id END AS lesson_id,
    CASE WHEN COALESCE(s.object_type, (SELECT json_extract(a.definition, '$.type') FROM activities a WHERE a.id = s.object_activity_id)) = 'http://adlnet.gov/expapi/activities/cmi.interaction' THEN s.object_activity_id END AS question_id,
    s.assessment, s.attempt, s.language, s.registration,
    s.score_scaled, s.score_raw, s.score_min, s.score_max, s.success, s.completion,
    s.duration_seconds, s.response,
    COALESCE(CASE WHEN s.profile_v1 THEN NULL ELSE s.institution END, (SELECT l.institution FROM learners l WHERE l.actor_ifi = s.actor_ifi)) AS institution,
    COALESCE(CASE WHEN s.profile_v1 THEN NULL ELSE s.country END, (SELECT l.country FROM learners l WHERE l.actor_ifi = s.actor_ifi)) AS country,
    COALESCE(s.unit, (SELECT l.unit FROM learners l WHERE l.actor_ifi = s.actor_ifi)) AS unit,
    CASE WHEN s.profile_v1 THEN s.institution ELSE s.provider_institution END AS provider_institution,
    CASE WHEN s.profile_v1 THEN s.country ELSE s.provider_country END AS provider_country,
    COALESCE(s.delivery, 'elearning') AS delivery, s.session_id,
    s.outcomes AS outcomes
FROM statements s
WHERE NOT s.voided AND NOT s.is_voiding
;
CREATE VIEW mirco_statement_outcomes AS
SELECT s.id AS statement_id, o.value AS outcome
FROM statements s, json_each(s.outcomes) o
WHERE NOT s.voided AND NOT s.is_voiding AND o.type = 'text' AND json_type(s.outcomes) <> 'object'
;
