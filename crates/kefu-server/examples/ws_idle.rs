//! A bounded loopback benchmark of idle live conversations: starts `kefu-server` (the
//! binary in `KEFU_SERVER_BIN`, default `target/debug/kefu-server`) on 127.0.0.1 with a
//! fresh SQLite database, hands off N conversations, opens N customer WebSockets and keeps
//! them idle, then prints a table: connect time, the server's memory, and the delivery
//! latency of agent messages to a sample of the idle customers while all N stay connected.
//!
//! ```sh
//! ulimit -n 20000   # each side holds N sockets
//! cargo run -p kefu-server --example ws_idle -- 10000
//! ```

use std::io::{BufRead as _, BufReader, Write as _};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use futures_util::{SinkExt as _, StreamExt as _};
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;
use tokio_tungstenite::tungstenite::Message;

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let n: usize = std::env::args()
        .nth(1)
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(10_000);
    let bin =
        std::env::var("KEFU_SERVER_BIN").unwrap_or_else(|_| "target/debug/kefu-server".into());
    let dir = tempfile::tempdir()?;
    let db = format!("sqlite://{}", dir.path().join("bench.db").display());
    let mut add = Command::new(&bin)
        .args([
            "agent",
            "add",
            "--database-url",
            &db,
            "bench",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()?;
    add.stdin.take().unwrap().write_all(b"bench-password\n")?;
    anyhow::ensure!(add.wait()?.success(), "agent add failed");
    let mut child = Command::new(&bin)
        .args(["--listen", "127.0.0.1:0", "--database-url", &db])
        .env("KEFU_LOG", "error")
        // One client address opens every conversation here.
        .env("KEFU_MAX_HANDOFFS_PER_CLIENT", "0")
        .stdout(Stdio::piped())
        .spawn()?;
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let addr = loop {
        let line = lines.next().expect("start line")?;
        if let Some(rest) = line.split("listening on http://").nth(1) {
            break rest.split('/').next().unwrap().to_string();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    let pid = child.id();
    let rss_start = rss_kib(pid);
    let http = reqwest::Client::new();
    let body = serde_json::json!({"handoff": {"reason": "customer-request", "detail": "", "at": 1, "transcript": [],
        "slots": [], "entries_tried": [], "flow": null, "emotion": null}});

    // Hand off N conversations (64 at a time).
    let started = Instant::now();
    let created: Vec<(String, String, String)> = futures_util::stream::iter(0..n)
        .map(|_| {
            let (http, body, addr) = (http.clone(), body.clone(), addr.clone());
            async move {
                let r: serde_json::Value = http
                    .post(format!("http://{addr}/api/v1/handoff"))
                    .json(&body)
                    .send()
                    .await?
                    .json()
                    .await?;
                let field = |k: &str| r[k].as_str().unwrap_or_default().to_string();
                anyhow::Ok((
                    field("conversation"),
                    field("customer_token"),
                    field("ws_url"),
                ))
            }
        })
        .buffer_unordered(64)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<Result<_, _>>()?;
    let handoff_secs = started.elapsed().as_secs_f64();

    // Open N idle customer WebSockets (256 at a time); each waits for welcome + queue.
    let started = Instant::now();
    let sockets = futures_util::stream::iter(created.iter().cloned())
        .map(|(conv, token, ws_url)| {
            let addr = addr.clone();
            async move {
                let req = format!("ws://{addr}{ws_url}?token={token}").into_client_request()?;
                let (mut ws, _) = tokio_tungstenite::connect_async(req).await?;
                for _ in 0..2 {
                    ws.next().await.ok_or_else(|| anyhow::anyhow!("closed"))??;
                }
                anyhow::Ok((conv, ws))
            }
        })
        .buffer_unordered(256)
        .collect::<Vec<_>>()
        .await;
    let connect_secs = started.elapsed().as_secs_f64();
    let mut open = vec![];
    let mut failed = 0;
    for s in sockets {
        match s {
            Ok(x) => open.push(x),
            Err(e) => {
                if failed == 0 {
                    eprintln!("first failure: {e:#}");
                }
                failed += 1;
            }
        }
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    let rss_idle = rss_kib(pid);

    // While all stay connected: an agent claims 100 of them and writes to each; time until
    // the customer has the message.
    let login = http
        .post(format!("http://{addr}/api/v1/console/login"))
        .json(&serde_json::json!({"name": "bench", "password": "bench-password"}))
        .send()
        .await?;
    let cookie = login.headers()["set-cookie"]
        .to_str()?
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let csrf = login.json::<serde_json::Value>().await?["csrf"]
        .as_str()
        .unwrap()
        .to_string();
    let sample = open.len().min(100);
    let mut latencies = vec![];
    for (i, (conv, customer)) in open.iter_mut().take(sample).enumerate() {
        http.post(format!(
            "http://{addr}/api/v1/console/conversations/{conv}/claim"
        ))
        .header("cookie", &cookie)
        .header("x-kefu-csrf", &csrf)
        .send()
        .await?
        .error_for_status()?;
        let mut req =
            format!("ws://{addr}/api/v1/console/conversations/{conv}/ws").into_client_request()?;
        req.headers_mut().insert("cookie", cookie.parse()?);
        let (mut agent, _) = tokio_tungstenite::connect_async(req).await?;
        agent.next().await; // welcome
                            // Drain the queue / agent-joined frames.
        while let Ok(Some(_)) =
            tokio::time::timeout(Duration::from_millis(20), customer.next()).await
        {}
        let t = Instant::now();
        let frame = serde_json::json!({"type": "send", "id": format!("b-{i}"), "content": {"kind": "text", "text": "您好"}});
        agent.send(Message::Text(frame.to_string().into())).await?;
        loop {
            let m = tokio::time::timeout(Duration::from_secs(10), customer.next())
                .await?
                .ok_or_else(|| anyhow::anyhow!("closed"))??;
            if let Message::Text(text) = m {
                if text.as_str().contains("\"type\":\"message\"") {
                    break;
                }
            }
        }
        latencies.push(t.elapsed().as_secs_f64() * 1000.0);
        agent.close(None).await.ok();
    }
    latencies.sort_by(f64::total_cmp);
    let pct = |p: f64| {
        let i = ((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1));
        latencies.get(i).copied().unwrap_or(0.0)
    };
    let still_open = open.len();
    println!("| idle customer WebSockets | handoffs/s | connect time | server RSS start → idle | per connection | agent → customer p50 / p99 (n={sample}) | failed |");
    println!("|---|---|---|---|---|---|---|");
    println!(
        "| {still_open} of {n} | {:.0} | {connect_secs:.1} s | {:.0} MiB → {:.0} MiB | {:.1} KiB | {:.1} ms / {:.1} ms | {failed} |",
        n as f64 / handoff_secs,
        rss_start as f64 / 1024.0,
        rss_idle as f64 / 1024.0,
        (rss_idle.saturating_sub(rss_start)) as f64 / still_open.max(1) as f64,
        pct(0.5),
        pct(0.99),
    );
    let _ = child.kill();
    let _ = child.wait();
    Ok(())
}
