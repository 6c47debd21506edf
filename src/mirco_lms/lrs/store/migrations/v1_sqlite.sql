-- Migration 1: the first schema (frozen; never edit): statements with their index
-- tables, attachments, documents, activity definitions and credentials.
CREATE TABLE statements (
    seq INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    id VARCHAR(36) NOT NULL,
    stored VARCHAR(40) NOT NULL,
    stored_us BIGINT NOT NULL,
    actor_ifi TEXT,
    verb_id TEXT NOT NULL,
    object_activity_id TEXT,
    object_statement_ref VARCHAR(36),
    registration VARCHAR(36),
    timestamp VARCHAR(40),
    voided BOOLEAN NOT NULL,
    is_voiding BOOLEAN NOT NULL,
    credential_key VARCHAR(64),
    "full" TEXT NOT NULL,
    UNIQUE (id)
)
;
CREATE INDEX ix_statements_activity ON statements (object_activity_id, seq)
;
CREATE INDEX ix_statements_actor ON statements (actor_ifi, seq)
;
CREATE INDEX ix_statements_credential ON statements (credential_key, seq)
;
CREATE INDEX ix_statements_ref ON statements (object_statement_ref)
;
CREATE INDEX ix_statements_registration ON statements (registration, seq)
;
CREATE INDEX ix_statements_stored ON statements (stored_us)
;
CREATE INDEX ix_statements_verb ON statements (verb_id, seq)
;
CREATE TABLE statement_agents (
    seq INTEGER NOT NULL,
    ifi TEXT NOT NULL,
    is_primary BOOLEAN NOT NULL
)
;
CREATE INDEX ix_statement_agents ON statement_agents (ifi, seq)
;
CREATE TABLE statement_activities (
    seq INTEGER NOT NULL,
    activity_id TEXT NOT NULL,
    is_primary BOOLEAN NOT NULL
)
;
CREATE INDEX ix_statement_activities ON statement_activities (activity_id, seq)
;
CREATE TABLE attachments (
    sha2 VARCHAR(128) NOT NULL,
    content_type TEXT NOT NULL,
    content BLOB NOT NULL,
    PRIMARY KEY (sha2)
)
;
CREATE TABLE documents (
    kind VARCHAR(20) NOT NULL,
    activity_id TEXT NOT NULL,
    agent_ifi TEXT NOT NULL,
    registration VARCHAR(36) NOT NULL,
    doc_id TEXT NOT NULL,
    content_type TEXT NOT NULL,
    content BLOB NOT NULL,
    etag VARCHAR(80) NOT NULL,
    updated VARCHAR(40) NOT NULL,
    PRIMARY KEY (kind, activity_id, agent_ifi, registration, doc_id)
)
;
CREATE TABLE activities (
    id TEXT NOT NULL,
    definition TEXT NOT NULL,
    PRIMARY KEY (id)
)
;
CREATE TABLE credentials (
    "key" VARCHAR(64) NOT NULL,
    name TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    scopes TEXT NOT NULL,
    created VARCHAR(40) NOT NULL,
    revoked BOOLEAN NOT NULL,
    PRIMARY KEY ("key"),
    UNIQUE (name)
)
;
