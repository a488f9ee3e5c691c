//! Builds the matcher's [`Index`] from validated entries.

use std::collections::{BTreeMap, HashMap};

use kefu_core::analysis::{features, Analyzer, Token};
use kefu_core::correct::{pinyin_key, word_initials};
use kefu_core::index::{Index, StrTable};
use kefu_core::kb::Entry;
use kefu_core::text::{is_han, normalize};

/// Words of the knowledge base used to correct customers' input must appear in at least
/// this many question texts (a single occurrence is too often a word boundary).
const MIN_WORD_DOCS: usize = 2;

/// The question texts of an entry, standard first: the documents of the index. Each
/// entry's answer document follows them (see [`answer_document`]).
pub fn documents(entry: &Entry) -> impl Iterator<Item = &str> {
    std::iter::once(entry.question.as_str()).chain(entry.similar.iter().map(String::as_str))
}

/// The text of an entry's answer document: its short answer. (The detail would add more
/// vocabulary but measured little gain for a third more index.)
pub fn answer_document(entry: &Entry) -> String {
    entry.answer.clone()
}

/// Documents per entry besides its questions.
pub const EXTRA_DOCS_PER_ENTRY: u32 = 1;

/// Builds the index for `entries` with `analyzer` (which has the synonyms).
pub fn build(entries: &[Entry], analyzer: &Analyzer, synonyms: &[Vec<String>]) -> Index {
    let mut postings: BTreeMap<String, (Vec<u32>, u32, u32)> = BTreeMap::new(); // docs, entries, last entry+1
    let mut entry_docs = Vec::with_capacity(entries.len());
    let mut ngram_docs: HashMap<String, usize> = HashMap::new();
    let mut latin: Vec<String> = Vec::new();
    let mut doc = 0u32;
    for (e, entry) in entries.iter().enumerate() {
        let mut count = 0;
        let answer = answer_document(entry);
        let question_count = 1 + entry.similar.len();
        for (k, text) in documents(entry)
            .chain(std::iter::once(answer.as_str()))
            .enumerate()
        {
            let tokens = analyzer.tokens(text);
            if k == question_count {
                // The answer document: indexed, but its words are not customer vocabulary.
                for f in features(&tokens) {
                    postings
                        .entry(f)
                        .or_insert_with(|| (Vec::new(), 0, 0))
                        .0
                        .push(doc);
                }
                doc += 1;
                count += 1;
                continue;
            }
            let mut seen_ngrams: Vec<String> = Vec::new();
            for token in &tokens {
                match token {
                    Token::Han(run) => {
                        let chars: Vec<char> = run.chars().collect();
                        for n in 2..=4 {
                            for w in chars.windows(n) {
                                seen_ngrams.push(w.iter().collect());
                            }
                        }
                    }
                    Token::Word(w) => latin.push(w.clone()),
                    Token::Number(_) | Token::Code(_) | Token::Marker(_) => {}
                }
            }
            seen_ngrams.sort_unstable();
            seen_ngrams.dedup();
            for g in seen_ngrams {
                *ngram_docs.entry(g).or_default() += 1;
            }
            for f in features(&tokens) {
                let slot = postings.entry(f).or_insert_with(|| (Vec::new(), 0, 0));
                slot.0.push(doc);
                if slot.2 != e as u32 + 1 {
                    slot.1 += 1;
                    slot.2 = e as u32 + 1;
                }
            }
            doc += 1;
            count += 1;
        }
        entry_docs.push(count);
    }

    let mut terms = Vec::with_capacity(postings.len());
    let mut term_entries = Vec::with_capacity(postings.len());
    let mut offsets = Vec::with_capacity(postings.len() + 1);
    let mut flat = Vec::new();
    offsets.push(0);
    for (term, (docs, entry_count, _)) in &postings {
        terms.push(term.as_str());
        term_entries.push(*entry_count);
        flat.extend_from_slice(docs);
        offsets.push(flat.len() as u32);
    }

    // Words for correction: frequent n-grams plus every synonym, most frequent first.
    let tables = analyzer.tables();
    let mut words: Vec<(String, usize)> = ngram_docs
        .into_iter()
        .filter(|(_, n)| *n >= MIN_WORD_DOCS)
        .collect();
    // Every synonym is a word customers type (in pinyin too); the query side rewrites it to
    // its canonical form after correction.
    // Canonical words rank first among equal sounds; variants (rewritten away in the
    // index, so never counted) rank last: found only when nothing else sounds like them.
    for group in synonyms {
        for (k, word) in group.iter().enumerate() {
            let w = normalize(tables, word);
            if w.chars().count() >= 2 && w.chars().all(is_han) {
                words.push((w, if k == 0 { usize::MAX } else { 1 }));
            }
        }
    }
    words.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then_with(|| b.0.chars().count().cmp(&a.0.chars().count()))
            .then_with(|| a.0.cmp(&b.0))
    });
    words.dedup_by(|b, a| a.0 == b.0);
    let mut sorted_words: Vec<&str> = words.iter().map(|w| w.0.as_str()).collect();
    sorted_words.sort_unstable();
    sorted_words.dedup();
    let word_table = StrTable::from_sorted(&sorted_words);
    // Orders for lookups by sound: by key, then by frequency (the order of `words`).
    let rank: HashMap<&str, usize> = words
        .iter()
        .enumerate()
        .map(|(r, w)| (w.0.as_str(), r))
        .collect();
    let keyed: Vec<(String, String, usize, u32)> = sorted_words
        .iter()
        .enumerate()
        .filter_map(|(k, w)| {
            let key = pinyin_key(w, tables)?;
            Some((key, word_initials(w, tables), rank[w], k as u32))
        })
        .collect();
    let mut by_pinyin: Vec<&(String, String, usize, u32)> = keyed.iter().collect();
    by_pinyin.sort_by(|a, b| a.0.cmp(&b.0).then(a.2.cmp(&b.2)));
    let mut by_initials: Vec<&(String, String, usize, u32)> =
        keyed.iter().filter(|k| k.1.len() >= 2).collect();
    by_initials.sort_by(|a, b| a.1.cmp(&b.1).then(a.2.cmp(&b.2)));

    // For a lone syllable: the character read so that occurs in the most entries.
    let mut char_by_syllable = vec![(0u32, 0u32); tables.syllable_count()];
    for (term, (_, entry_count, _)) in &postings {
        let mut chars = term.chars();
        let (Some(c), None) = (chars.next(), chars.next()) else {
            continue;
        };
        if let Some(s) = tables.pinyin(c) {
            let slot = &mut char_by_syllable[s as usize];
            if *entry_count > slot.0 {
                *slot = (*entry_count, c as u32);
            }
        }
    }

    latin.sort_unstable();
    latin.dedup();
    // The orders are not stored: the engine sorts them again from the words' counts.
    let count: HashMap<&str, usize> = words.iter().map(|w| (w.0.as_str(), w.1)).collect();
    let word_counts: Vec<u32> = sorted_words
        .iter()
        .map(|w| count[w].min(u32::MAX as usize) as u32)
        .collect();
    let by_pinyin: Vec<u32> = by_pinyin.iter().map(|k| k.3).collect();
    let by_initials: Vec<u32> = by_initials.iter().map(|k| k.3).collect();
    let index = Index {
        terms: StrTable::from_sorted(&terms),
        term_entries,
        offsets,
        docs: flat,
        entry_docs,
        answer_docs: true,
        char_by_syllable: char_by_syllable.into_iter().map(|(_, c)| c).collect(),
        words: word_table,
        word_counts,
        latin_words: StrTable::from_sorted(&latin),
        ..Index::default()
    };
    // The engine's orders are the ones sorted here.
    debug_assert!(
        kefu_core::correct::word_orders(&index, tables) == (&by_pinyin[..], &by_initials[..]),
        "sound orders differ"
    );
    index
}
