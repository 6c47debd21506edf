-- Migration 8 (frozen; never edit): each statement's duration in seconds and its verb's
-- last segment, as the flat view gave them, stored with the statement (filled here for
-- the statements stored before) instead of computed at every read; the flat view is one
-- SELECT over the statements' columns, so that a query reading a few columns computes
-- only those.
DROP VIEW IF EXISTS mirco_statement_outcomes
;
DROP VIEW IF EXISTS mirco_statements_flat
;
ALTER TABLE statements ADD COLUMN duration_seconds DOUBLE PRECISION
;
ALTER TABLE statements ADD COLUMN verb TEXT
;
UPDATE statements AS s SET
    duration_seconds = (SELECT CASE WHEN z.dur_s >= 0 AND z.dur_s <= 31557600 THEN z.dur_s END FROM (SELECT CASE WHEN y.dur ~ '^P(\d{1,8}(\.\d{1,9})?Y)?(\d{1,8}(\.\d{1,9})?M)?(\d{1,8}(\.\d{1,9})?W)?(\d{1,8}(\.\d{1,9})?D)?(T(\d{1,8}(\.\d{1,9})?H)?(\d{1,8}(\.\d{1,9})?M)?(\d{1,8}(\.\d{1,9})?S)?)?$' AND y.dur !~ '(^P|T)$' THEN CAST(EXTRACT(EPOCH FROM CAST(y.dur AS interval)) AS double precision) END AS dur_s FROM (SELECT x.dur FROM (SELECT s.duration AS dur) x) y) z),
    verb = substring(s.verb_id from '[^/]*$')
;
-- the UPDATE left the old version of every row behind: a column change that is not a
-- plain relabelling rewrites the table once, copying the rows this transaction sees, so
-- that space goes back to the file system now (VACUUM FULL cannot run inside the
-- migration's transaction, and CLUSTER would keep the rows this transaction replaced)
ALTER TABLE statements ALTER COLUMN verb TYPE TEXT USING verb || ''
;
ANALYZE statements
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
    COALESCE(s.delivery, 'elearning') AS delivery, s.session_id
FROM statements s
LEFT JOIN activities a ON a.id = s.object_activity_id
LEFT JOIN learners l ON l.actor_ifi = s.actor_ifi
WHERE NOT s.voided AND NOT s.is_voiding
;
CREATE VIEW mirco_statement_outcomes AS
SELECT s.id AS statement_id, o.value #>> '{}' AS outcome
FROM statements s CROSS JOIN LATERAL jsonb_array_elements(CASE jsonb_typeof(s.outcomes) WHEN 'array' THEN s.outcomes WHEN 'string' THEN jsonb_build_array(s.outcomes) ELSE CAST('[]' AS jsonb) END) o
WHERE NOT s.voided AND NOT s.is_voiding AND jsonb_typeof(o.value) = 'string'
