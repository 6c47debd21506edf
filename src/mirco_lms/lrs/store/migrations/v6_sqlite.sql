-- Migration 6 (frozen; never edit): the report columns, read from each statement's
-- JSON when it is stored instead of at every read of the views (filled here for the
-- statements stored before), and its times as the views show them; the views read
-- them. The report columns are declared BLOB: no affinity, so each value keeps the
-- type json_extract gave it. The JSON is packed from now on (a BLOB in the TEXT
-- column; the rows stored before keep their JSON text).
DROP VIEW IF EXISTS mirco_statement_outcomes
;
DROP VIEW IF EXISTS mirco_statements_flat
;
ALTER TABLE statements ADD COLUMN actor_name BLOB
;
ALTER TABLE statements ADD COLUMN object_type BLOB
;
ALTER TABLE statements ADD COLUMN grouping_id BLOB
;
ALTER TABLE statements ADD COLUMN parent_id BLOB
;
ALTER TABLE statements ADD COLUMN module_version BLOB
;
ALTER TABLE statements ADD COLUMN assessment BLOB
;
ALTER TABLE statements ADD COLUMN attempt BLOB
;
ALTER TABLE statements ADD COLUMN language BLOB
;
ALTER TABLE statements ADD COLUMN score_scaled BLOB
;
ALTER TABLE statements ADD COLUMN score_raw BLOB
;
ALTER TABLE statements ADD COLUMN score_min BLOB
;
ALTER TABLE statements ADD COLUMN score_max BLOB
;
ALTER TABLE statements ADD COLUMN success BLOB
;
ALTER TABLE statements ADD COLUMN completion BLOB
;
ALTER TABLE statements ADD COLUMN duration BLOB
;
ALTER TABLE statements ADD COLUMN response BLOB
;
ALTER TABLE statements ADD COLUMN institution BLOB
;
ALTER TABLE statements ADD COLUMN country BLOB
;
ALTER TABLE statements ADD COLUMN unit BLOB
;
ALTER TABLE statements ADD COLUMN provider_institution BLOB
;
ALTER TABLE statements ADD COLUMN provider_country BLOB
;
ALTER TABLE statements ADD COLUMN profile_v1 BLOB
;
ALTER TABLE statements ADD COLUMN delivery BLOB
;
ALTER TABLE statements ADD COLUMN session_id BLOB
;
ALTER TABLE statements ADD COLUMN outcomes BLOB
;
ALTER TABLE statements ADD COLUMN time_utc TEXT
;
ALTER TABLE statements ADD COLUMN stored_utc TEXT
;
UPDATE statements AS s SET
    actor_name = json_extract(s."full", '$.actor.name'),
    object_type = json_extract(s."full", '$.object.definition.type'),
    grouping_id = json_extract(s."full", '$.context.contextActivities.grouping[0].id'),
    parent_id = json_extract(s."full", '$.context.contextActivities.parent[0].id'),
    module_version = json_extract(s."full", '$.context.extensions."https://w3id.org/xapi/mirco/extensions/module-version"'),
    assessment = json_extract(s."full", '$.context.extensions."https://w3id.org/xapi/mirco/extensions/assessment"'),
    attempt = CASE WHEN json_type(s."full", '$.context.extensions."https://w3id.org/xapi/mirco/extensions/attempt"') IN ('integer') AND json_extract(s."full", '$.context.extensions."https://w3id.org/xapi/mirco/extensions/attempt"') BETWEEN 0 AND 1000000 THEN json_extract(s."full", '$.context.extensions."https://w3id.org/xapi/mirco/extensions/attempt"') END,
    language = json_extract(s."full", '$.context.language'),
    score_scaled = CASE WHEN json_extract(s."full", '$.result.score.scaled') BETWEEN -1e15 AND 1e15 THEN json_extract(s."full", '$.result.score.scaled') END,
    score_raw = CASE WHEN json_extract(s."full", '$.result.score.raw') BETWEEN -1e15 AND 1e15 THEN json_extract(s."full", '$.result.score.raw') END,
    score_min = CASE WHEN json_extract(s."full", '$.result.score.min') BETWEEN -1e15 AND 1e15 THEN json_extract(s."full", '$.result.score.min') END,
    score_max = CASE WHEN json_extract(s."full", '$.result.score.max') BETWEEN -1e15 AND 1e15 THEN json_extract(s."full", '$.result.score.max') END,
    success = json_extract(s."full", '$.result.success'),
    completion = json_extract(s."full", '$.result.completion'),
    duration = json_extract(s."full", '$.result.duration'),
    response = json_extract(s."full", '$.result.response'),
    institution = json_extract(s."full", '$.context.extensions."https://w3id.org/xapi/mirco/extensions/institution"'),
    country = upper(json_extract(s."full", '$.context.extensions."https://w3id.org/xapi/mirco/extensions/country"')),
    unit = json_extract(s."full", '$.context.extensions."https://w3id.org/xapi/mirco/extensions/unit"'),
    provider_institution = json_extract(s."full", '$.context.extensions."https://w3id.org/xapi/mirco/extensions/provider-institution"'),
    provider_country = upper(json_extract(s."full", '$.context.extensions."https://w3id.org/xapi/mirco/extensions/provider-country"')),
    profile_v1 = COALESCE(instr(json_extract(s."full", '$.context.contextActivities.category'), '"https://w3id.org/xapi/mirco/v1"') > 0, 0),
    delivery = json_extract(s."full", '$.context.extensions."https://w3id.org/xapi/mirco/extensions/delivery"'),
    session_id = json_extract(s."full", '$.context.extensions."https://w3id.org/xapi/mirco/extensions/session"'),
    outcomes = (s."full" -> '$.context.extensions."https://w3id.org/xapi/mirco/extensions/outcomes"'),
    time_utc = strftime('%Y-%m-%dT%H:%M:%fZ', s.timestamp),
    stored_utc = strftime('%Y-%m-%dT%H:%M:%fZ', s.stored)
;
CREATE VIEW mirco_statements_flat AS
SELECT
    z.statement_id, z.time, z.stored, z.actor_id,
    COALESCE(z.actor_name_sent, l.name) AS actor_name,
    z.verb_id, replace(z.verb_id, rtrim(z.verb_id, replace(z.verb_id, '/', '')), '') AS verb,
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
 SELECT y.*, CASE WHEN y.dur LIKE 'P%' AND length(y.dur) <= 64 THEN (CASE WHEN instr(y.dur_date, 'Y') > 0 THEN CAST(substr(substr(y.dur_date, 1, instr(y.dur_date, 'Y') - 1), length(rtrim(substr(y.dur_date, 1, instr(y.dur_date, 'Y') - 1), '0123456789.')) + 1) AS REAL) ELSE 0 END) * 31557600 + (CASE WHEN instr(y.dur_date, 'M') > 0 THEN CAST(substr(substr(y.dur_date, 1, instr(y.dur_date, 'M') - 1), length(rtrim(substr(y.dur_date, 1, instr(y.dur_date, 'M') - 1), '0123456789.')) + 1) AS REAL) ELSE 0 END) * 2592000 + (CASE WHEN instr(y.dur_date, 'W') > 0 THEN CAST(substr(substr(y.dur_date, 1, instr(y.dur_date, 'W') - 1), length(rtrim(substr(y.dur_date, 1, instr(y.dur_date, 'W') - 1), '0123456789.')) + 1) AS REAL) ELSE 0 END) * 604800 + (CASE WHEN instr(y.dur_date, 'D') > 0 THEN CAST(substr(substr(y.dur_date, 1, instr(y.dur_date, 'D') - 1), length(rtrim(substr(y.dur_date, 1, instr(y.dur_date, 'D') - 1), '0123456789.')) + 1) AS REAL) ELSE 0 END) * 86400 + (CASE WHEN instr(COALESCE(y.dur_time, ''), 'H') > 0 THEN CAST(substr(substr(COALESCE(y.dur_time, ''), 1, instr(COALESCE(y.dur_time, ''), 'H') - 1), length(rtrim(substr(COALESCE(y.dur_time, ''), 1, instr(COALESCE(y.dur_time, ''), 'H') - 1), '0123456789.')) + 1) AS REAL) ELSE 0 END) * 3600 + (CASE WHEN instr(COALESCE(y.dur_time, ''), 'M') > 0 THEN CAST(substr(substr(COALESCE(y.dur_time, ''), 1, instr(COALESCE(y.dur_time, ''), 'M') - 1), length(rtrim(substr(COALESCE(y.dur_time, ''), 1, instr(COALESCE(y.dur_time, ''), 'M') - 1), '0123456789.')) + 1) AS REAL) ELSE 0 END) * 60 + (CASE WHEN instr(COALESCE(y.dur_time, ''), 'S') > 0 THEN CAST(substr(substr(COALESCE(y.dur_time, ''), 1, instr(COALESCE(y.dur_time, ''), 'S') - 1), length(rtrim(substr(COALESCE(y.dur_time, ''), 1, instr(COALESCE(y.dur_time, ''), 'S') - 1), '0123456789.')) + 1) AS REAL) ELSE 0 END) * 1 END AS dur_s
 FROM (
  SELECT x.*, CASE WHEN instr(x.dur, 'T') > 0 THEN substr(x.dur, 2, instr(x.dur, 'T') - 2) ELSE substr(x.dur, 2) END AS dur_date, CASE WHEN instr(x.dur, 'T') > 0 THEN substr(x.dur, instr(x.dur, 'T') + 1) END AS dur_time
  FROM (
    SELECT
    s.id AS statement_id,
    s.time_utc AS time,
    s.stored_utc AS stored,
    s.actor_ifi AS actor_id,
    s.actor_name AS actor_name_sent,
    s.verb_id AS verb_id,
    s.object_activity_id AS object_id,
    COALESCE(s.object_type, json_extract(a.definition, '$.type')) AS object_type,
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
 ) y LIMIT -1
) z
LEFT JOIN learners l ON l.actor_ifi = z.actor_id
;
CREATE VIEW mirco_statement_outcomes AS
SELECT s.id AS statement_id, o.value AS outcome
FROM statements s, json_each(s.outcomes) o
WHERE NOT s.voided AND NOT s.is_voiding AND o.type = 'text'
