-- The realtime half, sqlite flavour (keep in step with the other folder's 0002_realtime.sql):
-- live messages, agents and their sessions, images, statistics events.

-- The last sequence number handed out in a conversation, and when an agent first took it
-- (for the expected wait).
ALTER TABLE conversations ADD COLUMN last_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN claimed_at INTEGER;

-- Every message of a live conversation, once: the client's id is unique per sender.
CREATE TABLE live_messages (
    conversation TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    sender       TEXT NOT NULL,     -- customer | agent | system
    sender_key   TEXT NOT NULL,     -- 'customer' or 'agent:<agent id>' (the dedup scope)
    client_id    TEXT NOT NULL,
    agent_name   TEXT,
    kind         TEXT NOT NULL,     -- text | image
    body         TEXT NOT NULL,     -- the text, or the image id
    at           INTEGER NOT NULL,
    PRIMARY KEY (conversation, seq),
    UNIQUE (conversation, sender_key, client_id)
);

-- Agents of the console; passwords as argon2id PHC strings.
CREATE TABLE agents (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    disabled_at   INTEGER
);

-- Console sessions: only the SHA-256 of the cookie's token is stored.
CREATE TABLE agent_sessions (
    token_hash TEXT PRIMARY KEY,
    agent_id   TEXT NOT NULL,
    csrf       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);

-- Images sent in a conversation (checked by their magic bytes).
CREATE TABLE live_images (
    id           TEXT PRIMARY KEY,
    conversation TEXT NOT NULL,
    mime         TEXT NOT NULL,
    bytes        BLOB NOT NULL,
    created_at   INTEGER NOT NULL
);

-- Anonymous statistics from the widget (and the console's suggestion clicks).
CREATE TABLE stat_events (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at        INTEGER NOT NULL,     -- the device's time, clamped to the server's
    day       INTEGER NOT NULL,     -- at / 86400 (UTC day number)
    visit     TEXT,
    kind      TEXT NOT NULL,     -- opened | answered | clarify | fallback | handoff | rating | suggestion
    entry     TEXT,
    text      TEXT,              -- fallback question (masked) or rating reason
    reason    TEXT,              -- handoff reason code
    satisfied INTEGER
);
CREATE INDEX stat_events_day ON stat_events (day, kind);
