//! Keeping the best few of many candidates without sorting them all.
//!
//! A question on a large knowledge base touches thousands of entries and needs five of them:
//! one pass keeps the best `k` seen so far in order, and most candidates cost a single
//! comparison with the worst of those.

use std::cmp::Ordering;

/// Up to this many kept, candidates are inserted into a short sorted list; above it, all
/// are collected and the first `k` selected (`select_nth_unstable_by`), then sorted.
const INSERTION_LIMIT: usize = 32;

/// Fills `out` with the `k` first items of `items` in the order `cmp`, sorted: the same as
/// sorting every item by `cmp` and keeping the first `k`, as long as `cmp` is a total order
/// (no two distinct items compare equal), as the matcher's is (score, priority, entry).
pub(crate) fn first_k<T: Copy>(
    items: impl Iterator<Item = T>,
    k: usize,
    cmp: impl Fn(&T, &T) -> Ordering,
    out: &mut Vec<T>,
) {
    out.clear();
    if k == 0 {
        return;
    }
    if k > INSERTION_LIMIT {
        out.extend(items);
        if out.len() > k {
            out.select_nth_unstable_by(k - 1, &cmp);
            out.truncate(k);
        }
        crate::sort::sort_by(out, cmp);
        return;
    }
    for item in items {
        if out.len() == k {
            // Full: only an item before the last kept one gets in.
            if cmp(&item, &out[k - 1]) != Ordering::Less {
                continue;
            }
            out.pop();
        }
        let at = out.partition_point(|kept| cmp(kept, &item) == Ordering::Less);
        out.insert(at, item);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (xorshift), so the test needs no dependency.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
    }

    /// The matcher's order: score descending, then priority descending, then entry ascending.
    fn order(a: &(u32, f32, u8), b: &(u32, f32, u8)) -> Ordering {
        b.1.total_cmp(&a.1)
            .then_with(|| b.2.cmp(&a.2))
            .then_with(|| a.0.cmp(&b.0))
    }

    #[test]
    fn first_k_equals_a_full_sort_on_random_inputs() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for round in 0..2_000 {
            let n = (rng.next() % 300) as usize;
            // Few distinct scores and priorities, so ties are common; some -0.0, NaN, ∞.
            let mut items: Vec<(u32, f32, u8)> = (0..n as u32)
                .map(|e| {
                    let score = match rng.next() % 40 {
                        0 => -0.0,
                        1 => f32::NAN,
                        2 => f32::INFINITY,
                        s => (s % 7) as f32 / 7.0,
                    };
                    (e, score, (rng.next() % 3) as u8)
                })
                .collect();
            // Entries arrive in any order, as touched entries do.
            for i in (1..items.len()).rev() {
                items.swap(i, (rng.next() % (i as u64 + 1)) as usize);
            }
            let k = match round % 4 {
                0 => 1,
                1 => 5,
                2 => (rng.next() % 40) as usize,
                _ => 20 + (rng.next() % 200) as usize,
            };
            let mut sorted = items.clone();
            sorted.sort_by(order);
            sorted.truncate(k);
            let mut kept = Vec::new();
            first_k(items.iter().copied(), k, order, &mut kept);
            let bits = |v: &[(u32, f32, u8)]| -> Vec<(u32, u32, u8)> {
                v.iter().map(|&(e, s, p)| (e, s.to_bits(), p)).collect()
            };
            assert_eq!(bits(&kept), bits(&sorted), "n {n}, k {k}");
        }
    }

    #[test]
    fn first_k_of_nothing_and_zero() {
        let mut out = vec![(9, 1.0, 0)];
        first_k(std::iter::empty(), 5, order, &mut out);
        assert!(out.is_empty());
        first_k([(1, 1.0, 0)].into_iter(), 0, order, &mut out);
        assert!(out.is_empty());
    }
}
