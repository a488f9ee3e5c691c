//! Orders from the shop's own order API: `GET <template with {order_no}>` (optionally with
//! `Authorization: Bearer <token>`), answering `200` with a [`ShopOrder`] or `404`.
//! Anything else — another status, a body that is not a `ShopOrder`, a timeout — is an
//! upstream failure the customer may retry (`502 upstream_failed` / `504 upstream_timeout`).

use std::time::Duration;

use anyhow::Context as _;
use kefu_core::dialogue::OrderStatus;
use kefu_core::Timestamp;
use kefu_protocol::orders::{OrderResponse, TimelineEvent};
use serde::{Deserialize, Serialize};

use super::{OrderRecord, OrderSource, SourceError, SourceFuture};

/// What the shop's order API returns for one order (documented in `docs/server.md`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopOrder {
    pub order_no: String,
    /// `pending-payment`, `unshipped`, `shipped`, `delivered`, `cancelled`, `refunding`,
    /// `refunded`.
    pub status: OrderStatus,
    #[serde(default)]
    pub status_text: Option<String>,
    #[serde(default)]
    pub carrier: Option<String>,
    #[serde(default)]
    pub tracking_no: Option<String>,
    #[serde(default)]
    pub eta: Option<Timestamp>,
    #[serde(default)]
    pub timeline: Vec<TimelineEvent>,
    #[serde(default)]
    pub items: Vec<String>,
    /// The buyer's user id on the shop's site (what the site signs for the widget).
    #[serde(default)]
    pub owner: Option<String>,
    /// The phone number on the order.
    #[serde(default)]
    pub phone: Option<String>,
}

/// Bodies larger than this are refused.
const MAX_BODY: usize = 256 * 1024;

pub struct HttpOrders {
    client: reqwest::Client,
    template: String,
    token: Option<String>,
}

impl HttpOrders {
    pub fn new(
        template: &str,
        token: Option<String>,
        timeout: Duration,
    ) -> anyhow::Result<HttpOrders> {
        if !template.contains("{order_no}") {
            anyhow::bail!("--order-api must contain {{order_no}} (e.g. https://shop.example/orders/{{order_no}})");
        }
        reqwest::Url::parse(&template.replace("{order_no}", "0"))
            .context("--order-api is not a URL")?;
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("kefu-server/", env!("CARGO_PKG_VERSION")))
            .build()
            .context("building the HTTP client")?;
        Ok(HttpOrders {
            client,
            template: template.to_string(),
            token,
        })
    }

    async fn get(&self, order_no: &str) -> Result<Option<OrderRecord>, SourceError> {
        // The number was checked to be ASCII letters, digits, '-' and '_': safe in a URL.
        let url = self.template.replace("{order_no}", order_no);
        let mut request = self.client.get(&url).header("accept", "application/json");
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.map_err(classify)?;
        let status = response.status();
        if status == reqwest::StatusCode::NOT_FOUND {
            return Ok(None);
        }
        if !status.is_success() {
            return Err(SourceError::Failed(anyhow::anyhow!(
                "order API answered HTTP {status}"
            )));
        }
        if response
            .content_length()
            .is_some_and(|n| n as usize > MAX_BODY)
        {
            return Err(SourceError::Failed(anyhow::anyhow!(
                "order API body too large"
            )));
        }
        let bytes = response.bytes().await.map_err(classify)?;
        if bytes.len() > MAX_BODY {
            return Err(SourceError::Failed(anyhow::anyhow!(
                "order API body too large"
            )));
        }
        let shop: ShopOrder = serde_json::from_slice(&bytes)
            .map_err(|e| SourceError::Failed(anyhow::anyhow!("order API body: {e}")))?;
        if shop.order_no != order_no {
            return Err(SourceError::Failed(anyhow::anyhow!(
                "order API answered for another order number"
            )));
        }
        Ok(Some(OrderRecord {
            order: OrderResponse {
                status_text: shop
                    .status_text
                    .unwrap_or_else(|| shop.status.label().to_string()),
                order_no: shop.order_no,
                status: shop.status,
                carrier: shop.carrier,
                tracking_no: shop.tracking_no,
                eta: shop.eta,
                timeline: shop.timeline,
                items: shop.items,
            },
            owner: shop.owner,
            phone: shop.phone,
        }))
    }
}

fn classify(e: reqwest::Error) -> SourceError {
    if e.is_timeout() {
        SourceError::Timeout
    } else {
        SourceError::Failed(anyhow::Error::new(e.without_url()))
    }
}

impl OrderSource for HttpOrders {
    fn find<'a>(&'a self, order_no: &'a str) -> SourceFuture<'a> {
        Box::pin(self.get(order_no))
    }
}
