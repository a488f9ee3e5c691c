//! The session's layout in stored-form versions 1 and 2, frozen: [`crate::store`] reads
//! those versions into these types and converts them. Version 3 gave [`super::Outgoing`]
//! its `image` (customer images for the agent); everything else is today's. Never change
//! these types — a later layout change freezes its own previous version next to this one.

use kefu_core::dialogue::SavedConversation;
use serde::Deserialize;

use super::{Item, Job};

#[derive(Deserialize)]
pub struct Session {
    conversation: SavedConversation,
    items: Vec<Item>,
    next_item: u32,
    queue: Vec<Job>,
    next_job: u32,
    handoff_id: Option<String>,
    live: Option<Live>,
}

#[derive(Deserialize)]
struct Live {
    conversation: String,
    token: String,
    ws_url: String,
    last_seq: u64,
    outbox: Vec<Outgoing>,
    mine: Vec<String>,
    agent: Option<String>,
    next_id: u32,
    id_prefix: String,
}

#[derive(Deserialize)]
struct Outgoing {
    id: String,
    text: String,
}

impl From<Session> for super::Session<SavedConversation> {
    fn from(old: Session) -> Self {
        super::Session {
            conversation: old.conversation,
            items: old.items,
            next_item: old.next_item,
            queue: old.queue,
            next_job: old.next_job,
            handoff_id: old.handoff_id,
            live: old.live.map(|l| super::Live {
                conversation: l.conversation,
                token: l.token,
                ws_url: l.ws_url,
                last_seq: l.last_seq,
                outbox: l
                    .outbox
                    .into_iter()
                    .map(|o| super::Outgoing {
                        id: o.id,
                        text: o.text,
                        image: None,
                    })
                    .collect(),
                mine: l.mine,
                agent: l.agent,
                next_id: l.next_id,
                id_prefix: l.id_prefix,
            }),
        }
    }
}
