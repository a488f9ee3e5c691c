//! Analysis: normalised text → tokens → features.
//!
//! Chinese needs no dictionary here: a run of Han characters yields its characters and its
//! character bigrams, weighted later by how rare they are in the knowledge base. Latin words
//! are stemmed and stop words dropped. Before that, filler words are removed and every
//! synonym is rewritten to its group's canonical word, on both the knowledge-base side and
//! the customer side, so "开票" and "发票" become the same features.

use std::collections::HashMap;

use crate::english::{is_stop_word, stem};
use crate::tables::Tables;
use crate::text::{is_han, normalize};

/// A piece of normalised text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    /// A run of Han characters (simplified).
    Han(String),
    /// A word of letters (and possibly digits), lower case.
    Word(String),
    /// A run of digits.
    Number(String),
    /// Letters and digits written together ("xd202611190002", "iphone15", "sf1234567"):
    /// an order, tracking or model number. Matched by its letter and digit parts, never
    /// corrected (its letters are not pinyin).
    Code(String),
    /// What kind of question it asks or whether it negates ("why", "为什么" → `?why`;
    /// "not", "不能" → `?not`), a feature of its own beside the words (see [`markers`]).
    Marker(&'static str),
}

/// Phrases that carry no meaning at the start of a Chinese run.
const LEADING_FILLERS: &[&str] = &[
    "我想问一下",
    "想问一下",
    "我想问下",
    "想问下",
    "麻烦问一下",
    "请问一下",
    "问一下",
    "请问",
    "你好",
    "您好",
    "麻烦你",
    "麻烦",
    "亲亲",
    "亲",
    "客服",
    "在吗",
    "在不在",
    "哈喽",
    "嗨",
];

/// Sentence-final particles dropped from the end of a Chinese run.
const TRAILING_PARTICLES: &[char] = &[
    '吗', '呢', '啊', '呀', '吧', '哦', '嗯', '啦', '嘛', '哇', '呐', '咧', '了', '么',
];

/// Turns text into tokens; shared by the compiler (index side) and the engine (query side).
#[derive(Debug, Clone, Default)]
pub struct Analyzer {
    tables: Tables,
    /// Variant → canonical, keyed by the variant's first character, longest variant first.
    synonyms: HashMap<char, Vec<(String, String)>>,
    /// Bit `c % 8192` is set for every first character in `synonyms`: most characters of a
    /// text start no variant, and this answers for them without hashing.
    first_chars: Vec<u64>,
}

const FIRST_CHAR_BITS: usize = 8192;

fn first_char_bit(c: char) -> (usize, u64) {
    let b = c as usize % FIRST_CHAR_BITS;
    (b / 64, 1 << (b % 64))
}

impl Analyzer {
    /// An analyser with these character tables and synonym groups (first word canonical).
    pub fn new(tables: Tables, synonym_groups: &[Vec<String>]) -> Analyzer {
        let mut synonyms: HashMap<char, Vec<(String, String)>> = HashMap::new();
        for group in synonym_groups {
            let mut words = group
                .iter()
                .map(|w| normalize(&tables, w))
                .filter(|w| !w.is_empty());
            let Some(canonical) = words.next() else {
                continue;
            };
            for variant in words {
                if variant == canonical {
                    continue;
                }
                let first = variant.chars().next().expect("non-empty");
                synonyms
                    .entry(first)
                    .or_default()
                    .push((variant, canonical.clone()));
            }
        }
        for list in synonyms.values_mut() {
            crate::sort::sort_by(list, |a, b| {
                b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0))
            });
        }
        let mut first_chars = vec![0u64; FIRST_CHAR_BITS / 64];
        for &c in synonyms.keys() {
            let (word, bit) = first_char_bit(c);
            first_chars[word] |= bit;
        }
        Analyzer {
            tables,
            synonyms,
            first_chars,
        }
    }

    /// The character tables.
    pub fn tables(&self) -> &Tables {
        &self.tables
    }

    /// Normalises, rewrites synonyms, drops fillers and splits into tokens.
    pub fn tokens(&self, text: &str) -> Vec<Token> {
        let normalized = normalize(&self.tables, text);
        let rewritten = self.rewrite_synonyms(&normalized);
        split(&rewritten)
    }

    /// Rewrites every synonym variant to its canonical word, longest match first. Latin
    /// variants only match whole words.
    pub fn rewrite_synonyms(&self, text: &str) -> String {
        if self.synonyms.is_empty() {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len());
        let mut i = 0;
        let bytes = text.as_bytes();
        'outer: while i < text.len() {
            let c = text[i..].chars().next().expect("in bounds");
            let at_word_start = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
            let (word, bit) = first_char_bit(c);
            // A variant starting with a letter or digit only matches at a word's start.
            let candidate = self.first_chars.get(word).is_some_and(|w| w & bit != 0)
                && (at_word_start || !c.is_ascii_alphanumeric());
            if let Some(list) = candidate.then(|| self.synonyms.get(&c)).flatten() {
                for (variant, canonical) in list {
                    if !text[i..].starts_with(variant.as_str()) {
                        continue;
                    }
                    let end = i + variant.len();
                    let latin = variant.as_bytes()[0].is_ascii_alphanumeric();
                    let at_word_end = end == text.len() || !bytes[end].is_ascii_alphanumeric();
                    if latin && !(at_word_start && at_word_end) {
                        continue;
                    }
                    // A Latin word put in Chinese text is still a word of its own
                    // ("修改收货地址" → "change delivery address").
                    let spaced = |a: Option<char>, b: Option<char>| {
                        a.is_some_and(|c| c.is_ascii_alphanumeric())
                            && b.is_some_and(|c| c.is_ascii_alphanumeric())
                    };
                    if spaced(out.chars().next_back(), canonical.chars().next()) {
                        out.push(' ');
                    }
                    out.push_str(canonical);
                    if spaced(canonical.chars().next_back(), text[end..].chars().next()) {
                        out.push(' ');
                    }
                    i = end;
                    continue 'outer;
                }
            }
            out.push(c);
            i += c.len_utf8();
        }
        out
    }
}

/// Splits normalised text into tokens, dropping fillers, particles and stop words.
pub fn split(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c == ' ' {
            chars.next();
            continue;
        }
        let han = is_han(c);
        let mut end = start;
        while let Some(&(i, c)) = chars.peek() {
            if c == ' ' || is_han(c) != han {
                break;
            }
            end = i + c.len_utf8();
            chars.next();
        }
        let piece = &text[start..end];
        if han {
            let run = strip_fillers(piece);
            if !run.is_empty() {
                tokens.push(Token::Han(run.to_string()));
                tokens.extend(han_markers(run).map(Token::Marker));
            }
        } else {
            push_latin(piece, &mut tokens);
        }
    }
    tokens
}

fn push_latin(piece: &str, tokens: &mut Vec<Token>) {
    let letters = piece.bytes().any(|b| b.is_ascii_alphabetic());
    let digits = piece.bytes().any(|b| b.is_ascii_digit());
    if letters && digits {
        tokens.push(Token::Code(piece.to_string()));
        return;
    }
    push_parts(piece, tokens);
}

/// Splits letters from digits ("iphone15" → "iphone", "15"), dropping stop words.
fn push_parts(piece: &str, tokens: &mut Vec<Token>) {
    let mut rest = piece;
    while !rest.is_empty() {
        let digit = rest.chars().next().is_some_and(|c| c.is_ascii_digit());
        let end = rest
            .char_indices()
            .find(|&(_, c)| c.is_ascii_digit() != digit)
            .map_or(rest.len(), |(i, _)| i);
        let part = &rest[..end];
        if digit {
            tokens.push(Token::Number(part.to_string()));
        } else if let Some(marker) = latin_marker(part) {
            tokens.push(Token::Marker(marker));
        } else if !is_stop_word(part) {
            tokens.push(Token::Word(part.to_string()));
        }
        rest = &rest[end..];
    }
}

/// The question words and negations the markers stand for: a why-question asks for a reason,
/// a how-question for a procedure, and "can I" is not "can't I", whatever words they share.
/// Both languages map to the same markers, so a marker is also a bridge between them. (Not
/// "who"/谁: in a shop it mostly asks who pays, which the characters already carry.)
pub mod markers {
    pub const WHY: &str = "?why";
    pub const HOW: &str = "?how";
    pub const WHERE: &str = "?where";
    pub const WHEN: &str = "?when";
    pub const NOT: &str = "?not";

    /// Chinese phrases, longest first within a marker.
    pub(super) const HAN: &[(&str, &str)] = &[
        ("为什么", WHY),
        ("为何", WHY),
        ("为啥", WHY),
        ("怎么会", WHY),
        ("怎么样", HOW),
        ("怎么", HOW),
        ("如何", HOW),
        ("怎样", HOW),
        ("咋", HOW),
        ("哪里", WHERE),
        ("哪儿", WHERE),
        ("在哪", WHERE),
        ("什么时候", WHEN),
        ("啥时候", WHEN),
        ("多长时间", WHEN),
        ("何时", WHEN),
        ("多久", WHEN),
        ("几点", WHEN),
        ("不", NOT),
        ("没", NOT),
        ("未", NOT),
        ("无法", NOT),
        ("别", NOT),
    ];

    /// English words (lower case, apostrophes removed).
    pub(super) const LATIN: &[(&str, &str)] = &[
        ("why", WHY),
        ("how", HOW),
        ("where", WHERE),
        ("when", WHEN),
        ("not", NOT),
        ("no", NOT),
        ("never", NOT),
        ("cant", NOT),
        ("cannot", NOT),
        ("dont", NOT),
        ("doesnt", NOT),
        ("didnt", NOT),
        ("wont", NOT),
        ("isnt", NOT),
        ("arent", NOT),
        ("wasnt", NOT),
        ("havent", NOT),
        ("hasnt", NOT),
        ("couldnt", NOT),
    ];

    /// Is `feature` a marker?
    pub fn is_marker(feature: &str) -> bool {
        feature.as_bytes().first() == Some(&b'?')
    }
}

fn latin_marker(word: &str) -> Option<&'static str> {
    markers::LATIN
        .iter()
        .find(|(w, _)| *w == word)
        .map(|&(_, m)| m)
}

/// The distinct markers of a Han run (a phrase is counted once, at its longest reading:
/// "怎么会" is why, not also how).
fn han_markers(run: &str) -> impl Iterator<Item = &'static str> {
    let mut found: Vec<&'static str> = Vec::new();
    let mut i = 0;
    while i < run.len() {
        let rest = &run[i..];
        match markers::HAN.iter().find(|(p, _)| rest.starts_with(p)) {
            Some(&(p, m)) => {
                if !found.contains(&m) {
                    found.push(m);
                }
                i += p.len();
            }
            None => i += rest.chars().next().map_or(1, char::len_utf8),
        }
    }
    found.into_iter()
}

fn strip_fillers(mut run: &str) -> &str {
    loop {
        let before = run.len();
        for filler in LEADING_FILLERS {
            if let Some(rest) = run.strip_prefix(filler) {
                if !rest.is_empty() {
                    run = rest;
                    break;
                }
            }
        }
        while let Some(last) = run.chars().last() {
            if run.chars().count() > 1 && TRAILING_PARTICLES.contains(&last) {
                run = &run[..run.len() - last.len_utf8()];
            } else {
                break;
            }
        }
        if run.len() == before {
            return run;
        }
    }
}

/// Characters that mostly do grammatical work (particles, pronouns, auxiliaries, question
/// words). A character or bigram made of them says little about what a question is about,
/// however rare it happens to be in one knowledge base.
///
/// Is `c` a function character?
pub fn is_function_char(c: char) -> bool {
    FUNCTION_CHARS.binary_search(&c).is_ok()
}

/// The function characters, sorted (by code point) for [`is_function_char`].
const FUNCTION_CHARS: &[char] = &[
    '与', '个', '么', '也', '了', '些', '什', '他', '以', '们', '会', '你', '再', '又', '可', '吗',
    '吧', '呀', '呢', '和', '哦', '哪', '啊', '啦', '嘛', '在', '地', '太', '她', '它', '对', '就',
    '很', '得', '怎', '您', '想', '我', '或', '才', '把', '是', '的', '着', '给', '能', '被', '要',
    '让', '过', '还', '这', '那', '都', '里',
];

/// How much a question-word or negation marker counts relative to a bigram of the same rarity.
pub const MARKER_FACTOR: f32 = 0.5;

/// Feature kinds, used to weight them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeatureKind {
    HanChar,
    HanBigram,
    Word,
    Number,
}

impl FeatureKind {
    /// How much one feature of this kind counts relative to a bigram of the same rarity.
    pub fn factor(self) -> f32 {
        match self {
            FeatureKind::HanChar => 0.45,
            FeatureKind::HanBigram => 1.0,
            FeatureKind::Word => 1.0,
            FeatureKind::Number => 0.5,
        }
    }

    /// The weight factor of one feature: its kind's, lowered for function characters
    /// (a bigram of two function characters, like "可以", counts least).
    pub fn weight_factor(feature: &str) -> f32 {
        // One pass over the characters (the loader weighs every term of the knowledge base).
        let mut chars = feature.chars();
        let first = chars.next().unwrap_or(' ');
        if first == '?' {
            return MARKER_FACTOR;
        }
        if !is_han(first) {
            // Only Han features have function characters to count.
            return FeatureKind::of(feature).factor();
        }
        let mut function = usize::from(is_function_char(first));
        let mut bigram = false;
        for c in chars {
            bigram = true;
            function += usize::from(is_function_char(c));
        }
        match (bigram, function) {
            (false, 1) => 0.15,
            (true, 1) => 0.5,
            (true, 2) => 0.2,
            (false, _) => FeatureKind::HanChar.factor(),
            (true, _) => FeatureKind::HanBigram.factor(),
        }
    }

    /// The kind of a feature string.
    pub fn of(feature: &str) -> FeatureKind {
        let mut chars = feature.chars();
        let first = chars.next().unwrap_or(' ');
        if is_han(first) {
            if chars.next().is_some() {
                FeatureKind::HanBigram
            } else {
                FeatureKind::HanChar
            }
        } else if first.is_ascii_digit() {
            FeatureKind::Number
        } else {
            FeatureKind::Word
        }
    }
}

/// The endings of English ordinals written with digits ("1st", "2nd", "3rd", "4th").
fn is_ordinal_ending(word: &str) -> bool {
    matches!(word, "st" | "nd" | "rd" | "th")
}

/// The distinct features of some tokens: Han characters and bigrams, word stems, numbers.
pub fn features(tokens: &[Token]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for token in tokens {
        match token {
            Token::Han(run) => {
                let chars: Vec<char> = run.chars().collect();
                for (i, &c) in chars.iter().enumerate() {
                    out.push(c.to_string());
                    if let Some(&next) = chars.get(i + 1) {
                        let mut bigram = String::with_capacity(6);
                        bigram.push(c);
                        bigram.push(next);
                        out.push(bigram);
                    }
                }
            }
            Token::Word(word) => out.push(stem(word)),
            Token::Marker(m) => out.push(m.to_string()),
            Token::Number(n) => out.push(n.trim_start_matches('0').to_string()),
            Token::Code(code) => {
                // Its parts: "iphone15" → "iphone", "15".
                let mut parts = Vec::new();
                push_parts(code, &mut parts);
                let mut after_number = false;
                for part in parts {
                    let number = matches!(part, Token::Number(_));
                    match part {
                        // "4th", "22nd": the ordinal's ending says nothing of its own.
                        Token::Word(w) if after_number && is_ordinal_ending(&w) => {}
                        Token::Word(w) => out.push(stem(&w)),
                        Token::Number(n) => out.push(n.trim_start_matches('0').to_string()),
                        _ => {}
                    }
                    after_number = number;
                }
            }
        }
    }
    out.retain(|f| !f.is_empty());
    crate::sort::sort(&mut out);
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::CharTables;

    fn analyzer() -> Analyzer {
        let tables = CharTables::from_pairs(vec![('開', '开'), ('發', '发')], vec![]).expand();
        let groups = vec![
            vec!["发票".to_string(), "开票".to_string(), "票据".to_string()],
            vec!["refund".to_string(), "money back".to_string()],
        ];
        Analyzer::new(tables, &groups)
    }

    #[test]
    fn rewrites_synonyms_both_scripts() {
        let a = analyzer();
        assert_eq!(
            a.tokens("怎么開票"),
            vec![Token::Han("怎么发票".into()), Token::Marker(markers::HOW)]
        );
        assert_eq!(
            a.tokens("I want my money back"),
            vec![Token::Word("refund".into())]
        );
        // whole words only
        assert_eq!(a.rewrite_synonyms("money backs"), "money backs");
    }

    #[test]
    fn latin_words_put_in_chinese_text_stay_words() {
        let groups = vec![
            vec!["change".to_string(), "修改".to_string()],
            vec!["delivery address".to_string(), "收货地址".to_string()],
        ];
        let a = Analyzer::new(Tables::default(), &groups);
        assert_eq!(
            a.rewrite_synonyms("修改收货地址"),
            "change delivery address"
        );
        assert_eq!(
            a.rewrite_synonyms("修改 收货地址"),
            "change delivery address"
        );
        assert_eq!(
            a.rewrite_synonyms("修改的收货地址"),
            "change的delivery address"
        );
    }

    #[test]
    fn question_words_and_negations_are_markers_in_both_languages() {
        let a = analyzer();
        let f = features(&a.tokens("为什么不能退款"));
        assert!(f.contains(&"?why".to_string()) && f.contains(&"?not".to_string()));
        // the longest reading only: 怎么会 asks why, not how
        let f = features(&a.tokens("怎么会扣款"));
        assert!(f.contains(&"?why".to_string()) && !f.contains(&"?how".to_string()));
        let f = features(&a.tokens("Why can't I pay?"));
        assert!(f.contains(&"?why".to_string()) && f.contains(&"?not".to_string()));
        assert!(!features(&a.tokens("How can I pay")).contains(&"?not".to_string()));
        assert_eq!(FeatureKind::weight_factor("?why"), MARKER_FACTOR);
    }

    #[test]
    fn drops_fillers_and_particles() {
        let a = analyzer();
        assert_eq!(a.tokens("请问发货了吗？"), vec![Token::Han("发货".into())]);
        // a filler alone is kept: it is all the customer said
        assert_eq!(
            a.tokens("你好，在吗"),
            vec![Token::Han("你好".into()), Token::Han("在".into())]
        );
    }

    #[test]
    fn letters_and_digits_together_are_one_code() {
        let a = analyzer();
        assert_eq!(
            a.tokens("订单XD202611190002"),
            vec![
                Token::Han("订单".into()),
                Token::Code("xd202611190002".into())
            ]
        );
        let f = features(&a.tokens("iphone15"));
        assert!(
            f.contains(&stem("iphone")) && f.contains(&"15".to_string()),
            "{f:?}"
        );
    }

    #[test]
    fn function_characters_are_sorted_for_the_binary_search() {
        assert!(FUNCTION_CHARS.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(FUNCTION_CHARS.len(), 55);
        for c in ['的', '我', '才', '么', '哪'] {
            assert!(is_function_char(c), "{c}");
        }
        for c in ['发', '票', 'a', '?', '退'] {
            assert!(!is_function_char(c), "{c}");
        }
    }

    #[test]
    fn synonyms_are_found_behind_the_first_character_filter() {
        let a = analyzer();
        assert_eq!(a.rewrite_synonyms("我要开票和票据"), "我要发票和发票");
        assert_eq!(a.rewrite_synonyms("no synonym here"), "no synonym here");
        assert_eq!(a.rewrite_synonyms("money back"), "refund");
        assert_eq!(a.rewrite_synonyms("my money back!"), "my refund!");
        assert_eq!(a.rewrite_synonyms("xmoney back"), "xmoney back");
    }

    /// The weight factor as first written: kind, then function characters counted.
    fn weight_factor_as_written(feature: &str) -> f32 {
        if feature.starts_with('?') {
            return MARKER_FACTOR;
        }
        let kind = FeatureKind::of(feature);
        let function = feature.chars().filter(|&c| is_function_char(c)).count();
        match (kind, function) {
            (FeatureKind::HanChar, 1) => 0.15,
            (FeatureKind::HanBigram, 1) => 0.5,
            (FeatureKind::HanBigram, 2) => 0.2,
            _ => kind.factor(),
        }
    }

    #[test]
    fn weight_factor_in_one_pass_is_the_one_written_first() {
        let chars = ['的', '我', '发', '票', 'a', '1', '?', ' ', '么', 'é', '退'];
        let mut features = vec![String::new()];
        for &a in &chars {
            features.push(a.to_string());
            for &b in &chars {
                features.push(format!("{a}{b}"));
                for &c in &chars {
                    features.push(format!("{a}{b}{c}"));
                }
            }
        }
        features.extend(["?why", "refund", "15", "可以"].map(String::from));
        for f in &features {
            assert_eq!(
                FeatureKind::weight_factor(f).to_bits(),
                weight_factor_as_written(f).to_bits(),
                "{f:?}"
            );
        }
    }

    #[test]
    fn features_are_chars_bigrams_and_stems() {
        let a = analyzer();
        let f = features(&a.tokens("退货 refunds 15天"));
        assert!(f.contains(&"退".to_string()) && f.contains(&"退货".to_string()));
        assert!(f.contains(&"refund".to_string()));
        assert!(f.contains(&"15".to_string()) && f.contains(&"天".to_string()));
        assert_eq!(FeatureKind::of("退货"), FeatureKind::HanBigram);
        assert_eq!(FeatureKind::of("退"), FeatureKind::HanChar);
        assert_eq!(FeatureKind::of("15"), FeatureKind::Number);
    }
}
