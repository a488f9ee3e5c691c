//! Talking to the kefu server (`data-api`): order lookups, handoff, leave-a-message and
//! anonymous event batches, as JSON over `fetch`, in the shared wire types of
//! `kefu-protocol` (so the widget and the server cannot disagree). Only what a browser
//! cannot do on its own goes here; every answer still comes from the engine on the device.
//!
//! A verified customer (`kefu.setUser`) is sent as `X-Kefu-User` / `X-Kefu-User-Hash`; an
//! anonymous order lookup carries `?phone_last4=NNNN`, which the server asks for with 401.
//!
//! The bodies are read and written by `kefu_protocol::json` (byte-compatible with the
//! server's serde_json, a fraction of its size in the WebAssembly).

use kefu_core::dialogue::reply::LeftMessage;
use kefu_core::dialogue::{Handoff, OrderInfo};
use kefu_protocol::events::{Event, EventBatch};
use kefu_protocol::handoff::{HandoffCreated, HandoffRequest, LeaveMessageRequest};
use kefu_protocol::json::{self, FromJson, ToJson};
use kefu_protocol::orders::OrderResponse;
use kefu_protocol::{ErrorBody, ErrorCode, UserIdentity, API_BASE};
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
        code: ErrorCode,
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
            ApiError::Status { status, code, .. } => format!("HTTP {status} {}", code.as_str()),
            ApiError::Invalid(why) => why.clone(),
        }
    }
}

/// The server at `base` (no trailing slash), for the customer `user` if verified.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    pub base: String,
    pub user: Option<User>,
}

impl Api {
    fn identity(&self) -> Option<UserIdentity> {
        self.user.as_ref().map(|u| UserIdentity {
            id: u.id.clone(),
            hash: u.hash.clone(),
        })
    }

    /// `GET /api/v1/orders/{order_no}` (with `phone_last4` when anonymous).
    pub async fn order(
        &self,
        order_no: &str,
        phone_last4: Option<&str>,
    ) -> Result<OrderInfo, ApiError> {
        let mut url = format!("{}{API_BASE}/orders/{}", self.base, encode(order_no));
        if let Some(digits) = phone_last4 {
            url.push_str("?phone_last4=");
            url.push_str(&encode(digits));
        }
        let response = self.send("GET", &url, None).await?;
        read_json::<OrderResponse>(response)
            .await
            .map(OrderInfo::from)
    }

    /// `POST /api/v1/handoff`: puts the conversation in the agents' queue.
    pub async fn hand_off(
        &self,
        handoff: &Handoff,
        locale: &str,
    ) -> Result<HandoffCreated, ApiError> {
        let body = to_json(&HandoffRequest {
            handoff: handoff.clone(),
            user: self.identity(),
            locale: Some(locale.to_string()),
            page_url: web_sys::window().and_then(|w| w.location().href().ok()),
        });
        let url = format!("{}{API_BASE}/handoff", self.base);
        read_json(self.send("POST", &url, Some(json_body(body))).await?).await
    }

    /// `POST /api/v1/messages`: stores a message left outside working hours.
    pub async fn leave_message(&self, message: &LeftMessage, locale: &str) -> Result<(), ApiError> {
        let body = to_json(&LeaveMessageRequest {
            message: message.clone(),
            user: self.identity(),
            locale: Some(locale.to_string()),
        });
        let url = format!("{}{API_BASE}/messages", self.base);
        self.send("POST", &url, Some(json_body(body)))
            .await
            .map(drop)
    }

    /// `POST /api/v1/events`: a batch of anonymous statistics (no identity).
    pub async fn events(&self, events: Vec<Event>) -> Result<(), ApiError> {
        let body = to_json(&EventBatch {
            visit: None,
            kb_version: None,
            events,
        });
        let url = format!("{}{API_BASE}/events", self.base);
        self.send_with("POST", &url, Some(json_body(body)), false)
            .await
            .map(drop)
    }

    /// `POST /api/v1/conversations/{id}/images?token=…`: an image for the agent of the live
    /// conversation (the raw bytes; the server checks their type); returns its id.
    pub async fn upload_image(
        &self,
        conversation: &str,
        token: &str,
        image: &web_sys::Blob,
    ) -> Result<String, ApiError> {
        let url = format!(
            "{}{API_BASE}/conversations/{}/images?token={}",
            self.base,
            encode(conversation),
            encode(token)
        );
        let body = Body::blob(image);
        // `{"image": "img-…"}`
        let uploaded: json::Value =
            read_json(self.send_with("POST", &url, Some(body), false).await?).await?;
        uploaded
            .into_fields()
            .and_then(|mut f| f.get("image"))
            .map_err(|e| ApiError::Invalid(e.to_string()))
    }

    /// `PUT /api/v1/uploads/{id}`: a flow's photo under the reference its step's slot holds
    /// (the raw bytes; the server checks their type). A resend of the same photo is stored
    /// once.
    pub async fn put_photo(&self, id: &str, image: &web_sys::Blob) -> Result<(), ApiError> {
        let url = format!("{}{API_BASE}/uploads/{}", self.base, encode(id));
        let body = Body::blob(image);
        self.send_with("PUT", &url, Some(body), false).await?;
        Ok(())
    }

    async fn send(
        &self,
        method: &str,
        url: &str,
        body: Option<Body>,
    ) -> Result<Response, ApiError> {
        self.send_with(method, url, body, true).await
    }

    async fn send_with(
        &self,
        method: &str,
        url: &str,
        body: Option<Body>,
        identify: bool,
    ) -> Result<Response, ApiError> {
        let network =
            |e: JsValue| ApiError::Network(e.as_string().unwrap_or_else(|| format!("{e:?}")));
        let headers = Headers::new().map_err(network)?;
        headers.set("Accept", "application/json").map_err(network)?;
        if let Some(body) = &body {
            headers
                .set("Content-Type", &body.content_type)
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
            init.set_body(&body.value);
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
            code: detail.as_ref().map_or(ErrorCode::Unknown, |d| d.code),
            message: detail.map(|d| d.message).unwrap_or_default(),
            retry_after,
        })
    }
}

/// A request body and its type.
struct Body {
    value: JsValue,
    content_type: String,
}

impl Body {
    /// An image's raw bytes with its type (the server checks them).
    fn blob(image: &web_sys::Blob) -> Body {
        let kind = image.type_();
        Body {
            value: image.into(),
            content_type: if kind.is_empty() {
                "application/octet-stream".to_string()
            } else {
                kind
            },
        }
    }
}

fn json_body(text: String) -> Body {
    Body {
        value: JsValue::from_str(&text),
        content_type: "application/json".to_string(),
    }
}

fn to_json<T: ToJson>(value: &T) -> String {
    json::to_string(value)
}

async fn read_json<T: FromJson>(response: Response) -> Result<T, ApiError> {
    let invalid = |e: JsValue| ApiError::Invalid(e.as_string().unwrap_or_else(|| "no body".into()));
    let text = JsFuture::from(response.text().map_err(invalid)?)
        .await
        .map_err(invalid)?
        .as_string()
        .unwrap_or_default();
    json::from_str(&text).map_err(|e| ApiError::Invalid(e.to_string()))
}

/// Percent-encodes a path segment or query value.
fn encode(text: &str) -> String {
    String::from(js_sys::encode_uri_component(text))
}
