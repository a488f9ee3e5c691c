//! Stable sorting that stays small in the WebAssembly build.
//!
//! std's sorts are generated anew for every element type and comparator (driftsort and its
//! small-sort networks, several KB of code each); the widget had about thirty of them, 71 KB
//! of code. On `wasm32` these functions sort a permutation of `u32` indices with one shared,
//! non-generic merge sort that calls the comparator through `dyn`, then move the elements into
//! place, so each call site adds a few hundred bytes. Elsewhere they are std's stable sort.
//! Both are stable, so the order is the same on every target.

use std::cmp::Ordering;

/// Sorts `v` by `cmp`, stable (equal elements keep their order), like `slice::sort_by`.
#[inline]
pub(crate) fn sort_by<T, F: FnMut(&T, &T) -> Ordering>(v: &mut [T], cmp: F) {
    #[cfg(target_arch = "wasm32")]
    compact_sort_by(v, cmp);
    #[cfg(not(target_arch = "wasm32"))]
    v.sort_by(cmp);
}

/// Sorts `v` by the key `f` gives, stable, like `slice::sort_by_key`.
#[inline]
pub(crate) fn sort_by_key<T, K: Ord, F: FnMut(&T) -> K>(v: &mut [T], mut f: F) {
    sort_by(v, |a, b| f(a).cmp(&f(b)));
}

/// Sorts `v` in its natural order (stable; for the `Ord` types sorted here an unstable sort
/// gives the same result).
#[inline]
pub(crate) fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// The compact sort (used on `wasm32`, tested everywhere).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) fn compact_sort_by<T, F: FnMut(&T, &T) -> Ordering>(v: &mut [T], mut cmp: F) {
    let n = v.len();
    if n < 2 {
        return;
    }
    let n = u32::try_from(n).expect("fewer than 2^32 elements to sort");
    let mut perm: Vec<u32> = (0..n).collect();
    {
        let v: &[T] = v;
        merge_sort(&mut perm, &mut |a, b| {
            cmp(&v[a as usize], &v[b as usize]) == Ordering::Greater
        });
    }
    permute(v, &mut perm);
}

/// Stable bottom-up merge sort of `perm` (insertion-sorted runs of 8 first); `greater(a, b)`
/// says `a` must come after `b`.
#[inline(never)]
fn merge_sort(perm: &mut [u32], greater: &mut dyn FnMut(u32, u32) -> bool) {
    const RUN: usize = 8;
    let n = perm.len();
    for run in perm.chunks_mut(RUN) {
        for i in 1..run.len() {
            let x = run[i];
            let mut j = i;
            while j > 0 && greater(run[j - 1], x) {
                run[j] = run[j - 1];
                j -= 1;
            }
            run[j] = x;
        }
    }
    if n <= RUN {
        return;
    }
    let mut buf = vec![0u32; n];
    let mut in_perm = true;
    let mut width = RUN;
    while width < n {
        if in_perm {
            merge_pass(perm, &mut buf, width, greater);
        } else {
            merge_pass(&buf, perm, width, greater);
        }
        in_perm = !in_perm;
        width = width.saturating_mul(2);
    }
    if !in_perm {
        perm.copy_from_slice(&buf);
    }
}

/// Merges each pair of neighbouring sorted runs of `width` from `src` into `dst`.
fn merge_pass(
    src: &[u32],
    dst: &mut [u32],
    width: usize,
    greater: &mut dyn FnMut(u32, u32) -> bool,
) {
    let n = src.len();
    let mut start = 0;
    while start < n {
        let mid = (start + width).min(n);
        let end = (mid + width).min(n);
        let (mut i, mut j, mut k) = (start, mid, start);
        while i < mid && j < end {
            // Ties take the left run first: stable.
            if greater(src[i], src[j]) {
                dst[k] = src[j];
                j += 1;
            } else {
                dst[k] = src[i];
                i += 1;
            }
            k += 1;
        }
        dst[k..k + (mid - i)].copy_from_slice(&src[i..mid]);
        k += mid - i;
        dst[k..end].copy_from_slice(&src[j..end]);
        start = end;
    }
}

/// Reorders `v` so that the new `v[i]` is the old `v[perm[i]]` (following each cycle of the
/// permutation with swaps; `perm` is consumed).
fn permute<T>(v: &mut [T], perm: &mut [u32]) {
    for i in 0..perm.len() {
        let mut j = i;
        loop {
            let k = perm[j] as usize;
            perm[j] = j as u32;
            if k == i {
                break;
            }
            v.swap(j, k);
            j = k;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (no dependency for tests).
    fn numbers(seed: u64, n: usize, range: u64) -> Vec<u64> {
        let mut x = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x % range
            })
            .collect()
    }

    #[test]
    fn compact_sort_equals_std_stable_sort() {
        for n in [0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 64, 100, 1000, 4097] {
            for range in [1, 3, 50, u64::MAX] {
                // (key, original position): equal keys must keep their order.
                let items: Vec<(u64, usize)> = numbers((n as u64).wrapping_add(range), n, range)
                    .into_iter()
                    .enumerate()
                    .map(|(i, k)| (k, i))
                    .collect();
                let mut ours = items.clone();
                compact_sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
                let mut theirs = items.clone();
                theirs.sort_by_key(|a| a.0);
                assert_eq!(ours, theirs, "n {n}, range {range}");
            }
        }
    }

    #[test]
    fn compact_sort_moves_owned_values() {
        let mut words: Vec<String> = ["pear", "fig", "apple", "kiwi", "banana", "date", "plum"]
            .iter()
            .cycle()
            .take(40)
            .map(|s| s.to_string())
            .collect();
        let mut expected = words.clone();
        expected.sort_by_key(|w| std::cmp::Reverse(w.len()));
        compact_sort_by(&mut words, |a, b| b.len().cmp(&a.len()));
        assert_eq!(words, expected);
    }

    #[test]
    fn helpers_sort_like_std() {
        let mut v = numbers(7, 500, 20);
        let mut w = v.clone();
        sort(&mut v);
        w.sort();
        assert_eq!(v, w);
        let mut v = numbers(8, 500, 1000);
        let mut w = v.clone();
        sort_by_key(&mut v, |x| std::cmp::Reverse(x % 10));
        w.sort_by_key(|x| std::cmp::Reverse(x % 10));
        assert_eq!(v, w);
    }
}
