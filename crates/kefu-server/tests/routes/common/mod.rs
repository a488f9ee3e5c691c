//! Test harness: a server built by `kefu_server::app` on a fresh database — SQLite in a
//! temporary folder, or, when `KEFU_TEST_DATABASE_URL` names a PostgreSQL server, a new
//! database created on it for each test — called through `tower::ServiceExt::oneshot`.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt as _;
use kefu_server::config::ServeArgs;
use kefu_server::db::Db;
use kefu_server::kb::KbStore;
use kefu_server::AppState;
use sqlx::Connection as _;
use sqlx::Executor as _;
use tower::ServiceExt as _;

pub const SECRET: &str = "test-secret-0123456789abcdef";

pub struct TestServer {
    pub app: Router,
    pub state: AppState,
    pub dir: tempfile::TempDir,
}

/// The demo knowledge base (`kb/`), compiled once per test binary.
pub fn demo_kb() -> &'static [u8] {
    static KB: OnceLock<Vec<u8>> = OnceLock::new();
    KB.get_or_init(|| demo_kb_built_at(0))
}

/// The demo knowledge base stamped with `built_at` (a different file for each stamp).
/// Compiled once per state of `kb/` and kept in the target folder, since each test may run
/// in its own process (nextest).
/// The demo knowledge base with no working hours, that is always staffed: the tests hand off
/// at whatever hour they run (the after-hours replies have their own tests in kefu-core and
/// the golden scripts, with a fixed clock).
pub fn always_staffed(mut kb: kefu_core::KnowledgeBase) -> kefu_core::KnowledgeBase {
    kb.settings.working_hours = Default::default();
    kb
}

pub fn demo_kb_built_at(built_at: i64) -> Vec<u8> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../kb");
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "demo-kb-staffed-{:016x}-{built_at}.bin",
        sources_hash(&root)
    ));
    if let Ok(bytes) = std::fs::read(&cache) {
        if kefu_core::Engine::load(&bytes).is_ok() {
            return bytes;
        }
    }
    let compiled = kefu_compiler::compile_at(&root, built_at).expect("the demo kb compiles");
    let bytes = kefu_core::format::encode(&always_staffed(compiled.for_device()));
    let tmp = cache.with_extension(format!("tmp{}", std::process::id()));
    if std::fs::write(&tmp, &bytes).is_ok() {
        std::fs::rename(&tmp, &cache).ok();
    }
    bytes
}

/// FNV-1a over every file's path and bytes under `root`, in sorted order.
fn sources_hash(root: &Path) -> u64 {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(root, &mut files);
    files.sort();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for &b in bytes {
            h ^= b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for f in files {
        feed(f.to_string_lossy().as_bytes());
        feed(&std::fs::read(&f).unwrap_or_default());
    }
    h
}

/// A database URL for one test.
async fn database_url(dir: &Path) -> String {
    match std::env::var("KEFU_TEST_DATABASE_URL") {
        Ok(base) if !base.is_empty() => {
            sqlx::any::install_default_drivers();
            let name = format!("kefu_test_{}", kefu_server::db::random_hex(8));
            let mut conn = sqlx::AnyConnection::connect(&base)
                .await
                .expect("KEFU_TEST_DATABASE_URL connects");
            conn.execute(format!("CREATE DATABASE {name}").as_str())
                .await
                .expect("creating a test database");
            conn.close().await.ok();
            let (prefix, rest) = base.rsplit_once('/').expect("a database URL with a path");
            let query = rest
                .split_once('?')
                .map(|(_, q)| format!("?{q}"))
                .unwrap_or_default();
            format!("{prefix}/{name}{query}")
        }
        _ => format!("sqlite://{}", dir.join("kefu.db").display()),
    }
}

pub fn on_postgres() -> bool {
    std::env::var("KEFU_TEST_DATABASE_URL").is_ok_and(|v| !v.is_empty())
}

/// A server with the demo orders, the test secret and `configure`'s settings.
pub async fn server(configure: impl FnOnce(&mut ServeArgs, &Path)) -> TestServer {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = database_url(dir.path()).await;
    let mut args = ServeArgs::for_tests(&url);
    args.secret = Some(SECRET.to_string());
    args.db.db_max_connections = 4;
    configure(&mut args, dir.path());
    let db = Db::connect(&args.db).await.expect("database opens");
    assert_eq!(db.kind == kefu_server::db::DbKind::Postgres, on_postgres());
    kefu_server::demo::seed(&db).await.expect("demo orders");
    let kb = KbStore::open(args.kb.as_deref()).expect("kb loads");
    let state = AppState::new(args, db, kb).expect("state");
    TestServer {
        app: kefu_server::app(state.clone()),
        state,
        dir,
    }
}

/// A server that also runs the demo knowledge base.
pub async fn server_with_kb() -> TestServer {
    server(|args, dir| {
        let path = dir.join("kb.bin");
        std::fs::write(&path, demo_kb()).unwrap();
        args.kb = Some(path);
    })
    .await
}

pub fn write_file(path: &PathBuf, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    /// The error code of an error body.
    pub fn code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or("")
            .to_string()
    }
}

impl TestServer {
    pub async fn send(&self, request: Request<Body>) -> Reply {
        send(&self.app, request).await
    }

    pub async fn get(&self, uri: &str) -> Reply {
        self.send(get(uri).body(Body::empty()).unwrap()).await
    }
}

pub async fn send(app: &Router, mut request: Request<Body>) -> Reply {
    if request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .is_none()
    {
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
    }
    let response = app.clone().oneshot(request).await.expect("infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec();
    Reply {
        status,
        headers,
        body,
    }
}

/// A GET request builder from a given client address.
pub fn get(uri: &str) -> axum::http::request::Builder {
    Request::get(uri)
}

pub fn from_ip(mut request: Request<Body>, ip: [u8; 4]) -> Request<Body> {
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::from((ip, 40000))));
    request
}

/// `POST uri` with a JSON body and optional bearer key.
pub fn post_json(uri: &str, key: Option<&str>, body: &serde_json::Value) -> Request<Body> {
    let mut b = Request::post(uri).header("content-type", "application/json");
    if let Some(key) = key {
        b = b.header("authorization", format!("Bearer {key}"));
    }
    b.body(Body::from(body.to_string())).unwrap()
}
