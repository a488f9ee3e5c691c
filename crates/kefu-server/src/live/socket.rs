//! One WebSocket of a live conversation, customer or agent: frames in `kefu_protocol::ws`.
//!
//! The connection keeps the highest `seq` it has sent; whenever the hub says something new
//! was stored (or after a resync) it reads everything above that from the database and
//! sends it in order. A client's own messages come back to it as `message` frames too
//! (same `id`, after the `ack`), so every tab of a conversation shows the same thing.

use std::time::Duration;

use axum::extract::ws::{Message, WebSocket};
use futures_util::{SinkExt as _, StreamExt as _};
use kefu_protocol::error::ErrorDetail;
use kefu_protocol::ws::{AgentInfo, ClientFrame, ServerFrame};
use kefu_protocol::{ErrorCode, QueueStatus, Sender, PROTOCOL_VERSION};

use super::hub::LiveEvent;
use super::store::{self, Author, Status};
use crate::error::ApiError;
use crate::state::AppState;

/// Who is on this connection.
#[derive(Debug, Clone)]
pub enum Peer {
    Customer,
    Agent { id: String, name: String },
}

impl Peer {
    fn sender(&self) -> Sender {
        match self {
            Peer::Customer => Sender::Customer,
            Peer::Agent { .. } => Sender::Agent,
        }
    }
}

/// Largest text frame accepted (a 2,000-character message in JSON, with room to spare).
pub const MAX_FRAME_BYTES: usize = 16 * 1024;

/// A WebSocket's limits and buffers: small buffers, since most conversations are idle most
/// of the time (tungstenite's defaults are 128 KiB each, which 10,000 idle customers feel).
pub fn limits(ws: axum::extract::WebSocketUpgrade) -> axum::extract::WebSocketUpgrade {
    ws.max_message_size(MAX_FRAME_BYTES)
        .max_frame_size(MAX_FRAME_BYTES)
        .read_buffer_size(4 * 1024)
        .write_buffer_size(0)
        .max_write_buffer_size(1024 * 1024)
}

struct Conn {
    state: AppState,
    conversation: String,
    peer: Peer,
    /// Highest `seq` sent on this connection.
    sent: u64,
    /// `last_seq` when the connection opened: later messages went out live.
    opened_at_seq: u64,
    last_queue: Option<QueueStatus>,
}

type Tx = futures_util::stream::SplitSink<WebSocket, Message>;

async fn send(tx: &mut Tx, frame: &ServerFrame) -> Result<(), axum::Error> {
    let json = serde_json::to_string(frame).expect("frames serialise");
    tx.send(Message::Text(json.into())).await
}

fn error_frame(e: &ApiError) -> ServerFrame {
    ServerFrame::Error {
        error: ErrorDetail {
            code: e.code,
            message: e.message.to_string(),
        },
    }
}

/// Runs a connection until either side closes it.
pub async fn run(socket: WebSocket, state: AppState, conversation: String, peer: Peer) {
    let hub = state.live.hub.clone();
    let mut sub = hub.subscribe(&conversation);
    let mut queue = hub.queue();
    let (mut tx, mut rx) = socket.split();
    let row = match store::conversation(&state.db, &conversation).await {
        Ok(Some(r)) => r,
        _ => return,
    };
    let mut conn = Conn {
        state: state.clone(),
        conversation,
        peer,
        sent: row.last_seq,
        opened_at_seq: row.last_seq,
        last_queue: None,
    };
    let welcome = ServerFrame::Welcome {
        conversation: conn.conversation.clone(),
        last_seq: row.last_seq,
        protocol: PROTOCOL_VERSION,
    };
    if send(&mut tx, &welcome).await.is_err() {
        return;
    }
    if matches!(conn.peer, Peer::Customer) {
        let mut first = vec![];
        match row.status {
            Status::Waiting => {
                let status = queue.borrow_and_update().status(&conn.conversation);
                // A conversation created a moment ago may not be in the snapshot yet.
                let status = if status.position == 0 {
                    QueueStatus {
                        position: super::position(&state.db, &conn.conversation)
                            .await
                            .unwrap_or(1),
                        expected_wait_secs: None,
                    }
                } else {
                    status
                };
                conn.last_queue = Some(status);
                first.push(ServerFrame::Queue(status));
            }
            Status::Active => {
                if let Some(name) = super::agent_name(&state.db, row.agent_id.as_deref()).await {
                    first.push(ServerFrame::AgentJoined {
                        agent: AgentInfo { name },
                    });
                }
            }
            Status::Closed => first.push(ServerFrame::Closed { by: Sender::System }),
        }
        for f in first {
            if send(&mut tx, &f).await.is_err() {
                return;
            }
        }
    }
    let mut ping = tokio::time::interval(Duration::from_secs(30));
    ping.tick().await;
    let mut idle_pings = 0u32;
    loop {
        tokio::select! {
            incoming = rx.next() => {
                let Some(Ok(msg)) = incoming else { break };
                idle_pings = 0;
                let text = match msg {
                    Message::Text(t) => t,
                    Message::Close(_) => break,
                    Message::Binary(_) => {
                        let e = ApiError::new(ErrorCode::InvalidRequest, "send JSON text frames");
                        if send(&mut tx, &error_frame(&e)).await.is_err() { break }
                        continue;
                    }
                    _ => continue,
                };
                let frames = match conn.handle(text.as_str()).await {
                    Ok(f) => f,
                    Err(e) => vec![error_frame(&e)],
                };
                let mut failed = false;
                for f in frames {
                    if send(&mut tx, &f).await.is_err() { failed = true; break }
                }
                if failed { break }
            }
            event = sub.rx.recv() => {
                let frames = match event {
                    Ok(ev) => conn.on_event(&ev).await,
                    // Too far behind: read everything from the database.
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => conn.catch_up().await,
                    Err(_) => break,
                };
                let mut failed = false;
                for f in frames {
                    if send(&mut tx, &f).await.is_err() { failed = true; break }
                }
                if failed { break }
            }
            changed = queue.changed(), if matches!(conn.peer, Peer::Customer) => {
                if changed.is_err() { break }
                let status = queue.borrow_and_update().status(&conn.conversation);
                let waiting = conn.last_queue.is_some_and(|q| q.position > 0);
                if waiting && status.position > 0 && conn.last_queue != Some(status) {
                    conn.last_queue = Some(status);
                    if send(&mut tx, &ServerFrame::Queue(status)).await.is_err() { break }
                }
            }
            _ = ping.tick() => {
                idle_pings += 1;
                // Two minutes without a word (not even a pong): the peer is gone.
                if idle_pings > 4 { break }
                if tx.send(Message::Ping(Vec::new().into())).await.is_err() { break }
            }
        }
    }
    let _ = tx.close().await;
}

impl Conn {
    /// Everything stored above what this connection sent.
    async fn catch_up(&mut self) -> Vec<ServerFrame> {
        let mut out = vec![];
        loop {
            match store::messages_after(&self.state.db, &self.conversation, self.sent, 200).await {
                Ok(batch) => {
                    let n = batch.len();
                    for m in batch {
                        self.sent = self.sent.max(m.seq);
                        out.push(ServerFrame::Message(m));
                    }
                    if n < 200 {
                        break;
                    }
                }
                Err(e) => {
                    tracing::warn!("reading messages: {:?}", e.cause);
                    break;
                }
            }
        }
        out
    }

    async fn on_event(&mut self, event: &LiveEvent) -> Vec<ServerFrame> {
        let me = self.peer.sender();
        match event {
            LiveEvent::Message { seq, .. } if *seq > self.sent => self.catch_up().await,
            LiveEvent::Message { .. } => vec![],
            LiveEvent::Resync => self.catch_up().await,
            LiveEvent::Typing { from, typing, .. } if *from != me => vec![ServerFrame::Typing {
                from: *from,
                typing: *typing,
            }],
            LiveEvent::Typing { .. } => vec![],
            LiveEvent::AgentJoined { agent, .. } => {
                if matches!(self.peer, Peer::Customer) {
                    self.last_queue = Some(QueueStatus {
                        position: 0,
                        expected_wait_secs: None,
                    });
                }
                vec![
                    ServerFrame::Queue(QueueStatus {
                        position: 0,
                        expected_wait_secs: None,
                    }),
                    ServerFrame::AgentJoined {
                        agent: AgentInfo {
                            name: agent.clone(),
                        },
                    },
                ]
            }
            LiveEvent::AgentLeft { agent, .. } => vec![ServerFrame::AgentLeft {
                agent: AgentInfo {
                    name: agent.clone(),
                },
            }],
            LiveEvent::Closed { by, .. } => {
                let mut out = self.catch_up().await;
                out.push(ServerFrame::Closed { by: *by });
                out
            }
            LiveEvent::Queue => vec![],
        }
    }

    async fn handle(&mut self, text: &str) -> Result<Vec<ServerFrame>, ApiError> {
        if text.len() > MAX_FRAME_BYTES {
            return Err(ApiError::new(ErrorCode::PayloadTooLarge, "frame too large"));
        }
        let frame: ClientFrame = serde_json::from_str(text).map_err(|e| {
            ApiError::new(ErrorCode::InvalidRequest, format!("unreadable frame: {e}"))
        })?;
        let db = &self.state.db;
        let hub = &self.state.live.hub;
        match frame {
            ClientFrame::Send { id, content } => {
                store::check_client_id(&id)?;
                let row = store::conversation(db, &self.conversation)
                    .await?
                    .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "no such conversation"))?;
                let author = match &self.peer {
                    Peer::Customer => Author {
                        sender: Sender::Customer,
                        key: "customer".into(),
                        agent_name: None,
                    },
                    Peer::Agent { id, name } => Author {
                        sender: Sender::Agent,
                        key: format!("agent:{id}"),
                        agent_name: Some(name.as_str()),
                    },
                };
                // A resend of a stored message is acknowledged whatever the state now.
                let stored = if row.status == Status::Closed {
                    None
                } else {
                    Some(())
                };
                if let Peer::Agent { id: agent, .. } = &self.peer {
                    if stored.is_some()
                        && (row.status != Status::Active || row.agent_id.as_deref() != Some(agent))
                    {
                        if let Some(seq) = self.already_stored(&author.key, &id).await? {
                            return Ok(vec![ServerFrame::Ack { id, seq }]);
                        }
                        return Err(ApiError::new(
                            ErrorCode::Forbidden,
                            "claim the conversation before replying",
                        ));
                    }
                }
                if stored.is_none() {
                    if let Some(seq) = self.already_stored(&author.key, &id).await? {
                        return Ok(vec![ServerFrame::Ack { id, seq }]);
                    }
                    return Err(ApiError::new(
                        ErrorCode::Conflict,
                        "the conversation is closed",
                    ));
                }
                store::check_content(db, &self.conversation, &content).await?;
                let (seq, new) =
                    store::append(db, &self.conversation, &author, &id, &content).await?;
                let mut out = vec![ServerFrame::Ack { id, seq }];
                if new {
                    hub.publish(LiveEvent::Message {
                        conversation: self.conversation.clone(),
                        seq,
                    })
                    .await;
                }
                if seq > self.sent {
                    out.extend(self.catch_up().await);
                }
                Ok(out)
            }
            ClientFrame::Typing { typing } => {
                hub.publish(LiveEvent::Typing {
                    conversation: self.conversation.clone(),
                    from: self.peer.sender(),
                    typing,
                })
                .await;
                Ok(vec![])
            }
            ClientFrame::Ack { .. } => Ok(vec![]),
            ClientFrame::Resume { after_seq } => {
                let mut out = vec![];
                let mut from = after_seq;
                loop {
                    let batch = store::messages_after(db, &self.conversation, from, 200).await?;
                    let n = batch.len();
                    for m in batch {
                        from = m.seq;
                        // Later ones already went out live on this connection.
                        if m.seq <= self.opened_at_seq || m.seq > self.sent {
                            self.sent = self.sent.max(m.seq);
                            out.push(ServerFrame::Message(m));
                        }
                    }
                    if n < 200 {
                        break;
                    }
                }
                Ok(out)
            }
            ClientFrame::Close => {
                let agent = match &self.peer {
                    Peer::Customer => None,
                    Peer::Agent { id, .. } => Some(id.as_str()),
                };
                if store::close(db, &self.conversation, agent).await? {
                    hub.publish(LiveEvent::Closed {
                        conversation: self.conversation.clone(),
                        by: self.peer.sender(),
                    })
                    .await;
                    hub.publish(LiveEvent::Queue).await;
                    Ok(vec![])
                } else if agent.is_some() {
                    Err(ApiError::new(
                        ErrorCode::Forbidden,
                        "only the conversation's agent closes it",
                    ))
                } else {
                    Ok(vec![])
                }
            }
        }
    }

    async fn already_stored(&self, key: &str, id: &str) -> Result<Option<u64>, ApiError> {
        let rows = sqlx::query(
            "SELECT seq FROM live_messages WHERE conversation = $1 AND sender_key = $2 AND client_id = $3",
        )
        .bind(&self.conversation)
        .bind(key)
        .bind(id)
        .fetch_optional(&self.state.db.pool)
        .await?;
        use sqlx::Row as _;
        Ok(match rows {
            Some(r) => Some(r.try_get::<i64, _>("seq")? as u64),
            None => None,
        })
    }
}
