-- run once against the hrqa database (ingest_policies.py also calls create_all, but the
-- extension and the ivfflat index have to be created by hand)
CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE IF NOT EXISTS policy_chunks (
    id              BIGSERIAL PRIMARY KEY,
    policy_id       TEXT        NOT NULL,          -- e.g. "HR-LV-004" (from the PDF file name)
    title           TEXT        NOT NULL,
    version         TEXT        NOT NULL,          -- "2023.2"; free text, not comparable
    effective_date  DATE,
    country         CHAR(2)     NOT NULL DEFAULT 'DE',
    section         TEXT,
    page            INTEGER,
    content         TEXT        NOT NULL,
    embedding       vector(1536) NOT NULL,
    ingested_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS policy_chunks_embedding_idx
    ON policy_chunks USING ivfflat (embedding vector_cosine_ops) WITH (lists = 100);
CREATE INDEX IF NOT EXISTS policy_chunks_policy_idx ON policy_chunks (policy_id, version);

CREATE TABLE IF NOT EXISTS chat_feedback (
    id              BIGSERIAL PRIMARY KEY,
    conversation_id UUID        NOT NULL,
    message_index   INTEGER     NOT NULL,
    rating          SMALLINT    NOT NULL,          -- 1 = thumbs up, 0 = thumbs down
    comment         TEXT,
    model           TEXT,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
