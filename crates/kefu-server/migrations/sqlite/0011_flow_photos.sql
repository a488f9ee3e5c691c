-- Photos a guided flow asks for (the return flow's photo step), uploaded before any
-- conversation with an agent exists. The id is the widget's own (upl- and 26 or more random
-- lowercase letters), chosen when the photo is picked so that the flow's slot can hold it
-- at once, offline too; a resend of the same id is stored once.
CREATE TABLE flow_photos (
    id         TEXT PRIMARY KEY,
    mime       TEXT NOT NULL,
    bytes      BLOB NOT NULL,
    created_at INTEGER NOT NULL
);
