//! One customer's chat on this device: the engine's [`Conversation`], everything shown in
//! the window, and the requests waiting for the network. Plain Rust, no DOM: the chat
//! ([`crate::chat`]) calls these methods and the components render [`Session::items`]. The
//! whole value is serialisable, so a reload restores it ([`crate::store`]).
//!
//! Every turn goes through [`Conversation::respond`]; the widget never decides an answer.

use kefu_core::dialogue::{Action, Choice, Conversation, Input, Message};
use kefu_core::{Engine, Timestamp};
use serde::{Deserialize, Serialize};

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

/// One customer's chat.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Session {
    pub conversation: Conversation,
    pub items: Vec<Item>,
    next_item: u32,
    /// Requests waiting for the network, oldest first.
    pub queue: Vec<Job>,
    next_job: u32,
    /// The server's id of the handoff conversation, once created.
    pub handoff_id: Option<String>,
}

impl Session {
    /// A new chat; nothing is shown until [`Session::open`].
    pub fn new() -> Session {
        Session::default()
    }

    /// Whether the chat was opened (the welcome is shown).
    pub fn is_open(&self) -> bool {
        !self.items.is_empty()
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

    /// The customer sent an image that passed the widget's checks.
    pub fn image(&mut self, engine: &Engine, name: &str, now: Timestamp) -> Option<Action> {
        self.push(Said::CustomerImage(name.to_string()));
        let reference = name.to_string();
        self.respond(engine, Input::Image { reference }, now)
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

    fn push(&mut self, said: Said) -> u32 {
        let id = self.next_item;
        self.next_item += 1;
        self.items.push(Item { id, said });
        id
    }

    /// The id of the customer's last item (older interactive messages are spent).
    pub fn last_customer_item(&self) -> Option<u32> {
        self.items
            .iter()
            .rev()
            .find(|i| matches!(i.said, Said::Customer(_) | Said::CustomerImage(_)))
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
