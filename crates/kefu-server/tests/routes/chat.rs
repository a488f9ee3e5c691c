use axum::http::StatusCode;
use serde_json::json;

use crate::common::{post_json, server_with_kb, TestServer};

async fn key(s: &TestServer) -> (String, String) {
    kefu_server::apikeys::add(&s.state.db, "test channel")
        .await
        .unwrap()
}

fn kinds(reply: &serde_json::Value) -> Vec<String> {
    reply["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            m.as_object()
                .and_then(|o| o.keys().next().cloned())
                .unwrap_or_else(|| m.as_str().unwrap_or("").to_string())
        })
        .collect()
}

#[tokio::test]
async fn the_server_answers_and_looks_orders_up_itself() {
    let s = server_with_kb().await;
    let (_, key) = key(&s).await;
    // An FAQ question: the same engine as the widget answers.
    let r = s
        .send(post_json(
            "/api/v1/chat",
            Some(&key),
            &json!({"session": "wx-1", "text": "怎么开发票？", "locale": "zh-CN"}),
        ))
        .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let reply = r.json();
    assert_eq!(reply["session"], "wx-1");
    assert!(kinds(&reply).contains(&"answer".to_string()), "{reply}");
    // An order question by a customer the channel knows: looked up and answered at once.
    let r = s
        .send(post_json(
            "/api/v1/chat",
            Some(&key),
            &json!({"session": "wx-2", "text": "我的订单123456发货了吗？", "user": "demo-alice"}),
        ))
        .await;
    let reply = r.json();
    assert_eq!(reply["performed"][0]["type"], "order-lookup", "{reply}");
    assert_eq!(reply["performed"][0]["result"], "found");
    let text = reply.to_string();
    assert!(text.contains("SF1234567890"), "{reply}");
    assert!(kinds(&reply).contains(&"order".to_string()), "{reply}");
    assert!(reply["action"].is_null(), "{reply}");
    // The state is kept: a follow-up about "it" uses the same order.
    let r = s
        .send(post_json(
            "/api/v1/chat",
            Some(&key),
            &json!({"session": "wx-2", "text": "什么时候能到", "user": "demo-alice"}),
        ))
        .await;
    let follow = r.json();
    // No second lookup: the engine answers from the order it already has.
    assert_eq!(follow["performed"].as_array().unwrap().len(), 0, "{follow}");
    assert!(follow.to_string().contains("订单 123456 预计"), "{follow}");
    // Someone else's order is not found, and the engine says so.
    let r = s
        .send(post_json(
            "/api/v1/chat",
            Some(&key),
            &json!({"session": "wx-3", "text": "我的订单123456发货了吗？", "user": "demo-bob"}),
        ))
        .await;
    let reply = r.json();
    assert_eq!(reply["performed"][0]["result"], "not-found", "{reply}");
    assert!(!reply.to_string().contains("SF1234567890"));
    // Anonymous, with the phone digits.
    let r = s
        .send(post_json(
            "/api/v1/chat",
            Some(&key),
            &json!({"session": "wx-4", "text": "订单123456到哪了", "phone_last4": "5678"}),
        ))
        .await;
    assert_eq!(r.json()["performed"][0]["result"], "found", "{}", r.json());
}

#[tokio::test]
async fn a_human_request_records_a_waiting_conversation() {
    let s = server_with_kb().await;
    let (_, key) = key(&s).await;
    let r = s
        .send(post_json(
            "/api/v1/chat",
            Some(&key),
            &json!({"session": "call-9", "text": "转人工", "user": "demo-bob"}),
        ))
        .await;
    let reply = r.json();
    assert_eq!(reply["performed"][0]["type"], "hand-off", "{reply}");
    let id = reply["performed"][0]["conversation"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(reply["action"]["hand-off"].is_object(), "{reply}");
    use sqlx::Row as _;
    let row =
        sqlx::query("SELECT status, channel, user_id, reason FROM conversations WHERE id = $1")
            .bind(&id)
            .fetch_one(&s.state.db.pool)
            .await
            .unwrap();
    assert_eq!(row.get::<String, _>("status"), "waiting");
    assert_eq!(row.get::<String, _>("channel"), "api");
    assert_eq!(
        row.get::<Option<String>, _>("user_id").as_deref(),
        Some("demo-bob")
    );
    assert_eq!(row.get::<String, _>("reason"), "customer-request");
}

#[tokio::test]
async fn api_keys_are_required_and_revocable() {
    let s = server_with_kb().await;
    let (id, key) = key(&s).await;
    let body = json!({"session": "s", "text": "你好"});
    let none = s.send(post_json("/api/v1/chat", None, &body)).await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    assert_eq!(none.code(), "invalid_api_key");
    // The key is checked before the body.
    let none_bad = s
        .send(post_json("/api/v1/chat", None, &json!({"nope": 1})))
        .await;
    assert_eq!(none_bad.code(), "invalid_api_key");
    let wrong = s
        .send(post_json("/api/v1/chat", Some("kefu_0000"), &body))
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let ok = s.send(post_json("/api/v1/chat", Some(&key), &body)).await;
    assert_eq!(ok.status, StatusCode::OK);
    assert!(kefu_server::apikeys::revoke(&s.state.db, &id)
        .await
        .unwrap());
    let revoked = s.send(post_json("/api/v1/chat", Some(&key), &body)).await;
    assert_eq!(revoked.status, StatusCode::UNAUTHORIZED);
    assert_eq!(revoked.code(), "invalid_api_key");
    let listed = kefu_server::apikeys::list(&s.state.db).await.unwrap();
    assert!(listed[0].revoked_at.is_some());
    assert!(key.starts_with(&listed[0].prefix));
}

#[tokio::test]
async fn bad_input_gets_a_clear_error() {
    let s = server_with_kb().await;
    let (_, key) = key(&s).await;
    let cases = [
        (json!({"session": "a b", "text": "hi"}), "invalid_input"),
        (json!({"session": "", "text": "hi"}), "invalid_input"),
        (json!({"session": "s", "text": ""}), "invalid_input"),
        (
            json!({"session": "s", "text": "x".repeat(2001)}),
            "invalid_input",
        ),
        (json!({"session": "s", "text": "hi\u{0}"}), "invalid_input"),
        (
            json!({"session": "s", "text": "hi", "locale": "zh CN"}),
            "invalid_input",
        ),
        (
            json!({"session": "s", "text": "hi", "phone_last4": "12"}),
            "invalid_input",
        ),
        (json!({"text": "hi"}), "invalid_request"),
    ];
    for (body, code) in cases {
        let r = s.send(post_json("/api/v1/chat", Some(&key), &body)).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(r.code(), code, "{body}");
    }
    let not_json = axum::http::Request::post("/api/v1/chat")
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {key}"))
        .body(axum::body::Body::from("{nope"))
        .unwrap();
    assert_eq!(s.send(not_json).await.code(), "invalid_request");
    let huge = axum::http::Request::post("/api/v1/chat")
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {key}"))
        .body(axum::body::Body::from(vec![b' '; 300 * 1024]))
        .unwrap();
    let r = s.send(huge).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.code(), "payload_too_large");
    let text_plain = axum::http::Request::post("/api/v1/chat")
        .header("authorization", format!("Bearer {key}"))
        .body(axum::body::Body::from("{}"))
        .unwrap();
    assert_eq!(s.send(text_plain).await.code(), "unsupported_media_type");
}

#[tokio::test]
async fn the_chat_api_is_rate_limited_per_key() {
    let s = crate::common::server(|args, dir| {
        let path = dir.join("kb.bin");
        std::fs::write(&path, crate::common::demo_kb()).unwrap();
        args.kb = Some(path);
        args.chat_per_minute = 2;
    })
    .await;
    let (_, key) = key(&s).await;
    let body = json!({"session": "s", "text": "你好"});
    for _ in 0..2 {
        let r = s.send(post_json("/api/v1/chat", Some(&key), &body)).await;
        assert_eq!(r.status, StatusCode::OK);
    }
    let r = s.send(post_json("/api/v1/chat", Some(&key), &body)).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers.contains_key("retry-after"));
}
