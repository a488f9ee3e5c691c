//! A bounded loopback load generator for a running kefu-server: `C` concurrent clients send
//! GET requests (keep-alive) for a fixed time and the run prints one table row per target —
//! requests per second, latency percentiles, and non-2xx answers.
//!
//! ```sh
//! cargo run --profile server -p kefu-server --example load -- \
//!   --base http://127.0.0.1:18080 --seconds 5 --concurrency 32 \
//!   'verified order=/api/v1/orders/123456|X-Kefu-User: demo-alice|X-Kefu-User-Hash: …' \
//!   'health=/healthz'
//! ```
//!
//! Each target is `label=path[|Header: value]…`. Used by `scripts/bench-server.sh`.

use std::sync::Arc;
use std::time::{Duration, Instant};

struct Target {
    label: String,
    path: String,
    headers: Vec<(String, String)>,
}

fn parse_target(spec: &str) -> Target {
    let (label, rest) = spec
        .split_once('=')
        .expect("target: label=path[|Header: value]");
    let mut parts = rest.split('|');
    let path = parts.next().unwrap_or("/").to_string();
    let headers = parts
        .filter_map(|h| h.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    Target {
        label: label.to_string(),
        path,
        headers,
    }
}

struct Outcome {
    latencies_us: Vec<u32>,
    failures: u64,
    elapsed: Duration,
}

async fn run(base: &str, target: &Target, concurrency: usize, seconds: f64) -> Outcome {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .build()
        .expect("client");
    let url = Arc::new(format!("{base}{}", target.path));
    let headers = Arc::new(target.headers.clone());
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (client, url, headers) = (client.clone(), url.clone(), headers.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut failures = 0u64;
            while Instant::now() < deadline {
                let t = Instant::now();
                let mut request = client.get(url.as_str());
                for (k, v) in headers.iter() {
                    request = request.header(k, v);
                }
                let ok = match request.send().await {
                    Ok(r) => {
                        let ok = r.status().is_success();
                        let _ = r.bytes().await;
                        ok
                    }
                    Err(_) => false,
                };
                latencies.push(t.elapsed().as_micros().min(u32::MAX as u128) as u32);
                if !ok {
                    failures += 1;
                }
            }
            (latencies, failures)
        }));
    }
    let mut latencies_us = Vec::new();
    let mut failures = 0;
    for t in tasks {
        let (l, f) = t.await.expect("task");
        latencies_us.extend(l);
        failures += f;
    }
    Outcome {
        latencies_us,
        failures,
        elapsed: started.elapsed(),
    }
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i] as f64 / 1000.0
}

#[tokio::main]
async fn main() {
    let mut base = "http://127.0.0.1:8080".to_string();
    let mut seconds = 5.0;
    let mut concurrency = 32;
    let mut targets = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--base" => base = args.next().expect("--base URL"),
            "--seconds" => {
                seconds = args
                    .next()
                    .and_then(|s| s.parse().ok())
                    .expect("--seconds N")
            }
            "--concurrency" => {
                concurrency = args
                    .next()
                    .and_then(|s| s.parse().ok())
                    .expect("--concurrency N")
            }
            spec => targets.push(parse_target(spec)),
        }
    }
    // Bounded: at most 60 s per target and 1,024 clients.
    let seconds = f64::min(seconds, 60.0);
    let concurrency = concurrency.clamp(1, 1024);
    println!(
        "| target | clients | requests | req/s | p50 ms | p90 ms | p99 ms | max ms | failed |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for target in &targets {
        // A short warm-up opens the connections.
        run(&base, target, concurrency, 0.5).await;
        let mut o = run(&base, target, concurrency, seconds).await;
        o.latencies_us.sort_unstable();
        let n = o.latencies_us.len();
        println!(
            "| {} | {} | {} | {:.0} | {:.2} | {:.2} | {:.2} | {:.2} | {} |",
            target.label,
            concurrency,
            n,
            n as f64 / o.elapsed.as_secs_f64(),
            percentile(&o.latencies_us, 0.50),
            percentile(&o.latencies_us, 0.90),
            percentile(&o.latencies_us, 0.99),
            percentile(&o.latencies_us, 1.0),
            o.failures
        );
    }
}
