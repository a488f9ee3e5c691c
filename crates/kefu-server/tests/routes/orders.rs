use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::routing::get;
use axum::Router;

use crate::common::{from_ip, server, SECRET};

fn sign(user: &str) -> String {
    kefu_server::identity::Secret::new(SECRET.as_bytes())
        .unwrap()
        .sign(user)
}

fn as_user(uri: &str, user: &str, hash: &str) -> Request<Body> {
    Request::get(uri)
        .header("X-Kefu-User", user)
        .header("X-Kefu-User-Hash", hash)
        .body(Body::empty())
        .unwrap()
}

#[tokio::test]
async fn a_verified_customer_sees_their_order_with_its_timeline() {
    let s = server(|_, _| {}).await;
    let r = s
        .send(as_user(
            "/api/v1/orders/123456",
            "demo-alice",
            &sign("demo-alice"),
        ))
        .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let order: kefu_protocol::orders::OrderResponse = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(order.carrier.as_deref(), Some("顺丰"));
    assert_eq!(order.tracking_no.as_deref(), Some("SF1234567890"));
    assert!(order.eta.is_some());
    assert_eq!(order.items, vec!["夏季透气跑鞋 ×1"]);
    assert!(order.timeline.len() >= 3);
    assert_eq!(r.headers["cache-control"], "private, no-store");
    // What the engine gets back from it.
    let info = kefu_core::dialogue::OrderInfo::from(order);
    assert!(info.shipped_at.is_some());
}

#[tokio::test]
async fn a_wrong_or_missing_hash_is_401() {
    let s = server(|_, _| {}).await;
    let wrong = s
        .send(as_user(
            "/api/v1/orders/123456",
            "demo-alice",
            &sign("demo-bob"),
        ))
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.code(), "invalid_user_hash");
    let garbage = s
        .send(as_user("/api/v1/orders/123456", "demo-alice", "not-hex"))
        .await;
    assert_eq!(garbage.status, StatusCode::UNAUTHORIZED);
    let half = s
        .send(
            Request::get("/api/v1/orders/123456")
                .header("X-Kefu-User", "demo-alice")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(half.status, StatusCode::UNAUTHORIZED);
    assert_eq!(half.code(), "identity_required");
    let nothing = s.get("/api/v1/orders/123456").await;
    assert_eq!(nothing.status, StatusCode::UNAUTHORIZED);
    assert_eq!(nothing.code(), "identity_required");
    assert!(nothing.json()["error"]["message"].as_str().unwrap().len() > 10);
}

#[tokio::test]
async fn a_server_without_a_secret_refuses_identities() {
    let s = server(|args, _| args.secret = None).await;
    let r = s
        .send(as_user(
            "/api/v1/orders/123456",
            "demo-alice",
            &sign("demo-alice"),
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.code(), "invalid_user_hash");
}

#[tokio::test]
async fn anonymous_lookups_need_the_right_phone_digits() {
    let s = server(|_, _| {}).await;
    let right = s.get("/api/v1/orders/123456?phone_last4=5678").await;
    assert_eq!(right.status, StatusCode::OK);
    assert_eq!(right.json()["order_no"], "123456");
    let wrong = s.get("/api/v1/orders/123456?phone_last4=0000").await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    assert_eq!(wrong.code(), "order_not_found");
    // A number that does not exist answers exactly the same.
    let missing = s.get("/api/v1/orders/999999?phone_last4=5678").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.body, wrong.body);
    // A guest order is found by its phone digits.
    let guest = s.get("/api/v1/orders/456789?phone_last4=1111").await;
    assert_eq!(guest.status, StatusCode::OK);
    let bad = s.get("/api/v1/orders/123456?phone_last4=56a8").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.code(), "invalid_input");
    let bad_no = s.get("/api/v1/orders/12%20345?phone_last4=5678").await;
    assert_eq!(bad_no.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn someone_elses_order_is_404_as_if_it_did_not_exist() {
    let s = server(|_, _| {}).await;
    let bob = s
        .send(as_user(
            "/api/v1/orders/123456",
            "demo-bob",
            &sign("demo-bob"),
        ))
        .await;
    assert_eq!(bob.status, StatusCode::NOT_FOUND);
    assert_eq!(bob.code(), "order_not_found");
    let none = s
        .send(as_user(
            "/api/v1/orders/999999",
            "demo-bob",
            &sign("demo-bob"),
        ))
        .await;
    assert_eq!(none.body, bob.body);
    let own = s
        .send(as_user(
            "/api/v1/orders/345678",
            "demo-bob",
            &sign("demo-bob"),
        ))
        .await;
    assert_eq!(own.status, StatusCode::OK);
}

#[tokio::test]
async fn too_many_wrong_guesses_are_429_with_retry_after_per_client_and_per_order() {
    let s = server(|args, _| {
        args.max_wrong_guesses = 3;
    })
    .await;
    let guess = |ip: [u8; 4], no: &str, digits: &str| {
        from_ip(
            Request::get(format!("/api/v1/orders/{no}?phone_last4={digits}"))
                .body(Body::empty())
                .unwrap(),
            ip,
        )
    };
    for digits in ["0001", "0002", "0003"] {
        let r = s.send(guess([10, 0, 0, 1], "234567", digits)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
    // This client is blocked, even with the right digits and for other orders.
    let blocked = s.send(guess([10, 0, 0, 1], "123456", "5678")).await;
    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(blocked.code(), "rate_limited");
    let retry: u64 = blocked.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&retry), "{retry}");
    // Another client is not...
    let other = s.send(guess([10, 0, 0, 2], "123456", "5678")).await;
    assert_eq!(other.status, StatusCode::OK);
    // ...but guesses on one order number from many clients block that number (2 × 3).
    for (i, digits) in ["0004", "0005", "0006"].iter().enumerate() {
        let r = s.send(guess([10, 0, 1, i as u8], "234567", digits)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
    let order_blocked = s.send(guess([10, 0, 2, 1], "234567", "5678")).await;
    assert_eq!(order_blocked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(order_blocked.headers.contains_key("retry-after"));
    // Wrong hashes count as guesses too.
    for _ in 0..3 {
        let mut r = as_user("/api/v1/orders/123456", "demo-alice", &sign("x"));
        r = from_ip(r, [10, 0, 3, 1]);
        assert_eq!(s.send(r).await.status, StatusCode::UNAUTHORIZED);
    }
    let r = from_ip(
        as_user("/api/v1/orders/123456", "demo-alice", &sign("demo-alice")),
        [10, 0, 3, 1],
    );
    assert_eq!(s.send(r).await.status, StatusCode::TOO_MANY_REQUESTS);
}

/// The shop's own order API, as a real HTTP server on 127.0.0.1.
async fn shop_api() -> std::net::SocketAddr {
    use axum::extract::Path;
    use axum::response::IntoResponse;
    async fn order(
        Path(no): Path<String>,
        headers: axum::http::HeaderMap,
    ) -> axum::response::Response {
        if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some("Bearer shop-token") {
            return StatusCode::FORBIDDEN.into_response();
        }
        match no.as_str() {
            "777001" => axum::Json(serde_json::json!({
                "order_no": "777001", "status": "shipped", "carrier": "京东物流",
                "tracking_no": "JD0001", "eta": 1_796_000_000,
                "timeline": [{"stage": "ordered", "at": 1_795_000_000}],
                "items": ["蓝牙耳机 ×1"], "owner": "shop-user-1", "phone": "+86 139 0000 4321"
            }))
            .into_response(),
            "777002" => (StatusCode::OK, "<html>oops</html>").into_response(),
            "777003" => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
            "777004" => {
                tokio::time::sleep(std::time::Duration::from_secs(3)).await;
                StatusCode::NOT_FOUND.into_response()
            }
            _ => StatusCode::NOT_FOUND.into_response(),
        }
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = Router::new().route("/internal/orders/{no}", get(order));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

#[tokio::test]
async fn the_http_order_source_proxies_the_shops_api_and_maps_its_failures() {
    let shop = shop_api().await;
    let s = server(move |args, _| {
        args.order_api = Some(format!("http://{shop}/internal/orders/{{order_no}}"));
        args.order_api_token = Some("shop-token".into());
        args.order_api_timeout_ms = 500;
        args.max_wrong_guesses = 100;
    })
    .await;
    let found = s.get("/api/v1/orders/777001?phone_last4=4321").await;
    assert_eq!(
        found.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&found.body)
    );
    let order = found.json();
    assert_eq!(order["carrier"], "京东物流");
    assert_eq!(order["status_text"], "已发货，运输中");
    assert!(order.get("phone").is_none() && order.get("owner").is_none());
    let verified = s
        .send(as_user(
            "/api/v1/orders/777001",
            "shop-user-1",
            &sign("shop-user-1"),
        ))
        .await;
    assert_eq!(verified.status, StatusCode::OK);
    let wrong = s.get("/api/v1/orders/777001?phone_last4=1234").await;
    assert_eq!(wrong.code(), "order_not_found");
    let missing = s.get("/api/v1/orders/777999?phone_last4=4321").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let junk = s.get("/api/v1/orders/777002?phone_last4=4321").await;
    assert_eq!(junk.status, StatusCode::BAD_GATEWAY);
    assert_eq!(junk.code(), "upstream_failed");
    assert!(!String::from_utf8_lossy(&junk.body).contains("127.0.0.1"));
    let fault = s.get("/api/v1/orders/777003?phone_last4=4321").await;
    assert_eq!(fault.code(), "upstream_failed");
    let slow = s.get("/api/v1/orders/777004?phone_last4=4321").await;
    assert_eq!(slow.status, StatusCode::GATEWAY_TIMEOUT);
    assert_eq!(slow.code(), "upstream_timeout");
}

#[tokio::test]
async fn a_database_outage_is_503_without_details() {
    let s = server(|_, _| {}).await;
    s.state.db.pool.close().await;
    let r = s.get("/api/v1/orders/123456?phone_last4=5678").await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(r.code(), "unavailable");
    let body = String::from_utf8_lossy(&r.body).to_lowercase();
    assert!(!body.contains("pool") && !body.contains("sqlx"), "{body}");
    let health = s.get("/healthz").await;
    assert_eq!(health.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(health.code(), "unavailable");
}
