//! A bot text with its limited formatting (`**bold**`, `[label](https://…)`, `- ` list lines)
//! rendered as DOM nodes. The parsing is kefu-core's ([`kefu_core::dialogue::markup`]);
//! every piece becomes a text node, so nothing in a knowledge base is ever read as HTML.

use kefu_core::dialogue::markup::{parse, Block, Span};
use leptos::prelude::*;

#[component]
pub fn RichText(#[prop(into)] text: String) -> impl IntoView {
    let mut groups: Vec<(bool, Vec<Vec<Span>>)> = Vec::new();
    for block in parse(&text) {
        let (item, spans) = match block {
            Block::Paragraph(spans) => (false, spans),
            Block::ListItem(spans) => (true, spans),
        };
        match groups.last_mut() {
            Some((true, items)) if item => items.push(spans),
            _ => groups.push((item, vec![spans])),
        }
    }
    groups
        .into_iter()
        .map(|(list, lines)| {
            if list {
                let items = lines
                    .into_iter()
                    .map(|spans| view! { <li>{render(spans)}</li> })
                    .collect_view();
                view! { <ul class="kefu-text-list">{items}</ul> }.into_any()
            } else {
                lines
                    .into_iter()
                    .map(|spans| view! { <p class="kefu-text-line">{render(spans)}</p> })
                    .collect_view()
                    .into_any()
            }
        })
        .collect_view()
}

fn render(spans: Vec<Span>) -> impl IntoView {
    spans
        .into_iter()
        .map(|span| match span {
            Span::Text(text) => text.into_any(),
            Span::Bold(text) => view! { <strong>{text}</strong> }.into_any(),
            Span::Link { label, url } => view! {
                <a href=url target="_blank" rel="noopener noreferrer">{label}</a>
            }
            .into_any(),
        })
        .collect_view()
}
