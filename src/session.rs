//! One customer's chat on this device: the engine's [`Conversation`], everything shown in
//! the window, and the requests waiting for the network. Plain Rust, no DOM: the chat
//! ([`crate::chat`]) calls these methods and the components render [`Session::items`]. The
//! whole value is serialisable, so a reload restores it ([`crate::store`]).
//!
//! Every turn goes through [`Conversation::respond`]; the widget never decides an answer.

use kefu_core::dialogue::reply::OrderCard;
use kefu_core::dialogue::state::{Speaker, TranscriptLine};
use kefu_core::dialogue::{Action, Choice, Conversation, Input, Message, SavedConversation};
use kefu_core::{Engine, Timestamp};
use kefu_protocol::ws::{MessageContent, ServerFrame};
use kefu_protocol::{handoff::HandoffCreated, QueueStatus, Sender};
use serde::{Deserialize, Serialize};

pub mod v2;

/// Longest text the widget passes to the engine, in characters.
pub const MAX_QUESTION_CHARS: usize = 200;

/// A notice of the widget itself (not of the engine): its text is the widget's own,
/// translated when shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Notice {
    /// No server configured for this service.
    Unavailable(Service),
    /// A request and where it stands.
    Job {
        job: u32,
        service: Service,
        state: JobState,
    },
    /// An anonymous order lookup needs the last 4 phone digits.
    AskPhone {
        order_no: String,
        job: u32,
    },
    /// Too many wrong guesses; retry after this many seconds.
    TooManyTries {
        secs: u32,
    },
    /// The handoff is queued (position and minutes, when the server said).
    Queue {
        position: Option<u32>,
        minutes: Option<u32>,
    },
    /// The uploaded file was refused before sending (the reason is already translated).
    Refused(String),
    Offline,
    Online,
    /// An agent took the live conversation (their display name).
    AgentJoined(String),
    /// The agent left (a transfer); the customer waits again.
    AgentLeft(String),
    /// The live conversation ended; the bot answers again.
    LiveClosed,
    /// A system message of the live conversation (the server's text).
    LiveSystem(String),
    /// The saved conversation could not be restored; `kept`: its text is shown above.
    /// (New variants go last: the stored form numbers them by position.)
    Unrestored {
        kept: bool,
    },
    /// An image for the agent did not upload (its file name, the reason).
    ImageFailed {
        name: String,
        reason: String,
    },
    /// A flow asked for a photo and no server is configured: it cannot be sent.
    PhotoUnavailable,
}

/// What a server request is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Service {
    Orders,
    Agents,
    Messages,
}

/// Where a request stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum JobState {
    /// Waiting for the network.
    Queued,
    Sending,
    /// An anonymous order lookup waits for the phone digits.
    NeedsPhone,
    Sent,
    Failed(String),
}

/// Who said what.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Said {
    Customer(String),
    /// The customer sent an image (its file name; the picture itself is not kept).
    CustomerImage(String),
    Bot(Message),
    Agent {
        name: String,
        text: String,
    },
    Widget(Notice),
    /// The customer wrote to the agent; `id` is the message's client id (unacknowledged
    /// while it is in [`Live::outbox`]).
    CustomerLive {
        id: String,
        text: String,
    },
    /// The customer sent an image to the agent (its file name; the picture stays on the
    /// server); `id` as for [`Said::CustomerLive`].
    CustomerLiveImage {
        id: String,
        name: String,
    },
    /// An image for the agent waiting for the network or for its upload (its file name; the
    /// picture is kept on the device until sent, see `crate::chat`). `id` is the client id its
    /// message will have, given once, so it is sent exactly once. Becomes
    /// [`Said::CustomerLiveImage`] once uploaded. (New variants go last.)
    CustomerQueuedImage {
        id: String,
        name: String,
    },
    /// A photo for a flow's step (its file name): `id` is the reference the step's slot holds
    /// and the server stores it under (`PUT /api/v1/uploads/{id}`), chosen when the photo was
    /// picked, so the flow goes on offline too and the photo is stored once however often it
    /// is sent. The picture is kept on the device until the server has it.
    CustomerPhoto {
        id: String,
        name: String,
        state: PhotoState,
    },
    /// An image for the agent the server did not take (its file name, the reason): its
    /// picture is still on the device and the customer may send it again, under the same
    /// client id (back to [`Said::CustomerQueuedImage`]).
    CustomerFailedImage {
        id: String,
        name: String,
        reason: String,
    },
}

/// Where a flow's photo stands (sending is the chat's own, not saved: a reload sends again).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PhotoState {
    /// Waiting for the network or the upload.
    Waiting,
    Sent,
    /// Refused or lost (the reason); the customer may retry.
    Failed(String),
}

/// The live conversation with an agent, saved with the session so a reload reconnects.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Live {
    pub conversation: String,
    /// The customer's secret for the WebSocket.
    pub token: String,
    /// The WebSocket's path on the server (`/api/v1/conversations/…/ws`).
    pub ws_url: String,
    /// The highest `seq` shown: a reconnect resumes after it.
    pub last_seq: u64,
    /// Messages sent and not yet acknowledged, oldest first: resent after a reconnect.
    pub outbox: Vec<Outgoing>,
    /// Client ids of the messages this device sent (their echo is not shown again).
    pub mine: Vec<String>,
    /// The agent serving, once one joined.
    pub agent: Option<String>,
    next_id: u32,
    /// Random prefix of this conversation's client ids.
    id_prefix: String,
}

/// A customer message for the agent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outgoing {
    pub id: String,
    /// The text; for an image, the file's name.
    pub text: String,
    /// An image uploaded to the conversation (the id the server gave it).
    pub image: Option<String>,
}

impl Outgoing {
    /// What the socket sends.
    pub fn content(&self) -> MessageContent {
        match &self.image {
            Some(image) => MessageContent::Image {
                image: image.clone(),
            },
            None => MessageContent::Text {
                text: self.text.clone(),
            },
        }
    }
}

/// What a server frame asks the chat to do besides updating the session.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FrameOutcome {
    /// The connection is (re)established: resume, then resend the outbox.
    pub welcome: bool,
    /// Tell the server everything up to this `seq` is shown.
    pub ack: Option<u64>,
    /// The agent started or stopped typing.
    pub typing: Option<bool>,
    /// The conversation ended.
    pub closed: bool,
}

/// One thing shown in the window; `id` is unique within the session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub id: u32,
    pub said: Said,
}

/// A request for the server that has not succeeded yet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Job {
    pub id: u32,
    /// Random, so the server can tell a resend from a new request.
    pub client_id: String,
    pub action: Action,
    /// For an anonymous order lookup, once the customer gave them.
    pub phone_last4: Option<String>,
    /// The notice item that shows this job's state.
    pub notice: Option<u32>,
}

/// One customer's chat. As read back from storage, its conversation is a
/// [`SavedConversation`] until [`Session::restore`] fits it to the knowledge base.
///
/// Saved by [`crate::store`] in postcard, which is positional: a change to this value's
/// layout (a field added, removed or moved here or in the engine's state; enum variants may
/// only be added last) needs a new stored-form version and an upgrade step there — the
/// fixture test in `tests/stored.rs` fails until it has one.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Session<C = Conversation> {
    pub conversation: C,
    pub items: Vec<Item>,
    next_item: u32,
    /// Requests waiting for the network, oldest first.
    pub queue: Vec<Job>,
    next_job: u32,
    /// The server's id of the handoff conversation, once created.
    pub handoff_id: Option<String>,
    /// The live conversation while an agent is (to be) talking to the customer.
    pub live: Option<Live>,
}

impl Session<SavedConversation> {
    /// The saved session made to fit `engine`'s knowledge base
    /// ([`Conversation::restore`]).
    pub fn restore(self, engine: &Engine) -> Session {
        Session {
            conversation: Conversation::restore(self.conversation, engine),
            items: self.items,
            next_item: self.next_item,
            queue: self.queue,
            next_job: self.next_job,
            handoff_id: self.handoff_id,
            live: self.live,
        }
    }
}

impl Session {
    /// A new chat; nothing is shown until [`Session::open`].
    pub fn new() -> Session {
        Session::default()
    }

    /// A new chat showing `lines` of an earlier one that could not be restored (their text
    /// only); the engine keeps them as its transcript, so a handoff still passes them on.
    pub fn from_transcript(lines: Vec<TranscriptLine>) -> Session {
        let mut session = Session::new();
        for line in lines {
            session.push(match line.speaker {
                Speaker::Customer => Said::Customer(line.text.clone()),
                Speaker::Bot => Said::Bot(Message::Text {
                    text: line.text.clone(),
                }),
            });
            session
                .conversation
                .record(line.speaker, &line.text, line.at);
        }
        session
    }

    /// Whether the chat was opened: the engine has greeted (since the notice of a
    /// conversation that could not be restored, whose text lines do not count). Widget
    /// notices shown before, such as "offline", do not count either.
    pub fn is_open(&self) -> bool {
        self.items
            .iter()
            .rev()
            .take_while(|i| !matches!(i.said, Said::Widget(Notice::Unrestored { .. })))
            .any(|i| matches!(i.said, Said::Bot(_)))
    }

    /// The window opened for the first time: the engine's welcome.
    pub fn open(&mut self, engine: &Engine, now: Timestamp) -> Option<Action> {
        if self.is_open() {
            return None;
        }
        self.respond(engine, Input::Open, now)
    }

    /// The customer typed `text`. Blank text is ignored; long text is cut to
    /// [`MAX_QUESTION_CHARS`]. Returns the action to carry out, and whether anything was said.
    pub fn say(&mut self, engine: &Engine, text: &str, now: Timestamp) -> (bool, Option<Action>) {
        let text: String = text.trim().chars().take(MAX_QUESTION_CHARS).collect();
        if text.is_empty() {
            return (false, None);
        }
        self.push(Said::Customer(text.clone()));
        (true, self.respond(engine, Input::Text(text), now))
    }

    /// The customer clicked something labelled `label`.
    pub fn choose(
        &mut self,
        engine: &Engine,
        label: &str,
        choice: Choice,
        now: Timestamp,
    ) -> Option<Action> {
        self.push(Said::Customer(label.to_string()));
        self.respond(engine, Input::Choice(choice), now)
    }

    /// The customer picked `name` as the photo a flow's step asks for; `id` is its reference
    /// (see [`Said::CustomerPhoto`]), which the step's slot holds.
    pub fn photo(
        &mut self,
        engine: &Engine,
        id: &str,
        name: &str,
        now: Timestamp,
    ) -> Option<Action> {
        self.push(Said::CustomerPhoto {
            id: id.to_string(),
            name: name.to_string(),
            state: PhotoState::Waiting,
        });
        let reference = id.to_string();
        self.respond(engine, Input::Image { reference }, now)
    }

    /// The photos still waiting to be uploaded, oldest first: (reference, file name).
    pub fn waiting_photos(&self) -> Vec<(String, String)> {
        self.items
            .iter()
            .filter_map(|i| match &i.said {
                Said::CustomerPhoto {
                    id,
                    name,
                    state: PhotoState::Waiting,
                } => Some((id.clone(), name.clone())),
                _ => None,
            })
            .collect()
    }

    /// Whether the picture of image or photo `id` is still needed on the device.
    pub fn needs_picture(&self, id: &str) -> bool {
        self.items.iter().any(|i| match &i.said {
            Said::CustomerQueuedImage { id: queued, .. }
            | Said::CustomerFailedImage { id: queued, .. } => queued == id,
            Said::CustomerPhoto {
                id: photo, state, ..
            } => photo == id && *state != PhotoState::Sent,
            _ => false,
        })
    }

    /// Sets where photo `id` stands; `false` when there is no such photo.
    pub fn set_photo_state(&mut self, id: &str, new: PhotoState) -> bool {
        for item in &mut self.items {
            if let Said::CustomerPhoto {
                id: photo, state, ..
            } = &mut item.said
            {
                if photo == id {
                    *state = new;
                    return true;
                }
            }
        }
        false
    }

    /// Any other input (order results, ratings, the leave-a-message form, the end).
    pub fn respond(&mut self, engine: &Engine, input: Input, now: Timestamp) -> Option<Action> {
        let reply = self.conversation.respond(engine, input, now);
        for message in reply.messages {
            self.push(Said::Bot(message));
        }
        reply.action
    }

    /// Adds a widget notice and returns its item id.
    pub fn notice(&mut self, notice: Notice) -> u32 {
        self.push(Said::Widget(notice))
    }

    /// Whether the newest network notice says the network is down (none said: `false`).
    pub fn offline_said(&self) -> bool {
        self.items
            .iter()
            .rev()
            .find_map(|i| match &i.said {
                Said::Widget(n @ (Notice::Offline | Notice::Online)) => Some(n == &Notice::Offline),
                _ => None,
            })
            .unwrap_or(false)
    }

    /// The agent serving the customer: the live conversation's, or (with none open, as in
    /// the designer preview's sample) the one the newest agent notice says joined.
    pub fn serving_agent(&self) -> Option<String> {
        if let Some(live) = &self.live {
            return live.agent.clone();
        }
        self.items.iter().rev().find_map(|i| match &i.said {
            Said::Widget(Notice::AgentJoined(name)) => Some(Some(name.clone())),
            Said::Widget(Notice::AgentLeft(_) | Notice::LiveClosed) => Some(None),
            _ => None,
        })?
    }

    /// Adds what an agent said.
    pub fn agent(&mut self, name: &str, text: &str) {
        self.push(Said::Agent {
            name: name.to_string(),
            text: text.to_string(),
        });
    }

    /// Queues `action` for the server, with a notice showing its state; returns the job id.
    pub fn enqueue(&mut self, action: Action, service: Service) -> u32 {
        self.enqueue_with_id(action, service, crate::store::client_id())
    }

    /// [`Session::enqueue`] with a given client id.
    pub fn enqueue_with_id(&mut self, action: Action, service: Service, client_id: String) -> u32 {
        let id = self.next_job;
        self.next_job += 1;
        let notice = self.notice(Notice::Job {
            job: id,
            service,
            state: JobState::Queued,
        });
        self.queue.push(Job {
            id,
            client_id,
            action,
            phone_last4: None,
            notice: Some(notice),
        });
        id
    }

    /// The queued job `id`.
    pub fn job(&self, id: u32) -> Option<&Job> {
        self.queue.iter().find(|j| j.id == id)
    }

    /// The queued job `id`, to change.
    /// The newest order lookup that waits for the customer's phone digits.
    pub fn job_needing_phone(&self) -> Option<u32> {
        let waiting = |notice: u32| {
            self.items.iter().any(|i| {
                i.id == notice
                    && matches!(
                        &i.said,
                        Said::Widget(Notice::Job {
                            state: JobState::NeedsPhone,
                            ..
                        })
                    )
            })
        };
        self.queue
            .iter()
            .rev()
            .find(|j| j.notice.is_some_and(waiting))
            .map(|j| j.id)
    }

    /// What the customer typed, shown as said, without asking the engine.
    pub fn customer_said(&mut self, text: &str) {
        self.push(Said::Customer(text.trim().to_string()));
    }

    pub fn job_mut(&mut self, id: u32) -> Option<&mut Job> {
        self.queue.iter_mut().find(|j| j.id == id)
    }

    /// Shows `state` on job `id`'s notice; a sent or failed job leaves the queue.
    pub fn set_job_state(&mut self, id: u32, state: JobState) {
        let Some(job) = self.job(id) else { return };
        if let Some(notice) = job.notice {
            if let Some(item) = self.items.iter_mut().find(|i| i.id == notice) {
                if let Said::Widget(Notice::Job { state: s, .. }) = &mut item.said {
                    *s = state.clone();
                }
            }
        }
        if matches!(state, JobState::Sent | JobState::Failed(_)) {
            self.queue.retain(|j| j.id != id);
        }
    }

    /// The handoff was created: from now on the customer talks to the agent.
    pub fn start_live(&mut self, created: &HandoffCreated, id_prefix: String) {
        self.handoff_id = Some(created.conversation.clone());
        self.live = Some(Live {
            conversation: created.conversation.clone(),
            token: created.customer_token.clone(),
            ws_url: created.ws_url.clone(),
            id_prefix,
            ..Live::default()
        });
        self.queue_notice(created.queue);
    }

    /// Whether the customer's words go to an agent rather than the bot.
    pub fn is_live(&self) -> bool {
        self.live.is_some()
    }

    /// The customer wrote `text` to the agent: shown at once, kept in the outbox until the
    /// server acknowledges it. `None` for blank text or when no live conversation is open.
    pub fn live_say(&mut self, text: &str) -> Option<Outgoing> {
        let text: String = text
            .trim()
            .chars()
            .take(kefu_protocol::limits::MAX_TEXT_CHARS)
            .collect();
        if text.is_empty() {
            return None;
        }
        let out = self.live_outgoing(text, None)?;
        self.push(Said::CustomerLive {
            id: out.id.clone(),
            text: out.text.clone(),
        });
        Some(out)
    }

    /// The customer sent the agent an image, uploaded as `image`: shown at once, kept in the
    /// outbox like a text. `None` when no live conversation is open.
    pub fn live_image(&mut self, name: &str, image: String) -> Option<Outgoing> {
        let out = self.live_outgoing(name.to_string(), Some(image))?;
        self.push(Said::CustomerLiveImage {
            id: out.id.clone(),
            name: out.text.clone(),
        });
        Some(out)
    }

    /// The customer chose an image for the agent: shown at once as waiting, with the client
    /// id its message will have. `None` when no live conversation is open.
    pub fn live_queue_image(&mut self, name: &str) -> Option<String> {
        let live = self.live.as_mut()?;
        live.next_id += 1;
        let id = format!("{}-{}", live.id_prefix, live.next_id);
        live.mine.push(id.clone());
        self.push(Said::CustomerQueuedImage {
            id: id.clone(),
            name: name.to_string(),
        });
        Some(id)
    }

    /// The images still waiting to be uploaded, oldest first: (client id, file name).
    pub fn queued_images(&self) -> Vec<(String, String)> {
        self.items
            .iter()
            .filter_map(|i| match &i.said {
                Said::CustomerQueuedImage { id, name } => Some((id.clone(), name.clone())),
                _ => None,
            })
            .collect()
    }

    /// The waiting image `id` was uploaded as `image`: it becomes a message of the live
    /// conversation, kept in the outbox until acknowledged like a text. `None` when it is not
    /// waiting any more (already sent) or no live conversation is open, so a second upload
    /// of the same image is never sent.
    pub fn live_image_uploaded(&mut self, id: &str, image: String) -> Option<Outgoing> {
        let live = self.live.as_mut()?;
        let item = self.items.iter_mut().find(
            |i| matches!(&i.said, Said::CustomerQueuedImage { id: queued, .. } if queued == id),
        )?;
        let Said::CustomerQueuedImage { name, .. } = &item.said else {
            return None;
        };
        let name = name.clone();
        item.said = Said::CustomerLiveImage {
            id: id.to_string(),
            name: name.clone(),
        };
        let out = Outgoing {
            id: id.to_string(),
            text: name,
            image: Some(image),
        };
        live.outbox.push(out.clone());
        Some(out)
    }

    /// The waiting image `id` cannot be sent: its bubble becomes a notice saying so, or, when
    /// `retry` (the picture is still there and the conversation open), a failed image the
    /// customer may send again.
    pub fn live_image_failed(&mut self, id: &str, reason: String, retry: bool) {
        if let Some(item) = self.items.iter_mut().find(
            |i| matches!(&i.said, Said::CustomerQueuedImage { id: queued, .. } if queued == id),
        ) {
            if let Said::CustomerQueuedImage { name, .. } = &item.said {
                item.said = if retry {
                    Said::CustomerFailedImage {
                        id: id.to_string(),
                        name: name.clone(),
                        reason,
                    }
                } else {
                    Said::Widget(Notice::ImageFailed {
                        name: name.clone(),
                        reason,
                    })
                };
            }
        }
    }

    /// The customer sends the failed image `id` again: it waits again under its client id.
    /// `false` when it is no failed image.
    pub fn live_image_retry(&mut self, id: &str) -> bool {
        let Some(item) = self.items.iter_mut().find(
            |i| matches!(&i.said, Said::CustomerFailedImage { id: failed, .. } if failed == id),
        ) else {
            return false;
        };
        if let Said::CustomerFailedImage { name, .. } = &item.said {
            item.said = Said::CustomerQueuedImage {
                id: id.to_string(),
                name: name.clone(),
            };
        }
        true
    }

    fn live_outgoing(&mut self, text: String, image: Option<String>) -> Option<Outgoing> {
        let live = self.live.as_mut()?;
        live.next_id += 1;
        let out = Outgoing {
            id: format!("{}-{}", live.id_prefix, live.next_id),
            text,
            image,
        };
        live.outbox.push(out.clone());
        live.mine.push(out.id.clone());
        Some(out)
    }

    /// Whether the live message `id` still waits for the server's acknowledgement.
    pub fn is_pending(&self, id: &str) -> bool {
        self.live
            .as_ref()
            .is_some_and(|l| l.outbox.iter().any(|o| o.id == id))
    }

    /// Applies a frame of the live conversation's WebSocket. Messages are keyed by `seq`:
    /// one at or below [`Live::last_seq`] was shown already and is skipped, so a resume
    /// never shows anything twice.
    pub fn live_frame(&mut self, frame: ServerFrame) -> FrameOutcome {
        let mut out = FrameOutcome::default();
        let Some(live) = self.live.as_mut() else {
            return out;
        };
        match frame {
            ServerFrame::Welcome { .. } => out.welcome = true,
            ServerFrame::Message(m) => {
                if m.seq <= live.last_seq {
                    return out;
                }
                live.last_seq = m.seq;
                out.ack = Some(m.seq);
                let image = matches!(m.content, MessageContent::Image { .. });
                let text = match m.content {
                    MessageContent::Text { text } => text,
                    MessageContent::Image { .. } => String::new(),
                };
                match m.from {
                    Sender::Customer => {
                        live.outbox.retain(|o| o.id != m.id);
                        if !live.mine.contains(&m.id) {
                            // Written in another tab of the same conversation.
                            live.mine.push(m.id.clone());
                            self.push(if image {
                                Said::CustomerLiveImage {
                                    id: m.id,
                                    name: text,
                                }
                            } else {
                                Said::CustomerLive { id: m.id, text }
                            });
                        }
                    }
                    Sender::Agent => {
                        out.typing = Some(false);
                        let name = m.agent.or_else(|| live.agent.clone()).unwrap_or_default();
                        self.push(Said::Agent { name, text });
                    }
                    _ => {
                        self.push(Said::Widget(Notice::LiveSystem(text)));
                    }
                }
            }
            ServerFrame::Ack { id, .. } => live.outbox.retain(|o| o.id != id),
            ServerFrame::Queue(q) => {
                if q.position > 0 && live.agent.is_none() {
                    self.queue_notice(q);
                }
            }
            ServerFrame::AgentJoined { agent } => {
                if live.agent.as_deref() != Some(agent.name.as_str()) {
                    live.agent = Some(agent.name.clone());
                    self.push(Said::Widget(Notice::AgentJoined(agent.name)));
                }
            }
            ServerFrame::AgentLeft { agent } => {
                live.agent = None;
                out.typing = Some(false);
                self.push(Said::Widget(Notice::AgentLeft(agent.name)));
            }
            ServerFrame::Typing { from, typing } => {
                if from == Sender::Agent {
                    out.typing = Some(typing);
                }
            }
            ServerFrame::Closed { .. } => {
                self.live = None;
                out.closed = true;
                out.typing = Some(false);
                self.push(Said::Widget(Notice::LiveClosed));
            }
            ServerFrame::Error { .. } | ServerFrame::Unknown => {}
        }
        out
    }

    /// Shows the queue position: the waiting notice is updated in place while it is the
    /// newest handoff notice, otherwise a new one is added.
    fn queue_notice(&mut self, q: QueueStatus) {
        let notice = Notice::Queue {
            position: Some(q.position),
            minutes: q.expected_wait_secs.map(|s| s.div_ceil(60)),
        };
        let last = self.items.iter_mut().rev().find(|i| {
            matches!(
                i.said,
                Said::Widget(Notice::Queue { .. } | Notice::AgentJoined(_) | Notice::AgentLeft(_))
            )
        });
        match last {
            Some(item) if matches!(item.said, Said::Widget(Notice::Queue { .. })) => {
                item.said = Said::Widget(notice);
            }
            _ => {
                self.push(Said::Widget(notice));
            }
        }
    }

    fn push(&mut self, said: Said) -> u32 {
        let id = self.next_item;
        self.next_item += 1;
        self.items.push(Item { id, said });
        id
    }

    /// Whether the newest order card before item `id` is `card` (same order, status, carrier,
    /// tracking number and arrival): then `card` adds nothing the customer can read above.
    pub fn shows_card_before(&self, id: u32, card: &OrderCard) -> bool {
        self.items
            .iter()
            .rev()
            .skip_while(|i| i.id >= id)
            .find_map(|i| match &i.said {
                Said::Bot(Message::Order(earlier)) => Some(earlier == card),
                _ => None,
            })
            .unwrap_or(false)
    }

    /// The id of the customer's last item (older interactive messages are spent).
    pub fn last_customer_item(&self) -> Option<u32> {
        self.items
            .iter()
            .rev()
            .find(|i| {
                matches!(
                    i.said,
                    Said::Customer(_)
                        | Said::CustomerImage(_)
                        | Said::CustomerLive { .. }
                        | Said::CustomerLiveImage { .. }
                        | Said::CustomerQueuedImage { .. }
                        | Said::CustomerPhoto { .. }
                        | Said::CustomerFailedImage { .. }
                )
            })
            .map(|i| i.id)
    }
}

/// Which service an action needs.
pub fn service_of(action: &Action) -> Service {
    match action {
        Action::LookUpOrder { .. } => Service::Orders,
        Action::HandOff(_) => Service::Agents,
        Action::LeaveMessage(_) => Service::Messages,
    }
}

/// The last 4 phone digits in a short reply such as `5678`, `５６７８` or `尾号5678`.
pub fn phone_last4(text: &str) -> Option<String> {
    let text = text.trim();
    if text.chars().count() > 10 {
        return None;
    }
    let digits: String = text
        .chars()
        .filter_map(|c| match c {
            '0'..='9' => Some(c),
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
            _ => None,
        })
        .collect();
    (digits.len() == 4).then_some(digits)
}
