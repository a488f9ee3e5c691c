//! In-process rate limits: wrong order guesses per client address and per order number (so
//! nobody can enumerate orders or phone digits), and request budgets per API key. With
//! several instances each process counts its own; put them behind a load balancer with
//! sticky client addresses, or divide the limits by the number of instances.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::ConnectInfo;
use axum::http::request::Parts;

use crate::config::ServeArgs;

/// Entries kept before expired ones are swept.
const SWEEP_AT: usize = 10_000;

/// Counts events per key in fixed windows; a key with `max` events in its window is blocked
/// until the window ends.
pub struct WindowCounter {
    max: u32,
    window: Duration,
    counts: Mutex<Counts>,
}

/// The counts and the size at which expired ones are swept next (doubling after a sweep
/// that freed little, so many live keys never cost a sweep per event).
struct Counts {
    by_key: HashMap<String, (Instant, u32)>,
    sweep_at: usize,
}

impl WindowCounter {
    pub fn new(max: u32, window: Duration) -> WindowCounter {
        WindowCounter {
            max,
            window,
            counts: Mutex::new(Counts {
                by_key: HashMap::new(),
                sweep_at: SWEEP_AT,
            }),
        }
    }

    /// Seconds until `key` may try again, or `None` when it may now.
    pub fn blocked(&self, key: &str) -> Option<u64> {
        let counts = self.counts.lock().expect("rate-limit lock");
        let (start, n) = counts.by_key.get(key)?;
        let left = self.window.checked_sub(start.elapsed())?;
        (*n >= self.max).then(|| left.as_secs().max(1))
    }

    /// Counts one event for `key`.
    pub fn hit(&self, key: &str) {
        let mut counts = self.counts.lock().expect("rate-limit lock");
        if counts.by_key.len() >= counts.sweep_at {
            let window = self.window;
            counts
                .by_key
                .retain(|_, (start, _)| start.elapsed() < window);
            counts.sweep_at = (counts.by_key.len() * 2).max(SWEEP_AT);
        }
        let now = Instant::now();
        let entry = counts.by_key.entry(key.to_string()).or_insert((now, 0));
        if entry.0.elapsed() >= self.window {
            *entry = (now, 0);
        }
        entry.1 = entry.1.saturating_add(1);
    }

    /// Counts one event and tells whether it was within the budget (request budgets).
    pub fn take(&self, key: &str) -> Result<(), u64> {
        if let Some(wait) = self.blocked(key) {
            return Err(wait);
        }
        self.hit(key);
        Ok(())
    }
}

/// Every limiter of the server.
pub struct Limiters {
    /// Wrong guesses per client address.
    pub guesses_per_client: WindowCounter,
    /// Wrong guesses per order number.
    pub guesses_per_order: WindowCounter,
    /// Chat API requests per API key.
    pub chat_per_key: WindowCounter,
    trust_forwarded_for: bool,
}

impl Limiters {
    pub fn new(config: &ServeArgs) -> Limiters {
        let window = Duration::from_secs(config.guess_window_secs.max(1));
        Limiters {
            guesses_per_client: WindowCounter::new(config.max_wrong_guesses.max(1), window),
            // An order number is attacked from many addresses: a little more room, still
            // far too little to try 10,000 phone endings.
            guesses_per_order: WindowCounter::new(
                config.max_wrong_guesses.max(1).saturating_mul(2),
                window,
            ),
            chat_per_key: WindowCounter::new(
                config.chat_per_minute.max(1),
                Duration::from_secs(60),
            ),
            trust_forwarded_for: config.trust_forwarded_for,
        }
    }

    /// The client's address: the socket's peer, or the first `X-Forwarded-For` hop when the
    /// server is told to trust it. `None` in tests without a socket.
    pub fn client_ip(&self, parts: &Parts) -> Option<IpAddr> {
        if self.trust_forwarded_for {
            let forwarded = parts
                .headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(',').next())
                .and_then(|v| v.trim().parse().ok());
            if forwarded.is_some() {
                return forwarded;
            }
        }
        parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_blocked_after_max_hits_until_the_window_ends() {
        let c = WindowCounter::new(2, Duration::from_secs(60));
        assert_eq!(c.blocked("a"), None);
        c.hit("a");
        assert_eq!(c.blocked("a"), None);
        c.hit("a");
        let wait = c.blocked("a").unwrap();
        assert!((1..=60).contains(&wait));
        assert_eq!(c.blocked("b"), None);
        let short = WindowCounter::new(1, Duration::from_millis(1));
        short.hit("a");
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(short.blocked("a"), None);
    }

    #[test]
    fn expired_keys_are_swept_and_live_ones_do_not_cause_a_sweep_per_event() {
        let c = WindowCounter::new(1, Duration::from_millis(20));
        for i in 0..SWEEP_AT {
            c.hit(&format!("k{i}"));
        }
        std::thread::sleep(Duration::from_millis(30));
        c.hit("fresh");
        assert_eq!(c.counts.lock().unwrap().by_key.len(), 1);
        let live = WindowCounter::new(1, Duration::from_secs(60));
        for i in 0..SWEEP_AT + 1 {
            live.hit(&format!("k{i}"));
        }
        let counts = live.counts.lock().unwrap();
        assert_eq!(counts.by_key.len(), SWEEP_AT + 1);
        assert_eq!(counts.sweep_at, SWEEP_AT * 2);
    }
}
