//! Running a golden script against an engine: every input goes through
//! [`Conversation::respond`], every expectation is checked against the last reply, and the
//! state is saved and restored after every turn (as a page reload would).

use kefu_core::dialogue::calendar::parse_timestamp;
use kefu_core::dialogue::{
    Choice, Conversation, Input, Message, OrderInfo, OrderLookup, OrderStatus, Reply,
    SavedConversation,
};
use kefu_core::{Engine, Timestamp};

use crate::check::check;
use crate::render::render_in;
use crate::{Clock, Command, Line, OrderOutcome, Script};

/// The clock when a script does not set it: Friday 2026-11-20, 10:00 in China.
pub const DEFAULT_NOW: &str = "2026-11-20T10:00:00+08:00";
/// Seconds the clock moves on after each input.
pub const STEP_SECONDS: i64 = 10;

/// What running a script gave.
#[derive(Debug, Clone)]
pub struct Run {
    pub title: String,
    /// Inputs and replies, one line each, as `kefu chat --script` prints them.
    pub transcript: Vec<String>,
    pub failures: Vec<Failure>,
    pub conversation: Conversation,
}

/// An expectation that did not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub line: usize,
    pub expected: String,
    pub got: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {}: expected {}\n    got: {}",
            self.line,
            self.expected,
            self.got.replace('\n', "\n         ")
        )
    }
}

/// A conversation driven line by line, as a script or a terminal session does.
#[derive(Debug, Clone)]
pub struct Session {
    pub conversation: Conversation,
    pub now: Timestamp,
    pub last: Option<Reply>,
    offset: i32,
}

impl Session {
    /// A new conversation at `now` with the shop's UTC offset from `engine`.
    pub fn new(engine: &Engine, now: Timestamp) -> Session {
        let offset = engine.kb().settings.working_hours.utc_offset_minutes;
        Session {
            conversation: Conversation::new(),
            now,
            last: None,
            offset,
        }
    }

    /// Carries out one line: returns the transcript lines it produced, or the failure.
    pub fn step(&mut self, engine: &Engine, line: &Line) -> Result<Vec<String>, Failure> {
        let fail = |expected: String, got: String| Failure {
            line: line.number,
            expected,
            got,
        };
        let input = match &line.command {
            Command::Now(Clock::At(text)) => {
                self.now = parse_timestamp(text, self.offset)
                    .ok_or_else(|| fail(format!("a time like {DEFAULT_NOW}"), text.clone()))?;
                return Ok(Vec::new());
            }
            Command::Now(Clock::Plus(seconds)) => {
                self.now += seconds;
                return Ok(Vec::new());
            }
            Command::Expect(e) => {
                let locale = self.conversation.speaks(engine);
                return check(e, self.last.as_ref(), &self.conversation, locale)
                    .map(|_| Vec::new())
                    .map_err(|(x, g)| fail(x, g));
            }
            Command::Locale(locale) => {
                // Says nothing: the last reply stays the one later lines check.
                let input = Input::SetLocale { locale: *locale };
                self.conversation.respond(engine, input, self.now);
                return Ok(vec![format!("@locale {locale}")]);
            }
            Command::Reload => {
                self.conversation = round_trip(engine, &self.conversation)
                    .map_err(|e| fail("the state to survive a reload".into(), e))?;
                return Ok(vec!["@reload".to_string()]);
            }
            Command::Click(label) => find_click(self.last.as_ref(), label).ok_or_else(|| {
                fail(
                    format!("something to click labelled `{label}`"),
                    self.last
                        .as_ref()
                        .map(|r| render_in(r, self.conversation.speaks(engine)))
                        .unwrap_or_default(),
                )
            })?,
            command => to_input(command, self.offset),
        };
        let mut lines = vec![describe_input(&line.command)];
        let reply = self.conversation.respond(engine, input, self.now);
        self.now += STEP_SECONDS;
        let locale = self.conversation.speaks(engine);
        lines.extend(render_in(&reply, locale).lines().map(str::to_string));
        self.last = Some(reply);
        round_trip(engine, &self.conversation)
            .map_err(|e| fail("the state to survive serialisation".into(), e))?;
        Ok(lines)
    }
}

/// Runs `script` against `engine`.
pub fn run(script: &Script, engine: &Engine) -> Run {
    let mut session = Session::new(
        engine,
        parse_timestamp(DEFAULT_NOW, 0).expect("valid default time"),
    );
    let mut transcript = Vec::new();
    let mut failures = Vec::new();
    for line in &script.lines {
        match session.step(engine, line) {
            Ok(lines) => transcript.extend(lines),
            Err(failure) => {
                transcript.push(format!(
                    "!! line {}: expected {}",
                    failure.line, failure.expected
                ));
                failures.push(failure);
            }
        }
    }
    Run {
        title: script.title.clone(),
        transcript,
        failures,
        conversation: session.conversation,
    }
}

/// What running a script the way the widget runs a split knowledge base gave (see
/// [`run_split`]).
#[derive(Debug, Clone)]
pub struct SplitRun {
    pub run: Run,
    /// Lines whose turn the first file answered on its own.
    pub answered_first: usize,
    /// Lines whose turn needed the companion and was run again with the whole knowledge base.
    pub waited: usize,
    /// Lines answered from the first file whose transcript differs from the whole
    /// knowledge base's for the same state (should be none).
    pub differing: Vec<usize>,
}

/// Runs `script` as the widget runs a split knowledge base before its companion arrives:
/// each line is tried with `first` (a first file's engine); when
/// [`kefu_core::KnowledgeBase::needs_companion`] says the turn needed the companion, the
/// try is dropped and the line runs again with `whole`. Every line the first file answered
/// is also run with `whole` from the same state, and a difference is recorded.
pub fn run_split(script: &Script, first: &Engine, whole: &Engine) -> SplitRun {
    let mut session = Session::new(
        whole,
        parse_timestamp(DEFAULT_NOW, 0).expect("valid default time"),
    );
    let mut out = SplitRun {
        run: Run {
            title: script.title.clone(),
            transcript: Vec::new(),
            failures: Vec::new(),
            conversation: Conversation::new(),
        },
        answered_first: 0,
        waited: 0,
        differing: Vec::new(),
    };
    for line in &script.lines {
        let before = session.conversation.locale();
        let mut trial = session.clone();
        let tried = trial.step(first, line);
        let fresh = trial
            .last
            .as_ref()
            .filter(|r| session.last.as_ref() != Some(*r))
            .map_or(&[][..], |r| r.messages.as_slice());
        let locales = [before, trial.conversation.locale()];
        let result = if first.kb().needs_companion(&locales, fresh) {
            out.waited += 1;
            session.step(whole, line)
        } else {
            out.answered_first += 1;
            let mut check = session.clone();
            let expected = check.step(whole, line);
            if expected != tried || check.conversation != trial.conversation {
                out.differing.push(line.number);
            }
            session = trial;
            tried
        };
        match result {
            Ok(lines) => out.run.transcript.extend(lines),
            Err(failure) => {
                out.run.transcript.push(format!(
                    "!! line {}: expected {}",
                    failure.line, failure.expected
                ));
                out.run.failures.push(failure);
            }
        }
    }
    out.run.conversation = session.conversation;
    out
}

fn round_trip(engine: &Engine, conversation: &Conversation) -> Result<Conversation, String> {
    let bytes = postcard::to_allocvec(conversation).map_err(|e| e.to_string())?;
    let saved = SavedConversation::from_postcard(&bytes).map_err(|e| e.to_string())?;
    let restored = Conversation::restore(saved, engine);
    if &restored == conversation {
        Ok(restored)
    } else {
        Err("the restored state differs".into())
    }
}

fn to_input(command: &Command, offset: i32) -> Input {
    match command {
        Command::Say(text) => Input::Text(text.clone()),
        Command::Open => Input::Open,
        Command::Locale(locale) => Input::SetLocale { locale: *locale },
        Command::Viewing(id) => Input::Viewing {
            product: id.clone(),
        },
        Command::Image(reference) => Input::Image {
            reference: reference.clone(),
        },
        Command::Order {
            order_no,
            outcome,
            fields,
        } => Input::Order(match outcome {
            OrderOutcome::NotFound => OrderLookup::NotFound {
                order_no: order_no.clone(),
            },
            OrderOutcome::Failed => OrderLookup::Failed {
                order_no: order_no.clone(),
            },
            OrderOutcome::Found => OrderLookup::Found(order_info(order_no, fields, offset)),
        }),
        Command::Rate { satisfied, reason } => Input::Rating {
            satisfied: *satisfied,
            reason: reason.clone(),
        },
        Command::LeaveMessage { contact, question } => Input::LeaveMessage {
            contact: contact.clone(),
            question: question.clone(),
        },
        _ => Input::End,
    }
}

/// `status=delivered delivered=2026-11-18 carrier=顺丰 tracking=SF1 eta=… shipped=… ordered=… items=a|b`.
fn order_info(order_no: &str, fields: &[(String, String)], offset: i32) -> OrderInfo {
    let mut info = OrderInfo {
        order_no: order_no.to_string(),
        ..OrderInfo::default()
    };
    for (k, v) in fields {
        let time = || parse_timestamp(v, offset);
        match k.as_str() {
            "status" => info.status = OrderStatus::from_code(v).unwrap_or_default(),
            "carrier" => info.carrier = Some(v.clone()),
            "tracking" => info.tracking_no = Some(v.clone()),
            "eta" => info.eta = time(),
            "delivered" => info.delivered_at = time(),
            "shipped" => info.shipped_at = time(),
            "ordered" => info.ordered_at = time(),
            "items" => info.items = v.split('|').map(str::to_string).collect(),
            _ => {}
        }
    }
    info
}

fn find_click(last: Option<&Reply>, label: &str) -> Option<Input> {
    let reply = last?;
    let choices = reply.messages.iter().flat_map(|m| m.clickables());
    let found = choices
        .clone()
        .find(|q| q.label == label)
        .or_else(|| choices.clone().find(|q| q.label.contains(label)));
    if let Some(q) = found {
        return Some(Input::Choice(q.choice.clone()));
    }
    reply.messages.iter().find_map(|m| match m {
        Message::Products { cards } => cards
            .iter()
            .find(|c| c.name.contains(label))
            .map(|c| Input::Choice(Choice::Product(c.id.clone()))),
        _ => None,
    })
}

fn describe_input(command: &Command) -> String {
    match command {
        Command::Say(text) => format!("> {text}"),
        Command::Click(label) => format!("@click {label}"),
        Command::Open => "@open".into(),
        Command::Locale(l) => format!("@locale {l}"),
        Command::Viewing(id) => format!("@viewing {id}"),
        Command::Image(r) => format!("@image {r}"),
        Command::Order {
            order_no, outcome, ..
        } => format!("@order {order_no} ({outcome:?})"),
        Command::Rate { satisfied, reason } => {
            format!(
                "@rate {} {}",
                if *satisfied { "满意" } else { "不满意" },
                reason.as_deref().unwrap_or("")
            )
        }
        Command::LeaveMessage { contact, question } => {
            format!("@leave-message {contact} {question}")
        }
        _ => "@end".into(),
    }
}
