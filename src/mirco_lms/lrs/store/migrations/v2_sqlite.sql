-- Migration 2 (frozen; never edit): fewer B-trees per statement: no actor index
-- (agent queries use statement_agents), a partial StatementRef index, index tables
-- keyed by (agent|activity, seq).
DROP INDEX ix_statements_actor
;
DROP INDEX ix_statements_ref
;
CREATE INDEX ix_statements_ref ON statements (object_statement_ref) WHERE object_statement_ref IS NOT NULL
;
DROP INDEX ix_statement_agents
;
ALTER TABLE statement_agents RENAME TO statement_agents_v1
;
CREATE TABLE statement_agents (
    ifi TEXT NOT NULL,
    seq INTEGER NOT NULL,
    is_primary BOOLEAN NOT NULL,
    PRIMARY KEY (ifi, seq)
) WITHOUT ROWID
;
INSERT INTO statement_agents (ifi, seq, is_primary) SELECT ifi, seq, is_primary FROM statement_agents_v1
;
DROP TABLE statement_agents_v1
;
DROP INDEX ix_statement_activities
;
ALTER TABLE statement_activities RENAME TO statement_activities_v1
;
CREATE TABLE statement_activities (
    activity_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    is_primary BOOLEAN NOT NULL,
    PRIMARY KEY (activity_id, seq)
) WITHOUT ROWID
;
INSERT INTO statement_activities (activity_id, seq, is_primary) SELECT activity_id, seq, is_primary FROM statement_activities_v1
;
DROP TABLE statement_activities_v1
;
