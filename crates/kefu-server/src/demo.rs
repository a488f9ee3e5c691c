//! `--demo`: seeded orders (and, from the console module, a demo agent) so a visitor can try
//! every path of the widget at once. Printed on start.

use kefu_core::dialogue::OrderStatus;
use kefu_protocol::orders::{OrderResponse, TimelineEvent, TimelineStage};

use crate::db::{now, Db};
use crate::orders::{DbOrders, OrderRecord};

/// The HMAC secret used with `--demo` when `KEFU_SECRET` is not set. Public: never use it for
/// a real shop.
pub const DEMO_SECRET: &str = "kefu-demo-secret-not-for-production";

const DAY: i64 = 86_400;

/// The demo orders, relative to `now`: owner, phone, order.
pub fn orders(now: i64) -> Vec<OrderRecord> {
    let ev = |stage, at, text: &str| TimelineEvent {
        stage,
        at,
        text: text.to_string(),
    };
    let order = |no: &str,
                 status: OrderStatus,
                 carrier: Option<&str>,
                 tracking: Option<&str>,
                 eta: Option<i64>,
                 timeline: Vec<TimelineEvent>,
                 items: &[&str]| OrderResponse {
        order_no: no.to_string(),
        status,
        status_text: status.label().to_string(),
        carrier: carrier.map(str::to_string),
        tracking_no: tracking.map(str::to_string),
        eta,
        timeline,
        items: items.iter().map(|s| s.to_string()).collect(),
    };
    vec![
        OrderRecord {
            owner: Some("demo-alice".into()),
            phone: Some("13812345678".into()),
            order: order(
                "123456",
                OrderStatus::Shipped,
                Some("顺丰"),
                Some("SF1234567890"),
                Some(now + 2 * DAY),
                vec![
                    ev(TimelineStage::Ordered, now - 2 * DAY, "订单已提交"),
                    ev(TimelineStage::Paid, now - 2 * DAY + 60, "已付款"),
                    ev(TimelineStage::Shipped, now - DAY, "顺丰已揽收"),
                    ev(
                        TimelineStage::InTransit,
                        now - DAY / 3,
                        "已到达【上海转运中心】",
                    ),
                ],
                &["夏季透气跑鞋 ×1"],
            ),
        },
        OrderRecord {
            owner: Some("demo-alice".into()),
            phone: Some("13812345678".into()),
            order: order(
                "234567",
                OrderStatus::Delivered,
                Some("中通"),
                Some("ZT9876543210"),
                Some(now - 3 * DAY),
                vec![
                    ev(TimelineStage::Ordered, now - 8 * DAY, "订单已提交"),
                    ev(TimelineStage::Shipped, now - 7 * DAY, "中通已揽收"),
                    ev(
                        TimelineStage::Delivered,
                        now - 4 * DAY,
                        "已签收，签收人：本人",
                    ),
                ],
                &["纯棉T恤 ×2", "运动袜 ×3"],
            ),
        },
        OrderRecord {
            owner: Some("demo-bob".into()),
            phone: Some("13998765432".into()),
            order: order(
                "345678",
                OrderStatus::Unshipped,
                None,
                None,
                Some(now + 4 * DAY),
                vec![
                    ev(TimelineStage::Ordered, now - DAY / 2, "订单已提交"),
                    ev(TimelineStage::Paid, now - DAY / 2 + 120, "已付款"),
                ],
                &["保温杯 500ml ×1"],
            ),
        },
        OrderRecord {
            owner: None,
            phone: Some("13700001111".into()),
            order: order(
                "456789",
                OrderStatus::Refunding,
                None,
                None,
                None,
                vec![
                    ev(TimelineStage::Ordered, now - 5 * DAY, "订单已提交"),
                    ev(TimelineStage::RefundRequested, now - DAY, "已申请退款"),
                ],
                &["防晒外套 ×1"],
            ),
        },
    ]
}

/// Seeds the demo orders (replacing earlier ones with the same numbers).
pub async fn seed(db: &Db) -> anyhow::Result<Vec<OrderRecord>> {
    let records = orders(now());
    for r in &records {
        DbOrders::put(db, r).await?;
    }
    // NOTE: the console module seeds the demo agent here (and `print` shows its login).
    crate::console::seed_demo_agent(db).await?;
    Ok(records)
}

/// What a visitor needs to try the demo: whose orders, which phone digits.
pub fn describe(records: &[OrderRecord], secret: &crate::identity::Secret) -> String {
    let mut out = String::from("demo orders (anonymous lookups need the phone's last 4 digits):\n");
    for r in records {
        let phone = r.phone.as_deref().unwrap_or("");
        let last4 = &phone[phone.len().saturating_sub(4)..];
        out.push_str(&format!(
            "  {}  {:<14} owner {:<11} phone …{}  {}\n",
            r.order.order_no,
            r.order.status_text,
            r.owner.as_deref().unwrap_or("(guest)"),
            last4,
            r.order.carrier.as_deref().unwrap_or("")
        ));
    }
    out.push_str("signed-in demo users (X-Kefu-User / X-Kefu-User-Hash):\n");
    for user in ["demo-alice", "demo-bob"] {
        out.push_str(&format!("  {user}  {}\n", secret.sign(user)));
    }
    out.push_str(&crate::console::demo_login());
    out
}
