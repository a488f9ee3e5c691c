//! The limited formatting bot texts may use — `**bold**`, `[label](https://…)` and lines
//! starting with `- ` — parsed into structured spans for the widget to render. Nothing here
//! is ever HTML: a `<script>` in a text stays plain text, and a link that is not `http(s)`
//! stays its label.
//!
//! ```
//! use kefu_core::dialogue::markup::{parse, Block, Span};
//! let blocks = parse("请寄回：**小麦路88号**\n- 详见[退货说明](https://shop.example/return)");
//! assert_eq!(blocks[0], Block::Paragraph(vec![Span::Text("请寄回：".into()), Span::Bold("小麦路88号".into())]));
//! assert!(matches!(&blocks[1], Block::ListItem(spans) if spans.len() == 2));
//! ```

use serde::{Deserialize, Serialize};

/// A line of text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Block {
    Paragraph(Vec<Span>),
    /// A line that started with `- `.
    ListItem(Vec<Span>),
}

/// A piece of a line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Span {
    Text(String),
    Bold(String),
    Link { label: String, url: String },
}

/// Parses a bot text into blocks of spans; empty lines are dropped.
pub fn parse(text: &str) -> Vec<Block> {
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| match line.trim_start().strip_prefix("- ") {
            Some(item) => Block::ListItem(spans(item)),
            None => Block::Paragraph(spans(line)),
        })
        .collect()
}

/// The plain text of a bot text, formatting removed (for screen readers and transcripts).
pub fn plain(text: &str) -> String {
    parse(text)
        .iter()
        .map(|block| {
            let (prefix, spans) = match block {
                Block::Paragraph(s) => ("", s),
                Block::ListItem(s) => ("- ", s),
            };
            let body: String = spans
                .iter()
                .map(|s| match s {
                    Span::Text(t) | Span::Bold(t) => t.as_str(),
                    Span::Link { label, .. } => label.as_str(),
                })
                .collect();
            format!("{prefix}{body}")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn spans(line: &str) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    let mut text = String::new();
    let mut rest = line;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("**") {
            if let Some(end) = after.find("**").filter(|&e| e > 0) {
                flush(&mut text, &mut out);
                out.push(Span::Bold(after[..end].to_string()));
                rest = &after[end + 2..];
                continue;
            }
        }
        if let Some((label, url, used)) = link(rest) {
            if url.starts_with("https://") || url.starts_with("http://") {
                flush(&mut text, &mut out);
                out.push(Span::Link {
                    label: label.to_string(),
                    url: url.to_string(),
                });
            } else {
                text.push_str(label);
            }
            rest = &rest[used..];
            continue;
        }
        let c = rest.chars().next().expect("not empty");
        text.push(c);
        rest = &rest[c.len_utf8()..];
    }
    flush(&mut text, &mut out);
    out
}

/// `[label](url)` at the start of `s`: label, url and bytes used.
fn link(s: &str) -> Option<(&str, &str, usize)> {
    let inner = s.strip_prefix('[')?;
    let close = inner.find("](")?;
    let label = &inner[..close];
    let after = &inner[close + 2..];
    let end = after.find(')')?;
    let url = after[..end].trim();
    if label.is_empty() || label.contains('[') || url.contains(char::is_whitespace) {
        return None;
    }
    Some((label, url, 1 + close + 2 + end + 1))
}

fn flush(text: &mut String, out: &mut Vec<Span>) {
    if !text.is_empty() {
        out.push(Span::Text(std::mem::take(text)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_stays_text_and_bad_links_stay_labels() {
        assert_eq!(
            parse("<script>alert(1)</script>"),
            vec![Block::Paragraph(vec![Span::Text(
                "<script>alert(1)</script>".into()
            )])]
        );
        assert_eq!(
            parse("[点我](javascript:alert(1))"),
            vec![Block::Paragraph(vec![Span::Text("点我)".into())])]
        );
        assert_eq!(
            parse("a ** b"),
            vec![Block::Paragraph(vec![Span::Text("a ** b".into())])]
        );
        assert_eq!(
            plain("**注意**\n- 第一条\n\n- [链接](https://x.cn)"),
            "注意\n- 第一条\n- 链接"
        );
    }
}
