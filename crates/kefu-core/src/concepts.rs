//! Built-in Chinese synonym and variant groups, matched as a weaker match than the word itself.
//!
//! Real knowledge bases often have one question per entry, so there are no similar questions
//! to learn that 更改 and 变更, 结清 and 还清, 登陆 and 登录 mean the same. The engine carries
//! a list of such groups of everyday and customer-service Chinese (`data/synonyms-zh.txt`).
//! Each group the knowledge base uses becomes a *concept*, a list of documents built on
//! loading from the postings the file already has: those containing any of its words (a word
//! of two characters is its bigram; a longer word needs all its bigrams). A question with a
//! word of the group also matches the concept's documents that have none of the question's
//! words, at `CONCEPT_FACTOR` times that word's bigram weight (`Engine::concept_terms`). So
//! an entry with the question's own word matches as before, and one with another word of the
//! group matches more weakly instead of not at all; documents' weights do not change, so
//! exact matches and their confidence stay as they were. A question word the knowledge base
//! never uses whose group it does use is matched through the group, and still counts as
//! unknown evidence (the confidence stays careful). Nothing is stored in the compiled file, and a knowledge base without Chinese
//! text has no concept.
//!
//! A shop's own synonym groups win: a Chinese word in a group of the shop's with another
//! Chinese word leaves the built-in groups (the shop's group rewrites it anyway).

use std::collections::HashMap;

use crate::analysis::Token;
use crate::index::{Index, Postings};
use crate::text::is_han;

/// The built-in groups, one per line.
const DATA: &str = include_str!("../data/synonyms-zh.txt");

/// How much a concept counts relative to a bigram of the same rarity.
pub const CONCEPT_FACTOR: f32 = 0.5;

/// The built-in groups: words of at least two Han characters, each word in its first group
/// only.
pub fn builtin_groups() -> Vec<Vec<&'static str>> {
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    DATA.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            l.split_whitespace()
                .filter(|w| w.chars().count() >= 2 && w.chars().all(is_han))
                .filter(|w| seen.insert(w))
                .collect::<Vec<_>>()
        })
        .filter(|g| g.len() >= 2)
        .collect()
}

/// The concepts a knowledge base uses, as extra terms after its own.
#[derive(Debug, Default)]
pub struct Concepts {
    /// Word → its concept's term number, keyed by the word's first character.
    words: HashMap<char, Vec<(String, u32)>>,
}

/// Chinese words the shop's own groups decide about (see the module's note).
fn shop_words(shop_groups: &[Vec<String>]) -> std::collections::HashSet<String> {
    let mut out = std::collections::HashSet::new();
    for group in shop_groups {
        let han: Vec<&String> = group.iter().filter(|w| w.chars().any(is_han)).collect();
        if han.len() >= 2 {
            out.extend(han.into_iter().cloned());
        }
    }
    out
}

impl Concepts {
    /// Adds a term per built-in group the knowledge base uses to `postings` (numbered from
    /// `postings`' term count up) and returns them with, per new term, the number of entries
    /// it occurs in.
    pub fn build(
        index: &Index,
        postings: &mut Postings,
        shop_groups: &[Vec<String>],
    ) -> (Concepts, Vec<u32>) {
        let mut concepts = Concepts::default();
        let mut entry_counts = Vec::new();
        if postings.offsets.len() < 2 {
            return (concepts, entry_counts);
        }
        let shop = shop_words(shop_groups);
        let mut docs: Vec<u32> = Vec::new();
        let mut seen_entry: Vec<u32> = Vec::new();
        for group in builtin_groups() {
            let group: Vec<&str> = group.into_iter().filter(|w| !shop.contains(*w)).collect();
            if group.len() < 2 {
                continue;
            }
            docs.clear();
            for word in &group {
                word_docs(index, postings, word, &mut docs);
            }
            if docs.is_empty() {
                continue;
            }
            crate::sort::sort(&mut docs);
            docs.dedup();
            let term = (postings.offsets.len() - 1) as u32;
            // Entries are numbered in document order, so distinct entries are runs.
            seen_entry.clear();
            for &d in &docs {
                let e = postings.doc_entry[d as usize];
                if seen_entry.last() != Some(&e) {
                    seen_entry.push(e);
                }
            }
            entry_counts.push(seen_entry.len() as u32);
            postings.docs.extend_from_slice(&docs);
            postings.offsets.push(postings.docs.len() as u32);
            for word in &group {
                let first = word.chars().next().expect("two characters");
                concepts
                    .words
                    .entry(first)
                    .or_default()
                    .push((word.to_string(), term));
            }
        }
        (concepts, entry_counts)
    }

    /// Is there no concept at all?
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The concept terms of a question's tokens, each with the words of its group found in
    /// a Han run (overlapping words included, as the documents' side counts them).
    pub fn of_tokens(&self, tokens: &[Token]) -> Vec<(u32, Vec<String>)> {
        let mut out: Vec<(u32, Vec<String>)> = Vec::new();
        if self.words.is_empty() {
            return out;
        }
        for token in tokens {
            let Token::Han(run) = token else {
                continue;
            };
            for (i, c) in run.char_indices() {
                let Some(list) = self.words.get(&c) else {
                    continue;
                };
                let rest = &run[i..];
                for (word, term) in list {
                    if !rest.starts_with(word.as_str()) {
                        continue;
                    }
                    match out.iter_mut().find(|(t, _)| t == term) {
                        Some((_, words)) if words.contains(word) => {}
                        Some((_, words)) => words.push(word.clone()),
                        None => out.push((*term, vec![word.clone()])),
                    }
                }
            }
        }
        out
    }
}

/// Appends the documents containing `word` (all of its bigrams) to `out`.
pub(crate) fn word_docs(index: &Index, postings: &Postings, word: &str, out: &mut Vec<u32>) {
    let chars: Vec<char> = word.chars().collect();
    let mut lists: Vec<&[u32]> = Vec::with_capacity(chars.len().saturating_sub(1));
    for pair in chars.windows(2) {
        let bigram: String = pair.iter().collect();
        match index.terms.find(&bigram) {
            Some(t) => lists.push(postings.of(t)),
            None => return,
        }
    }
    lists.sort_by_key(|l| l.len());
    let Some((first, rest)) = lists.split_first() else {
        return;
    };
    out.extend(
        first
            .iter()
            .filter(|d| rest.iter().all(|l| l.binary_search(d).is_ok())),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_has_a_few_hundred_groups_and_each_word_once() {
        let groups = builtin_groups();
        assert!(groups.len() >= 200, "{}", groups.len());
        let mut words: Vec<&str> = groups.iter().flatten().copied().collect();
        let n = words.len();
        words.sort();
        words.dedup();
        assert_eq!(words.len(), n);
        // Every word of the file that could be read is in one group only.
        let mut all: Vec<&str> = DATA
            .lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .flat_map(str::split_whitespace)
            .filter(|w| w.chars().count() >= 2 && w.chars().all(is_han))
            .collect();
        let m = all.len();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), m, "a word is written in two groups");
    }

    #[test]
    fn a_shop_group_of_chinese_words_takes_its_words_out() {
        let shop = vec![
            vec!["借款".to_string(), "借钱业务".to_string()],
            vec!["发票".to_string(), "invoice".to_string()],
        ];
        let words = shop_words(&shop);
        assert!(words.contains("借款") && !words.contains("发票"));
    }
}
