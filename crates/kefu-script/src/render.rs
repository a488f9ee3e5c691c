//! A reply as the lines a transcript shows; what checks print as "got".

use kefu_core::dialogue::locale::Locale;
use kefu_core::dialogue::Reply;

/// A reply as `< kind: summary` lines, the action last (the messages' own words in
/// simplified Chinese; see [`render_in`]).
pub fn render(reply: &Reply) -> String {
    render_in(reply, Locale::ZhCn)
}

/// A reply as `< kind: text` lines in the conversation's language `locale`, the action last.
pub fn render_in(reply: &Reply, locale: Locale) -> String {
    let mut lines: Vec<String> = reply
        .messages
        .iter()
        .map(|m| format!("< {}: {}", m.kind(), m.text(locale)))
        .collect();
    if let Some(action) = &reply.action {
        lines.push(format!("< action: {}", action.describe()));
    }
    lines.join("\n")
}
