//! Phrase matching on normalised text: containment on word boundaries, "says only this"
//! tests, and typo-tolerant matching by pinyin (转人攻, zhuanrengong) and by edit distance
//! (humna → human).
//!
//! Word boundaries: Latin phrases start and end between words. Chinese has no spaces, so a
//! message is first marked with [`mark_compounds`]: inside each known compound word (到账,
//! 滚筒, 其它, the catalogue's names …) a [`JOIN`] is inserted, and a phrase never starts or
//! ends next to one. So 多久到 does not match inside 多久到账, nor 滚 inside 滚筒洗衣机, while a
//! phrase that contains the whole compound (退款到账) still does.

use crate::tables::Tables;
use crate::text::is_han;

/// Marks the inside of a compound word in marked text (U+2060 WORD JOINER).
pub const JOIN: char = '\u{2060}';

/// `norm` with a [`JOIN`] between the characters of every occurrence of `compounds`
/// (Han words of two or more characters).
pub fn mark_compounds(norm: &str, compounds: &[String]) -> String {
    let chars: Vec<(usize, char)> = norm.char_indices().collect();
    let mut joined = vec![false; chars.len()];
    let mut any = false;
    for compound in compounds {
        let n = compound.chars().count();
        if n < 2 {
            continue;
        }
        let mut from = 0;
        while let Some(found) = norm
            .get(from..)
            .and_then(|rest| rest.find(compound.as_str()))
        {
            let at = from + found;
            if let Ok(first) = chars.binary_search_by_key(&at, |&(i, _)| i) {
                let last = (first + n - 1).min(chars.len());
                for slot in &mut joined[first..last] {
                    *slot = true;
                    any = true;
                }
            }
            from = at + compound.chars().next().map_or(1, char::len_utf8);
        }
    }
    if !any {
        return norm.to_string();
    }
    let mut out = String::with_capacity(norm.len() + 8);
    for (k, &(_, c)) in chars.iter().enumerate() {
        out.push(c);
        if joined[k] {
            out.push(JOIN);
        }
    }
    out
}

/// Does `text[at..end]` start and end between words (no [`JOIN`] next to it)?
pub fn on_boundaries(text: &str, at: usize, end: usize) -> bool {
    !text[..at].ends_with(JOIN) && !text[end..].starts_with(JOIN)
}

/// Is `phrase` in `norm`? Latin phrases must start and end on word boundaries.
pub fn contains(norm: &str, phrase: &str) -> bool {
    position(norm, phrase, 0).is_some()
}

/// Does `norm` contain any of `phrases`?
pub fn any(norm: &str, phrases: &[String]) -> bool {
    phrases.iter().any(|p| contains(norm, p))
}

/// The longest of `phrases` found in `norm`.
pub fn longest<'a>(norm: &str, phrases: &'a [String]) -> Option<&'a str> {
    phrases
        .iter()
        .filter(|p| contains(norm, p))
        .max_by_key(|p| p.len())
        .map(String::as_str)
}

fn position(norm: &str, phrase: &str, from: usize) -> Option<usize> {
    span(norm, phrase, from).map(|(at, _)| at)
}

/// Where `phrase` occurs in (possibly marked) `norm` from byte `from`: its start and end.
fn span(norm: &str, phrase: &str, from: usize) -> Option<(usize, usize)> {
    if phrase.is_empty() {
        return None;
    }
    if norm.contains(JOIN) {
        // Most phrases contain no compound: found contiguously, on boundaries. Only a phrase
        // whose characters all occur could span a compound (slow path, rare).
        let direct = contiguous_span(norm, phrase, from, true);
        let spans_join = phrase.chars().count() >= 2
            && phrase.chars().any(crate::text::is_han)
            && phrase.chars().all(|c| norm.contains(c));
        let spanning = if spans_join {
            marked_span(norm, phrase, from)
        } else {
            None
        };
        return match (direct, spanning) {
            (Some(a), Some(b)) => Some(if b.0 < a.0 { b } else { a }),
            (a, b) => a.or(b),
        };
    }
    contiguous_span(norm, phrase, from, false)
}

/// [`span`] of a phrase occurring as written (no join inside); `marked`: also on
/// compound boundaries.
fn contiguous_span(norm: &str, phrase: &str, from: usize, marked: bool) -> Option<(usize, usize)> {
    let latin_start = phrase.as_bytes()[0].is_ascii_alphanumeric();
    let latin_end = phrase.as_bytes()[phrase.len() - 1].is_ascii_alphanumeric();
    let bytes = norm.as_bytes();
    let mut start = from;
    norm.get(start..)?;
    while let Some(found) = find_bytes(&bytes[start..], phrase.as_bytes()) {
        let at = start + found;
        let end = at + phrase.len();
        let before_ok = !latin_start || at == 0 || !bytes[at - 1].is_ascii_alphanumeric();
        let after_ok = !latin_end || end >= bytes.len() || !bytes[end].is_ascii_alphanumeric();
        if before_ok && after_ok && (!marked || on_boundaries(norm, at, end)) {
            return Some((at, end));
        }
        start = at + phrase.chars().next().map_or(1, char::len_utf8);
    }
    None
}

/// The first position of `needle` in `hay`. Messages and phrases are short, so a plain scan
/// beats `str::find`, whose searcher set-up dominated a conversation turn (measured with
/// callgrind, docs/benchmarks.md). A match of a whole UTF-8 `needle` always starts on a
/// character boundary.
fn find_bytes(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let (&first, rest) = needle.split_first()?;
    let last_start = hay.len().checked_sub(needle.len())?;
    (0..=last_start).find(|&i| hay[i] == first && hay[i + 1..i + needle.len()] == *rest)
}

/// [`span`] in marked text: the phrase's characters may have joins between them (it
/// contains a whole compound), never right outside them (it would cut one).
fn marked_span(norm: &str, phrase: &str, from: usize) -> Option<(usize, usize)> {
    let plain: Vec<(usize, char)> = norm
        .char_indices()
        .filter(|&(i, c)| c != JOIN && i >= from)
        .collect();
    let want: Vec<char> = phrase.chars().collect();
    let latin_start = want[0].is_ascii_alphanumeric();
    let latin_end = want[want.len() - 1].is_ascii_alphanumeric();
    if plain.len() < want.len() {
        return None;
    }
    for s in 0..=plain.len() - want.len() {
        if !(0..want.len()).all(|k| plain[s + k].1 == want[k]) {
            continue;
        }
        let at = plain[s].0;
        let last = plain[s + want.len() - 1];
        let end = last.0 + last.1.len_utf8();
        let before = norm[..at].chars().next_back();
        let after = norm[end..].chars().next();
        let before_ok = !latin_start || !before.is_some_and(|c| c.is_ascii_alphanumeric());
        let after_ok = !latin_end || !after.is_some_and(|c| c.is_ascii_alphanumeric());
        if before_ok && after_ok && on_boundaries(norm, at, end) {
            return Some((at, end));
        }
    }
    None
}

/// Every position where `phrase` occurs in `norm` (Latin phrases on word boundaries).
pub fn occurrences(norm: &str, phrase: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some((at, end)) = span(norm, phrase, from) {
        out.push(at);
        from = end;
    }
    out
}

/// `norm` with every occurrence of every phrase of `lists` removed, longest phrases first.
pub fn strip(norm: &str, lists: &[&[String]]) -> String {
    let mut phrases: Vec<&str> = lists
        .iter()
        .flat_map(|l| l.iter().map(String::as_str))
        .collect();
    crate::sort::sort_by_key(&mut phrases, |p| std::cmp::Reverse(p.len()));
    let mut text = norm.to_string();
    for phrase in phrases {
        while let Some((at, end)) = span(&text, phrase, 0) {
            text.replace_range(at..end, " ");
        }
    }
    text
}

/// How much meaning is left in a text: Han characters plus Latin words and numbers.
pub fn weight(text: &str) -> usize {
    let han = text.chars().filter(|&c| is_han(c)).count();
    let words = text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .count();
    han + words
}

/// Does `norm` contain one of `phrases` and, once they and the `fillers` are removed,
/// at most `slack` characters or words of anything else?
pub fn says_only(norm: &str, phrases: &[String], fillers: &[String], slack: usize) -> bool {
    any(norm, phrases) && weight(&strip(norm, &[phrases, fillers])) <= slack
}

/// Does `norm` sound like `phrase` (a Han phrase of two or more characters), by fuzzy
/// pinyin, in Han characters or in typed pinyin?
pub fn sounds_like(tables: &Tables, norm: &str, phrase: &str) -> bool {
    if phrase.chars().count() < 2 || !phrase.chars().all(is_han) {
        return false;
    }
    let Some(target) = phrase
        .chars()
        .map(|c| tables.pinyin(c).map(|s| tables.fuzzy(s)))
        .collect::<Option<Vec<_>>>()
    else {
        return false;
    };
    let han: Vec<Option<String>> = norm
        .chars()
        .map(|c| {
            if is_han(c) {
                tables.pinyin(c).map(|s| tables.fuzzy(s))
            } else {
                None
            }
        })
        .collect();
    if window_match(&han, &target) {
        return true;
    }
    let letters: String = norm.chars().filter(char::is_ascii_lowercase).collect();
    if letters.len() < 4 || letters.len() > 48 {
        return false;
    }
    let Some(syllables) = tables.split_pinyin(&letters) else {
        return false;
    };
    let typed: Vec<Option<String>> = syllables
        .into_iter()
        .map(|s| Some(tables.fuzzy(s)))
        .collect();
    window_match(&typed, &target)
}

fn window_match(seq: &[Option<String>], target: &[String]) -> bool {
    seq.len() >= target.len()
        && seq.windows(target.len()).any(|w| {
            w.iter()
                .zip(target)
                .all(|(a, b)| a.as_deref() == Some(b.as_str()))
        })
}

/// Does `norm` contain a Latin word within one edit (or one swap) of `word` (five letters
/// or more)?
pub fn near_word(norm: &str, word: &str) -> bool {
    if word.len() < 5 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return false;
    }
    norm.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() + 1 >= word.len() && w.len() <= word.len() + 1)
        .any(|w| osa_distance(w.as_bytes(), word.as_bytes()) <= 1)
}

/// Optimal string alignment distance (edits and adjacent swaps).
fn osa_distance(a: &[u8], b: &[u8]) -> usize {
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[n][m]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plain_search_finds_what_str_find_finds() {
        for (hay, needle) in [
            ("退款多久到账", "多久到"),
            ("退款多久到账", "账"),
            ("where is my order", "order"),
            ("订单", "订单号"),
            ("", "a"),
            ("aaa", "aa"),
            ("我的订单123456发货了吗", "123456"),
        ] {
            assert_eq!(
                find_bytes(hay.as_bytes(), needle.as_bytes()),
                hay.find(needle),
                "{hay} / {needle}"
            );
        }
        assert_eq!(find_bytes(b"abc", b""), None);
    }

    fn list(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn latin_phrases_need_word_boundaries() {
        assert!(contains("i need an agent now", "agent"));
        assert!(!contains("agents are busy", "agent"));
        assert!(!contains("hit me", "it"));
        assert!(contains("转人工吧", "人工"));
        assert!(contains("好洗的t恤200以内", "t恤"));
        assert!(!contains("max1", "x1"));
    }

    #[test]
    fn phrases_do_not_cut_compound_words() {
        let compounds = list(&["到账", "滚筒", "其它"]);
        let m = |s: &str| mark_compounds(s, &compounds);
        assert!(!contains(&m("退款一般多久到账"), "多久到"));
        assert!(contains(&m("多久到货"), "多久到"));
        assert!(contains(&m("退款多久到账"), "多久到账"));
        assert!(contains(&m("退款多久到账"), "到账"));
        assert!(!contains(&m("滚筒洗衣机坏了"), "滚"));
        assert!(contains(&m("滚"), "滚"));
        assert!(!contains(&m("其它颜色"), "它"));
        assert_eq!(strip(&m("多久到账了"), &[&list(&["多久到账"])]), " 了");
        assert_eq!(occurrences(&m("到账到账"), "到账"), vec![0, 9]);
        assert!(says_only(&m("算了"), &list(&["算了"]), &[], 0));
    }

    #[test]
    fn says_only_allows_fillers() {
        let human = list(&["人工", "human"]);
        let fillers = list(&["我要", "找", "please", "a"]);
        assert!(says_only("我要找人工", &human, &fillers, 0));
        assert!(says_only("human please", &human, &fillers, 0));
        assert!(!says_only("人工客服排队太久怎么办", &human, &fillers, 1));
    }

    #[test]
    fn typo_distance() {
        assert!(near_word("talk to a humna", "human"));
        assert!(near_word("agnet pls", "agent"));
        assert!(!near_word("humane society", "agent"));
        assert_eq!(osa_distance(b"abc", b"abc"), 0);
    }
}
