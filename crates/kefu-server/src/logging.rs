//! One log line per request — method, path with long digit runs masked (order numbers,
//! phones), status, milliseconds. Query strings, headers and bodies are never logged.

use std::time::Instant;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;

pub async fn log_request(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = mask_path(request.uri().path());
    let started = Instant::now();
    let response = next.run(request).await;
    tracing::info!(
        target: "kefu_server::http",
        "{method} {path} {} {:.1}ms",
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    response
}

/// Runs of 4 or more digits keep their first two: `/api/v1/orders/12****`.
pub fn mask_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.len() >= 4 {
            out.push_str(&run[..2]);
            out.extend(std::iter::repeat_n('*', run.len() - 2));
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in path.chars().take(200) {
        if c.is_ascii_digit() {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn digits_are_masked() {
        assert_eq!(
            super::mask_path("/api/v1/orders/123456"),
            "/api/v1/orders/12****"
        );
        assert_eq!(super::mask_path("/api/v1/x"), "/api/v1/x");
    }
}
