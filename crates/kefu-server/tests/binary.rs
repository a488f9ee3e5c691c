//! The real `kefu-server` binary on 127.0.0.1: the contract operators' scripts rely on —
//! flags and `KEFU_*` variables, `--demo`'s printout, `/healthz`, the `apikey` commands, a
//! chat turn with a key made by the command, and a clean stop on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

#[path = "routes/common/mod.rs"]
mod common;

const BIN: &str = env!("CARGO_BIN_EXE_kefu-server");

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the server and returns it with its base URL and everything it printed before
/// the "listening" line.
fn start(db: &str, kb: &std::path::Path) -> (Server, String, String) {
    let mut child = Command::new(BIN)
        .args(["--demo", "--kb"])
        .arg(kb)
        .env("KEFU_LISTEN", "127.0.0.1:0")
        .env("KEFU_DATABASE_URL", db)
        .env("KEFU_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("kefu-server starts");
    let stdout = child.stdout.take().unwrap();
    let mut printed = String::new();
    let mut base = None;
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if let Some(rest) = line.strip_prefix("kefu-server listening on ") {
            base = Some(rest.split('/').take(3).collect::<Vec<_>>().join("/"));
            break;
        }
        printed.push_str(&line);
        printed.push('\n');
    }
    let base = base.expect("the server printed its address");
    (Server(child), base, printed)
}

fn cli(args: &[&str], db: &str) -> String {
    let out = Command::new(BIN)
        .args(args)
        .args(["--database-url", db])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test]
async fn the_binary_serves_the_demo_and_manages_api_keys() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("kefu.db").display());
    let kb = dir.path().join("kb.bin");
    std::fs::write(&kb, common::demo_kb()).unwrap();

    let added = cli(&["apikey", "add", "test-webhook"], &db);
    let key = added
        .lines()
        .find(|l| l.starts_with("kefu_"))
        .expect("the key is printed")
        .to_string();
    assert!(cli(&["apikey", "list"], &db).contains("test-webhook"));

    let (server, base, printed) = start(&db, &kb);
    assert!(printed.contains("123456"), "{printed}");
    assert!(printed.contains("顺丰"), "{printed}");
    assert!(printed.contains("demo-alice"), "{printed}");

    let http = reqwest::Client::new();
    let health = http.get(format!("{base}/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    let order = http
        .get(format!("{base}/api/v1/orders/123456?phone_last4=5678"))
        .send()
        .await
        .unwrap();
    assert_eq!(order.status(), 200);
    let chat = http
        .post(format!("{base}/api/v1/chat"))
        .bearer_auth(&key)
        .json(&serde_json::json!({"session": "t1", "text": "订单123456到哪了", "phone_last4": "5678"}))
        .send()
        .await
        .unwrap();
    assert_eq!(chat.status(), 200);
    let body: serde_json::Value = chat.json().await.unwrap();
    assert!(body.to_string().contains("SF1234567890"), "{body}");

    // Revoked by the command while the server runs: refused at once.
    let id = added.split_whitespace().nth(2).unwrap().to_string();
    cli(&["apikey", "revoke", &id], &db);
    let refused = http
        .post(format!("{base}/api/v1/chat"))
        .bearer_auth(&key)
        .json(&serde_json::json!({"session": "t1", "text": "你好"}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 401);

    // SIGTERM: a clean exit.
    let mut server = server;
    let pid = server.0.id().to_string();
    Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    let mut exited = None;
    for _ in 0..50 {
        if let Some(status) = server.0.try_wait().unwrap() {
            exited = Some(status);
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(exited.expect("stopped on SIGTERM").success());
}

#[test]
fn bad_settings_fail_with_a_message() {
    let out = Command::new(BIN)
        .args(["--database-url", "mysql://x", "--listen", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unsupported database URL"), "{err}");
    let out = Command::new(BIN)
        .args(["--listen", "nonsense"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
