//! Phrase matching on normalised text: containment with word boundaries for Latin phrases,
//! "says only this" tests, and typo-tolerant matching by pinyin (转人攻, zhuanrengong) and by
//! edit distance (humna → human).

use crate::tables::Tables;
use crate::text::is_han;

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
    if phrase.is_empty() {
        return None;
    }
    let latin_start = phrase.as_bytes()[0].is_ascii_alphanumeric();
    let latin_end = phrase.as_bytes()[phrase.len() - 1].is_ascii_alphanumeric();
    let bytes = norm.as_bytes();
    let mut start = from;
    while let Some(found) = norm.get(start..)?.find(phrase) {
        let at = start + found;
        let end = at + phrase.len();
        let before_ok = !latin_start || at == 0 || !bytes[at - 1].is_ascii_alphanumeric();
        let after_ok = !latin_end || end >= bytes.len() || !bytes[end].is_ascii_alphanumeric();
        if before_ok && after_ok {
            return Some(at);
        }
        start = at + phrase.chars().next().map_or(1, char::len_utf8);
    }
    None
}

/// Every position where `phrase` occurs in `norm` (Latin phrases on word boundaries).
pub fn occurrences(norm: &str, phrase: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = position(norm, phrase, from) {
        out.push(at);
        from = at + phrase.len();
    }
    out
}

/// `norm` with every occurrence of every phrase of `lists` removed, longest phrases first.
pub fn strip(norm: &str, lists: &[&[String]]) -> String {
    let mut phrases: Vec<&str> = lists
        .iter()
        .flat_map(|l| l.iter().map(String::as_str))
        .collect();
    phrases.sort_by_key(|p| std::cmp::Reverse(p.len()));
    let mut text = norm.to_string();
    for phrase in phrases {
        while let Some(at) = position(&text, phrase, 0) {
            text.replace_range(at..at + phrase.len(), " ");
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
