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
    y.verb_id, replace(y.verb_id, rtrim(y.verb_id, replace(y.verb_id, '/', '')), '') AS verb,
    y.object_id, y.object_type,
    COALESCE(y.grouping_id, CASE WHEN y.object_type = 'http://adlnet.gov/expapi/activities/course' THEN y.object_id END)
        AS course_id,
    y.module_version,
    CASE WHEN y.object_type IN ('http://adlnet.gov/expapi/activities/lesson', 'http://adlnet.gov/expapi/activities/assessment') THEN y.object_id
         WHEN y.object_type = 'http://adlnet.gov/expapi/activities/cmi.interaction' THEN y.parent_id END AS lesson_id,
    CASE WHEN y.object_type = 'http://adlnet.gov/expapi/activities/cmi.interaction' THEN y.object_id END AS question_id,
    y.assessment, y.attempt, y.language, y.registration,
    y.score_scaled, y.score_raw, y.score_min, y.score_max, y.success, y.completion,
    CASE WHEN y.dur LIKE 'P%' THEN (CASE WHEN instr(y.dur_date, 'Y') > 0 THEN CAST(substr(substr(y.dur_date, 1, instr(y.dur_date, 'Y') - 1), length(rtrim(substr(y.dur_date, 1, instr(y.dur_date, 'Y') - 1), '0123456789.')) + 1) AS REAL) ELSE 0 END) * 31557600 + (CASE WHEN instr(y.dur_date, 'M') > 0 THEN CAST(substr(substr(y.dur_date, 1, instr(y.dur_date, 'M') - 1), length(rtrim(substr(y.dur_date, 1, instr(y.dur_date, 'M') - 1), '0123456789.')) + 1) AS REAL) ELSE 0 END) * 2592000 + (CASE WHEN instr(y.dur_date, 'W') > 0 THEN CAST(substr(substr(y.dur_date, 1, instr(y.dur_date, 'W') - 1), length(rtrim(substr(y.dur_date, 1, instr(y.dur_date, 'W') - 1), '0123456789.')) + 1) AS REAL) ELSE 0 END) * 604800 + (CASE WHEN instr(y.dur_date, 'D') > 0 THEN CAST(substr(substr(y.dur_date, 1, instr(y.dur_date, 'D') - 1), length(rtrim(substr(y.dur_date, 1, instr(y.dur_date, 'D') - 1), '0123456789.')) + 1) AS REAL) ELSE 0 END) * 86400 + (CASE WHEN instr(COALESCE(y.dur_time, ''), 'H') > 0 THEN CAST(substr(substr(COALESCE(y.dur_time, ''), 1, instr(COALESCE(y.dur_time, ''), 'H') - 1), length(rtrim(substr(COALESCE(y.dur_time, ''), 1, instr(COALESCE(y.dur_time, ''), 'H') - 1), '0123456789.')) + 1) AS REAL) ELSE 0 END) * 3600 + (CASE WHEN instr(COALESCE(y.dur_time, ''), 'M') > 0 THEN CAST(substr(substr(COALESCE(y.dur_time, ''), 1, instr(COALESCE(y.dur_time, ''), 'M') - 1), length(rtrim(substr(COALESCE(y.dur_time, ''), 1, instr(COALESCE(y.dur_time, ''), 'M') - 1), '0123456789.')) + 1) AS REAL) ELSE 0 END) * 60 + (CASE WHEN instr(COALESCE(y.dur_time, ''), 'S') > 0 THEN CAST(substr(substr(COALESCE(y.dur_time, ''), 1, instr(COALESCE(y.dur_time, ''), 'S') - 1), length(rtrim(substr(COALESCE(y.dur_time, ''), 1, instr(COALESCE(y.dur_time, ''), 'S') - 1), '0123456789.')) + 1) AS REAL) ELSE 0 END) * 1 END AS duration_seconds,
    y.response,
    COALESCE(y.institution_sent, l.institution) AS institution,
    COALESCE(y.country_sent, l.country) AS country,
    COALESCE(y.unit_sent, l.unit) AS unit
FROM (
  SELECT x.*, CASE WHEN instr(x.dur, 'T') > 0 THEN substr(x.dur, 2, instr(x.dur, 'T') - 2) ELSE substr(x.dur, 2) END AS dur_date, CASE WHEN instr(x.dur, 'T') > 0 THEN substr(x.dur, instr(x.dur, 'T') + 1) END AS dur_time
  FROM (
    SELECT
    s.id AS statement_id,
    strftime('%Y-%m-%dT%H:%M:%fZ', s.timestamp) AS time,
    strftime('%Y-%m-%dT%H:%M:%fZ', s.stored) AS stored,
    s.actor_ifi AS actor_id,
    json_extract(s."full", '$.actor.name') AS actor_name_sent,
    s.verb_id AS verb_id,
    s.object_activity_id AS object_id,
    COALESCE(json_extract(s."full", '$.object.definition.type'), json_extract(a.definition, '$.type')) AS object_type,
    json_extract(s."full", '$.context.contextActivities.grouping[0].id') AS grouping_id,
    json_extract(s."full", '$.context.contextActivities.parent[0].id') AS parent_id,
    json_extract(s."full", '$.context.extensions."https://w3id.org/xapi/mirco/extensions/module-version"') AS module_version,
    json_extract(s."full", '$.context.extensions."https://w3id.org/xapi/mirco/extensions/assessment"') AS assessment,
    CASE WHEN json_type(s."full", '$.context.extensions."https://w3id.org/xapi/mirco/extensions/attempt"') = 'integer' THEN json_extract(s."full", '$.context.extensions."https://w3id.org/xapi/mirco/extensions/attempt"') END AS attempt,
    json_extract(s."full", '$.context.language') AS language,
    s.registration AS registration,
    json_extract(s."full", '$.result.score.scaled') AS score_scaled,
    json_extract(s."full", '$.result.score.raw') AS score_raw,
    json_extract(s."full", '$.result.score.min') AS score_min,
    json_extract(s."full", '$.result.score.max') AS score_max,
    json_extract(s."full", '$.result.success') AS success,
    json_extract(s."full", '$.result.completion') AS completion,
    json_extract(s."full", '$.result.duration') AS dur,
    json_extract(s."full", '$.result.response') AS response,
    json_extract(s."full", '$.context.extensions."https://w3id.org/xapi/mirco/extensions/institution"') AS institution_sent,
    upper(json_extract(s."full", '$.context.extensions."https://w3id.org/xapi/mirco/extensions/country"')) AS country_sent,
    json_extract(s."full", '$.context.extensions."https://w3id.org/xapi/mirco/extensions/unit"') AS unit_sent
    FROM statements s
    LEFT JOIN activities a ON a.id = s.object_activity_id
    WHERE NOT s.voided AND NOT s.is_voiding
  ) x
) y
LEFT JOIN learners l ON l.actor_ifi = y.actor_id
;
