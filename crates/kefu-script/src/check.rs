//! Checking expectations (`<` lines) against the last reply and the conversation state.

use kefu_core::dialogue::condition::canonical;
use kefu_core::dialogue::state::RatingState;
use kefu_core::dialogue::{Action, Conversation, Handoff, Reply};

use kefu_core::dialogue::locale::Locale;

use crate::render::render_in;
use crate::Expectation;

/// Everything a handoff carries, as one searchable text.
fn handoff_text(h: &Handoff) -> String {
    let lines: Vec<String> = h.transcript.iter().map(|l| l.text.clone()).collect();
    let slots: Vec<String> = h
        .slots
        .iter()
        .map(|s| format!("{}={}", s.name, s.value))
        .collect();
    format!(
        "reason={} detail={} flow={} slots: {} entries: {} transcript: {}",
        h.reason.code(),
        h.detail,
        h.flow.as_deref().unwrap_or("none"),
        slots.join(", "),
        h.entries_tried.join(", "),
        lines.join(" | ")
    )
}

pub(crate) fn check(
    e: &Expectation,
    last: Option<&Reply>,
    c: &Conversation,
    locale: Locale,
) -> Result<(), (String, String)> {
    let empty = Reply::default();
    let reply = last.unwrap_or(&empty);
    let got = || render_in(reply, locale);
    let contains = |hay: &str, needle: &str| hay.to_lowercase().contains(&needle.to_lowercase());
    match e {
        Expectation::Kind { kind, text, negate } => {
            let of_kind: Vec<String> = reply
                .messages
                .iter()
                .filter(|m| m.kind() == kind)
                .map(|m| m.text(locale))
                .collect();
            let hit = of_kind
                .iter()
                .any(|s| text.as_ref().is_none_or(|t| contains(s, t)));
            let what = format!(
                "{}{kind}{}",
                if *negate { "no " } else { "" },
                text.as_ref()
                    .map(|t| format!(" containing `{t}`"))
                    .unwrap_or_default()
            );
            if hit == *negate {
                return Err((what, got()));
            }
        }
        Expectation::Any { text, negate } => {
            let hit = reply
                .messages
                .iter()
                .any(|m| contains(&m.text(locale), text));
            if hit == *negate {
                return Err((
                    format!(
                        "{} message containing `{text}`",
                        if *negate { "no" } else { "a" }
                    ),
                    got(),
                ));
            }
        }
        Expectation::Kinds(kinds) => {
            let actual: Vec<&str> = reply.messages.iter().map(|m| m.kind()).collect();
            if actual != kinds.iter().map(String::as_str).collect::<Vec<_>>() {
                return Err((format!("kinds {}", kinds.join(", ")), actual.join(", ")));
            }
        }
        Expectation::Action(None) => {
            if let Some(a) = &reply.action {
                return Err(("no action".into(), a.describe()));
            }
        }
        Expectation::Action(Some(want)) => {
            let actual = action_text(reply);
            if !actual.starts_with(want.as_str()) {
                return Err((format!("action {want}"), actual));
            }
        }
        Expectation::NotAction(unwanted) => {
            let actual = action_text(reply);
            if actual.starts_with(unwanted.as_str()) {
                return Err((format!("no action {unwanted}"), actual));
            }
        }
        Expectation::Handoff { text, negate } => {
            let h = match &reply.action {
                Some(Action::HandOff(h)) => Some(h),
                Some(Action::LeaveMessage(m)) => Some(&m.handoff),
                _ => None,
            };
            let all = h.map(handoff_text).unwrap_or_else(|| "no handoff".into());
            // Scripts written before canonical slot values say `unused=否`: still the same.
            let canonical = text
                .replace("=是", "=yes")
                .replace("=否", "=no")
                .replace("=无", "=none");
            let found = contains(&all, text) || contains(&all, &canonical);
            if h.is_none() || found == *negate {
                return Err((
                    format!(
                        "a handoff {}carrying `{text}`",
                        if *negate { "not " } else { "" }
                    ),
                    all,
                ));
            }
        }
        Expectation::State { key, value } => {
            let actual = state_value(c, key);
            if canonical(&actual) != canonical(value) {
                return Err((format!("state {key} = {value}"), actual));
            }
        }
    }
    Ok(())
}

/// A state value by its script name.
/// How the reply's action reads in a script (`none` without one).
fn action_text(reply: &Reply) -> String {
    reply
        .action
        .as_ref()
        .map(Action::describe)
        .unwrap_or_else(|| "none".into())
}

pub fn state_value(c: &Conversation, key: &str) -> String {
    let none = || "none".to_string();
    let context = c.context();
    match key {
        "flow" => c.flow().map_or_else(none, |f| f.flow.clone()),
        "step" => c.flow().map_or_else(none, |f| f.step.clone()),
        "product" => context.product.as_ref().map_or_else(none, |p| p.id.clone()),
        "order" => context
            .order
            .as_ref()
            .map_or_else(none, |o| o.order_no.clone()),
        "order.status" => context
            .order
            .as_ref()
            .and_then(|o| o.info.as_ref())
            .map_or_else(none, |i| i.status.code().into()),
        "entry" => context.entry.as_ref().map_or_else(none, |e| e.id.clone()),
        "emotion" => c.mood().last.map_or("calm".into(), |k| k.code().into()),
        "handoff" => c
            .last_handoff()
            .map_or_else(none, |h| h.reason.code().into()),
        "leave-message" => {
            if c.pending_message().is_some() {
                "pending".into()
            } else {
                none()
            }
        }
        "turns" => c.turns().to_string(),
        "resolved" => c.resolved().to_string(),
        "rating" => match c.rating_state() {
            RatingState::NotAsked => none(),
            RatingState::Asked => "asked".into(),
            RatingState::AskedReason { .. } => "asked-reason".into(),
            RatingState::Done(r) => {
                if r.satisfied {
                    "satisfied".into()
                } else {
                    "unsatisfied".into()
                }
            }
        },
        "rating.reason" => c
            .rating()
            .and_then(|r| r.reason.clone())
            .unwrap_or_else(none),
        other => match other.strip_prefix("slot.") {
            Some(name) => c
                .flow()
                .and_then(|f| {
                    f.slots
                        .iter()
                        .find(|(k, _)| k == name)
                        .map(|(_, v)| v.clone())
                })
                .or_else(|| c.slot(name).map(str::to_string))
                .unwrap_or_else(none),
            None => format!("(unknown state key `{other}`)"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kefu_core::dialogue::Message;

    #[test]
    fn a_failed_any_expectation_reads_as_english() {
        let reply = Reply {
            messages: vec![Message::Text {
                text: "您好，请问有什么可以帮您？".into(),
            }],
            ..Reply::default()
        };
        let c = Conversation::new();
        let any = |negate| Expectation::Any {
            text: if negate {
                "请问".into()
            } else {
                "再見".into()
            },
            negate,
        };
        let (what, _) = check(&any(true), Some(&reply), &c, Locale::ZhCn).unwrap_err();
        assert_eq!(what, "no message containing `请问`");
        let (what, _) = check(&any(false), Some(&reply), &c, Locale::ZhCn).unwrap_err();
        assert_eq!(what, "a message containing `再見`");
    }
}
