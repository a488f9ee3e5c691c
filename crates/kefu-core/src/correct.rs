//! Query-side corrections, made against the knowledge base's own vocabulary:
//!
//! - pinyin typed instead of characters ("tuihuo", "tui huo") → the knowledge base's word;
//! - pinyin initials ("th", "fp") → the most frequent word with those initials;
//! - homophone typos ("发飘" → "发票", "退或" → "退货"), with the usual fuzzy-pinyin folds;
//! - English typos ("refnud" → "refund"), within one or two edits.
//!
//! A correction is only made where the customer's text is unknown to the knowledge base, so
//! correct input is never rewritten.

use crate::analysis::{Analyzer, Token};
use crate::index::{Index, Keys, SoundOrders};
use crate::tables::{Syllable, Tables};

/// Rewrites `tokens` where the knowledge base suggests a better reading. Han text that
/// comes out of a correction is put through `analyzer`'s synonym rewriting again.
pub fn correct(tokens: Vec<Token>, analyzer: &Analyzer, index: &Index) -> Vec<Token> {
    let tables = analyzer.tables();
    let mut out = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            Token::Han(run) => out.push(Token::Han(
                analyzer.rewrite_synonyms(&fix_homophones(run, tables, index)),
            )),
            Token::Word(word)
                if index.latin_words.find(word).is_none() && !known_stem(word, index) =>
            {
                if let Some((han, used)) = pinyin_run(&tokens[i..], tables, index) {
                    out.push(Token::Han(analyzer.rewrite_synonyms(&han)));
                    i += used;
                    continue;
                }
                out.push(Token::Word(
                    fix_latin(word, tables, index).unwrap_or_else(|| word.clone()),
                ));
            }
            other => out.push(other.clone()),
        }
        i += 1;
    }
    out
}

/// Reads up to four consecutive unknown words as pinyin (full or initials) and returns the
/// Han words they spell, with how many tokens were used. All syllables must be accounted for.
fn pinyin_run(tokens: &[Token], tables: &Tables, index: &Index) -> Option<(String, usize)> {
    let mut syllables: Vec<Syllable> = Vec::new();
    let mut best = None;
    for (k, token) in tokens.iter().take(4).enumerate() {
        let Token::Word(word) = token else { break };
        if k > 0 && index.latin_words.find(word).is_some() {
            break;
        }
        if k == 0 && !word.bytes().any(|b| b"aeiouv".contains(&b)) {
            return initials(word, tables, index).map(|w| (w, 1));
        }
        let Some(parsed) = tables.split_pinyin(word) else {
            break;
        };
        syllables.extend(parsed);
        if let Some(han) = spell(&syllables, tables, index) {
            best = Some((han, k + 1));
        }
    }
    best
}

/// Covers a syllable sequence with knowledge-base words, longest first.
fn spell(syllables: &[Syllable], tables: &Tables, index: &Index) -> Option<String> {
    let mut out = String::new();
    let mut at = 0;
    'outer: while at < syllables.len() {
        for len in (2..=4usize).rev() {
            if at + len > syllables.len() {
                continue;
            }
            let key = fuzzy_key(&syllables[at..at + len], tables);
            let exact: Vec<&str> = syllables[at..at + len]
                .iter()
                .map(|&s| tables.syllable(s))
                .collect();
            if let Some(w) = lookup_pinyin(
                &key,
                |word| spelled(word, tables).as_deref() == Some(&exact[..]),
                tables,
                index,
            ) {
                out.push_str(w);
                at += len;
                continue 'outer;
            }
        }
        // A syllable no word starts with: the most widespread character that reads so.
        out.push(single_syllable(syllables[at], index)?);
        at += 1;
    }
    (!out.is_empty()).then_some(out)
}

/// The knowledge base's most widespread character read as `syllable`.
fn single_syllable(syllable: Syllable, index: &Index) -> Option<char> {
    index
        .char_by_syllable
        .get(syllable as usize)
        .copied()
        .filter(|&c| c != 0)
        .and_then(char::from_u32)
}

/// Pinyin initials ("th", "thdz") → knowledge-base words, in as few words as possible.
fn initials(typed: &str, tables: &Tables, index: &Index) -> Option<String> {
    if !(2..=8).contains(&typed.len()) || !typed.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    let orders = sound_orders(index, tables);
    let order = &orders.by_initials;
    let key_of = |k: usize| orders.initials_keys.get(k);
    let word_for = |key: &str| {
        let first = partition(order.len(), |k| key_of(k) < key);
        (first < order.len() && key_of(first) == key)
            .then(|| index.words.get(order[first] as usize))
    };
    // best[i]: (words used, start of the last word, the word) covering typed[..i]
    let n = typed.len();
    let mut best: Vec<Option<(usize, usize, &str)>> = vec![None; n + 1];
    best[0] = Some((0, 0, ""));
    for end in 2..=n {
        for start in end.saturating_sub(4)..=end - 2 {
            let Some((count, _, _)) = best[start] else {
                continue;
            };
            if best[end].is_some_and(|(c, _, _)| c <= count + 1) {
                continue;
            }
            if let Some(w) = word_for(&typed[start..end]) {
                best[end] = Some((count + 1, start, w));
            }
        }
    }
    let mut words = Vec::new();
    let mut end = n;
    while end > 0 {
        let (_, start, w) = best[end]?;
        words.push(w);
        end = start;
    }
    words.reverse();
    Some(words.concat())
}

/// The word positions ordered by fuzzy pinyin key and by pinyin initials, most frequent
/// first among equal keys: as a file before format 4 stored them, or sorted once from the
/// words' counts (the compiler's order).
pub fn word_orders<'i>(index: &'i Index, tables: &Tables) -> (&'i [u32], &'i [u32]) {
    let o = sound_orders(index, tables);
    (&o.by_pinyin, &o.by_initials)
}

fn sound_orders<'i>(index: &'i Index, tables: &Tables) -> &'i SoundOrders {
    index.sorted_orders.0.get_or_init(|| {
        if index.word_counts.is_empty() || index.word_counts.len() != index.words.len() {
            stored_orders(index, tables)
        } else {
            sort_orders(index, tables)
        }
    })
}

/// The orders a file before format 4 stored, with their keys.
fn stored_orders(index: &Index, tables: &Tables) -> SoundOrders {
    let word = |w: u32| index.words.get(w as usize);
    let mut pinyin_keys = Keys::default();
    for &w in &index.words_by_pinyin {
        pinyin_keys.push(&pinyin_key(word(w), tables).unwrap_or_default());
    }
    let mut initials_keys = Keys::default();
    for &w in &index.words_by_initials {
        initials_keys.push(&word_initials(word(w), tables));
    }
    SoundOrders {
        by_pinyin: index.words_by_pinyin.clone(),
        by_initials: index.words_by_initials.clone(),
        pinyin_keys,
        initials_keys,
    }
}

fn sort_orders(index: &Index, tables: &Tables) -> SoundOrders {
    let words = &index.words;
    let n = words.len();
    let counts = &index.word_counts;
    let chars: Vec<usize> = (0..n).map(|k| words.get(k).chars().count()).collect();
    // Frequency rank: most counted first, then longer, then in string order.
    let mut by_rank: Vec<u32> = (0..n as u32).collect();
    crate::sort::sort_by(&mut by_rank, |&a, &b| {
        let (a, b) = (a as usize, b as usize);
        counts[b]
            .cmp(&counts[a])
            .then(chars[b].cmp(&chars[a]))
            .then(a.cmp(&b))
    });
    let mut rank = vec![0u32; n];
    for (r, &k) in by_rank.iter().enumerate() {
        rank[k as usize] = r as u32;
    }
    let keyed: Vec<(String, String, u32, u32)> = (0..n)
        .filter_map(|k| {
            let w = words.get(k);
            let key = pinyin_key(w, tables)?;
            Some((key, word_initials(w, tables), rank[k], k as u32))
        })
        .collect();
    let mut by_pinyin: Vec<u32> = (0..keyed.len() as u32).collect();
    crate::sort::sort_by(&mut by_pinyin, |&a, &b| {
        let (a, b) = (&keyed[a as usize], &keyed[b as usize]);
        a.0.cmp(&b.0).then(a.2.cmp(&b.2))
    });
    let mut by_initials: Vec<u32> = (0..keyed.len() as u32)
        .filter(|&k| keyed[k as usize].1.len() >= 2)
        .collect();
    crate::sort::sort_by(&mut by_initials, |&a, &b| {
        let (a, b) = (&keyed[a as usize], &keyed[b as usize]);
        a.1.cmp(&b.1).then(a.2.cmp(&b.2))
    });
    let mut pinyin_keys = Keys::default();
    for &k in &by_pinyin {
        pinyin_keys.push(&keyed[k as usize].0);
    }
    let mut initials_keys = Keys::default();
    for &k in &by_initials {
        initials_keys.push(&keyed[k as usize].1);
    }
    SoundOrders {
        by_pinyin: by_pinyin.iter().map(|&k| keyed[k as usize].3).collect(),
        by_initials: by_initials.iter().map(|&k| keyed[k as usize].3).collect(),
        pinyin_keys,
        initials_keys,
    }
}

/// The toneless syllables of a Han word, if every character has a reading.
fn spelled<'t>(word: &str, tables: &'t Tables) -> Option<Vec<&'t str>> {
    word.chars()
        .map(|c| tables.pinyin(c).map(|s| tables.syllable(s)))
        .collect()
}

/// The pinyin initials of a Han word: "退货" → "th".
pub fn word_initials(word: &str, tables: &Tables) -> String {
    word.chars()
        .filter_map(|c| tables.pinyin(c))
        .filter_map(|s| tables.syllable(s).chars().next())
        .collect()
}

/// First position in `0..len` where `before` turns false.
fn partition(len: usize, before: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, len);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if before(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

/// The knowledge-base word with this fuzzy pinyin key: the first for which `prefer` holds,
/// else the most frequent.
fn lookup_pinyin<'i>(
    key: &str,
    prefer: impl Fn(&str) -> bool,
    tables: &Tables,
    index: &'i Index,
) -> Option<&'i str> {
    let orders = sound_orders(index, tables);
    let order = &orders.by_pinyin;
    let word = |k: usize| index.words.get(order[k] as usize);
    let key_of = |k: usize| orders.pinyin_keys.get(k);
    let first = partition(order.len(), |k| key_of(k) < key);
    let mut same = (first..order.len())
        .take_while(|&k| key_of(k) == key)
        .map(word);
    // The first preferred word of the same key, else the first (the most frequent).
    let head = same.next()?;
    if prefer(head) {
        return Some(head);
    }
    Some(same.find(|w| prefer(w)).unwrap_or(head))
}

fn fuzzy_key(syllables: &[Syllable], tables: &Tables) -> String {
    let mut key = String::new();
    for (i, &s) in syllables.iter().enumerate() {
        if i > 0 {
            key.push(' ');
        }
        key.push_str(&tables.fuzzy(s));
    }
    key
}

/// The fuzzy pinyin key of a Han string, if every character has a reading.
pub fn pinyin_key(text: &str, tables: &Tables) -> Option<String> {
    let syllables: Option<Vec<Syllable>> = text.chars().map(|c| tables.pinyin(c)).collect();
    Some(fuzzy_key(&syllables?, tables))
}

fn fix_homophones(run: &str, tables: &Tables, index: &Index) -> String {
    let chars: Vec<char> = run.chars().collect();
    if chars.len() < 2 {
        return run.to_string();
    }
    // A character is suspect when it forms no known bigram with either neighbour: only
    // suspects may be replaced, so "现" in "快递现在" (known "现在") is never touched.
    let known_pair = |a: char, b: char| {
        let mut buf = [0u8; 8];
        let la = a.encode_utf8(&mut buf).len();
        let lb = b.encode_utf8(&mut buf[la..]).len();
        let pair = std::str::from_utf8(&buf[..la + lb]).expect("two whole characters");
        index.terms.find(pair).is_some()
    };
    let suspect: Vec<bool> = (0..chars.len())
        .map(|i| {
            let before = i > 0 && known_pair(chars[i - 1], chars[i]);
            let after = i + 1 < chars.len() && known_pair(chars[i], chars[i + 1]);
            !before && !after
        })
        .collect();
    let mut out = String::with_capacity(run.len());
    let mut i = 0;
    let mut piece = String::new();
    'outer: while i < chars.len() {
        for len in (2..=4usize).rev() {
            if i + len > chars.len() {
                continue;
            }
            piece.clear();
            piece.extend(&chars[i..i + len]);
            if index.words.find(&piece).is_some()
                || (len == 2 && index.terms.find(&piece).is_some())
            {
                // Known as written: keep it.
                out.push_str(&piece);
                i += len;
                continue 'outer;
            }
            if let Some(w) = homophone(&piece, &suspect[i..i + len], tables, index) {
                out.push_str(w);
                i += len;
                continue 'outer;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// A knowledge-base word that sounds like `piece`. Where only the fuzzy folds make them
/// alike ("样" yang / "验" yan), the characters replaced must be ones the knowledge base has
/// never seen; a known character is only replaced by an exact homophone.
fn homophone<'i>(
    piece: &str,
    suspect: &[bool],
    tables: &Tables,
    index: &'i Index,
) -> Option<&'i str> {
    let key = pinyin_key(piece, tables)?;
    let exact = spelled(piece, tables)?;
    let candidate = lookup_pinyin(
        &key,
        |w| spelled(w, tables).as_deref() == Some(&exact[..]),
        tables,
        index,
    )?;
    // At most half the characters change, and at least one stays: a typo slips a key or
    // two, it does not retype a word ("下次" is not a typo of "瑕疵").
    let changed = piece
        .chars()
        .zip(candidate.chars())
        .filter(|(a, b)| a != b)
        .count();
    let acceptable = changed * 2 <= piece.chars().count()
        && piece
            .chars()
            .zip(candidate.chars())
            .zip(suspect)
            .all(|((a, b), &suspect)| {
                let same_sound = tables.pinyin(a) == tables.pinyin(b);
                a == b
                    || (suspect
                        && (same_sound || index.terms.find(a.encode_utf8(&mut [0; 4])).is_none()))
            });
    acceptable.then_some(candidate)
}

/// Whether `word` is another form of an English word the knowledge base uses: its stem is
/// one of the knowledge base's terms ("tire" where the shop writes "tires"), so it is right
/// as typed and no typo to correct ("tire" is not "time").
fn known_stem(word: &str, index: &Index) -> bool {
    word.is_ascii() && index.terms.find(&crate::english::stem(word)).is_some()
}

fn fix_latin(word: &str, _tables: &Tables, index: &Index) -> Option<String> {
    let n = word.chars().count();
    if !(4..=20).contains(&n) || !word.is_ascii() {
        return None;
    }
    let max = if n >= 8 { 2 } else { 1 };
    let first = &word[..1];
    let mut best: Option<(usize, &str)> = None;
    for k in index.latin_words.prefix_range(first) {
        let candidate = index.latin_words.get(k);
        if candidate.len().abs_diff(word.len()) > max {
            continue;
        }
        let d = edit_distance(word.as_bytes(), candidate.as_bytes(), max);
        if d <= max && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, candidate));
        }
    }
    best.map(|(_, w)| w.to_string())
}

/// Optimal-string-alignment distance, giving up early past `max`.
fn edit_distance(a: &[u8], b: &[u8], max: usize) -> usize {
    let (n, m) = (a.len(), b.len());
    let mut prev2 = vec![0usize; m + 1];
    let mut prev: Vec<usize> = (0..=m).collect();
    let mut cur = vec![0usize; m + 1];
    for i in 1..=n {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return max + 1;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[m]
}

#[cfg(test)]
mod tests {
    use super::edit_distance;

    #[test]
    fn edit_distance_counts_transpositions_once() {
        assert_eq!(edit_distance(b"refund", b"refund", 2), 0);
        assert_eq!(edit_distance(b"refnud", b"refund", 2), 1);
        assert_eq!(edit_distance(b"refnd", b"refund", 2), 1);
        assert_eq!(edit_distance(b"invoice", b"invioce", 2), 1);
        assert!(edit_distance(b"weather", b"refund", 2) > 2);
    }
}
