-- Migration 7 (frozen; never edit): integer keys. Every agent IFI, activity IRI and
-- verb IRI is kept once, in identifiers; the index tables are keyed by its id instead of
-- the text (each was a heap and a B-tree holding the text twice), and the verb and
-- activity filters read (verb_key, seq) / (object_key, seq) (the text columns stay for
-- the views, which are unchanged). The index tables are built anew, their keys indexed
-- once filled, and the old ones dropped; statements is rewritten once by the change of
-- its key columns' type (bigint while the UPDATE fills them, then integer), which
-- leaves out the dead rows of the UPDATE and rebuilds its indexes: the space is given
-- back to the file system within the migration, with no VACUUM FULL.
DROP VIEW IF EXISTS mirco_statement_outcomes
;
DROP VIEW IF EXISTS mirco_statements_flat
;
CREATE TABLE identifiers (
    id SERIAL NOT NULL,
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
    seq BIGINT NOT NULL,
    agent_key INTEGER NOT NULL,
    is_primary BOOLEAN NOT NULL
)
;
INSERT INTO statement_agents_v7 (seq, agent_key, is_primary)
SELECT a.seq, i.id, a.is_primary FROM statement_agents a JOIN identifiers i ON i.value = a.ifi
;
DROP TABLE statement_agents
;
ALTER TABLE statement_agents_v7 RENAME TO statement_agents
;
ALTER TABLE statement_agents ADD CONSTRAINT statement_agents_pkey PRIMARY KEY (agent_key, seq)
;
CREATE TABLE statement_activities_v7 (
    seq BIGINT NOT NULL,
    activity_key INTEGER NOT NULL,
    is_primary BOOLEAN NOT NULL
)
;
INSERT INTO statement_activities_v7 (seq, activity_key, is_primary)
SELECT a.seq, i.id, a.is_primary FROM statement_activities a
JOIN identifiers i ON i.value = a.activity_id
;
DROP TABLE statement_activities
;
ALTER TABLE statement_activities_v7 RENAME TO statement_activities
;
ALTER TABLE statement_activities ADD CONSTRAINT statement_activities_pkey
    PRIMARY KEY (activity_key, seq)
;
ALTER TABLE statement_agents SET (autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 5000)
;
ALTER TABLE statement_activities SET (autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 5000)
;
DROP INDEX ix_statements_verb
;
DROP INDEX ix_statements_activity
;
ALTER TABLE statements ADD COLUMN verb_key BIGINT, ADD COLUMN object_key BIGINT
;
UPDATE statements SET
    verb_key = (SELECT i.id FROM identifiers i WHERE i.value = statements.verb_id),
    object_key = (SELECT i.id FROM identifiers i WHERE i.value = statements.object_activity_id)
;
ALTER TABLE statements ALTER COLUMN verb_key TYPE INTEGER, ALTER COLUMN object_key TYPE INTEGER
;
CREATE INDEX ix_statements_verb ON statements (verb_key, seq)
;
CREATE INDEX ix_statements_activity ON statements (object_key, seq)
;
ANALYZE identifiers, statements, statement_agents, statement_activities
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
