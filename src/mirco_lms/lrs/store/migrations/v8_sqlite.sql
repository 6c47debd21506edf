-- Migration 8 (frozen; never edit): each statement's duration in seconds and its verb's
-- last segment, as the flat view gave them, stored with the statement (filled here for
-- the statements stored before) instead of computed at every read; the flat view is one
-- SELECT over the statements' columns, so that a query reading a few columns computes
-- only those.
DROP VIEW IF EXISTS mirco_statement_outcomes
;
DROP VIEW IF EXISTS mirco_statements_flat
;
ALTER TABLE statements ADD COLUMN duration_seconds BLOB
;
ALTER TABLE statements ADD COLUMN verb BLOB
;
UPDATE statements AS s SET
    duration_seconds = (SELECT CASE WHEN z.dur_s >= 0 AND z.dur_s <= 31557600 THEN z.dur_s END FROM (SELECT CASE WHEN y.dur LIKE 'P%' AND length(y.dur) <= 64 THEN (CASE WHEN instr(y.dur_date, 'Y') > 0 THEN CAST(substr(substr(y.dur_date, 1, instr(y.dur_date, 'Y') - 1), length(rtrim(substr(y.dur_date, 1, instr(y.dur_date, 'Y') - 1), '0123456789.')) + 1) AS REAL) ELSE 0 END) * 31557600 + (CASE WHEN instr(y.dur_date, 'M') > 0 THEN CAST(substr(substr(y.dur_date, 1, instr(y.dur_date, 'M') - 1), length(rtrim(substr(y.dur_date, 1, instr(y.dur_date, 'M') - 1), '0123456789.')) + 1) AS REAL) ELSE 0 END) * 2592000 + (CASE WHEN instr(y.dur_date, 'W') > 0 THEN CAST(substr(substr(y.dur_date, 1, instr(y.dur_date, 'W') - 1), length(rtrim(substr(y.dur_date, 1, instr(y.dur_date, 'W') - 1), '0123456789.')) + 1) AS REAL) ELSE 0 END) * 604800 + (CASE WHEN instr(y.dur_date, 'D') > 0 THEN CAST(substr(substr(y.dur_date, 1, instr(y.dur_date, 'D') - 1), length(rtrim(substr(y.dur_date, 1, instr(y.dur_date, 'D') - 1), '0123456789.')) + 1) AS REAL) ELSE 0 END) * 86400 + (CASE WHEN instr(COALESCE(y.dur_time, ''), 'H') > 0 THEN CAST(substr(substr(COALESCE(y.dur_time, ''), 1, instr(COALESCE(y.dur_time, ''), 'H') - 1), length(rtrim(substr(COALESCE(y.dur_time, ''), 1, instr(COALESCE(y.dur_time, ''), 'H') - 1), '0123456789.')) + 1) AS REAL) ELSE 0 END) * 3600 + (CASE WHEN instr(COALESCE(y.dur_time, ''), 'M') > 0 THEN CAST(substr(substr(COALESCE(y.dur_time, ''), 1, instr(COALESCE(y.dur_time, ''), 'M') - 1), length(rtrim(substr(COALESCE(y.dur_time, ''), 1, instr(COALESCE(y.dur_time, ''), 'M') - 1), '0123456789.')) + 1) AS REAL) ELSE 0 END) * 60 + (CASE WHEN instr(COALESCE(y.dur_time, ''), 'S') > 0 THEN CAST(substr(substr(COALESCE(y.dur_time, ''), 1, instr(COALESCE(y.dur_time, ''), 'S') - 1), length(rtrim(substr(COALESCE(y.dur_time, ''), 1, instr(COALESCE(y.dur_time, ''), 'S') - 1), '0123456789.')) + 1) AS REAL) ELSE 0 END) * 1 END AS dur_s FROM (SELECT x.dur, CASE WHEN instr(x.dur, 'T') > 0 THEN substr(x.dur, 2, instr(x.dur, 'T') - 2) ELSE substr(x.dur, 2) END AS dur_date, CASE WHEN instr(x.dur, 'T') > 0 THEN substr(x.dur, instr(x.dur, 'T') + 1) END AS dur_time FROM (SELECT s.duration AS dur) x) y) z),
    verb = replace(s.verb_id, rtrim(s.verb_id, replace(s.verb_id, '/', '')), '')
;
CREATE VIEW mirco_statements_flat AS
SELECT
    s.id AS statement_id, s.time_utc AS time, s.stored_utc AS stored,
    s.actor_ifi AS actor_id, COALESCE(s.actor_name, l.name) AS actor_name,
    s.verb_id, s.verb,
    s.object_activity_id AS object_id, COALESCE(s.object_type, json_extract(a.definition, '$.type')) AS object_type,
    COALESCE(s.grouping_id, CASE WHEN COALESCE(s.object_type, json_extract(a.definition, '$.type')) = 'http://adlnet.gov/expapi/activities/course' THEN s.object_activity_id END)
        AS course_id,
    s.module_version,
    CASE WHEN COALESCE(s.object_type, json_extract(a.definition, '$.type')) IN ('http://adlnet.gov/expapi/activities/lesson', 'http://adlnet.gov/expapi/activities/assessment') THEN s.object_activity_id
         WHEN COALESCE(s.object_type, json_extract(a.definition, '$.type')) = 'http://adlnet.gov/expapi/activities/cmi.interaction' THEN s.parent_id END AS lesson_id,
    CASE WHEN COALESCE(s.object_type, json_extract(a.definition, '$.type')) = 'http://adlnet.gov/expapi/activities/cmi.interaction' THEN s.object_activity_id END AS question_id,
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
SELECT s.id AS statement_id, o.value AS outcome
FROM statements s, json_each(s.outcomes) o
WHERE NOT s.voided AND NOT s.is_voiding AND o.type = 'text'
