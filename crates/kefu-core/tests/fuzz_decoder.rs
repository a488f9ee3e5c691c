//! A structured fuzz harness for the decoder: a real compiled file (format 5 as written
//! now, its texts as character numbers; the v4 and v3 fixtures through the upgrade paths) is mutated *inside its payload* (bytes set, flipped, inserted, deleted, duplicated; numbers overwritten with
//! huge varints) and its length and checksum recomputed, so every case reaches the postcard
//! decoder and the engine's checks instead of stopping at the checksum. Every case must give
//! an error or a working engine — no panic, no abort — and peak memory must stay bounded.
//!
//! `KEFU_FUZZ_CASES` sets the number of cases (default 3,000, the bounded run of the test
//! command); `KEFU_FUZZ_SEED` the seed. The million-case run is recorded in
//! docs/benchmarks.md.

mod common;

use common::repo_path;
use kefu_core::format::{self, HEADER_LEN};
use kefu_core::Engine;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn reseal(version: u16, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
    out.extend_from_slice(&format::MAGIC);
    out.extend_from_slice(&version.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(payload).to_le_bytes());
    out.extend_from_slice(payload);
    out
}

fn mutate(rng: &mut Rng, base: &[u8]) -> Vec<u8> {
    let mut p = base.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(p.len());
        match rng.below(8) {
            0 => p[at] = rng.next() as u8,
            1 => p[at] ^= 1 << rng.below(8),
            2 => {
                // A varint claiming a huge length or count.
                let huge: &[u8] = match rng.below(3) {
                    0 => &[0xff, 0xff, 0xff, 0xff, 0x0f],
                    1 => &[0x80, 0x80, 0x80, 0x80, 0x08],
                    _ => &[0xff, 0xff, 0xff, 0x7f],
                };
                let end = (at + huge.len()).min(p.len());
                p[at..end].copy_from_slice(&huge[..end - at]);
            }
            3 => {
                let n = 1 + rng.below(8);
                for _ in 0..n {
                    p.insert(at, rng.next() as u8);
                }
            }
            4 => {
                let end = (at + 1 + rng.below(16)).min(p.len());
                p.drain(at..end);
            }
            5 => {
                let end = (at + 1 + rng.below(64)).min(p.len());
                let chunk = p[at..end].to_vec();
                let to = rng.below(p.len());
                p.splice(to..to, chunk);
            }
            6 => p.truncate(at.max(1)),
            _ => p[at] = [0, 1, 0x7f, 0x80, 0xff][rng.below(5)],
        }
        if p.is_empty() {
            p.push(0);
        }
    }
    p
}

fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[test]
fn mutated_payloads_with_valid_checksums_never_panic() {
    let cases: usize = std::env::var("KEFU_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3_000);
    let seed: u64 = std::env::var("KEFU_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x6b65_6675);
    let compiled =
        kefu_compiler::compile(&repo_path("crates/kefu-core/tests/fixtures/mini-kb.jsonl"))
            .expect("mini knowledge base compiles");
    // Format 5 as this build writes it (texts as character numbers, the index as token
    // streams) every other case; the v4 fixture (texts as UTF-8) and the v3 one (its index
    // field by field), which go through the upgrade paths, a quarter each.
    let file = format::encode(&compiled.for_device());
    let v3 =
        std::fs::read(repo_path("crates/kefu-core/tests/fixtures/v3.bin")).expect("v3 fixture");
    let v4 =
        std::fs::read(repo_path("crates/kefu-core/tests/fixtures/v4.bin")).expect("v4 fixture");
    let bases: [(u16, &[u8]); 4] = [
        (format::FORMAT_VERSION, &file[HEADER_LEN..]),
        (4, &v4[HEADER_LEN..]),
        (format::FORMAT_VERSION, &file[HEADER_LEN..]),
        (3, &v3[HEADER_LEN..]),
    ];
    let mut rng = Rng(seed | 1);
    let (mut loaded, mut refused) = (0usize, 0usize);
    let start = std::time::Instant::now();
    for i in 0..cases {
        let (version, base) = bases[i % 4];
        let bytes = reseal(version, &mutate(&mut rng, base));
        let outcome = std::panic::catch_unwind(|| match Engine::load(&bytes) {
            Ok(engine) => {
                for q in [
                    "怎么开发票",
                    "wo yao tuihuo",
                    "fp",
                    "發飄怎么开",
                    "XD202611190002",
                    "",
                ] {
                    let m = engine.ask(q, Some(1_800_000_000));
                    assert!(m.confidence.is_finite());
                    engine.suggest(q, 5);
                }
                true
            }
            Err(_) => false,
        });
        match outcome {
            Ok(true) => loaded += 1,
            Ok(false) => refused += 1,
            Err(_) => panic!("case {i} (seed {seed}) panicked"),
        }
    }
    let peak = peak_memory_kib();
    eprintln!(
        "fuzz: {cases} cases in {:.1} s: {loaded} loaded, {refused} refused; peak memory {} KiB",
        start.elapsed().as_secs_f64(),
        peak.map_or("?".to_string(), |p| p.to_string())
    );
    if let Some(kib) = peak {
        assert!(kib < 1024 * 1024, "peak memory {kib} KiB");
    }
    assert!(refused > 0);
}
