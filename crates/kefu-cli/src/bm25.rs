//! The reference `kefu eval --baseline bm25` compares against: Okapi BM25 (k1 = 1.2,
//! b = 0.75) over the knowledge base's question texts, with Han characters and character
//! bigrams as terms (Latin text: lower-case words and word bigrams), after the same width,
//! case and traditional → simplified folding the engine applies. An entry scores by its best
//! question text. Its confidence is the best score divided by the score the query would get
//! against itself, so it lies in 0..1 like the engine's.

use std::collections::HashMap;

use kefu_core::tables::Tables;
use kefu_core::text::{is_han, normalize};

const K1: f32 = 1.2;
const B: f32 = 0.75;
/// Normalised score at or above which the reference answers directly.
pub const ANSWER_THRESHOLD: f32 = 0.6;

/// An inverted index over question texts.
pub struct Bm25 {
    tables: Tables,
    terms: HashMap<String, u32>,
    /// Per term: (document, term frequency).
    postings: Vec<Vec<(u32, u16)>>,
    doc_len: Vec<f32>,
    doc_entry: Vec<u32>,
    avg_len: f32,
    entries: usize,
}

/// Terms of a text: Han characters and bigrams, Latin words and word bigrams.
pub fn terms(tables: &Tables, text: &str) -> Vec<String> {
    let norm = normalize(tables, text);
    let mut out = Vec::new();
    let mut prev_word: Option<String> = None;
    let mut prev_han: Option<char> = None;
    let mut word = String::new();
    let flush = |word: &mut String, prev_word: &mut Option<String>, out: &mut Vec<String>| {
        if word.is_empty() {
            return;
        }
        if let Some(p) = prev_word.take() {
            out.push(format!("{p} {word}"));
        }
        out.push(word.clone());
        *prev_word = Some(std::mem::take(word));
    };
    for c in norm.chars() {
        if is_han(c) {
            flush(&mut word, &mut prev_word, &mut out);
            prev_word = None;
            out.push(c.to_string());
            if let Some(p) = prev_han {
                out.push([p, c].iter().collect());
            }
            prev_han = Some(c);
        } else if c.is_alphanumeric() {
            prev_han = None;
            word.push(c);
        } else {
            prev_han = None;
            flush(&mut word, &mut prev_word, &mut out);
        }
    }
    flush(&mut word, &mut prev_word, &mut out);
    out
}

impl Bm25 {
    /// Indexes `(entry, question text)` pairs.
    pub fn new(tables: Tables, docs: &[(u32, String)], entries: usize) -> Bm25 {
        let mut index = Bm25 {
            tables,
            terms: HashMap::new(),
            postings: Vec::new(),
            doc_len: Vec::with_capacity(docs.len()),
            doc_entry: Vec::with_capacity(docs.len()),
            avg_len: 0.0,
            entries,
        };
        for (d, (entry, text)) in docs.iter().enumerate() {
            let ts = terms(&index.tables, text);
            index.doc_len.push(ts.len() as f32);
            index.doc_entry.push(*entry);
            let mut tf: HashMap<&str, u16> = HashMap::new();
            for t in &ts {
                *tf.entry(t).or_default() += 1;
            }
            for (t, n) in tf {
                let next = index.postings.len() as u32;
                let id = *index.terms.entry(t.to_string()).or_insert(next);
                if id == next {
                    index.postings.push(Vec::new());
                }
                index.postings[id as usize].push((d as u32, n));
            }
        }
        let n = index.doc_len.len().max(1) as f32;
        index.avg_len = (index.doc_len.iter().sum::<f32>() / n).max(1.0);
        index
    }

    fn idf(&self, df: usize) -> f32 {
        let n = self.doc_len.len() as f32;
        (1.0 + (n - df as f32 + 0.5) / (df as f32 + 0.5)).ln()
    }

    /// The best `limit` entries with normalised scores, and the confidence of the first.
    pub fn search(
        &self,
        query: &str,
        limit: usize,
        scores: &mut Vec<f32>,
        touched: &mut Vec<u32>,
    ) -> (Vec<(u32, f32)>, f32) {
        let ts = terms(&self.tables, query);
        let mut tf: HashMap<&str, u16> = HashMap::new();
        for t in &ts {
            *tf.entry(t).or_default() += 1;
        }
        scores.resize(self.doc_len.len(), 0.0);
        let qlen = ts.len() as f32;
        let mut self_score = 0.0;
        for (t, &qtf) in &tf {
            let q = qtf as f32;
            let (idf, list) = match self.terms.get(*t) {
                Some(&id) => {
                    let list = &self.postings[id as usize];
                    (self.idf(list.len()), Some(list))
                }
                None => (self.idf(0), None),
            };
            let norm = K1 * (1.0 - B + B * qlen / self.avg_len);
            self_score += idf * q * (K1 + 1.0) / (q + norm);
            for &(d, n) in list.into_iter().flatten() {
                let f = n as f32;
                let norm = K1 * (1.0 - B + B * self.doc_len[d as usize] / self.avg_len);
                if scores[d as usize] == 0.0 {
                    touched.push(d);
                }
                scores[d as usize] += idf * f * (K1 + 1.0) / (f + norm);
            }
        }
        let mut best: HashMap<u32, f32> = HashMap::new();
        for &d in touched.iter() {
            let e = self.doc_entry[d as usize];
            let s = scores[d as usize];
            let slot = best.entry(e).or_insert(0.0);
            if s > *slot {
                *slot = s;
            }
            scores[d as usize] = 0.0;
        }
        touched.clear();
        let mut ranked: Vec<(u32, f32)> = best.into_iter().collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.truncate(limit.min(self.entries.max(1)));
        let confidence = match ranked.first() {
            Some(&(_, s)) if self_score > 0.0 => (s / self_score).min(1.0),
            _ => 0.0,
        };
        (ranked, confidence)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_chars_bigrams_and_words() {
        let t = Tables::default();
        let ts = terms(&t, "发票 how to get");
        for want in ["发", "票", "发票", "how", "how to", "get"] {
            assert!(ts.iter().any(|x| x == want), "{want} in {ts:?}");
        }
    }

    #[test]
    fn finds_the_closest_question() {
        let docs = vec![
            (0, "怎么开发票".to_string()),
            (1, "退货运费谁出".to_string()),
            (2, "how do I reset my password".to_string()),
        ];
        let index = Bm25::new(Tables::default(), &docs, 3);
        let (mut s, mut t) = (Vec::new(), Vec::new());
        let (r, c) = index.search("发票怎么开", 5, &mut s, &mut t);
        assert_eq!(r[0].0, 0);
        assert!(c > 0.3);
        let (r, _) = index.search("reset password", 5, &mut s, &mut t);
        assert_eq!(r[0].0, 2);
        let (r, c) = index.search("天气", 5, &mut s, &mut t);
        assert!(r.is_empty() && c == 0.0);
    }
}
