//! `GET /api/v1/orders/{order_no}`: an order with its status timeline, as the customer may
//! see it, and its conversions to and from the conversation engine's
//! [`kefu_core::dialogue::OrderInfo`] / [`kefu_core::dialogue::OrderLookup`].
//!
//! Who may ask: a verified customer (headers [`crate::headers::USER`] and
//! [`crate::headers::USER_HASH`]) sees their own orders; anyone else needs the order's number
//! and `?phone_last4=NNNN`, the last four digits of the phone number on the order.

use kefu_core::dialogue::{OrderInfo, OrderLookup, OrderStatus};
use kefu_core::Timestamp;
use serde::{Deserialize, Serialize};

use crate::error::{ErrorBody, ErrorCode};

/// Query string of an anonymous lookup.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderQuery {
    /// Exactly four ASCII digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_last4: Option<String>,
}

/// An order, as `GET /api/v1/orders/{order_no}` returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderResponse {
    pub order_no: String,
    pub status: OrderStatus,
    /// The status as the customer reads it ("已发货，运输中").
    pub status_text: String,
    pub carrier: Option<String>,
    pub tracking_no: Option<String>,
    /// Expected delivery (Unix seconds).
    pub eta: Option<Timestamp>,
    /// What happened to the order, oldest first.
    pub timeline: Vec<TimelineEvent>,
    /// The items' names as the shop shows them ("夏季透气跑鞋 ×1").
    pub items: Vec<String>,
}

/// One step of an order's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEvent {
    pub stage: TimelineStage,
    /// Unix seconds.
    pub at: Timestamp,
    /// Free text from the shop or the carrier ("已到达【上海转运中心】"); may be empty.
    #[serde(default)]
    pub text: String,
}

/// The kinds of steps in an order's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TimelineStage {
    Ordered,
    Paid,
    Shipped,
    /// A carrier scan on the way.
    InTransit,
    OutForDelivery,
    Delivered,
    Cancelled,
    RefundRequested,
    Refunded,
    /// A stage this version of the protocol does not know.
    #[serde(other)]
    Other,
}

impl OrderResponse {
    /// The first event of `stage`, if any.
    pub fn first(&self, stage: TimelineStage) -> Option<Timestamp> {
        self.timeline
            .iter()
            .find(|e| e.stage == stage)
            .map(|e| e.at)
    }
}

impl From<OrderResponse> for OrderInfo {
    /// What the conversation engine needs: the status, carrier, tracking number, ETA, items,
    /// and the order's ordered / shipped / delivered times from the timeline.
    fn from(r: OrderResponse) -> OrderInfo {
        OrderInfo {
            ordered_at: r.first(TimelineStage::Ordered),
            shipped_at: r.first(TimelineStage::Shipped),
            delivered_at: r.first(TimelineStage::Delivered),
            order_no: r.order_no,
            status: r.status,
            carrier: r.carrier,
            tracking_no: r.tracking_no,
            eta: r.eta,
            items: r.items,
        }
    }
}

impl From<OrderInfo> for OrderResponse {
    /// An engine-side order as a response; the timeline is built from its three times, the
    /// status text is the engine's label.
    fn from(i: OrderInfo) -> OrderResponse {
        let timeline = [
            (TimelineStage::Ordered, i.ordered_at),
            (TimelineStage::Shipped, i.shipped_at),
            (TimelineStage::Delivered, i.delivered_at),
        ]
        .into_iter()
        .filter_map(|(stage, at)| {
            at.map(|at| TimelineEvent {
                stage,
                at,
                text: String::new(),
            })
        })
        .collect();
        OrderResponse {
            status_text: i.status.label().to_string(),
            order_no: i.order_no,
            status: i.status,
            carrier: i.carrier,
            tracking_no: i.tracking_no,
            eta: i.eta,
            timeline,
            items: i.items,
        }
    }
}

/// What to feed back to the engine as [`kefu_core::dialogue::Input::Order`] after asking the
/// server for `order_no`: found, not found (`404 order_not_found`), or failed (anything
/// else: network, rate limit, server fault — the customer may try again).
pub fn order_lookup(order_no: &str, result: Result<OrderResponse, &ErrorBody>) -> OrderLookup {
    match result {
        Ok(order) => OrderLookup::Found(order.into()),
        Err(e) if matches!(e.error.code, ErrorCode::OrderNotFound | ErrorCode::NotFound) => {
            OrderLookup::NotFound {
                order_no: order_no.to_string(),
            }
        }
        Err(_) => OrderLookup::Failed {
            order_no: order_no.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> OrderInfo {
        OrderInfo {
            order_no: "123456".into(),
            status: OrderStatus::Shipped,
            carrier: Some("顺丰".into()),
            tracking_no: Some("SF1234567890".into()),
            ordered_at: Some(1_795_000_000),
            shipped_at: Some(1_795_086_400),
            delivered_at: None,
            eta: Some(1_795_345_600),
            items: vec!["夏季透气跑鞋 ×1".into()],
        }
    }

    #[test]
    fn engine_order_round_trips_through_the_wire_shape() {
        let wire = OrderResponse::from(shipped());
        assert_eq!(wire.status_text, "已发货，运输中");
        assert_eq!(wire.timeline.len(), 2);
        let json = serde_json::to_string(&wire).unwrap();
        let back: OrderResponse = serde_json::from_str(&json).unwrap();
        assert_eq!(OrderInfo::from(back), shipped());
    }

    #[test]
    fn lookups_map_errors_to_not_found_or_failed() {
        let not_found = ErrorBody::new(ErrorCode::OrderNotFound, "no");
        let limited = ErrorBody::new(ErrorCode::RateLimited, "later");
        assert_eq!(
            order_lookup("1", Err(&not_found)),
            OrderLookup::NotFound {
                order_no: "1".into()
            }
        );
        assert_eq!(
            order_lookup("1", Err(&limited)),
            OrderLookup::Failed {
                order_no: "1".into()
            }
        );
        let found = order_lookup("123456", Ok(shipped().into()));
        assert_eq!(found, OrderLookup::Found(shipped()));
    }

    #[test]
    fn unknown_timeline_stages_are_kept_as_other() {
        let e: TimelineEvent =
            serde_json::from_str(r#"{"stage":"customs-cleared","at":5}"#).unwrap();
        assert_eq!(e.stage, TimelineStage::Other);
        assert_eq!(e.text, "");
    }
}
