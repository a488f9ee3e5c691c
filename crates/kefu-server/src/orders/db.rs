//! Orders kept in the server's own `orders` table (the demo's, or a shop's export).

use anyhow::Context as _;
use kefu_core::dialogue::OrderStatus;
use kefu_protocol::orders::{OrderResponse, TimelineEvent};
use sqlx::Row as _;

use super::{OrderRecord, OrderSource, SourceError, SourceFuture};
use crate::db::{now, Db};

pub struct DbOrders {
    db: Db,
}

impl DbOrders {
    pub fn new(db: Db) -> DbOrders {
        DbOrders { db }
    }

    /// Inserts or replaces an order.
    pub async fn put(db: &Db, record: &OrderRecord) -> anyhow::Result<()> {
        let o = &record.order;
        sqlx::query(
            "INSERT INTO orders (order_no, owner, phone, status, carrier, tracking_no, eta, timeline, items, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
             ON CONFLICT (order_no) DO UPDATE SET owner = excluded.owner, phone = excluded.phone,
               status = excluded.status, carrier = excluded.carrier, tracking_no = excluded.tracking_no,
               eta = excluded.eta, timeline = excluded.timeline, items = excluded.items,
               updated_at = excluded.updated_at",
        )
        .bind(&o.order_no)
        .bind(record.owner.as_deref())
        .bind(record.phone.as_deref())
        .bind(o.status.code())
        .bind(o.carrier.as_deref())
        .bind(o.tracking_no.as_deref())
        .bind(o.eta)
        .bind(serde_json::to_string(&o.timeline)?)
        .bind(serde_json::to_string(&o.items)?)
        .bind(now())
        .execute(&db.pool)
        .await
        .with_context(|| format!("storing order {}", o.order_no))?;
        Ok(())
    }

    async fn get(&self, order_no: &str) -> anyhow::Result<Option<OrderRecord>> {
        let row = sqlx::query(
            "SELECT order_no, owner, phone, status, carrier, tracking_no, eta, timeline, items
             FROM orders WHERE order_no = $1",
        )
        .bind(order_no)
        .fetch_optional(&self.db.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let status: String = row.try_get("status")?;
        let status = OrderStatus::from_code(&status)
            .with_context(|| format!("order {order_no}: unknown status {status:?}"))?;
        let timeline: Vec<TimelineEvent> =
            serde_json::from_str(&row.try_get::<String, _>("timeline")?)
                .with_context(|| format!("order {order_no}: timeline"))?;
        let items: Vec<String> = serde_json::from_str(&row.try_get::<String, _>("items")?)
            .with_context(|| format!("order {order_no}: items"))?;
        Ok(Some(OrderRecord {
            order: OrderResponse {
                order_no: row.try_get("order_no")?,
                status,
                status_text: status.label().to_string(),
                carrier: row.try_get("carrier")?,
                tracking_no: row.try_get("tracking_no")?,
                eta: row.try_get("eta")?,
                timeline,
                items,
            },
            owner: row.try_get("owner")?,
            phone: row.try_get("phone")?,
        }))
    }
}

impl OrderSource for DbOrders {
    fn find<'a>(&'a self, order_no: &'a str) -> SourceFuture<'a> {
        Box::pin(async move { self.get(order_no).await.map_err(SourceError::Database) })
    }
}
