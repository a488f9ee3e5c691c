-- kefu-server schema, PostgreSQL flavour (keep in step with ../sqlite/0001_initial.sql).
-- Times are Unix seconds (BIGINT); JSON documents are TEXT.

-- Orders the database order source serves (seeded by --demo, or filled by the shop).
CREATE TABLE orders (
    order_no     TEXT PRIMARY KEY,
    owner        TEXT,              -- the host site's user id, NULL = guest order
    phone        TEXT,              -- the phone number on the order (digits)
    status       TEXT NOT NULL,     -- kefu_core OrderStatus code: shipped, delivered, ...
    carrier      TEXT,
    tracking_no  TEXT,
    eta          BIGINT,
    timeline     TEXT NOT NULL DEFAULT '[]',  -- JSON [TimelineEvent]
    items        TEXT NOT NULL DEFAULT '[]',  -- JSON [String]
    updated_at   BIGINT NOT NULL
);
CREATE INDEX orders_owner ON orders (owner);

-- Shop API keys for the chat API: only the SHA-256 of the key is stored.
CREATE TABLE api_keys (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    key_hash     TEXT NOT NULL UNIQUE, -- hex SHA-256 of the whole key
    prefix       TEXT NOT NULL,        -- first characters, to recognise a key in lists
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at   BIGINT
);

-- Conversation state of the chat API, per API key and session.
CREATE TABLE chat_sessions (
    api_key_id   TEXT NOT NULL,
    session      TEXT NOT NULL,
    state        TEXT NOT NULL,        -- JSON kefu_core::Conversation
    conversation TEXT,                 -- the handoff conversation, once handed off
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    PRIMARY KEY (api_key_id, session)
);

-- Conversations handed to humans (from the widget or the chat API). The queue takes rows
-- with status 'waiting', oldest first.
CREATE TABLE conversations (
    id                  TEXT PRIMARY KEY,
    status              TEXT NOT NULL,   -- waiting | active | closed
    channel             TEXT NOT NULL,   -- widget | api
    user_id             TEXT,            -- verified user id, NULL = anonymous
    reason              TEXT NOT NULL,   -- HandoffReason code
    handoff             TEXT NOT NULL,   -- JSON kefu_core Handoff (masked transcript, slots, ...)
    locale              TEXT,
    page_url            TEXT,
    customer_token_hash TEXT,            -- hex SHA-256 of the customer's token (widget)
    agent_id            TEXT,            -- the agent who has it, NULL while waiting
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    closed_at           BIGINT
);
CREATE INDEX conversations_status ON conversations (status, created_at);

-- Messages left outside working hours.
CREATE TABLE left_messages (
    id          TEXT PRIMARY KEY,
    channel     TEXT NOT NULL,          -- widget | api
    user_id     TEXT,
    contact     TEXT NOT NULL,
    question    TEXT NOT NULL,
    reply_after BIGINT,
    handoff     TEXT NOT NULL,          -- JSON kefu_core Handoff
    locale      TEXT,
    created_at  BIGINT NOT NULL,
    handled_at  BIGINT,
    handled_by  TEXT
);
CREATE INDEX left_messages_open ON left_messages (handled_at, created_at);
