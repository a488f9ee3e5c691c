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
    let path: String = path.chars().take(200).collect();
    mask_digit_runs(&path, 4, |run| {
        format!("{}{}", &run[..2], "*".repeat(run.len() - 2))
    })
}

/// Rewrites every run of at least `min` ASCII digits with `mask`; everything else is kept.
pub fn mask_digit_runs(text: &str, min: usize, mask: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut start = None;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (c.is_ascii_digit() && i < text.len(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                let run = &text[s..i];
                match run.len() >= min {
                    true => out.push_str(&mask(run)),
                    false => out.push_str(run),
                }
                start = None;
            }
            _ => {}
        }
        if start.is_none() && i < text.len() && !c.is_ascii_digit() {
            out.push(c);
        }
    }
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
