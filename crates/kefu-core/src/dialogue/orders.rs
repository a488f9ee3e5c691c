//! Orders as the shop's order system reports them: what the caller sends back after an
//! [`Action::LookUpOrder`](super::reply::Action::LookUpOrder).

use serde::{Deserialize, Serialize};

use crate::kb::Timestamp;

/// The answer to an order lookup.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OrderLookup {
    Found(OrderInfo),
    NotFound {
        order_no: String,
    },
    /// The lookup failed (network, server); the customer may try again.
    Failed {
        order_no: String,
    },
}

/// An order, as the shop's order system reports it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct OrderInfo {
    pub order_no: String,
    pub status: OrderStatus,
    pub carrier: Option<String>,
    pub tracking_no: Option<String>,
    pub ordered_at: Option<Timestamp>,
    pub shipped_at: Option<Timestamp>,
    pub delivered_at: Option<Timestamp>,
    /// Expected delivery.
    pub eta: Option<Timestamp>,
    pub items: Vec<String>,
}

/// Where an order stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OrderStatus {
    PendingPayment,
    /// Paid, not shipped yet.
    #[default]
    Unshipped,
    Shipped,
    Delivered,
    Cancelled,
    Refunding,
    Refunded,
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 7] = [
        OrderStatus::PendingPayment,
        OrderStatus::Unshipped,
        OrderStatus::Shipped,
        OrderStatus::Delivered,
        OrderStatus::Cancelled,
        OrderStatus::Refunding,
        OrderStatus::Refunded,
    ];

    /// `pending-payment`, `unshipped`, … (as used in flow conditions and scripts).
    pub fn code(self) -> &'static str {
        match self {
            OrderStatus::PendingPayment => "pending-payment",
            OrderStatus::Unshipped => "unshipped",
            OrderStatus::Shipped => "shipped",
            OrderStatus::Delivered => "delivered",
            OrderStatus::Cancelled => "cancelled",
            OrderStatus::Refunding => "refunding",
            OrderStatus::Refunded => "refunded",
        }
    }

    /// The status by its code.
    pub fn from_code(code: &str) -> Option<OrderStatus> {
        OrderStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The customer-facing label.
    pub fn label(self) -> &'static str {
        match self {
            OrderStatus::PendingPayment => "待付款",
            OrderStatus::Unshipped => "待发货",
            OrderStatus::Shipped => "已发货，运输中",
            OrderStatus::Delivered => "已签收",
            OrderStatus::Cancelled => "已取消",
            OrderStatus::Refunding => "退款中",
            OrderStatus::Refunded => "已退款",
        }
    }
}
