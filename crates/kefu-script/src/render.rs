//! A reply as the lines a transcript shows; what checks print as "got".

use kefu_core::dialogue::Reply;

/// A reply as `< kind: summary` lines, the action last.
pub fn render(reply: &Reply) -> String {
    let mut lines: Vec<String> = reply
        .messages
        .iter()
        .map(|m| format!("< {}: {}", m.kind(), m.summary()))
        .collect();
    if let Some(action) = &reply.action {
        lines.push(format!("< action: {}", action.describe()));
    }
    lines.join("\n")
}
