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
    CASE WHEN json_type(s."full", '$.context.extensions."https://w3id.org/xapi/mirco/extensions/attempt"') IN ('integer') AND json_extract(s."full", '$.context.extensions."https://w3id.org/xapi/mirco/extensions/attempt"') BETWEEN 0 AND 1000000 THEN json_extract(s."full", '$.context.extensions."https://w3id.org/xapi/mirco/extensions/attempt"') END AS attempt,
    json_extract(s."full", '$.context.language') AS language,
    s.registration AS registration,
    CASE WHEN json_extract(s."full", '$.result.score.scaled') BETWEEN -1e15 AND 1e15 THEN json_extract(s."full", '$.result.score.scaled') END AS score_scaled,
    CASE WHEN json_extract(s."full", '$.result.score.raw') BETWEEN -1e15 AND 1e15 THEN json_extract(s."full", '$.result.score.raw') END AS score_raw,
    CASE WHEN json_extract(s."full", '$.result.score.min') BETWEEN -1e15 AND 1e15 THEN json_extract(s."full", '$.result.score.min') END AS score_min,
    CASE WHEN json_extract(s."full", '$.result.score.max') BETWEEN -1e15 AND 1e15 THEN json_extract(s."full", '$.result.score.max') END AS score_max,
    json_extract(s."full", '$.result.success') AS success,
    json_extract(s."full", '$.result.completion') AS completion,
    json_extract(s."full", '$.result.duration') AS dur,
    json_extract(s."full", '$.result.response') AS response,
    json_extract(s."full", '$.context.extensions."https://w3id.org/xapi/mirco/extensions/institution"') AS institution_sent,
    upper(json_extract(s."full", '$.context.extensions."https://w3id.org/xapi/mirco/extensions/country"')) AS country_sent,
    json_extract(s."full", '$.context.extensions."https://w3id.org/xapi/mirco/extensions/unit"') AS unit_sent,
    json_extract(s."full", '$.context.extensions."https://w3id.org/xapi/mirco/extensions/provider-institution"') AS provider_institution_sent,
    upper(json_extract(s."full", '$.context.extensions."https://w3id.org/xapi/mirco/extensions/provider-country"')) AS provider_country_sent,
    COALESCE(instr(json_extract(s."full", '$.context.contextActivities.category'), '"https://w3id.org/xapi/mirco/v1"') > 0, 0) AS profile_v1,
    json_extract(s."full", '$.context.extensions."https://w3id.org/xapi/mirco/extensions/delivery"') AS delivery_sent,
    json_extract(s."full", '$.context.extensions."https://w3id.org/xapi/mirco/extensions/session"') AS session_sent
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
FROM statements s, json_each(s."full", '$.context.extensions."https://w3id.org/xapi/mirco/extensions/outcomes"') o
WHERE NOT s.voided AND NOT s.is_voiding AND o.type = 'text'
;
