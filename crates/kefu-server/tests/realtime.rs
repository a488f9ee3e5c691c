//! Route tests of the realtime half through `kefu_server::app` and `oneshot` (SQLite in a
//! temporary folder, or PostgreSQL when `KEFU_TEST_DATABASE_URL` is set — a fresh database
//! per test):
//!
//! 1. console pages: strict CSP, no inline script or style, texts rendered with textContent;
//! 2. agent login: argon2-checked passwords, an HttpOnly SameSite=Strict cookie, CSRF header
//!    and Origin checks on state-changing requests, logout;
//! 3. handoff: bad input refused, texts masked again, one agent at a time (claim races),
//!    transfer, suggestions from the knowledge base, a `<script>` message kept as text;
//! 4. leave-a-message: stored, listed, marked handled once;
//! 5. statistics: batch limits, re-masking, figures, similarity groups, CSV;
//! 6. images: magic bytes, size limit, served only to the conversation's participants.
//! 7. handoffs per client address are rate-limited.
//! 8. a handed-off chat-API session talks to the agent until the conversation closes.

use std::path::Path;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt as _;
use kefu_server::config::ServeArgs;
use kefu_server::db::Db;
use kefu_server::kb::KbStore;
use kefu_server::AppState;
use serde_json::{json, Value};
use sqlx::{Connection as _, Executor as _};
use tower::ServiceExt as _;

struct T {
    app: Router,
    state: AppState,
    _dir: tempfile::TempDir,
}

async fn database_url(dir: &Path) -> String {
    match std::env::var("KEFU_TEST_DATABASE_URL") {
        Ok(base) if !base.is_empty() => {
            sqlx::any::install_default_drivers();
            let name = format!("kefu_rt_{}", kefu_server::db::random_hex(8));
            let mut conn = sqlx::AnyConnection::connect(&base).await.unwrap();
            conn.execute(format!("CREATE DATABASE {name}").as_str())
                .await
                .unwrap();
            conn.close().await.ok();
            let (prefix, _) = base.rsplit_once('/').unwrap();
            format!("{prefix}/{name}")
        }
        _ => format!("sqlite://{}", dir.join("kefu.db").display()),
    }
}

async fn server(with_kb: bool) -> T {
    let dir = tempfile::tempdir().unwrap();
    let url = database_url(dir.path()).await;
    let mut args = ServeArgs::for_tests(&url);
    args.secret = Some("test-secret-0123456789abcdef".into());
    if with_kb {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../kb");
        let compiled = kefu_compiler::compile(&root).expect("the demo kb compiles");
        let path = dir.path().join("kb.bin");
        // Always staffed: the handoffs below must not meet the after-hours reply, whatever the
        // hour the tests run at.
        let mut device = compiled.for_device();
        device.settings.working_hours = Default::default();
        std::fs::write(&path, kefu_core::format::encode(&device)).unwrap();
        args.kb = Some(path);
    }
    let db = Db::connect(&args.db).await.unwrap();
    let kb = KbStore::open(args.kb.as_deref()).unwrap();
    let state = AppState::new(args, db, kb).unwrap();
    for (name, display) in [("alice", "小爱"), ("bob", "小博")] {
        kefu_server::console::auth::add_agent(&state.db, name, display, "password-123", false)
            .await
            .unwrap();
    }
    T {
        app: kefu_server::app(state.clone()),
        state,
        _dir: dir,
    }
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(&self.body)))
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

const HOST: &str = "kefu.test";

impl T {
    async fn call(&self, req: Request<Body>) -> Reply {
        let r = self.app.clone().oneshot(req).await.unwrap();
        let status = r.status();
        let headers = r.headers().clone();
        let body = r.into_body().collect().await.unwrap().to_bytes().to_vec();
        Reply {
            status,
            headers,
            body,
        }
    }

    async fn get(&self, path: &str, cookie: Option<&str>) -> Reply {
        let mut b = Request::get(path).header(header::HOST, HOST);
        if let Some(c) = cookie {
            b = b.header(header::COOKIE, c);
        }
        self.call(b.body(Body::empty()).unwrap()).await
    }

    async fn post(&self, path: &str, body: Value, session: Option<&Session>) -> Reply {
        let mut b = Request::post(path)
            .header(header::HOST, HOST)
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(s) = session {
            b = b
                .header(header::COOKIE, &s.cookie)
                .header("x-kefu-csrf", &s.csrf)
                .header(header::ORIGIN, format!("http://{HOST}"));
        }
        self.call(b.body(Body::from(body.to_string())).unwrap())
            .await
    }

    async fn login(&self, name: &str) -> Session {
        let r = self
            .post(
                "/api/v1/console/login",
                json!({"name": name, "password": "password-123"}),
                None,
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text());
        let set = r.headers[header::SET_COOKIE].to_str().unwrap().to_string();
        assert!(
            set.contains("HttpOnly") && set.contains("SameSite=Strict"),
            "{set}"
        );
        Session {
            cookie: set.split(';').next().unwrap().to_string(),
            csrf: r.json()["csrf"].as_str().unwrap().to_string(),
        }
    }

    async fn handoff(&self, text: &str) -> Value {
        let r = self
            .post(
                "/api/v1/handoff",
                json!({"handoff": {"reason": "unrecognised", "detail": "三次没听懂", "at": 1, "flow": null, "emotion": null,
                    "transcript": [{"speaker": "customer", "text": text, "at": 1}, {"speaker": "bot", "text": "抱歉", "at": 2}],
                    "slots": [{"name": "phone", "value": "13812345678"}], "entries_tried": []}}),
                None,
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text());
        r.json()
    }
}

struct Session {
    cookie: String,
    csrf: String,
}

#[tokio::test]
async fn console_pages_send_a_strict_csp_and_render_text_only() {
    let t = server(false).await;
    for (path, mime) in [
        ("/console/", "text/html"),
        ("/console/console.js", "text/javascript"),
        ("/console/console.css", "text/css"),
        ("/console/dashboard.html", "text/html"),
        ("/console/dashboard.js", "text/javascript"),
    ] {
        let r = t.get(path, None).await;
        assert_eq!(r.status, 200, "{path}");
        assert!(r.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with(mime));
        let csp = r.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(
            csp.contains("default-src 'none'")
                && csp.contains("script-src 'self'")
                && !csp.contains("unsafe"),
            "{csp}"
        );
        let body = r.text();
        if path.ends_with(".html") || path.ends_with('/') {
            // Scripts only from files, no inline handlers or styles.
            for bad in ["<script>", "onclick=", "onload=", "style=", "<style"] {
                assert!(!body.contains(bad), "{path} contains {bad}");
            }
        }
        if path.ends_with(".js") {
            for bad in [
                "innerHTML",
                "outerHTML",
                "insertAdjacentHTML",
                "document.write",
                "eval(",
            ] {
                assert!(!body.contains(bad), "{path} uses {bad}");
            }
        }
    }
}

#[tokio::test]
async fn agents_sign_in_with_cookies_and_csrf_tokens() {
    let t = server(false).await;
    let wrong = t
        .post(
            "/api/v1/console/login",
            json!({"name": "alice", "password": "nope-nope"}),
            None,
        )
        .await;
    assert_eq!(wrong.status, 401);
    assert_eq!(wrong.json()["error"]["code"], "unauthenticated");
    let unknown = t
        .post(
            "/api/v1/console/login",
            json!({"name": "mallory", "password": "password-123"}),
            None,
        )
        .await;
    assert_eq!(unknown.status, 401);
    assert_eq!(t.get("/api/v1/console/me", None).await.status, 401);
    let s = t.login("alice").await;
    let me = t.get("/api/v1/console/me", Some(&s.cookie)).await;
    assert_eq!(me.status, 200);
    assert_eq!(me.json()["agent"]["display_name"], "小爱");

    let conv = t.handoff("你好").await;
    let claim = format!(
        "/api/v1/console/conversations/{}/claim",
        conv["conversation"].as_str().unwrap()
    );
    // No CSRF header.
    let no_csrf = Request::post(&claim)
        .header(header::HOST, HOST)
        .header(header::COOKIE, &s.cookie)
        .body(Body::empty())
        .unwrap();
    assert_eq!(t.call(no_csrf).await.status, 403);
    // A foreign page with the right token (it cannot have it, but the Origin check stands alone too).
    let foreign = Request::post(&claim)
        .header(header::HOST, HOST)
        .header(header::COOKIE, &s.cookie)
        .header("x-kefu-csrf", &s.csrf)
        .header(header::ORIGIN, "http://evil.example")
        .body(Body::empty())
        .unwrap();
    assert_eq!(t.call(foreign).await.status, 403);
    // A cross-origin login is refused as well (login CSRF).
    let login = Request::post("/api/v1/console/login")
        .header(header::HOST, HOST)
        .header(header::ORIGIN, "http://evil.example")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({"name": "alice", "password": "password-123"}).to_string(),
        ))
        .unwrap();
    assert_eq!(t.call(login).await.status, 403);

    let out = t.post("/api/v1/console/logout", json!({}), Some(&s)).await;
    assert_eq!(out.status, 204);
    assert!(out.headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    assert_eq!(
        t.get("/api/v1/console/me", Some(&s.cookie)).await.status,
        401
    );
}

#[tokio::test]
async fn handoffs_queue_mask_and_belong_to_one_agent_at_a_time() {
    let t = server(true).await;
    let bad = t
        .post(
            "/api/v1/handoff",
            json!({"handoff": {"reason": "nonsense"}}),
            None,
        )
        .await;
    assert_eq!(bad.status, 400);
    let long = "长".repeat(2_001);
    let too_long = t
        .post("/api/v1/handoff", json!({"handoff": {"reason": "flow", "detail": long, "at": 1, "transcript": [], "slots": [], "entries_tried": [], "flow": null, "emotion": null}}), None)
        .await;
    assert_eq!(too_long.status, 400);
    assert_eq!(too_long.json()["error"]["code"], "invalid_input");
    // A wrong identity is refused, not ignored.
    let forged = t
        .post("/api/v1/handoff", json!({"user": {"id": "alice", "hash": "00"}, "handoff": {"reason": "flow", "detail": "", "at": 1, "transcript": [], "slots": [], "entries_tried": [], "flow": null, "emotion": null}}), None)
        .await;
    assert_eq!(forged.status, 401);

    let first = t.handoff("怎么开发票？我的邮箱li.ming@example.com").await;
    let second = t.handoff("发票怎么开").await;
    assert_eq!(first["queue"]["position"], 1);
    assert_eq!(second["queue"]["position"], 2);
    assert!(first["ws_url"].as_str().unwrap().ends_with("/ws"));
    let id = first["conversation"].as_str().unwrap().to_string();

    let alice = t.login("alice").await;
    let bob = t.login("bob").await;
    let detail = t
        .get(
            &format!("/api/v1/console/conversations/{id}"),
            Some(&alice.cookie),
        )
        .await
        .json();
    assert_eq!(detail["reason"], "unrecognised");
    let dump = detail.to_string();
    assert!(
        !dump.contains("li.ming@") && !dump.contains("13812345678"),
        "{dump}"
    );
    assert_eq!(detail["handoff"]["slots"][0]["name"], "phone");

    // Suggestions answer the customer's last line with the knowledge base.
    let s = t
        .get(
            &format!("/api/v1/console/conversations/{id}/suggestions"),
            Some(&alice.cookie),
        )
        .await
        .json();
    let first_sugg = &s["suggestions"][0];
    assert!(
        first_sugg["answer"].as_str().is_some_and(|a| !a.is_empty()),
        "{s}"
    );
    assert!(
        first_sugg["question"].as_str().unwrap().contains("发票"),
        "{s}"
    );

    let claim = format!("/api/v1/console/conversations/{id}/claim");
    assert_eq!(t.post(&claim, json!({}), Some(&alice)).await.status, 204);
    let again = t.post(&claim, json!({}), Some(&bob)).await;
    assert_eq!(again.status, 409);
    assert_eq!(again.json()["error"]["code"], "conflict");
    // Only the owner closes or transfers.
    let close = format!("/api/v1/console/conversations/{id}/close");
    assert_eq!(t.post(&close, json!({}), Some(&bob)).await.status, 403);
    let transfer = format!("/api/v1/console/conversations/{id}/transfer");
    assert_eq!(
        t.post(&transfer, json!({"agent": "alice"}), Some(&bob))
            .await
            .status,
        403
    );
    assert_eq!(
        t.post(&transfer, json!({"agent": "nobody"}), Some(&alice))
            .await
            .status,
        400
    );
    assert_eq!(
        t.post(&transfer, json!({"agent": "bob"}), Some(&alice))
            .await
            .status,
        204
    );
    let active = t
        .get(
            "/api/v1/console/conversations?status=active",
            Some(&bob.cookie),
        )
        .await
        .json();
    let row = &active["conversations"][0];
    assert_eq!(row["agent"], "小博");
    assert_eq!(row["mine"], true);
    // The second customer moved up.
    let waiting = t
        .get(
            "/api/v1/console/conversations?status=waiting",
            Some(&bob.cookie),
        )
        .await
        .json();
    assert_eq!(waiting["conversations"].as_array().unwrap().len(), 1);
    assert_eq!(
        kefu_server::live::position(&t.state.db, second["conversation"].as_str().unwrap())
            .await
            .unwrap(),
        1
    );

    // A message with markup is stored and returned as plain text (the console renders
    // it with textContent).
    use kefu_protocol::ws::MessageContent;
    let author = kefu_server::live::store::Author {
        sender: kefu_protocol::Sender::Customer,
        key: "customer".into(),
        agent_name: None,
    };
    let text = MessageContent::Text {
        text: "<script>alert('x')</script><img src=x onerror=alert(1)>".into(),
    };
    let (seq, new) = kefu_server::live::store::append(&t.state.db, &id, &author, "m-1", &text)
        .await
        .unwrap();
    assert!(new);
    let (seq2, new2) = kefu_server::live::store::append(&t.state.db, &id, &author, "m-1", &text)
        .await
        .unwrap();
    assert_eq!((seq2, new2), (seq, false), "stored once");
    let d = t
        .get(
            &format!("/api/v1/console/conversations/{id}"),
            Some(&bob.cookie),
        )
        .await;
    assert!(d.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    assert_eq!(
        d.json()["messages"][0]["content"]["text"],
        "<script>alert('x')</script><img src=x onerror=alert(1)>"
    );
    assert_eq!(t.post(&close, json!({}), Some(&bob)).await.status, 204);
    assert_eq!(t.post(&close, json!({}), Some(&bob)).await.status, 403);
}

#[tokio::test]
async fn left_messages_are_listed_and_handled_once() {
    let t = server(false).await;
    let r = t
        .post(
            "/api/v1/messages",
            json!({"message": {"contact": "13812345678", "question": "明天能发货吗？订单20261201123456", "reply_after": 1_795_000_000,
                "handoff": {"reason": "customer-request", "detail": "", "at": 1, "transcript": [], "slots": [], "entries_tried": [], "flow": null, "emotion": null}}}),
            None,
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let id = r.json()["message"].as_str().unwrap().to_string();
    assert_eq!(
        t.post(
            "/api/v1/messages",
            json!({"message": {"contact": "", "question": "x"}}),
            None
        )
        .await
        .status,
        400
    );
    let alice = t.login("alice").await;
    assert_eq!(
        t.get("/api/v1/console/left-messages", None).await.status,
        401
    );
    let list = t
        .get("/api/v1/console/left-messages", Some(&alice.cookie))
        .await
        .json();
    let m = &list["messages"][0];
    assert_eq!(m["id"], id.as_str());
    assert_eq!(
        m["contact"], "13812345678",
        "the contact is kept for the call back"
    );
    assert!(
        !m["question"].as_str().unwrap().contains("20261201123456"),
        "{m}"
    );
    let handled = format!("/api/v1/console/left-messages/{id}/handled");
    assert_eq!(t.post(&handled, json!({}), Some(&alice)).await.status, 204);
    assert_eq!(t.post(&handled, json!({}), Some(&alice)).await.status, 409);
    assert!(t
        .get("/api/v1/console/left-messages", Some(&alice.cookie))
        .await
        .json()["messages"]
        .as_array()
        .unwrap()
        .is_empty());
    let done = t
        .get(
            "/api/v1/console/left-messages?handled=true",
            Some(&alice.cookie),
        )
        .await
        .json();
    assert_eq!(done["messages"][0]["handled_by"], "小爱");
}

#[tokio::test]
async fn statistics_are_masked_limited_grouped_and_exported() {
    let t = server(true).await;
    let now = kefu_server::db::now();
    let batch = |visit: &str, events: Value| json!({"visit": visit, "events": events});
    let ok = |r: &Reply| assert_eq!(r.status, 204, "{}", r.text());
    ok(&t.post("/api/v1/events", batch("v1", json!([{"at": now, "type": "opened"}, {"at": now, "type": "answered", "entry": "invoice"}, {"at": now, "type": "rating", "satisfied": true}])), None).await);
    ok(&t.post("/api/v1/events", batch("v2", json!([{"at": now, "type": "opened"}, {"at": now, "type": "fallback", "text": "电话13812345678打不通"}, {"at": now, "type": "handoff", "reason": "unrecognised"}, {"at": now, "type": "rating", "satisfied": false, "reason": "太慢"}])), None).await);
    ok(&t.post("/api/v1/events", batch("v3", json!([{"at": now, "type": "fallback", "text": "能开增值税专用发票吗"}, {"at": now, "type": "fallback", "text": "可以开增值税专用发票吗"}, {"at": now, "type": "fallback", "text": "你们周末上班吗"}])), None).await);
    let too_many: Vec<Value> = (0..101)
        .map(|_| json!({"at": now, "type": "opened"}))
        .collect();
    let r = t
        .post("/api/v1/events", batch("v4", json!(too_many)), None)
        .await;
    assert_eq!(r.status, 400);
    let huge = "x".repeat(300 * 1024);
    assert_eq!(
        t.post(
            "/api/v1/events",
            batch("v5", json!([{"at": now, "type": "fallback", "text": huge}])),
            None
        )
        .await
        .status,
        413
    );

    let alice = t.login("alice").await;
    assert_eq!(t.get("/api/v1/console/stats", None).await.status, 401);
    let s = t
        .get("/api/v1/console/stats?days=7", Some(&alice.cookie))
        .await
        .json();
    assert_eq!(s["conversations"], 3);
    assert_eq!(s["handoff_rate"].as_f64().unwrap(), 1.0 / 3.0);
    assert_eq!(s["ai_resolution_rate"].as_f64().unwrap(), 1.0 / 3.0);
    assert_eq!(s["satisfaction"].as_f64().unwrap(), 0.5);
    assert_eq!(s["handoff_reasons"][0]["reason"], "unrecognised");
    assert_eq!(s["top_answered"][0]["entry"], "invoice");
    assert_eq!(s["per_day"].as_array().unwrap().len(), 7);
    let groups = s["unanswered_week"].as_array().unwrap();
    assert!(!s.to_string().contains("13812345678"), "masked again");
    // The two invoice questions are one group; the weekend and the phone ones are others.
    assert_eq!(groups.len(), 3, "{groups:?}");
    assert_eq!(groups[0]["count"], 2);
    assert!(
        groups[0]["question"].as_str().unwrap().contains("增值税"),
        "{groups:?}"
    );
    let csv = t
        .get("/api/v1/console/stats.csv", Some(&alice.cookie))
        .await;
    assert_eq!(csv.status, 200);
    assert!(csv.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let text = csv.text();
    assert!(
        text.starts_with("group,group_count,question,count\n"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 5, "{text}");
}

fn upload(path: &str, bytes: Vec<u8>) -> Request<Body> {
    Request::post(path)
        .header(header::HOST, HOST)
        .header(header::CONTENT_TYPE, "image/png")
        .body(Body::from(bytes))
        .unwrap()
}

#[tokio::test]
async fn images_are_checked_and_served_only_to_participants() {
    let t = server(false).await;
    let conv = t.handoff("看图").await;
    let id = conv["conversation"].as_str().unwrap();
    let token = conv["customer_token"].as_str().unwrap();
    let png = [b"\x89PNG\r\n\x1a\n".as_slice(), &[0u8; 64]].concat();
    let base = format!("/api/v1/conversations/{id}/images");
    assert_eq!(
        t.call(upload(&format!("{base}?token=wrong"), png.clone()))
            .await
            .status,
        404
    );
    let r = t
        .call(upload(
            &format!("{base}?token={token}"),
            b"<html><script>alert(1)</script>".to_vec(),
        ))
        .await;
    assert_eq!(r.status, 415);
    let big = [b"\x89PNG\r\n\x1a\n".as_slice(), &vec![0u8; 5 * 1024 * 1024]].concat();
    assert_eq!(
        t.call(upload(&format!("{base}?token={token}"), big))
            .await
            .status,
        413
    );
    let r = t
        .call(upload(&format!("{base}?token={token}"), png.clone()))
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let image = r.json()["image"].as_str().unwrap().to_string();
    let got = t.get(&format!("{base}/{image}?token={token}"), None).await;
    assert_eq!(got.status, 200);
    assert_eq!(got.headers[header::CONTENT_TYPE], "image/png");
    assert_eq!(got.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(got.body, png);
    assert_eq!(
        t.get(&format!("{base}/{image}?token=wrong"), None)
            .await
            .status,
        404
    );
    assert_eq!(t.get(&format!("{base}/{image}"), None).await.status, 404);
    // Another conversation's customer cannot read it.
    let other = t.handoff("别人").await;
    let other_path = format!(
        "/api/v1/conversations/{}/images/{image}?token={}",
        other["conversation"].as_str().unwrap(),
        other["customer_token"].as_str().unwrap()
    );
    assert_eq!(t.get(&other_path, None).await.status, 404);
    // Agents with a session can; without one they cannot.
    let agent_path = format!("/api/v1/console/conversations/{id}/images/{image}");
    assert_eq!(t.get(&agent_path, None).await.status, 401);
    let alice = t.login("alice").await;
    assert_eq!(t.get(&agent_path, Some(&alice.cookie)).await.status, 200);
}

fn put_photo(id: &str, bytes: Vec<u8>) -> Request<Body> {
    Request::put(format!("/api/v1/uploads/{id}"))
        .header(header::HOST, HOST)
        .header(header::CONTENT_TYPE, "image/png")
        .body(Body::from(bytes))
        .unwrap()
}

#[tokio::test]
async fn flow_photos_are_stored_once_under_the_widgets_id_and_served_to_agents() {
    let t = server(false).await;
    let png = [b"\x89PNG\r\n\x1a\n".as_slice(), &[7u8; 64]].concat();
    let id = "upl-qwertyuiopasdfghjklzxcvbnm";
    // Checked like a live conversation's images, and the id's form.
    assert_eq!(
        t.call(put_photo(id, b"<svg onload=x>".to_vec()))
            .await
            .status,
        415
    );
    let big = [b"\x89PNG\r\n\x1a\n".as_slice(), &vec![0u8; 5 * 1024 * 1024]].concat();
    assert_eq!(t.call(put_photo(id, big)).await.status, 413);
    assert_eq!(t.call(put_photo("upl-123", png.clone())).await.status, 400);
    assert_eq!(
        t.call(put_photo("img-qwertyuiopasdfghjklzxcvbnm", png.clone()))
            .await
            .status,
        400
    );
    // Stored; the same photo sent again (a retry after a lost answer) is stored once.
    let r = t.call(put_photo(id, png.clone())).await;
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["upload"], id);
    let r = t.call(put_photo(id, png.clone())).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let other = [b"\x89PNG\r\n\x1a\n".as_slice(), &[9u8; 64]].concat();
    assert_eq!(
        t.call(put_photo(id, other)).await.status,
        409,
        "another picture under a stored id"
    );
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM flow_photos")
        .fetch_one(&t.state.db.pool)
        .await
        .unwrap();
    assert_eq!(count, 1);
    // Agents open it; without a session nobody does.
    let path = format!("/api/v1/console/uploads/{id}");
    assert_eq!(t.get(&path, None).await.status, 401);
    let alice = t.login("alice").await;
    let got = t.get(&path, Some(&alice.cookie)).await;
    assert_eq!(got.status, 200);
    assert_eq!(got.headers[header::CONTENT_TYPE], "image/png");
    assert_eq!(got.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(got.body, png);
    let missing = t
        .get(
            "/api/v1/console/uploads/upl-notuploadedyetnotuploadedy",
            Some(&alice.cookie),
        )
        .await;
    assert_eq!(missing.status, 404);
    // The reference survives a handoff's masking of numbers, as the flow's slot.
    let body = json!({"handoff": {"reason": "flow", "detail": "退货", "at": 1,
        "transcript": [{"speaker": "customer", "text": format!("[图片] {id}"), "at": 1}],
        "slots": [{"name": "photo", "value": id}], "entries_tried": [], "flow": "return", "emotion": null}});
    let r = t.post("/api/v1/handoff", body, None).await;
    assert_eq!(r.status, 201, "{}", r.text());
    let conv = r.json()["conversation"].as_str().unwrap().to_string();
    let detail = t
        .get(
            &format!("/api/v1/console/conversations/{conv}"),
            Some(&alice.cookie),
        )
        .await;
    assert_eq!(
        detail.json()["handoff"]["slots"][0]["value"],
        id,
        "{}",
        detail.text()
    );
}

#[tokio::test]
async fn handoffs_are_rate_limited_per_client() {
    let t = server(false).await;
    for _ in 0..30 {
        t.handoff("你好").await;
    }
    let body = json!({"handoff": {"reason": "flow", "detail": "", "at": 1, "transcript": [], "slots": [], "entries_tried": [], "flow": null, "emotion": null}});
    let r = t.post("/api/v1/handoff", body, None).await;
    assert_eq!(r.status, 429);
    assert_eq!(r.json()["error"]["code"], "rate_limited");
    assert!(r.headers.contains_key(header::RETRY_AFTER));
}

#[tokio::test]
async fn handed_off_chat_api_sessions_talk_to_the_agent() {
    let t = server(true).await;
    let (_, key) = kefu_server::apikeys::add(&t.state.db, "webhook")
        .await
        .unwrap();
    let chat = |text: &str| {
        Request::post("/api/v1/chat")
            .header(header::HOST, HOST)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::AUTHORIZATION, format!("Bearer {key}"))
            .body(Body::from(
                json!({"session": "wx-1", "text": text}).to_string(),
            ))
            .unwrap()
    };
    let first = t.call(chat("转人工")).await.json();
    assert_eq!(first["performed"][0]["type"], "hand-off", "{first}");
    let conv = first["performed"][0]["conversation"]
        .as_str()
        .unwrap()
        .to_string();
    // Now the customer's words go to the agent, not the bot.
    let second = t.call(chat("我的快递三天没动了")).await.json();
    assert_eq!(second["messages"].as_array().unwrap().len(), 0, "{second}");
    assert_eq!(second["performed"][0]["conversation"], conv.as_str());
    let alice = t.login("alice").await;
    let claim = format!("/api/v1/console/conversations/{conv}/claim");
    assert_eq!(t.post(&claim, json!({}), Some(&alice)).await.status, 204);
    let detail = t
        .get(
            &format!("/api/v1/console/conversations/{conv}"),
            Some(&alice.cookie),
        )
        .await
        .json();
    assert_eq!(
        detail["messages"][0]["content"]["text"],
        "我的快递三天没动了"
    );
    // The agent answers; the caller fetches it.
    let agent = kefu_server::live::store::Author {
        sender: kefu_protocol::Sender::Agent,
        key: "agent:x".into(),
        agent_name: Some("小爱"),
    };
    let text = kefu_protocol::ws::MessageContent::Text {
        text: "我帮您查一下".into(),
    };
    kefu_server::live::store::append(&t.state.db, &conv, &agent, "a-1", &text)
        .await
        .unwrap();
    let fetch = |after: u64| {
        Request::get(format!(
            "/api/v1/chat/messages?session=wx-1&after_seq={after}"
        ))
        .header(header::HOST, HOST)
        .header(header::AUTHORIZATION, format!("Bearer {key}"))
        .body(Body::empty())
        .unwrap()
    };
    let got = t.call(fetch(1)).await.json();
    assert_eq!(got["messages"].as_array().unwrap().len(), 1, "{got}");
    assert_eq!(got["messages"][0]["agent"], "小爱");
    assert_eq!(got["status"], "active");
    let no_key = Request::get("/api/v1/chat/messages?session=wx-1")
        .header(header::HOST, HOST)
        .body(Body::empty())
        .unwrap();
    assert_eq!(t.call(no_key).await.status, 401);
    // Closed: the bot answers again.
    let close = format!("/api/v1/console/conversations/{conv}/close");
    assert_eq!(t.post(&close, json!({}), Some(&alice)).await.status, 204);
    let after = t.call(chat("怎么开发票")).await.json();
    assert!(!after["messages"].as_array().unwrap().is_empty(), "{after}");
}

/// The widget writes and reads these bodies with `kefu_protocol::json` (no serde_json in the
/// WebAssembly): what it writes is what the routes accept, byte for byte as the widget sends
/// it, and what the routes answer reads back through it.
#[tokio::test]
async fn the_widgets_json_codec_speaks_to_the_routes() {
    use kefu_core::dialogue::handoff::SlotValue;
    use kefu_core::dialogue::reply::LeftMessage;
    use kefu_core::dialogue::transcript::{Speaker, TranscriptLine};
    use kefu_core::dialogue::{EmotionKind, Handoff, HandoffReason};
    use kefu_protocol::error::{ErrorBody, ErrorCode};
    use kefu_protocol::events::{Event, EventBatch, EventKind};
    use kefu_protocol::handoff::{HandoffCreated, HandoffRequest, LeaveMessageRequest};
    use kefu_protocol::json;

    let t = server(false).await;
    let send = |path: &str, body: String| {
        Request::post(path)
            .header(header::HOST, HOST)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body))
            .unwrap()
    };
    let said = "引号\"、反斜杠\\、换行\n与制表\t，😀 𠀋 </script><img src=x onerror=alert(1)>";
    let handoff = Handoff {
        reason: HandoffReason::StrongEmotion,
        detail: "太慢了！".into(),
        at: 1_795_000_000,
        transcript: vec![
            TranscriptLine {
                speaker: Speaker::Customer,
                text: said.into(),
                at: 1_795_000_000,
            },
            TranscriptLine {
                speaker: Speaker::Bot,
                text: "抱歉".into(),
                at: 1_795_000_001,
            },
        ],
        slots: vec![SlotValue {
            name: "product".into(),
            value: "T恤".into(),
        }],
        entries_tried: vec!["return".into()],
        flow: Some("return".into()),
        emotion: Some(EmotionKind::Anger),
    };
    let r = t
        .call(send(
            "/api/v1/handoff",
            json::to_string(&HandoffRequest {
                handoff: handoff.clone(),
                user: None,
                locale: Some("zh-CN".into()),
                page_url: Some("https://shop.example/p?id=1&q=%E4%BD%A0".into()),
            }),
        ))
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let created: HandoffCreated = json::from_str(&r.text()).unwrap();
    assert_eq!(created.queue.position, 1);
    assert!(created.ws_url.ends_with("/ws"), "{}", created.ws_url);
    // The agent sees exactly what the customer said.
    let alice = t.login("alice").await;
    let detail = t
        .get(
            &format!("/api/v1/console/conversations/{}", created.conversation),
            Some(&alice.cookie),
        )
        .await
        .json();
    assert_eq!(detail["handoff"]["transcript"][0]["text"], said, "{detail}");
    assert_eq!(detail["handoff"]["emotion"], "anger");

    // An image of the conversation: its id comes back as `{"image": …}`.
    let png = [b"\x89PNG\r\n\x1a\n".as_slice(), &[0u8; 64]].concat();
    let r = t
        .call(upload(
            &format!(
                "/api/v1/conversations/{}/images?token={}",
                created.conversation, created.customer_token
            ),
            png,
        ))
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let image: String = json::parse(&r.text())
        .and_then(|v| v.into_fields())
        .and_then(|mut f| f.get("image"))
        .unwrap();
    assert!(!image.is_empty());

    // A left message and a batch of every kind of event.
    let r = t
        .call(send(
            "/api/v1/messages",
            json::to_string(&LeaveMessageRequest {
                message: LeftMessage {
                    contact: "li.ming@example.com".into(),
                    question: said.into(),
                    reply_after: Some(1_795_100_000),
                    handoff,
                },
                user: None,
                locale: Some("zh-CN".into()),
            }),
        ))
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let now = kefu_server::db::now();
    let kinds = [
        EventKind::Opened,
        EventKind::Answered {
            entry: "invoice".into(),
        },
        EventKind::Clarify {
            entries: vec!["invoice".into(), "return".into()],
        },
        EventKind::Fallback { text: said.into() },
        EventKind::Handoff {
            reason: HandoffReason::CustomerRequest,
        },
        EventKind::Rating {
            satisfied: true,
            reason: None,
        },
        EventKind::Rating {
            satisfied: false,
            reason: Some("太慢".into()),
        },
    ];
    let batch = EventBatch {
        visit: None,
        kb_version: None,
        events: kinds
            .into_iter()
            .map(|kind| Event { at: now, kind })
            .collect(),
    };
    let r = t
        .call(send("/api/v1/events", json::to_string(&batch)))
        .await;
    assert_eq!(r.status, 204, "{}", r.text());

    // Refusals read as the error body, with their code.
    let r = t
        .call(send(
            "/api/v1/handoff",
            r#"{"handoff":{"reason":"x"}}"#.into(),
        ))
        .await;
    assert_eq!(r.status, 400);
    let body: ErrorBody = json::from_str(&r.text()).unwrap();
    assert!(
        matches!(
            body.error.code,
            ErrorCode::InvalidRequest | ErrorCode::InvalidInput
        ),
        "{body:?}"
    );
}
