use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};

use crate::common::{demo_kb, demo_kb_built_at, server, write_file};

fn with_header(uri: &str, name: &str, value: &str) -> Request<Body> {
    Request::get(uri)
        .header(name, value)
        .body(Body::empty())
        .unwrap()
}

#[tokio::test]
async fn static_files_have_etags_cache_headers_and_compression() {
    let s = server(|args, dir| {
        let dist = dir.join("dist");
        write_file(
            &dist.join("index.html"),
            b"<!doctype html><title>kefu</title>",
        );
        let js = "console.log('kefu');\n".repeat(200);
        write_file(&dist.join("kefu-widget-0123456789abcdef.js"), js.as_bytes());
        args.static_dir = Some(dist);
    })
    .await;
    let page = s.get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.headers["content-type"], "text/html; charset=utf-8");
    assert_eq!(page.headers["cache-control"], "no-cache");
    let etag = page.headers["etag"].to_str().unwrap().to_string();
    let again = s
        .send(with_header("/index.html", "if-none-match", &etag))
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    let changed = s
        .send(with_header("/index.html", "if-none-match", "W/\"other\""))
        .await;
    assert_eq!(changed.status, StatusCode::OK);
    // A changed file gets a new ETag.
    write_file(
        &s.dir.path().join("dist/index.html"),
        b"<!doctype html><title>kefu 2</title>",
    );
    let edited = s.send(with_header("/", "if-none-match", &etag)).await;
    assert_eq!(edited.status, StatusCode::OK);
    assert_ne!(edited.headers["etag"], etag.as_str());
    // Hashed assets are immutable and compressed on request.
    let js = s
        .send(with_header(
            "/kefu-widget-0123456789abcdef.js",
            "accept-encoding",
            "gzip",
        ))
        .await;
    assert_eq!(js.status, StatusCode::OK);
    assert_eq!(js.headers["content-encoding"], "gzip");
    assert!(js.headers["cache-control"]
        .to_str()
        .unwrap()
        .contains("immutable"));
    assert!(js.body.len() < 200 * 21 / 4);
    assert_eq!(s.get("/missing.js").await.status, StatusCode::NOT_FOUND);
    assert_eq!(s.get("/../Cargo.toml").await.status, StatusCode::NOT_FOUND);
    // Unknown API routes answer in JSON.
    let api = s.get("/api/v1/nothing").await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert_eq!(api.code(), "not_found");
}

#[tokio::test]
async fn kb_bin_is_the_servers_own_and_reloads_when_the_file_changes() {
    let s = server(|args, dir| {
        let path = dir.join("kb.bin");
        std::fs::write(&path, demo_kb()).unwrap();
        args.kb = Some(path);
    })
    .await;
    s.state.kb.watch(Duration::from_millis(50));
    let first = s.get("/kb.bin").await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.body, demo_kb());
    let etag = first.headers["etag"].to_str().unwrap().to_string();
    assert_eq!(
        s.send(with_header("/kb.bin", "if-none-match", &etag))
            .await
            .status,
        StatusCode::NOT_MODIFIED
    );
    let health = s.get("/healthz").await.json();
    let v1 = health["kb"].as_str().unwrap().to_string();

    // A damaged file is refused; the running knowledge base stays.
    let path = s.dir.path().join("kb.bin");
    std::fs::write(&path, b"not a knowledge base").unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(s.get("/healthz").await.json()["kb"], v1.as_str());
    assert_eq!(s.get("/kb.bin").await.body, demo_kb());

    // A new build replaces it without a restart (written next to it, then renamed).
    let next = demo_kb_built_at(1_795_000_000);
    assert_ne!(next, demo_kb());
    let tmp = s.dir.path().join("kb.bin.new");
    std::fs::write(&tmp, &next).unwrap();
    std::fs::rename(&tmp, &path).unwrap();
    let mut reloaded = false;
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(50)).await;
        if s.get("/healthz").await.json()["kb"] != v1.as_str() {
            reloaded = true;
            break;
        }
    }
    assert!(reloaded, "the knowledge base was not reloaded");
    let served = s.get("/kb.bin").await;
    assert_eq!(served.body, next);
    assert_ne!(served.headers["etag"], etag.as_str());
}

#[tokio::test]
async fn a_split_knowledge_base_serves_both_files_and_answers_with_the_details() {
    // `kefu build --split`: the first file at /kb.bin, its companion beside it at its own
    // name, each with its ETag; the server's own engine has the details attached.
    let kb = kefu_core::format::decode(demo_kb()).unwrap();
    let (first, companion) = kefu_core::format::encode_split(&kb, "kb.more.bin");
    let (f, c) = (first.clone(), companion.clone());
    let s = server(move |args, dir| {
        std::fs::write(dir.join("kb.more.bin"), &c).unwrap();
        let path = dir.join("kb.bin");
        std::fs::write(&path, &f).unwrap();
        args.kb = Some(path);
    })
    .await;
    let served = s.get("/kb.bin").await;
    assert_eq!(served.status, StatusCode::OK);
    assert_eq!(served.body, first);
    let more = s.get("/kb.more.bin").await;
    assert_eq!(more.status, StatusCode::OK);
    assert_eq!(more.body, companion);
    assert_eq!(more.headers["cache-control"], "no-cache");
    let etag = more.headers["etag"].to_str().unwrap().to_string();
    assert_ne!(etag, served.headers["etag"].to_str().unwrap());
    assert_eq!(
        s.send(with_header("/kb.more.bin", "if-none-match", &etag))
            .await
            .status,
        StatusCode::NOT_MODIFIED
    );
    let loaded = s.state.kb.get().unwrap();
    assert!(loaded.engine.kb().companion.is_none(), "attached");
    assert!(loaded.engine.kb() == &kb);
    // A first file without its companion does not start: better than answers without details.
    let dir = tempfile::tempdir().unwrap();
    let alone = dir.path().join("kb.bin");
    std::fs::write(&alone, &first).unwrap();
    let err = kefu_server::kb::KbStore::open(Some(&alone))
        .err()
        .expect("refused");
    assert!(format!("{err:#}").contains("kb.more.bin"), "{err:#}");
}

#[tokio::test]
async fn health_and_cors_allow_list() {
    let s = server(|args, _| {
        args.allow_origins = vec!["https://shop.example".into()];
    })
    .await;
    let health = s.get("/healthz").await;
    assert_eq!(health.status, StatusCode::OK);
    assert_eq!(health.json()["status"], "ok");
    let allowed = s
        .send(with_header(
            "/api/v1/orders/123456?phone_last4=5678",
            "origin",
            "https://shop.example",
        ))
        .await;
    assert_eq!(
        allowed.headers["access-control-allow-origin"],
        "https://shop.example"
    );
    let other = s
        .send(with_header(
            "/api/v1/orders/123456?phone_last4=5678",
            "origin",
            "https://evil.example",
        ))
        .await;
    assert!(!other.headers.contains_key("access-control-allow-origin"));
    let preflight = s
        .send(
            Request::options("/api/v1/chat")
                .header("origin", "https://shop.example")
                .header("access-control-request-method", "POST")
                .header(
                    "access-control-request-headers",
                    "authorization,content-type",
                )
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(preflight.status.is_success(), "{}", preflight.status);
}
