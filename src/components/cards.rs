//! The engine's structured messages: product cards, the comparison table and the order card
//! with its status timeline. Every value is text in the DOM.

use kefu_core::dialogue::reply::{Comparison, OrderCard, ProductCard};
use kefu_core::dialogue::{Choice, OrderStatus};
use leptos::prelude::*;

use crate::chat::use_chat;
use crate::i18n::{use_i18n, Key};

/// Only web links and same-site paths become `href`s.
pub fn safe_url(url: &str) -> Option<String> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let ok = lower.starts_with("https://")
        || lower.starts_with("http://")
        || (url.starts_with('/') && !url.starts_with("//"));
    ok.then(|| url.to_string())
}

#[component]
pub fn ProductCards(cards: Vec<ProductCard>) -> impl IntoView {
    let i18n = use_i18n();
    let chat = use_chat();
    let cards = cards
        .into_iter()
        .map(|card| {
            let ProductCard { id, name, price, summary, image, url, matched } = card;
            let image = safe_url(&image).map(|src| view! { <img class="kefu-product-image" src=src alt="" loading="lazy" /> });
            let link = safe_url(&url).map(|href| view! {
                <a class="kefu-product-link" href=href target="_blank" rel="noopener noreferrer">{i18n.t(Key::ViewProduct)}</a>
            });
            let matched = (!matched.is_empty()).then(|| view! {
                <p class="kefu-product-matched">{format!("{}{}", i18n.t(Key::Matched), matched.join(i18n.t(Key::ListSeparator)))}</p>
            });
            let label = name.clone();
            let product = id.clone();
            view! {
                <li class="kefu-product" data-testid="product-card" data-product=id>
                    {image}
                    <div class="kefu-product-text">
                        <button type="button" class="kefu-product-name" on:click=move |_| chat.choose(&label, Choice::Product(product.clone()))>
                            {name}
                        </button>
                        <p class="kefu-product-price">{price}</p>
                        <p class="kefu-product-summary">{summary}</p>
                        {matched}
                        {link}
                    </div>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="kefu-products" aria-label=i18n.t(Key::ProductsLabel)>{cards}</ul> }
}

#[component]
pub fn ComparisonTable(table: Comparison) -> impl IntoView {
    let i18n = use_i18n();
    let heads = table
        .products
        .into_iter()
        .map(|p| view! { <th scope="col">{p}</th> })
        .collect_view();
    let rows = table
        .rows
        .into_iter()
        .map(|row| {
            let cells = row
                .values
                .into_iter()
                .map(|v| view! { <td>{v}</td> })
                .collect_view();
            view! { <tr><th scope="row">{row.attribute}</th>{cells}</tr> }
        })
        .collect_view();
    view! {
        <div class="kefu-comparison" data-testid="comparison" tabindex="0" role="region" aria-label=i18n.t(Key::ComparisonLabel)>
            <table>
                <caption class="kefu-sr-only">{i18n.t(Key::ComparisonLabel)}</caption>
                <thead><tr><th scope="col">{i18n.t(Key::Attribute)}</th>{heads}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// How far along the timeline an order is (`None`: cancelled or refunded, no timeline).
fn progress(status: OrderStatus) -> Option<usize> {
    match status {
        OrderStatus::PendingPayment => Some(0),
        OrderStatus::Unshipped => Some(1),
        OrderStatus::Shipped => Some(2),
        OrderStatus::Delivered => Some(3),
        OrderStatus::Cancelled | OrderStatus::Refunding | OrderStatus::Refunded => None,
    }
}

#[component]
pub fn OrderCardView(
    card: OrderCard,
    /// The same card was shown just before (「什么时候能到？」 after the card): one line that
    /// refers to it, so the answer below is what the customer reads.
    #[prop(optional)]
    compact: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    if compact {
        let text = i18n.fill(
            Key::OrderSameAsAbove,
            &[("order", &card.order_no), ("status", &card.status_text)],
        );
        return view! {
            <article class="kefu-order kefu-order--compact" data-testid="order-card" data-compact="true"
                data-status=card.status.code() aria-label=i18n.t(Key::OrderCardLabel)>
                <p class="kefu-order-status">{text}</p>
            </article>
        }
        .into_any();
    }
    let timeline = progress(card.status).map(|at| {
        let steps = [Key::StepOrdered, Key::StepPaid, Key::StepShipped, Key::StepDelivered]
            .into_iter()
            .enumerate()
            .map(|(i, key)| {
                let current = (i == at).then_some("step");
                view! {
                    <li class="kefu-step" class:kefu-step--done=i <= at aria-current=current>{i18n.t(key)}</li>
                }
            })
            .collect_view();
        view! { <ol class="kefu-timeline">{steps}</ol> }
    });
    let row = |key: Key, value: Option<String>| {
        value.filter(|v| !v.is_empty()).map(|v| {
            view! {
                <div class="kefu-order-row"><dt>{i18n.t(key)}</dt><dd>{v}</dd></div>
            }
        })
    };
    let items = (!card.items.is_empty()).then(|| card.items.join(i18n.t(Key::ListSeparator)));
    view! {
        <article class="kefu-order" data-testid="order-card" data-status=card.status.code() aria-label=i18n.t(Key::OrderCardLabel)>
            <p class="kefu-order-status">{card.status_text}</p>
            {timeline}
            <dl class="kefu-order-details">
                {row(Key::OrderNo, Some(card.order_no))}
                {row(Key::Carrier, card.carrier)}
                {row(Key::Tracking, card.tracking_no)}
                {row(Key::Eta, card.eta)}
                {row(Key::Items, items)}
            </dl>
        </article>
    }
    .into_any()
}
