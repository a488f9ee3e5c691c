//! Talking to the kefu server (`data-api`): order lookups, handoff, leave-a-message and
//! anonymous event batches, as JSON over `fetch`. Only what a browser cannot do on its own
//! goes here; every answer still comes from the engine on the device.
//!
//! A verified customer (`kefu.setUser`) is sent as `X-Kefu-User` / `X-Kefu-User-Hash`; an
//! anonymous order lookup carries `?phone_last4=NNNN`, which the server asks for with 401.

use kefu_core::dialogue::reply::LeftMessage;
use kefu_core::dialogue::{Handoff, OrderInfo};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, RequestInit, Response};

use crate::config::User;

/// Why a request did not succeed.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// No response at all (offline, server down, blocked): worth retrying later.
    Network(String),
    /// The server answered with an error.
    Status {
        status: u16,
        code: String,
        message: String,
        /// `Retry-After`, in seconds.
        retry_after: Option<u32>,
    },
    /// The answer was not what the protocol says.
    Invalid(String),
}

impl ApiError {
    /// Whether sending again later may work (no answer, or the server is overloaded).
    pub fn is_transient(&self) -> bool {
        matches!(self, ApiError::Network(_))
            || matches!(self, ApiError::Status { status, .. } if *status >= 502)
    }

    /// A short reason for the customer-facing notice.
    pub fn reason(&self) -> String {
        match self {
            ApiError::Network(_) => "network".to_string(),
            ApiError::Status {
                status, message, ..
            } if !message.is_empty() => format!("{status}: {message}"),
            ApiError::Status { status, code, .. } => format!("HTTP {status} {code}"),
            ApiError::Invalid(why) => why.clone(),
        }
    }
}

/// The body of every error response: `{"error": {"code": "…", "message": "…"}}`.
#[derive(Debug, Deserialize)]
struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Debug, Deserialize)]
struct ErrorDetail {
    #[serde(default)]
    code: String,
    #[serde(default)]
    message: String,
}

/// The server's answer to a handoff: where the customer is in the queue.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct HandoffTicket {
    /// The handoff conversation's id (for the WebSocket and for resending).
    #[serde(default)]
    pub conversation_id: Option<String>,
    #[serde(default)]
    pub queue_position: Option<u32>,
    /// Expected wait, in seconds.
    #[serde(default)]
    pub expected_wait_secs: Option<u32>,
}

/// A handoff request: what the engine's `Action::HandOff` holds, plus the user.
#[derive(Debug, Serialize)]
struct HandoffRequest<'a> {
    handoff: &'a Handoff,
    locale: &'a str,
    client_id: &'a str,
}

/// A left message, with an id the client generated so a resend is not stored twice.
#[derive(Debug, Serialize)]
struct LeaveMessageRequest<'a> {
    message: &'a LeftMessage,
    locale: &'a str,
    client_id: &'a str,
}

/// One anonymous statistic: what kind of reply a turn got (and the entry, if any).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry: Option<String>,
    pub at: i64,
}

#[derive(Debug, Serialize)]
struct EventBatch<'a> {
    events: &'a [Event],
}

/// The server at `base` (no trailing slash), for the customer `user` if verified.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    pub base: String,
    pub user: Option<User>,
}

impl Api {
    /// `GET /api/v1/orders/{order_no}` (with `phone_last4` when anonymous).
    pub async fn order(
        &self,
        order_no: &str,
        phone_last4: Option<&str>,
    ) -> Result<OrderInfo, ApiError> {
        let mut url = format!("{}/api/v1/orders/{}", self.base, encode(order_no));
        if let Some(digits) = phone_last4 {
            url.push_str("?phone_last4=");
            url.push_str(&encode(digits));
        }
        let response = self.send("GET", &url, None).await?;
        read_json(response).await
    }

    /// `POST /api/v1/handoff`: puts the conversation in the agents' queue.
    pub async fn hand_off(
        &self,
        handoff: &Handoff,
        locale: &str,
        client_id: &str,
    ) -> Result<HandoffTicket, ApiError> {
        let body = to_json(&HandoffRequest {
            handoff,
            locale,
            client_id,
        })?;
        let url = format!("{}/api/v1/handoff", self.base);
        read_json(self.send("POST", &url, Some(body)).await?).await
    }

    /// `POST /api/v1/messages`: stores a message left outside working hours.
    pub async fn leave_message(
        &self,
        message: &LeftMessage,
        locale: &str,
        client_id: &str,
    ) -> Result<(), ApiError> {
        let body = to_json(&LeaveMessageRequest {
            message,
            locale,
            client_id,
        })?;
        let url = format!("{}/api/v1/messages", self.base);
        self.send("POST", &url, Some(body)).await.map(drop)
    }

    /// `POST /api/v1/events`: a batch of anonymous statistics.
    pub async fn events(&self, events: &[Event]) -> Result<(), ApiError> {
        let body = to_json(&EventBatch { events })?;
        let url = format!("{}/api/v1/events", self.base);
        self.send_with("POST", &url, Some(body), false)
            .await
            .map(drop)
    }

    async fn send(
        &self,
        method: &str,
        url: &str,
        body: Option<String>,
    ) -> Result<Response, ApiError> {
        self.send_with(method, url, body, true).await
    }

    async fn send_with(
        &self,
        method: &str,
        url: &str,
        body: Option<String>,
        identify: bool,
    ) -> Result<Response, ApiError> {
        let network =
            |e: JsValue| ApiError::Network(e.as_string().unwrap_or_else(|| format!("{e:?}")));
        let headers = Headers::new().map_err(network)?;
        headers.set("Accept", "application/json").map_err(network)?;
        if body.is_some() {
            headers
                .set("Content-Type", "application/json")
                .map_err(network)?;
        }
        if let (true, Some(user)) = (identify, &self.user) {
            headers.set("X-Kefu-User", &user.id).map_err(network)?;
            headers
                .set("X-Kefu-User-Hash", &user.hash)
                .map_err(network)?;
        }
        let init = RequestInit::new();
        init.set_method(method);
        init.set_headers(&headers);
        if let Some(body) = body {
            init.set_body(&JsValue::from_str(&body));
        }
        let window = web_sys::window().ok_or_else(|| ApiError::Network("no window".into()))?;
        let response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
            .await
            .map_err(network)?;
        let response: Response = response.dyn_into().map_err(network)?;
        if response.ok() {
            return Ok(response);
        }
        let status = response.status();
        let retry_after = response
            .headers()
            .get("Retry-After")
            .ok()
            .flatten()
            .and_then(|s| s.trim().parse().ok());
        let detail = read_json::<ErrorBody>(response).await.ok().map(|b| b.error);
        Err(ApiError::Status {
            status,
            code: detail.as_ref().map(|d| d.code.clone()).unwrap_or_default(),
            message: detail.map(|d| d.message).unwrap_or_default(),
            retry_after,
        })
    }
}

fn to_json<T: Serialize>(value: &T) -> Result<String, ApiError> {
    let js = value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| ApiError::Invalid(e.to_string()))?;
    js_sys::JSON::stringify(&js)
        .map(String::from)
        .map_err(|_| ApiError::Invalid("unserialisable".into()))
}

async fn read_json<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let invalid =
        |e: JsValue| ApiError::Invalid(e.as_string().unwrap_or_else(|| "not JSON".into()));
    let value = JsFuture::from(response.json().map_err(invalid)?)
        .await
        .map_err(invalid)?;
    serde_wasm_bindgen::from_value(value).map_err(|e| ApiError::Invalid(e.to_string()))
}

/// Percent-encodes a path segment or query value.
fn encode(text: &str) -> String {
    String::from(js_sys::encode_uri_component(text))
}
