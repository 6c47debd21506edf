-- Migration 7 (frozen; never edit): integer keys. Every agent IFI, activity IRI and
-- verb IRI is kept once, in identifiers; the index tables are keyed by its id instead of
-- the text, and the verb and activity filters read (verb_key, seq) / (object_key, seq)
-- (the text columns stay for the views, which are unchanged). The index tables are
-- built anew and the old ones dropped: their pages go to the free list, for the rows
-- stored next (VACUUM, with the server stopped, gives them back to the file system).
DROP VIEW IF EXISTS mirco_statement_outcomes
;
DROP VIEW IF EXISTS mirco_statements_flat
;
CREATE TABLE identifiers (
    id INTEGER NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (id),
    UNIQUE (value)
)
;
INSERT INTO identifiers (value)
SELECT ifi FROM statement_agents
UNION SELECT activity_id FROM statement_activities
UNION SELECT verb_id FROM statements
UNION SELECT object_activity_id FROM statements WHERE object_activity_id IS NOT NULL
;
CREATE TABLE statement_agents_v7 (
    seq INTEGER NOT NULL,
    agent_key INTEGER NOT NULL,
    is_primary BOOLEAN NOT NULL,
    PRIMARY KEY (agent_key, seq)
) WITHOUT ROWID
;
INSERT INTO statement_agents_v7 (seq, agent_key, is_primary)
SELECT a.seq, i.id, a.is_primary FROM statement_agents a JOIN identifiers i ON i.value = a.ifi
ORDER BY 2, 1
;
DROP TABLE statement_agents
;
ALTER TABLE statement_agents_v7 RENAME TO statement_agents
;
CREATE TABLE statement_activities_v7 (
    seq INTEGER NOT NULL,
    activity_key INTEGER NOT NULL,
    is_primary BOOLEAN NOT NULL,
    PRIMARY KEY (activity_key, seq)
) WITHOUT ROWID
;
INSERT INTO statement_activities_v7 (seq, activity_key, is_primary)
SELECT a.seq, i.id, a.is_primary FROM statement_activities a
JOIN identifiers i ON i.value = a.activity_id
ORDER BY 2, 1
;
DROP TABLE statement_activities
;
ALTER TABLE statement_activities_v7 RENAME TO statement_activities
;
DROP INDEX ix_statements_verb
;
DROP INDEX ix_statements_activity
;
ALTER TABLE statements ADD COLUMN verb_key INTEGER
;
ALTER TABLE statements ADD COLUMN object_key INTEGER
;
UPDATE statements SET
    verb_key = (SELECT i.id FROM identifiers i WHERE i.value = statements.verb_id),
    object_key = (SELECT i.id FROM identifiers i WHERE i.value = statements.object_activity_id)
;
CREATE INDEX ix_statements_verb ON statements (verb_key, seq)
;
CREATE INDEX ix_statements_activity ON statements (object_key, seq)
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
