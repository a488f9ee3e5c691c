//! English: stop words and a light suffix-stripping stemmer.
//!
//! The stemmer is deliberately conservative (plurals, -ing, -ed, -ly, -er, -ment, -tion …):
//! it only has to make a customer's word and the knowledge base's word meet, and both sides
//! pass through it.

/// Words that carry no meaning for matching.
const STOP_WORDS: &[&str] = &[
    "a", "about", "am", "an", "and", "any", "are", "as", "at", "be", "been", "being", "but", "by",
    "can", "could", "did", "do", "does", "doing", "for", "from", "had", "has", "have", "having",
    "he", "her", "hers", "him", "his", "how", "i", "if", "im", "in", "into", "is", "it", "its",
    "ive", "just", "let", "me", "might", "mine", "my", "myself", "of", "on", "or", "our", "ours",
    "please", "pls", "plz", "shall", "she", "should", "so", "some", "than", "that", "thats", "the",
    "their", "them", "then", "there", "these", "they", "this", "those", "to", "too", "us", "very",
    "was", "we", "were", "what", "whats", "when", "where", "which", "who", "whom", "why", "will",
    "with", "would", "you", "your", "yours", "hi", "hello", "hey", "thanks", "thank", "u", "ur",
    "ok", "okay", "also", "still", "yet", "there", "here", "get", "got", "want", "wanna", "need",
    "know", "tell", "help", "like", "would", "id", "ill", "youre", "dont", "doesnt", "didnt",
];

/// Is `word` (lower case) a stop word?
pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.contains(&word)
}

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u')
}

fn has_vowel(s: &str) -> bool {
    s.bytes().any(is_vowel)
}

/// Strips common English suffixes. Non-ASCII words are returned unchanged.
pub fn stem(word: &str) -> String {
    if !word.is_ascii() || word.len() <= 3 {
        return word.to_string();
    }
    let mut w = word.to_string();
    // plurals
    if w.ends_with("sses") {
        w.truncate(w.len() - 2);
    } else if w.ends_with("ies") && w.len() > 4 {
        w.truncate(w.len() - 3);
        w.push('y');
    } else if w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") {
        w.truncate(w.len() - 1);
    }
    // Inflections first, then one derivational suffix, so that "transferring" and
    // "transfer" meet at "transf", "ordered" and "order" at "ord".
    const INFLECTIONS: &[&str] = &["ingly", "edly", "ing", "ed", "ly"];
    for suffix in INFLECTIONS {
        if let Some(base) = w.strip_suffix(suffix) {
            if base.len() >= 3 && has_vowel(base) {
                w = tidy_stem(base.to_string());
            }
            break;
        }
    }
    // Longest first; the stem must keep a vowel.
    const DERIVATIONS: &[(&str, &str, usize)] = &[
        ("ational", "ate", 3),
        ("ization", "ize", 3),
        // "verification" meets "verify", "notification" "notify"
        ("ification", "ify", 2),
        ("fulness", "ful", 3),
        ("iveness", "ive", 3),
        ("ations", "ate", 3),
        ("ation", "ate", 3),
        ("ement", "", 3),
        ("ment", "", 3),
        ("ness", "", 3),
        ("able", "", 3),
        ("ible", "", 3),
        ("ery", "", 3),
        ("er", "", 3),
    ];
    for &(suffix, replacement, min) in DERIVATIONS {
        if let Some(base) = w.strip_suffix(suffix) {
            if base.len() >= min && has_vowel(base) {
                w = if replacement.is_empty() {
                    tidy_stem(base.to_string())
                } else {
                    format!("{base}{replacement}")
                };
            }
            break;
        }
    }
    if w.ends_with('e') && w.len() > 4 {
        w.pop();
    }
    if w.ends_with('y') && w.len() > 3 && !is_vowel(w.as_bytes()[w.len() - 2]) {
        w.pop();
        w.push('i');
    }
    w
}

/// After removing "-ing"/"-ed": undouble a final consonant ("stopp" → "stop").
fn tidy_stem(mut s: String) -> String {
    let b = s.as_bytes();
    let n = b.len();
    if n >= 2
        && b[n - 1] == b[n - 2]
        && !is_vowel(b[n - 1])
        && !matches!(b[n - 1], b's' | b'z')
        && (b[n - 1] != b'l' || n > 4)
    {
        s.pop();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_forms_meet() {
        let same = |a: &str, b: &str| assert_eq!(stem(a), stem(b), "{a} vs {b}");
        same("refund", "refunds");
        same("refund", "refunded");
        same("refund", "refunding");
        same("charge", "charged");
        same("charge", "charges");
        same("deliver", "delivery");
        same("cancel", "cancelled");
        same("cancel", "canceling");
        same("stop", "stopped");
        same("payment", "payments");
        same("verify", "verified");
        same("activate", "activation");
        same("apply", "applies");
        same("transfer", "transferring");
        same("transfer", "transferred");
        same("order", "ordered");
        same("deliver", "delivered");
        same("verify", "verification");
        same("verify", "verifying");
        same("identify", "identification");
    }

    #[test]
    fn short_and_foreign_words_stay() {
        assert_eq!(stem("tv"), "tv");
        assert_eq!(stem("iphone"), "iphon");
        assert_eq!(stem("café"), "café");
        assert!(is_stop_word("the") && !is_stop_word("refund"));
    }
}
