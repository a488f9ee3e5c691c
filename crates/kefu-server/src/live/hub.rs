//! The hub: who is connected to which conversation in this process, and how events reach
//! them — in-process `broadcast` channels per conversation, bridged across instances by
//! PostgreSQL `LISTEN/NOTIFY` (sqlx's `PgListener`) when the database is PostgreSQL.
//!
//! Events carry no message content: a `message` event names the conversation and the new
//! sequence number, and every connection reads what it has not sent yet from the database.
//! So a lost notification (a listener reconnecting) loses nothing: the next event, or the
//! resync the listener sends after reconnecting, fills the gap, and messages always leave in
//! sequence order.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use kefu_protocol::Sender;
use serde::{Deserialize, Serialize};
use sqlx::Row as _;
use tokio::sync::{broadcast, watch, Notify};

use crate::db::{random_hex, Db, DbKind};

/// The PostgreSQL channel instances talk on.
pub const CHANNEL: &str = "kefu_live";

/// Something that happened in a conversation (or to the queue).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "kebab-case")]
pub enum LiveEvent {
    /// Message `seq` is stored.
    Message {
        conversation: String,
        seq: u64,
    },
    Typing {
        conversation: String,
        from: Sender,
        typing: bool,
    },
    AgentJoined {
        conversation: String,
        agent: String,
    },
    AgentLeft {
        conversation: String,
        agent: String,
    },
    Closed {
        conversation: String,
        by: Sender,
    },
    /// The queue changed (a handoff, a claim, a close): positions are recomputed.
    Queue,
    /// Notifications may have been missed: every connection re-reads its conversation.
    Resync,
}

impl LiveEvent {
    fn conversation(&self) -> Option<&str> {
        match self {
            LiveEvent::Message { conversation, .. }
            | LiveEvent::Typing { conversation, .. }
            | LiveEvent::AgentJoined { conversation, .. }
            | LiveEvent::AgentLeft { conversation, .. }
            | LiveEvent::Closed { conversation, .. } => Some(conversation),
            LiveEvent::Queue | LiveEvent::Resync => None,
        }
    }
}

#[derive(Serialize, Deserialize)]
struct Envelope {
    origin: String,
    #[serde(flatten)]
    event: LiveEvent,
}

/// Waiting conversations in queue order, and the expected seconds per place.
#[derive(Debug, Default)]
pub struct QueueSnapshot {
    pub positions: HashMap<String, u32>,
    /// Mean seconds between recent claims (how fast the queue moves), when known.
    pub secs_per_place: Option<u32>,
}

impl QueueSnapshot {
    /// The customer's place: 0 when the conversation is not waiting.
    pub fn status(&self, conversation: &str) -> kefu_protocol::QueueStatus {
        let position = self.positions.get(conversation).copied().unwrap_or(0);
        kefu_protocol::QueueStatus {
            position,
            expected_wait_secs: (position > 0)
                .then_some(self.secs_per_place)
                .flatten()
                .map(|s| s.saturating_mul(position)),
        }
    }
}

/// Shared by every connection of this process.
pub struct Hub {
    /// This process's random id, so it ignores its own notifications.
    instance: String,
    db: Db,
    rooms: Mutex<HashMap<String, broadcast::Sender<Arc<LiveEvent>>>>,
    queue_tx: watch::Sender<Arc<QueueSnapshot>>,
    queue_dirty: Notify,
}

/// A connection's subscription to a conversation; unsubscribes when dropped.
pub struct Subscription {
    hub: Arc<Hub>,
    conversation: String,
    pub rx: broadcast::Receiver<Arc<LiveEvent>>,
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let mut rooms = self.hub.rooms.lock().expect("hub lock");
        // This receiver still counts until it is dropped right after this function.
        if rooms
            .get(&self.conversation)
            .is_some_and(|tx| tx.receiver_count() <= 1)
        {
            rooms.remove(&self.conversation);
        }
    }
}

impl Hub {
    /// A hub for `db`; with PostgreSQL, `database_url` is listened on. Background tasks
    /// start when a tokio runtime is running.
    pub fn new(db: Db, database_url: &str) -> Arc<Hub> {
        let (queue_tx, _) = watch::channel(Arc::new(QueueSnapshot::default()));
        let hub = Arc::new(Hub {
            instance: random_hex(8),
            db,
            rooms: Mutex::default(),
            queue_tx,
            queue_dirty: Notify::new(),
        });
        if let Ok(rt) = tokio::runtime::Handle::try_current() {
            rt.spawn(refresh_queue(hub.clone()));
            if hub.db.kind == DbKind::Postgres {
                rt.spawn(listen(hub.clone(), database_url.to_string()));
            }
        }
        hub
    }

    pub fn subscribe(self: &Arc<Hub>, conversation: &str) -> Subscription {
        let mut rooms = self.rooms.lock().expect("hub lock");
        let rx = rooms
            .entry(conversation.to_string())
            .or_insert_with(|| broadcast::channel(256).0)
            .subscribe();
        Subscription {
            hub: self.clone(),
            conversation: conversation.to_string(),
            rx,
        }
    }

    /// The queue's latest snapshot, and its changes.
    pub fn queue(&self) -> watch::Receiver<Arc<QueueSnapshot>> {
        self.queue_tx.subscribe()
    }

    /// Connections to conversations in this process.
    pub fn connections(&self) -> usize {
        let rooms = self.rooms.lock().expect("hub lock");
        rooms.values().map(|tx| tx.receiver_count()).sum()
    }

    /// Delivers `event` here and, with PostgreSQL, to every other instance.
    pub async fn publish(&self, event: LiveEvent) {
        if self.db.kind == DbKind::Postgres {
            let payload = serde_json::to_string(&Envelope {
                origin: self.instance.clone(),
                event: event.clone(),
            })
            .expect("events serialise");
            if let Err(e) = sqlx::query("SELECT pg_notify($1, $2)")
                .bind(CHANNEL)
                .bind(payload)
                .execute(&self.db.pool)
                .await
            {
                // The other instances' clients catch up on their next event or reconnect.
                tracing::warn!("notifying other instances: {e}");
            }
        }
        self.dispatch(event);
    }

    fn dispatch(&self, event: LiveEvent) {
        match event.conversation() {
            Some(conversation) => {
                let rooms = self.rooms.lock().expect("hub lock");
                if let Some(tx) = rooms.get(conversation) {
                    let _ = tx.send(Arc::new(event));
                }
            }
            None => {
                if event == LiveEvent::Resync {
                    let event = Arc::new(event);
                    let rooms = self.rooms.lock().expect("hub lock");
                    for tx in rooms.values() {
                        let _ = tx.send(event.clone());
                    }
                }
                // Queue changes (and resyncs, which may hide them) refresh the snapshot.
                self.queue_dirty.notify_one();
            }
        }
    }
}

/// Recomputes the queue snapshot when it changes (and every 30 s, so the expected waits
/// stay current).
async fn refresh_queue(hub: Arc<Hub>) {
    loop {
        match snapshot(&hub.db).await {
            Ok(s) => {
                hub.queue_tx.send_replace(Arc::new(s));
            }
            Err(e) => tracing::warn!("reading the queue: {e}"),
        }
        let _ = tokio::time::timeout(Duration::from_secs(30), hub.queue_dirty.notified()).await;
        // Several changes at once make one refresh.
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn snapshot(db: &Db) -> Result<QueueSnapshot, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id FROM conversations WHERE status = 'waiting' ORDER BY created_at, id",
    )
    .fetch_all(&db.pool)
    .await?;
    let mut positions = HashMap::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        positions.insert(row.try_get::<String, _>("id")?, i as u32 + 1);
    }
    let claims = sqlx::query(
        "SELECT claimed_at FROM conversations WHERE claimed_at IS NOT NULL \
         ORDER BY claimed_at DESC LIMIT 21",
    )
    .fetch_all(&db.pool)
    .await?;
    let times: Vec<i64> = claims
        .iter()
        .filter_map(|r| r.try_get::<i64, _>("claimed_at").ok())
        .collect();
    let secs_per_place = (times.len() >= 2).then(|| {
        let span = (times[0] - times[times.len() - 1]).max(0) as f64;
        ((span / (times.len() - 1) as f64).round() as u32).clamp(10, 3_600)
    });
    Ok(QueueSnapshot {
        positions,
        secs_per_place,
    })
}

/// Forwards other instances' events to this one's connections.
async fn listen(hub: Arc<Hub>, url: String) {
    loop {
        let mut listener = match sqlx::postgres::PgListener::connect(&url).await {
            Ok(l) => l,
            Err(e) => {
                tracing::warn!("LISTEN connection: {e}; retrying");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        if let Err(e) = listener.listen(CHANNEL).await {
            tracing::warn!("LISTEN {CHANNEL}: {e}; retrying");
            tokio::time::sleep(Duration::from_secs(1)).await;
            continue;
        }
        // Whatever happened while this instance was not listening.
        hub.dispatch(LiveEvent::Resync);
        loop {
            match listener.try_recv().await {
                Ok(Some(n)) => match serde_json::from_str::<Envelope>(n.payload()) {
                    Ok(env) if env.origin != hub.instance => hub.dispatch(env.event),
                    Ok(_) => {}
                    Err(e) => tracing::warn!("unreadable notification: {e}"),
                },
                // The connection dropped and was re-established: catch up.
                Ok(None) => hub.dispatch(LiveEvent::Resync),
                Err(e) => {
                    tracing::warn!("LISTEN: {e}; reconnecting");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    break;
                }
            }
        }
    }
}
