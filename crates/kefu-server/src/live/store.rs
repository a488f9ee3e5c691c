//! Conversations and their messages in the database. A message is stored once per
//! (conversation, sender, client id): a resend finds the stored one and gets its `seq` again.
//! Sequence numbers come from `conversations.last_seq`, incremented in the same transaction
//! as the insert, so they are gapless and ordered whichever instance stores the message.

use kefu_protocol::ws::{LiveMessage, MessageContent};
use kefu_protocol::{ErrorCode, Sender};
use sha2::{Digest, Sha256};
use sqlx::Row as _;

use crate::db::{now, Db, Row};
use crate::error::{ApiError, ApiResult};

/// Where a conversation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Waiting,
    Active,
    Closed,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::Waiting => "waiting",
            Status::Active => "active",
            Status::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        match s {
            "waiting" => Some(Status::Waiting),
            "active" => Some(Status::Active),
            "closed" => Some(Status::Closed),
            _ => None,
        }
    }
}

/// The parts of a `conversations` row the live side needs.
#[derive(Debug, Clone)]
pub struct ConversationRow {
    pub id: String,
    pub status: Status,
    pub agent_id: Option<String>,
    pub customer_token_hash: Option<String>,
    pub last_seq: u64,
}

/// Hex SHA-256 of a customer token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub async fn conversation(db: &Db, id: &str) -> ApiResult<Option<ConversationRow>> {
    let row = sqlx::query(
        "SELECT id, status, agent_id, customer_token_hash, last_seq FROM conversations WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let status: String = row.try_get("status")?;
    Ok(Some(ConversationRow {
        id: row.try_get("id")?,
        status: Status::parse(&status)
            .ok_or_else(|| ApiError::internal(anyhow::anyhow!("conversation status {status}")))?,
        agent_id: row.try_get("agent_id")?,
        customer_token_hash: row.try_get("customer_token_hash")?,
        last_seq: row.try_get::<i64, _>("last_seq")?.max(0) as u64,
    }))
}

/// Who stores a message.
#[derive(Debug, Clone)]
pub struct Author<'a> {
    pub sender: Sender,
    /// `customer` or `agent:<id>`: client ids are unique within this scope.
    pub key: String,
    pub agent_name: Option<&'a str>,
}

fn sender_code(s: Sender) -> &'static str {
    match s {
        Sender::Customer => "customer",
        Sender::Agent => "agent",
        Sender::Bot => "bot",
        Sender::System => "system",
    }
}

fn sender_of(code: &str) -> Sender {
    match code {
        "customer" => Sender::Customer,
        "agent" => Sender::Agent,
        "bot" => Sender::Bot,
        _ => Sender::System,
    }
}

async fn stored_seq(
    db: &Db,
    conversation: &str,
    key: &str,
    client_id: &str,
) -> ApiResult<Option<u64>> {
    let row = sqlx::query(
        "SELECT seq FROM live_messages WHERE conversation = $1 AND sender_key = $2 AND client_id = $3",
    )
    .bind(conversation)
    .bind(key)
    .bind(client_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(match row {
        Some(r) => Some(r.try_get::<i64, _>("seq")? as u64),
        None => None,
    })
}

/// Stores a message unless this author already stored `client_id`; returns its `seq` and
/// whether it is new.
pub async fn append(
    db: &Db,
    conversation: &str,
    author: &Author<'_>,
    client_id: &str,
    content: &MessageContent,
) -> ApiResult<(u64, bool)> {
    if let Some(seq) = stored_seq(db, conversation, &author.key, client_id).await? {
        return Ok((seq, false));
    }
    let (kind, body) = match content {
        MessageContent::Text { text } => ("text", text.as_str()),
        MessageContent::Image { image } => ("image", image.as_str()),
    };
    let at = now();
    let mut tx = db.pool.begin().await?;
    let row = sqlx::query(
        "UPDATE conversations SET last_seq = last_seq + 1, updated_at = $2 WHERE id = $1 RETURNING last_seq",
    )
    .bind(conversation)
    .bind(at)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "no such conversation"))?;
    let seq: i64 = row.try_get("last_seq")?;
    let inserted = sqlx::query(
        "INSERT INTO live_messages (conversation, seq, sender, sender_key, client_id, agent_name, kind, body, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(conversation)
    .bind(seq)
    .bind(sender_code(author.sender))
    .bind(&author.key)
    .bind(client_id)
    .bind(author.agent_name)
    .bind(kind)
    .bind(body)
    .bind(at)
    .execute(&mut *tx)
    .await;
    match inserted {
        Ok(_) => {
            tx.commit().await?;
            Ok((seq as u64, true))
        }
        Err(e) => {
            tx.rollback().await.ok();
            // The same message, stored meanwhile by another connection (a resend racing
            // the original): answer with that one.
            match stored_seq(db, conversation, &author.key, client_id).await? {
                Some(seq) => Ok((seq, false)),
                None => Err(e.into()),
            }
        }
    }
}

fn message_of(row: &Row) -> Result<LiveMessage, sqlx::Error> {
    let kind: String = row.try_get("kind")?;
    let body: String = row.try_get("body")?;
    let sender: String = row.try_get("sender")?;
    Ok(LiveMessage {
        seq: row.try_get::<i64, _>("seq")? as u64,
        id: row.try_get("client_id")?,
        from: sender_of(&sender),
        agent: row.try_get("agent_name")?,
        content: if kind == "image" {
            MessageContent::Image { image: body }
        } else {
            MessageContent::Text { text: body }
        },
        at: row.try_get::<i64, _>("at")?,
    })
}

/// Messages after `after_seq`, oldest first, at most `limit`.
pub async fn messages_after(
    db: &Db,
    conversation: &str,
    after_seq: u64,
    limit: u32,
) -> ApiResult<Vec<LiveMessage>> {
    let rows = sqlx::query(
        "SELECT seq, sender, client_id, agent_name, kind, body, at FROM live_messages \
         WHERE conversation = $1 AND seq > $2 ORDER BY seq LIMIT $3",
    )
    .bind(conversation)
    .bind(after_seq.min(i64::MAX as u64) as i64)
    .bind(limit as i64)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.iter().map(message_of).collect::<Result<_, _>>()?)
}

/// The text of the customer's latest text message, if any.
pub async fn last_customer_text(db: &Db, conversation: &str) -> ApiResult<Option<String>> {
    let row = sqlx::query(
        "SELECT body FROM live_messages WHERE conversation = $1 AND sender = 'customer' AND kind = 'text' \
         ORDER BY seq DESC LIMIT 1",
    )
    .bind(conversation)
    .fetch_optional(&db.pool)
    .await?;
    Ok(match row {
        Some(r) => Some(r.try_get("body")?),
        None => None,
    })
}

/// Closes a conversation that is not closed yet; `false` when it already was (or is not
/// `agent`'s, when given).
pub async fn close(db: &Db, conversation: &str, agent: Option<&str>) -> ApiResult<bool> {
    let t = now();
    let done = match agent {
        None => {
            sqlx::query(
                "UPDATE conversations SET status = 'closed', closed_at = $2, updated_at = $2 \
                 WHERE id = $1 AND status <> 'closed'",
            )
            .bind(conversation)
            .bind(t)
            .execute(&db.pool)
            .await?
        }
        Some(agent) => {
            sqlx::query(
                "UPDATE conversations SET status = 'closed', closed_at = $2, updated_at = $2 \
                 WHERE id = $1 AND status = 'active' AND agent_id = $3",
            )
            .bind(conversation)
            .bind(t)
            .bind(agent)
            .execute(&db.pool)
            .await?
        }
    };
    Ok(done.rows_affected() > 0)
}

/// Checks a client message id: 1–128 bytes, no control characters or spaces.
pub fn check_client_id(id: &str) -> Result<(), ApiError> {
    if id.is_empty()
        || id.len() > kefu_protocol::limits::MAX_ID_BYTES
        || id.chars().any(|c| c.is_control() || c.is_whitespace())
    {
        return Err(ApiError::invalid(
            "message id must be 1-128 bytes without spaces or control characters",
        ));
    }
    Ok(())
}

/// Checks a message's content; images must belong to the conversation.
pub async fn check_content(db: &Db, conversation: &str, content: &MessageContent) -> ApiResult<()> {
    match content {
        MessageContent::Text { text } => {
            if text.trim().is_empty() {
                return Err(ApiError::invalid("text must not be empty"));
            }
            if text.chars().count() > kefu_protocol::limits::MAX_TEXT_CHARS {
                return Err(ApiError::invalid("text is longer than 2000 characters"));
            }
            Ok(())
        }
        MessageContent::Image { image } => {
            let found =
                sqlx::query("SELECT id FROM live_images WHERE id = $1 AND conversation = $2")
                    .bind(image)
                    .bind(conversation)
                    .fetch_optional(&db.pool)
                    .await?;
            if found.is_none() {
                return Err(ApiError::invalid(
                    "no such image in this conversation; upload it first",
                ));
            }
            Ok(())
        }
    }
}
