//! Golden conversation scripts: readable, line-based files of customer turns, injected
//! results (an order lookup, the clock) and expectations about the replies, run against
//! `kefu_core`'s conversation engine. A tool for tests and terminals, not part of the
//! engine (the widget does not link it): kefu-core's tests run every file under
//! `tests/conversations/`; `kefu chat --script FILE` runs one and prints the transcript. The format is documented in `docs/dialogue.md`:
//!
//! ```text
//! # 查订单：订单号在句子里，再问什么时候到
//! @now 2026-11-20T10:00:00+08:00
//! > 我的订单123456发货了吗？
//! < action: look-up-order 123456
//! @order 123456 status=shipped carrier=顺丰 tracking=SF1234567890 eta=2026-11-22
//! < order: 已发货
//! > 什么时候能到？
//! < text: 11月22日
//! < action: none
//! ```
//!
//! Lines: `#` comment (the first one is the title); `> text` the customer types;
//! `@command …` something else happens; `< kind: words` the last reply has a message of
//! that kind containing the words; `< !kind` it has none; `< any: words`; `< kinds: a, b`
//! exactly these kinds in order; `< action: …` / `< action: none`; `< handoff: words` (and
//! `< !handoff: words`) about what the agent receives; `< state: key = value`.

mod check;
mod render;
mod run;

pub use check::state_value;
pub use render::{render, render_in};
pub use run::{run, run_split, Failure, Run, Session, SplitRun, DEFAULT_NOW};

/// A parsed script.
#[derive(Debug, Clone, PartialEq)]
pub struct Script {
    pub title: String,
    pub lines: Vec<Line>,
}

/// A line that does something, with its 1-based line number.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub number: usize,
    pub command: Command,
}

/// What a line does.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// `@now 2026-11-20T10:00:00+08:00` sets the clock; `@now +2h` moves it on.
    Now(Clock),
    /// `> text`.
    Say(String),
    /// `@click label`: the first clickable of the last reply whose label contains it.
    Click(String),
    /// `@open`.
    Open,
    /// `@viewing product-id`.
    Viewing(String),
    /// `@image reference`.
    Image(String),
    /// `@order N key=value …`, `@order-not-found N`, `@order-failed N`.
    Order {
        order_no: String,
        outcome: OrderOutcome,
        fields: Vec<(String, String)>,
    },
    /// `@rate 满意|不满意 [reason]`.
    Rate {
        satisfied: bool,
        reason: Option<String>,
    },
    /// `@leave-message CONTACT QUESTION`.
    LeaveMessage {
        contact: String,
        question: String,
    },
    /// `@end`.
    End,
    /// `@reload`: save the state and restore it, as after a page reload.
    Reload,
    /// `@locale en`: the page sets the conversation's language (`zh-CN`, `zh-TW`, `en`).
    Locale(kefu_core::dialogue::Locale),
    Expect(Expectation),
}

/// A clock setting.
#[derive(Debug, Clone, PartialEq)]
pub enum Clock {
    At(String),
    /// Seconds to move on.
    Plus(i64),
}

/// How an injected lookup came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderOutcome {
    Found,
    NotFound,
    Failed,
}

/// What a `<` line checks about the last reply (or the state).
#[derive(Debug, Clone, PartialEq)]
pub enum Expectation {
    /// A message of `kind` (containing `text`); with `negate`, none of that kind.
    Kind {
        kind: String,
        text: Option<String>,
        negate: bool,
    },
    /// Some message contains `text` (`!any:` negates).
    Any { text: String, negate: bool },
    /// Exactly these kinds, in order.
    Kinds(Vec<String>),
    /// The action starts with this description; `None` for `action: none`.
    Action(Option<String>),
    /// The action's description does not start with this (`!action: hand-off`; `none`: there
    /// is an action).
    NotAction(String),
    /// The handoff (or left message) of the last reply carries `text` somewhere: reason,
    /// detail, slots, entries tried or transcript (`!handoff:` negates, to check masking).
    Handoff { text: String, negate: bool },
    /// A state value.
    State { key: String, value: String },
}

/// A line that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptError {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for ScriptError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ScriptError {}

/// Message kinds a script may name.
pub const KINDS: &[&str] = &[
    "text",
    "comfort",
    "answer",
    "detail",
    "clarify",
    "fallback",
    "hot-questions",
    "quick-replies",
    "products",
    "comparison",
    "order",
    "flow-step",
    "rating",
    "leave-message",
    "notice",
];

/// Reads one line typed in a terminal session: a script line, or plain text the customer
/// types (`None` for blank lines and comments).
pub fn parse_line(text: &str, number: usize) -> Result<Option<Line>, ScriptError> {
    let t = text.trim();
    if t.starts_with(['>', '<', '@', '#']) || t.is_empty() {
        return Ok(parse(t)?
            .lines
            .into_iter()
            .next()
            .map(|l| Line { number, ..l }));
    }
    Ok(Some(Line {
        number,
        command: Command::Say(t.to_string()),
    }))
}

/// Reads a script.
pub fn parse(source: &str) -> Result<Script, ScriptError> {
    let mut title = String::new();
    let mut lines = Vec::new();
    for (i, raw) in source.lines().enumerate() {
        let number = i + 1;
        let line = raw.trim();
        let err = |message: String| ScriptError {
            line: number,
            message,
        };
        if line.is_empty() {
            continue;
        }
        if let Some(comment) = line.strip_prefix('#') {
            if title.is_empty() {
                title = comment.trim().to_string();
            }
            continue;
        }
        let command = if let Some(text) = line.strip_prefix('>') {
            Command::Say(text.trim().to_string())
        } else if let Some(rest) = line.strip_prefix('<') {
            Command::Expect(parse_expectation(rest.trim()).map_err(err)?)
        } else if let Some(rest) = line.strip_prefix('@') {
            parse_command(rest.trim()).map_err(err)?
        } else {
            return Err(err(format!(
                "`{line}`: a line starts with `>`, `<`, `@` or `#`"
            )));
        };
        lines.push(Line { number, command });
    }
    Ok(Script { title, lines })
}

fn parse_command(rest: &str) -> Result<Command, String> {
    let (name, arg) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let arg = arg.trim();
    let need = |what: &str| {
        if arg.is_empty() {
            Err(format!("`@{name}` needs {what}"))
        } else {
            Ok(arg.to_string())
        }
    };
    Ok(match name {
        "now" => {
            let value = need("a time")?;
            match value.strip_prefix('+') {
                Some(delta) => Command::Now(Clock::Plus(parse_duration(delta)?)),
                None => Command::Now(Clock::At(value)),
            }
        }
        "click" => Command::Click(need("a label")?),
        "open" => Command::Open,
        "locale" => {
            let tag = need("zh-CN, zh-TW or en")?;
            Command::Locale(
                kefu_core::dialogue::Locale::parse(&tag)
                    .ok_or_else(|| format!("`{tag}`: use zh-CN, zh-TW or en"))?,
            )
        }
        "viewing" => Command::Viewing(need("a product id")?),
        "image" => Command::Image(need("an image reference")?),
        "order" | "order-not-found" | "order-failed" => {
            let mut words = arg.split_whitespace();
            let order_no = words
                .next()
                .ok_or(format!("`@{name}` needs an order number"))?
                .to_string();
            let mut fields = Vec::new();
            for word in words {
                let (k, v) = word
                    .split_once('=')
                    .ok_or(format!("`{word}`: write fields as key=value"))?;
                fields.push((k.to_string(), v.to_string()));
            }
            let outcome = match name {
                "order" => OrderOutcome::Found,
                "order-not-found" => OrderOutcome::NotFound,
                _ => OrderOutcome::Failed,
            };
            Command::Order {
                order_no,
                outcome,
                fields,
            }
        }
        "rate" => {
            let value = need("满意 or 不满意")?;
            let (word, reason) = value
                .split_once(char::is_whitespace)
                .unwrap_or((&value, ""));
            let satisfied = match word {
                "满意" | "satisfied" => true,
                "不满意" | "unsatisfied" => false,
                other => return Err(format!("`{other}`: rate 满意 or 不满意")),
            };
            Command::Rate {
                satisfied,
                reason: Some(reason.trim().to_string()).filter(|r| !r.is_empty()),
            }
        }
        "leave-message" => {
            let value = need("a contact and a question")?;
            let (contact, question) = value
                .split_once(char::is_whitespace)
                .unwrap_or((&value, ""));
            Command::LeaveMessage {
                contact: contact.to_string(),
                question: question.trim().to_string(),
            }
        }
        "end" => Command::End,
        "reload" => Command::Reload,
        other => return Err(format!("unknown command `@{other}`")),
    })
}

/// `30s`, `10m`, `2h`, `3d`.
fn parse_duration(s: &str) -> Result<i64, String> {
    let s = s.trim();
    let (number, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: i64 = number
        .parse()
        .map_err(|_| format!("`+{s}`: write a duration like +30m, +2h or +1d"))?;
    let factor = match unit {
        "s" | "" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err(format!("`+{s}`: the unit is s, m, h or d")),
    };
    Ok(n * factor)
}

fn parse_expectation(rest: &str) -> Result<Expectation, String> {
    let (head, tail) = match rest.split_once(':') {
        Some((h, t)) => (h.trim(), Some(t.trim())),
        None => (rest.trim(), None),
    };
    let (negate, head) = match head.strip_prefix('!') {
        Some(h) => (true, h.trim()),
        None => (false, head),
    };
    let text = tail.filter(|t| !t.is_empty()).map(str::to_string);
    Ok(match head {
        "any" => Expectation::Any {
            text: text.ok_or("`< any:` needs words to look for")?,
            negate,
        },
        "handoff" => Expectation::Handoff {
            text: text.ok_or("`< handoff:` needs words to look for")?,
            negate,
        },
        "kinds" | "state" if negate => {
            return Err(format!(
                "`< !{head}` cannot be negated: write what is expected instead"
            ))
        }
        "kinds" => Expectation::Kinds(
            tail.unwrap_or_default()
                .split(',')
                .map(|k| k.trim().to_string())
                .filter(|k| !k.is_empty())
                .collect(),
        ),
        "action" if negate => {
            Expectation::NotAction(text.ok_or("`< !action:` needs the action it must not be")?)
        }
        "action" => {
            let value = text.ok_or("`< action:` needs an action or `none`")?;
            Expectation::Action((value != "none").then_some(value))
        }
        "state" => {
            let value = text.ok_or("`< state:` needs key = value")?;
            let (k, v) = value
                .split_once('=')
                .ok_or("write `< state: key = value`")?;
            Expectation::State {
                key: k.trim().to_string(),
                value: v.trim().to_string(),
            }
        }
        kind if KINDS.contains(&kind) => Expectation::Kind {
            kind: kind.to_string(),
            text,
            negate,
        },
        other => {
            return Err(format!(
                "`{other}` is not a message kind ({})",
                KINDS.join(", ")
            ))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_negated_action_is_its_own_expectation_and_kinds_or_state_cannot_be_negated() {
        let s = parse("> 你好\n< !action: hand-off\n").unwrap();
        assert!(matches!(
            &s.lines[1].command,
            Command::Expect(Expectation::NotAction(a)) if a == "hand-off"
        ));
        for line in ["< !kinds: text", "< !state: flow = none", "< !action"] {
            let err = parse(&format!("> 你好\n{line}\n")).unwrap_err();
            assert!(err.to_string().contains("line 2"), "{line}: {err}");
        }
    }

    #[test]
    fn parses_every_line_kind() {
        let s = parse(
            "# 标题\n@now 2026-11-20T10:00:00+08:00\n@now +2h\n> 你好\n< text: 您好\n< !fallback\n< kinds: text, hot-questions\n\
             @order 123456 status=shipped eta=2026-11-22\n< action: none\n< state: flow = none\n@rate 不满意 太慢\n@end\n",
        )
        .unwrap();
        assert_eq!(s.title, "标题");
        assert_eq!(s.lines.len(), 11);
        assert_eq!(s.lines[1].command, Command::Now(Clock::Plus(7200)));
        assert!(
            matches!(&s.lines[9].command, Command::Rate { satisfied: false, reason: Some(r) } if r == "太慢")
        );
        assert_eq!(parse("< banana: x").unwrap_err().line, 1);
        assert!(parse("hello").is_err());
    }
}
