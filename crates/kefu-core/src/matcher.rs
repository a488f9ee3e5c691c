//! The matcher: a customer's question → the best entries, a calibrated confidence and an
//! outcome (answer, clarify or fallback).
//!
//! Scoring works on weighted features (see [`crate::analysis`]). A feature's weight is its
//! kind's factor times its rarity across entries (an IDF). For each question text of the
//! knowledge base the matcher measures how much of the query it explains and how much of it
//! the query covers; an entry scores by its best question, helped by how much of the query
//! its questions explain together. The confidence model ([`crate::model`]) turns the best
//! candidate's signals into a probability of being right.

use crate::analysis::{features, Analyzer, FeatureKind};
use crate::correct::correct;
use crate::format::{self, LoadError};
use crate::index::Postings;
use crate::kb::{EntryIdx, KnowledgeBase, Timestamp};
use crate::model::Signals;
use crate::text::normalize;

/// A loaded knowledge base, ready to answer.
#[derive(Debug)]
pub struct Engine {
    kb: KnowledgeBase,
    analyzer: Analyzer,
    postings: Postings,
    term_weight: Vec<f32>,
    doc_weight: Vec<f32>,
    /// Per term, the factor its weight has in ranking (Chinese bigrams by cohesion, see
    /// [`weigh_han_bigrams`]; 1 for every other term), and each document's weight with it.
    /// The confidence signals are read on the plain weights the model was fitted on.
    rank_factor: Vec<f32>,
    rank_doc_weight: Vec<f32>,
    unknown_weight: f32,
    /// The built-in Chinese synonym groups the knowledge base uses, as terms numbered after
    /// the index's own (see [`crate::concepts`]).
    concepts: crate::concepts::Concepts,
    /// Built on the first keystroke, so loading stays as fast as before.
    typeahead: std::sync::OnceLock<Typeahead>,
    scratch: std::sync::Mutex<Scratch>,
}

/// The typeahead keys and sorted views of them, built on the first keystroke, so a
/// keystroke costs a few binary searches instead of a pass over every entry.
#[derive(Debug, Default)]
struct Typeahead {
    /// Per entry: the pinyin initials and the full pinyin of the standard question
    /// ("thdz", "tuihuodizhi"; see [`suggest_keys`]).
    initials: Vec<String>,
    pinyin: Vec<String>,
    /// Entries by pinyin initials, by full pinyin, by lower-cased standard question.
    by_initials: Vec<u32>,
    by_pinyin: Vec<u32>,
    by_question: Vec<u32>,
    /// Every later start of every entry's initials (entry, byte offset), sorted by the rest.
    initials_suffixes: Vec<(u32, u16)>,
    /// Translated standard questions (entry, position in its translations), sorted by the
    /// lower-cased question: typed English finds "How do I get an invoice?".
    by_translated: Vec<(u32, u8)>,
}

fn lower_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    a.chars()
        .flat_map(char::to_lowercase)
        .cmp(b.chars().flat_map(char::to_lowercase))
}

fn lower_starts_with(text: &str, prefix: &str) -> bool {
    let mut t = text.chars().flat_map(char::to_lowercase);
    prefix.chars().all(|p| t.next() == Some(p))
}

/// The items of `sorted` (ascending by `key`) whose key starts with `prefix`.
fn prefix_range<'a, T: Copy>(
    sorted: &'a [T],
    prefix: &str,
    key: impl Fn(T) -> &'a str + Copy,
    cmp: impl Fn(&str, &str) -> std::cmp::Ordering,
    starts: impl Fn(&str, &str) -> bool,
) -> &'a [T] {
    let start = sorted.partition_point(|&x| cmp(key(x), prefix).is_lt());
    let len = sorted[start..]
        .iter()
        .take_while(|&&x| starts(key(x), prefix))
        .count();
    &sorted[start..start + len]
}

/// Pinyin initials and full pinyin of a question, for typeahead: "退货地址" → ("thdz",
/// "tuihuodizhi"); Latin letters and digits are kept as typed.
pub fn suggest_keys(question: &str, tables: &crate::tables::Tables) -> (String, String) {
    let mut initials = String::new();
    let mut spelled = String::new();
    for c in normalize(tables, question).chars() {
        if let Some(s) = tables.pinyin(c) {
            let syllable = tables.syllable(s);
            initials.extend(syllable.chars().next());
            spelled.push_str(syllable);
        } else if c.is_ascii_alphanumeric() {
            initials.push(c);
            spelled.push(c);
        }
    }
    (initials, spelled)
}

impl Typeahead {
    fn new(kb: &KnowledgeBase, tables: &crate::tables::Tables) -> Typeahead {
        let (initials, pinyin): (Vec<String>, Vec<String>) = kb
            .entries
            .iter()
            .map(|e| suggest_keys(&e.question, tables))
            .unzip();
        let index = Keys {
            suggest_initials: &initials,
            suggest_pinyin: &pinyin,
        };
        let n = kb.entries.len() as u32;
        let mut by_initials: Vec<u32> = (0..n).collect();
        crate::sort::sort_by(&mut by_initials, |&a, &b| {
            index.suggest_initials[a as usize].cmp(&index.suggest_initials[b as usize])
        });
        let mut by_pinyin: Vec<u32> = (0..n).collect();
        crate::sort::sort_by(&mut by_pinyin, |&a, &b| {
            index.suggest_pinyin[a as usize].cmp(&index.suggest_pinyin[b as usize])
        });
        let mut by_question: Vec<u32> = (0..n).collect();
        crate::sort::sort_by(&mut by_question, |&a, &b| {
            lower_cmp(
                &kb.entries[a as usize].question,
                &kb.entries[b as usize].question,
            )
        });
        let mut initials_suffixes: Vec<(u32, u16)> = Vec::new();
        for (e, key) in index.suggest_initials.iter().enumerate() {
            for (at, _) in key.char_indices().skip(1).take(u16::MAX as usize) {
                initials_suffixes.push((e as u32, at as u16));
            }
        }
        let suffix = |&(e, at): &(u32, u16)| &index.suggest_initials[e as usize][at as usize..];
        crate::sort::sort_by(&mut initials_suffixes, |a, b| suffix(a).cmp(suffix(b)));
        let mut by_translated: Vec<(u32, u8)> = Vec::new();
        for (e, entry) in kb.entries.iter().enumerate() {
            for (i, t) in entry.translations.iter().enumerate().take(u8::MAX as usize) {
                if t.question.is_some() {
                    by_translated.push((e as u32, i as u8));
                }
            }
        }
        let translated = |&(e, i): &(u32, u8)| {
            kb.entries[e as usize].translations[i as usize]
                .question
                .as_deref()
                .unwrap_or_default()
        };
        crate::sort::sort_by(&mut by_translated, |a, b| {
            lower_cmp(translated(a), translated(b))
        });
        Typeahead {
            by_translated,
            initials,
            pinyin,
            by_initials,
            by_pinyin,
            by_question,
            initials_suffixes,
        }
    }
}

/// The keys while their views are sorted.
struct Keys<'a> {
    suggest_initials: &'a [String],
    suggest_pinyin: &'a [String],
}

/// What the engine decided to do with a question.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Sure enough: answer with this entry.
    Answer(EntryIdx),
    /// Unsure: offer these entries as choices ("您是想问…").
    Clarify(Vec<EntryIdx>),
    /// Nothing fits: apologise and show the hot questions.
    Fallback,
}

impl Outcome {
    /// `answer`, `clarify` or `fallback`.
    pub fn kind(&self) -> &'static str {
        match self {
            Outcome::Answer(_) => "answer",
            Outcome::Clarify(_) => "clarify",
            Outcome::Fallback => "fallback",
        }
    }
}

/// An entry and how well it matched (0..1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    pub entry: EntryIdx,
    pub score: f32,
}

/// The answer to [`Engine::ask`].
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    pub outcome: Outcome,
    /// Probability that the best candidate is right.
    pub confidence: f32,
    /// The best candidates, best first (at most five).
    pub candidates: Vec<Candidate>,
}

/// Options of [`Engine::rank`]; the exclusions let the compiler test the knowledge base
/// against itself.
#[derive(Debug, Clone, Default)]
pub struct RankOptions {
    /// Entries not valid at this time are skipped.
    pub now: Option<Timestamp>,
    /// Ignore this question text (document).
    pub exclude_doc: Option<u32>,
    /// Ignore this entry entirely.
    pub exclude_entry: Option<EntryIdx>,
    /// How many candidates to return.
    pub limit: usize,
    /// Rank on the plain term weights the confidence model is fitted on, without the
    /// cohesion of Chinese bigrams (see [`weigh_han_bigrams`]): the compiler fits a shop's
    /// model this way, so the ranking's gain does not move its calibration.
    pub plain_weights: bool,
}

/// Candidates with the signals of the best one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ranking {
    pub candidates: Vec<Candidate>,
    pub signals: Signals,
}

/// A typeahead suggestion.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub entry: EntryIdx,
    /// The entry's standard question (in the customer's language when it has one).
    pub question: String,
}

struct QueryTerms {
    known: Vec<(usize, f32)>,
    total: f32,
    /// The known terms' weights in ranking (`known`'s order) and the total with them.
    rank: Vec<f32>,
    rank_total: f32,
    unknown: f32,
    /// The unknown features at their full weight (see [`Signals::full_unknown`]).
    unknown_full: f32,
    /// Documents with another word of a built-in group than the query's, and the weight
    /// that match counts (see [`crate::concepts`]).
    related: Vec<(Vec<u32>, f32)>,
}

/// Buffers reused by [`Engine::rank`]; all zero between queries.
#[derive(Debug, Default)]
struct Scratch {
    acc: Vec<f32>,
    scores: Vec<EntryScore>,
    touched_docs: Vec<u32>,
    touched_entries: Vec<u32>,
    /// The best candidates while they are selected.
    ranked: Vec<(EntryIdx, f32)>,
}

impl Scratch {
    fn prepare(&mut self, docs: usize, entries: usize) {
        self.acc.resize(docs, 0.0);
        self.scores.resize(entries, EntryScore::default());
    }

    /// Zeroes what the last query touched.
    fn clear(&mut self) {
        for &d in &self.touched_docs {
            self.acc[d as usize] = 0.0;
        }
        for &e in &self.touched_entries {
            self.scores[e as usize] = EntryScore::default();
        }
        self.touched_docs.clear();
        self.touched_entries.clear();
        self.ranked.clear();
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct EntryScore {
    sim: f32,
    query_coverage: f32,
    question_coverage: f32,
    union: f32,
    answer_union: f32,
    touched: bool,
}

impl Engine {
    /// Decodes a compiled knowledge base file.
    ///
    /// ```
    /// let err = kefu_core::Engine::load(b"not a knowledge base").unwrap_err();
    /// assert!(err.to_string().contains("kefu build"));
    /// ```
    pub fn load(bytes: &[u8]) -> Result<Engine, LoadError> {
        Engine::from_kb(format::decode(bytes)?)
    }

    /// Prepares a decoded (or freshly compiled) knowledge base for matching.
    pub fn from_kb(mut kb: KnowledgeBase) -> Result<Engine, LoadError> {
        let entry_count = kb.entries.len();
        kb.model.check().map_err(LoadError::Inconsistent)?;
        for t in [kb.settings.answer_threshold, kb.settings.clarify_threshold] {
            if !t.is_finite() {
                return Err(LoadError::Inconsistent("threshold is not a number".into()));
            }
        }
        let mut postings = kb.index.prepare(entry_count)?;
        check_references(&kb)?;
        let (concepts, concept_entries) =
            crate::concepts::Concepts::build(&kb.index, &mut postings, &kb.synonyms);
        let analyzer = Analyzer::new(kb.tables.expand(), &kb.synonyms);
        let n = entry_count.max(1) as f32;
        let idf = |df: f32| (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
        let mut term_weight: Vec<f32> = (0..kb.index.terms.len())
            .map(|t| {
                FeatureKind::weight_factor(kb.index.terms.get(t))
                    * idf(kb.index.term_entries[t] as f32)
            })
            .collect();
        let own_terms = term_weight.len();
        term_weight.extend(concept_entries.iter().map(|&n| idf(n as f32)));
        let mut rank_factor = weigh_han_bigrams(&kb.index);
        rank_factor.resize(term_weight.len(), 1.0);
        let mut doc_weight = vec![0f32; postings.doc_count()];
        let mut rank_doc_weight = vec![0f32; postings.doc_count()];
        // A concept is no feature of a document of its own (see `Engine::concept_terms`).
        for (t, &w) in term_weight.iter().enumerate().take(own_terms) {
            for &d in postings.of(t) {
                doc_weight[d as usize] += w;
                rank_doc_weight[d as usize] += w * rank_factor[t];
            }
        }
        Ok(Engine {
            unknown_weight: 0.6 * idf(0.0),
            concepts,
            typeahead: std::sync::OnceLock::new(),
            kb,
            analyzer,
            postings,
            term_weight,
            doc_weight,
            rank_factor,
            rank_doc_weight,
            scratch: Default::default(),
        })
    }

    /// The knowledge base.
    pub fn kb(&self) -> &KnowledgeBase {
        &self.kb
    }

    /// Completes a knowledge base loaded from a first file with its companion's bytes
    /// ([`format::attach`]); matching is the same before and after, only the detailed
    /// answers and the flows' and catalogue's translations arrive.
    pub fn attach(&mut self, companion: &[u8]) -> Result<(), LoadError> {
        format::attach(&mut self.kb, companion)
    }

    /// The analyser, shared with the conversation engine.
    pub fn analyzer(&self) -> &Analyzer {
        &self.analyzer
    }

    /// Matches a question and decides what to do with it.
    pub fn ask(&self, question: &str, now: Option<Timestamp>) -> Match {
        let ranking = self.rank(
            question,
            &RankOptions {
                now,
                limit: 5,
                ..RankOptions::default()
            },
        );
        self.decide_query(question, ranking)
    }

    /// Like [`Engine::decide`] for the ranking of `question`, which also answers one of the
    /// best entry's own questions typed with its words in another order (发票怎么开 for
    /// 怎么开发票？): the same characters and words, only the bigrams across the moved
    /// boundaries differ.
    pub fn decide_query(&self, question: &str, ranking: Ranking) -> Match {
        let question_coverage = ranking.signals.question_coverage;
        // A reordering keeps every character and word, so both sides stay mostly covered
        // (only bigrams across moved boundaries are lost): the cheap test before the exact one.
        let may_be_reordered = question_coverage >= HALF && ranking.signals.query_coverage >= HALF;
        let mut m = self.decide(ranking);
        if matches!(&m.outcome, Outcome::Clarify(c) if c.len() == 1)
            && question_coverage < HALF
            && self.names_unknown(question)
        {
            // A yes/no about the one entry it resembles, when the customer named something
            // no entry ever mentions and less than half of that entry's question is in what
            // they said (老板 in 你们老板叫什么名字, near 公众号叫什么名字): the resemblance is
            // in the question words; the hot questions serve better.
            m.outcome = Outcome::Fallback;
            return m;
        }
        if !may_be_reordered || matches!(m.outcome, Outcome::Answer(_)) {
            return m;
        }
        let Some(best) = m.candidates.first() else {
            return m;
        };
        if m.candidates
            .get(1)
            .is_some_and(|c| best.score - c.score < NEAR_EXACT_MARGIN)
        {
            return m;
        }
        let bag = |text: &str| -> Vec<String> {
            let mut f: Vec<String> = self
                .features(text)
                .into_iter()
                .filter(|f| FeatureKind::of(f) != FeatureKind::HanBigram)
                .collect();
            f.sort();
            f.dedup();
            f
        };
        // First the letters and characters as typed (cheap), then the features.
        let letters = |text: &str| -> Vec<char> {
            let mut c: Vec<char> = text
                .chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect();
            c.sort_unstable();
            c.dedup();
            c
        };
        let typed = letters(question);
        let entry = &self.kb.entries[best.entry as usize];
        let mut same_letters = std::iter::once(&entry.question)
            .chain(&entry.similar)
            .filter(|q| letters(q) == typed)
            .peekable();
        if same_letters.peek().is_none() {
            return m;
        }
        let asked = bag(question);
        // At least two characters or words to move about.
        if asked
            .iter()
            .filter(|f| !crate::analysis::markers::is_marker(f))
            .count()
            < 2
        {
            return m;
        }
        let reordered = same_letters.any(|q| bag(q) == asked);
        if reordered {
            m.outcome = Outcome::Answer(best.entry);
        }
        m
    }

    /// Whether `question` holds a content word the knowledge base has never seen: a word, or
    /// a Chinese bigram of two content characters, that no entry uses.
    fn names_unknown(&self, question: &str) -> bool {
        self.features(question).iter().any(|f| {
            self.kb.index.terms.find(f).is_none()
                && !crate::analysis::markers::is_marker(f)
                && match FeatureKind::of(f) {
                    FeatureKind::HanBigram => !f.chars().any(crate::analysis::is_function_char),
                    FeatureKind::Word => true,
                    _ => false,
                }
        })
    }

    /// Turns a ranking into an outcome using the knowledge base's thresholds.
    pub fn decide(&self, ranking: Ranking) -> Match {
        let settings = &self.kb.settings;
        let Some(best) = ranking.candidates.first() else {
            return Match {
                outcome: Outcome::Fallback,
                confidence: 0.0,
                candidates: Vec::new(),
            };
        };
        let confidence = self.kb.model.confidence(&ranking.signals);
        let answer_threshold = settings.answer_threshold.max(self.kb.model.answer_floor);
        // One of the entry's own questions, typed as written (the same features with the
        // same weights, nothing unknown), is always answered directly.
        let s = &ranking.signals;
        let exact = s.similarity >= EXACT_SIMILARITY && s.unknown == 0.0;
        // Or one of its questions with only a little left out (question words, particles):
        // everything the customer typed is in it, and it stands clear of the runner-up.
        let near_exact = s.unknown == 0.0
            && s.query_coverage >= EXACT_SIMILARITY
            && s.question_coverage >= NEAR_EXACT_COVERAGE
            && s.margin >= NEAR_EXACT_MARGIN;
        let exact = exact || near_exact;
        let outcome = if exact || confidence >= answer_threshold {
            Outcome::Answer(best.entry)
        } else if confidence >= settings.clarify_threshold
            && s.unknown < MOSTLY_UNKNOWN
            && s.full_unknown < MOSTLY_UNKNOWN
        {
            // The close runners-up; a single choice is asked as a yes/no question by the
            // conversation engine.
            let floor = best.score * 0.75;
            let choices: Vec<EntryIdx> = ranking
                .candidates
                .iter()
                .take(3)
                .filter(|c| c.score >= floor)
                .map(|c| c.entry)
                .collect();
            Outcome::Clarify(choices)
        } else {
            Outcome::Fallback
        };
        Match {
            outcome,
            confidence,
            candidates: ranking.candidates,
        }
    }

    /// The words the engine reads in `text` after normalisation and correction (for
    /// debugging and the CLI's `--explain`).
    pub fn features(&self, text: &str) -> Vec<String> {
        let tokens = correct(self.analyzer.tokens(text), &self.analyzer, &self.kb.index);
        features(&tokens)
    }

    fn query_terms(&self, text: &str) -> QueryTerms {
        let mut q = QueryTerms {
            known: Vec::new(),
            total: 0.0,
            rank: Vec::new(),
            rank_total: 0.0,
            unknown: 0.0,
            unknown_full: 0.0,
            related: Vec::new(),
        };
        let tokens = correct(self.analyzer.tokens(text), &self.analyzer, &self.kb.index);
        let mut related_total = 0f32;
        for (docs, w, unknown) in self.concept_terms(&tokens) {
            // A word of the query's unknown to the knowledge base, matched only through its
            // group, counts in the ranking's total at the group's weight (and still as unknown
            // evidence: the group is a weaker match than the word).
            if unknown {
                related_total += w;
            }
            q.related.push((docs, w));
        }
        for f in features(&tokens) {
            match self.kb.index.terms.find(&f) {
                Some(t) => {
                    let w = self.term_weight[t];
                    q.known.push((t, w));
                    q.total += w;
                }
                None => {
                    if let Some((t, w)) = self.english_relative(&f, &q.known) {
                        q.known.push((t, w));
                        q.total += w;
                        continue;
                    }
                    let unknown = self.unknown_feature_weight(&f);
                    q.unknown += unknown;
                    if !crate::analysis::markers::is_marker(&f)
                        && FeatureKind::of(&f) != FeatureKind::Number
                    {
                        q.unknown_full += FeatureKind::weight_factor(&f) * self.unknown_weight;
                    }
                    // An unknown bigram is evidence against every candidate, but it does not
                    // dilute how much of the query a candidate covers: its characters do that.
                    if FeatureKind::of(&f) != FeatureKind::HanBigram {
                        q.total += unknown;
                    }
                }
            }
        }
        q.rank = q
            .known
            .iter()
            .map(|&(t, w)| w * self.rank_factor[t])
            .collect();
        let known: f32 = q.known.iter().map(|x| x.1).sum();
        q.rank_total = q.total - known + q.rank.iter().sum::<f32>() + related_total;
        q
    }

    /// The query's built-in synonym groups: per group the knowledge base uses, the documents
    /// that have another of its words and none of the query's, and the weight of that match:
    /// `CONCEPT_FACTOR` times the query word's own bigram weight (the group's, for a word the
    /// knowledge base never uses).
    fn concept_terms(&self, tokens: &[crate::analysis::Token]) -> Vec<(Vec<u32>, f32, bool)> {
        let mut out = Vec::new();
        for (term, words) in self.concepts.of_tokens(tokens) {
            let mut own: Vec<u32> = Vec::new();
            let mut weight = 0f32;
            let mut known_word = false;
            for word in &words {
                let mut w = 0f32;
                let mut known = true;
                let chars: Vec<char> = word.chars().collect();
                for pair in chars.windows(2) {
                    let bigram: String = pair.iter().collect();
                    match self.kb.index.terms.find(&bigram) {
                        Some(t) => w += self.term_weight[t],
                        None => known = false,
                    }
                }
                if known {
                    known_word = true;
                    weight = weight.max(w);
                    crate::concepts::word_docs(&self.kb.index, &self.postings, word, &mut own);
                }
            }
            if !known_word {
                weight = self.term_weight[term as usize];
            }
            crate::sort::sort(&mut own);
            own.dedup();
            let docs: Vec<u32> = self
                .postings
                .of(term as usize)
                .iter()
                .copied()
                .filter(|d| own.binary_search(d).is_err())
                .collect();
            if !docs.is_empty() {
                out.push((docs, crate::concepts::CONCEPT_FACTOR * weight, !known_word));
            }
        }
        out
    }

    /// For an English word stem the knowledge base has never seen, a stem it has that is
    /// the same word with another ending ("recommendat" → "recommend"): one stem starts the
    /// other, the shorter has at least five letters and is at least 60 % of the longer.
    /// Returns the term and its weight.
    fn english_relative(&self, f: &str, known: &[(usize, f32)]) -> Option<(usize, f32)> {
        if FeatureKind::of(f) != FeatureKind::Word
            || !f.bytes().all(|b| b.is_ascii_lowercase())
            || f.len() < RELATIVE_MIN
        {
            return None;
        }
        let terms = &self.kb.index.terms;
        let close = |short: usize, long: usize| short * 5 >= long * 3;
        // A known stem that starts this one, longest first.
        let shorter = (RELATIVE_MIN..f.len())
            .rev()
            .filter(|&n| close(n, f.len()))
            .find_map(|n| terms.find(&f[..n]));
        // Or a known stem this one starts, the shortest.
        let term = shorter.or_else(|| {
            terms
                .prefix_range(f)
                .map(|t| (t, terms.get(t)))
                .filter(|(_, g)| {
                    g.bytes().all(|b| b.is_ascii_lowercase()) && close(f.len(), g.len())
                })
                .min_by_key(|(_, g)| g.len())
                .map(|(t, _)| t)
        })?;
        if known.iter().any(|&(k, _)| k == term) {
            return None;
        }
        Some((term, self.term_weight[term]))
    }

    /// What a feature the knowledge base has never seen counts against every candidate.
    fn unknown_feature_weight(&self, f: &str) -> f32 {
        if crate::analysis::markers::is_marker(f) {
            // A knowledge base built before markers existed has none.
            return 0.0;
        }
        match FeatureKind::of(f) {
            FeatureKind::HanChar | FeatureKind::Word => {
                FeatureKind::weight_factor(f) * self.unknown_weight
            }
            // An unknown bigram with a function character is mostly a word boundary; one of
            // two content characters is a word the knowledge base never uses.
            FeatureKind::HanBigram => {
                if f.chars().any(crate::analysis::is_function_char) {
                    0.0
                } else {
                    UNKNOWN_BIGRAM * self.unknown_weight
                }
            }
            // Unknown numbers are order numbers and amounts.
            FeatureKind::Number => 0.0,
        }
    }

    /// Ranks entries for a question.
    pub fn rank(&self, question: &str, options: &RankOptions) -> Ranking {
        let q = self.query_terms(question);
        if (q.known.is_empty() && q.related.is_empty()) || q.total <= 0.0 {
            return Ranking::default();
        }
        let entries = &self.kb.entries;
        // Reuse the per-document and per-entry buffers across queries; only what a query
        // touched is visited and reset, so a query costs its postings, not the whole base.
        let mut fresh = None;
        let mut guard = self.scratch.try_lock().ok();
        let scratch: &mut Scratch = match guard.as_deref_mut() {
            Some(s) => s,
            None => fresh.insert(Scratch::default()),
        };
        scratch.prepare(self.postings.doc_count(), entries.len());
        let Scratch {
            acc,
            scores,
            touched_docs,
            touched_entries,
            ranked,
        } = scratch;
        // Plain slices: the loop below runs once per posting, and the widget's build
        // (`opt-level = "z"`) does not inline `Vec`'s indexing.
        let acc: &mut [f32] = acc;
        let scores: &mut [EntryScore] = scores;
        let doc_entry: &[u32] = &self.postings.doc_entry;
        let is_answer: &[bool] = &self.postings.is_answer;
        // No document or entry is numbered `u32::MAX` (the loader refuses that many).
        let exclude_doc = options.exclude_doc.unwrap_or(u32::MAX);
        let exclude_entry = options.exclude_entry.unwrap_or(u32::MAX);
        let rank: &[f32] = if options.plain_weights { &[] } else { &q.rank };
        let rank_total = if options.plain_weights {
            q.total
        } else {
            q.rank_total
        };
        let lists = q
            .known
            .iter()
            .enumerate()
            .map(|(i, &(t, plain))| (self.postings.of(t), rank.get(i).copied().unwrap_or(plain)))
            .chain(
                q.related
                    .iter()
                    .filter(|_| !options.plain_weights)
                    .map(|(docs, w)| (docs.as_slice(), *w)),
            );
        for (docs, w) in lists {
            let mut last_entry = u32::MAX;
            for &d in docs {
                if d == exclude_doc {
                    continue;
                }
                let e = doc_entry[d as usize];
                if e == exclude_entry {
                    continue;
                }
                if is_answer[d as usize] {
                    // Only when none of the entry's questions had the term.
                    if e != last_entry {
                        let s = &mut scores[e as usize];
                        s.answer_union += w;
                        if !s.touched {
                            s.touched = true;
                            touched_entries.push(e);
                        }
                    }
                    continue;
                }
                let a = &mut acc[d as usize];
                if *a == 0.0 {
                    touched_docs.push(d);
                }
                *a += w;
                if e != last_entry {
                    let s = &mut scores[e as usize];
                    s.union += w;
                    if !s.touched {
                        s.touched = true;
                        touched_entries.push(e);
                    }
                    last_entry = e;
                }
            }
        }
        let doc_weight: &[f32] = if options.plain_weights {
            &self.doc_weight
        } else {
            &self.rank_doc_weight
        };
        for &d in touched_docs.iter() {
            let matched = acc[d as usize];
            let qc = (matched / rank_total).min(1.0);
            let dc = (matched / doc_weight[d as usize].max(1e-6)).min(1.0);
            let sim = 2.0 * qc * dc / (qc + dc).max(1e-6);
            let s = &mut scores[doc_entry[d as usize] as usize];
            if sim > s.sim {
                s.sim = sim;
                s.query_coverage = qc;
                s.question_coverage = dc;
            }
        }
        let entry_list: &[crate::kb::Entry] = entries;
        let priority = |e: EntryIdx| entry_list[e as usize].priority;
        let order = |a: &(EntryIdx, f32), b: &(EntryIdx, f32)| {
            b.1.total_cmp(&a.1)
                .then_with(|| priority(b.0).cmp(&priority(a.0)))
                .then_with(|| a.0.cmp(&b.0))
        };
        // Only the best few are needed: keep them in one pass instead of sorting all.
        let scores: &[EntryScore] = scores;
        let candidates = touched_entries
            .iter()
            .filter(|&&e| {
                options
                    .now
                    .is_none_or(|now| entry_list[e as usize].is_valid_at(now))
            })
            .map(|&e| (e, combine(&scores[e as usize], rank_total)));
        crate::select::first_k(candidates, options.limit.max(1), order, ranked);
        let best = ranked.first().map(|&(e, score)| (e, score));
        let runner_up = ranked.get(1).map(|r| r.0);
        let candidates: Vec<Candidate> = ranked
            .iter()
            .map(|&(entry, score)| Candidate { entry, score })
            .collect();
        // Zero what this query touched on every path, or the next query starts from its sums.
        scratch.clear();
        let Some((best_entry, _)) = best else {
            return Ranking::default();
        };
        // The signals on the plain weights the confidence model was fitted on.
        let s = self.fitted_score(&q, best_entry, options);
        let best_score = combine(&s, q.total);
        let runner_up = runner_up.map_or(0.0, |e| {
            combine(&self.fitted_score(&q, e, options), q.total)
        });
        let signals = Signals {
            similarity: s.sim,
            query_coverage: s.query_coverage,
            question_coverage: s.question_coverage,
            entry_coverage: entry_coverage(&s, q.total),
            margin: best_score - runner_up,
            unknown: (q.unknown / q.total).min(1.0),
            content: (1.0 + q.total).ln(),
            full_similarity: {
                // The best question's coverage of everything the customer typed.
                let covered = s.query_coverage * q.total / (q.total + q.unknown_full);
                let dc = s.question_coverage;
                2.0 * covered * dc / (covered + dc).max(1e-6)
            },
            full_unknown: q.unknown_full / (q.total + q.unknown_full),
        };
        Ranking {
            candidates,
            signals,
        }
    }

    /// An entry's match with the query on the plain term weights (not the ranking's): the
    /// signals the confidence model reads. Looks up the entry's documents in the query's
    /// postings (each sorted by document), so it costs a few binary searches per term.
    fn fitted_score(&self, q: &QueryTerms, entry: EntryIdx, options: &RankOptions) -> EntryScore {
        let first = self.postings.entry_first_doc[entry as usize];
        let end = self.postings.entry_first_doc[entry as usize + 1];
        let mut matched = vec![0f32; (end - first) as usize];
        let mut s = EntryScore::default();
        let exclude_doc = options.exclude_doc;
        // The built-in synonym groups count here too, except where the compiler fits the
        // model (on the words themselves, as before the groups existed).
        let related = q.related.iter().filter(|_| !options.plain_weights);
        let lists = q
            .known
            .iter()
            .map(|&(t, w)| (self.postings.of(t), w))
            .chain(related.map(|(docs, w)| (docs.as_slice(), *w)));
        for (docs, w) in lists {
            let from = docs.partition_point(|&d| d < first);
            let mut in_question = false;
            let mut in_answer = false;
            for &d in docs[from..].iter().take_while(|&&d| d < end) {
                if Some(d) == exclude_doc {
                    continue;
                }
                if self.postings.is_answer[d as usize] {
                    in_answer = true;
                } else {
                    matched[(d - first) as usize] += w;
                    in_question = true;
                }
            }
            if in_question {
                s.union += w;
            } else if in_answer {
                s.answer_union += w;
            }
        }
        for (k, &m) in matched.iter().enumerate() {
            if m == 0.0 {
                continue;
            }
            let qc = (m / q.total).min(1.0);
            let dc = (m / self.doc_weight[first as usize + k].max(1e-6)).min(1.0);
            let sim = 2.0 * qc * dc / (qc + dc).max(1e-6);
            if sim > s.sim {
                s.sim = sim;
                s.query_coverage = qc;
                s.question_coverage = dc;
            }
        }
        s
    }

    /// Similarity of two texts in 0..1, with this knowledge base's vocabulary and weights.
    pub fn similarity(&self, a: &str, b: &str) -> f32 {
        let (qa, qb) = (self.weighted(a), self.weighted(b));
        let (ta, tb): (f32, f32) = (qa.iter().map(|x| x.1).sum(), qb.iter().map(|x| x.1).sum());
        if ta <= 0.0 || tb <= 0.0 {
            return 0.0;
        }
        let shared: f32 = qa
            .iter()
            .filter(|(f, _)| qb.iter().any(|(g, _)| g == f))
            .map(|x| x.1)
            .sum();
        let (ca, cb) = (shared / ta, shared / tb);
        if ca + cb <= 0.0 {
            0.0
        } else {
            2.0 * ca * cb / (ca + cb)
        }
    }

    fn weighted(&self, text: &str) -> Vec<(String, f32)> {
        self.features(text)
            .into_iter()
            .map(|f| {
                let w = match self.kb.index.terms.find(&f) {
                    Some(t) => self.term_weight[t],
                    None => FeatureKind::weight_factor(&f) * self.unknown_weight,
                };
                (f, w)
            })
            .collect()
    }

    /// Up to `limit` entries for a partially typed question, pinyin initials included.
    pub fn suggest(&self, partial: &str, limit: usize) -> Vec<Suggestion> {
        self.suggest_in(partial, limit, None)
    }

    /// [`Engine::suggest`] for a customer speaking `locale` (`None`: the shop's language):
    /// an entry's question translated into it is found by its beginning too, and shown
    /// instead of the shop's own.
    pub fn suggest_in(
        &self,
        partial: &str,
        limit: usize,
        locale: Option<crate::dialogue::Locale>,
    ) -> Vec<Suggestion> {
        let norm = normalize(self.analyzer.tables(), partial);
        let norm = norm.trim();
        if norm.is_empty() || limit == 0 {
            return Vec::new();
        }
        let ta = self
            .typeahead
            .get_or_init(|| Typeahead::new(&self.kb, self.analyzer.tables()));
        let mut scored: Vec<(EntryIdx, f32)> = Vec::new();
        let letters: String = norm.chars().filter(|c| *c != ' ').collect();
        if letters.chars().all(|c| c.is_ascii_lowercase()) {
            // Binary searches over the sorted keys; at most a few dozen hits each.
            const MAX_HITS: usize = 64;
            let plain = |a: &str, b: &str| a.cmp(b);
            let starts = |a: &str, b: &str| a.starts_with(b);
            let initials = |e: u32| ta.initials[e as usize].as_str();
            let spelled = |e: u32| ta.pinyin[e as usize].as_str();
            let question = |e: u32| self.kb.entries[e as usize].question.as_str();
            for hits in [
                prefix_range(&ta.by_initials, &letters, initials, plain, starts),
                prefix_range(&ta.by_pinyin, &letters, spelled, plain, starts),
                prefix_range(
                    &ta.by_question,
                    norm,
                    question,
                    lower_cmp,
                    lower_starts_with,
                ),
            ] {
                scored.extend(hits.iter().take(MAX_HITS).map(|&e| (e, 3.0)));
            }
            if let Some(locale) = locale {
                let translation =
                    |(e, i): (u32, u8)| &self.kb.entries[e as usize].translations[i as usize];
                let text = |x: (u32, u8)| translation(x).question.as_deref().unwrap_or_default();
                let hits =
                    prefix_range(&ta.by_translated, norm, text, lower_cmp, lower_starts_with);
                let hits = hits.iter().filter(|&&x| translation(x).locale == locale);
                scored.extend(hits.take(MAX_HITS).map(|&(e, _)| (e, 3.0)));
            }
            if letters.len() >= 2 {
                let suffix = |(e, at): (u32, u16)| &ta.initials[e as usize][at as usize..];
                let inner = prefix_range(&ta.initials_suffixes, &letters, suffix, plain, starts);
                scored.extend(inner.iter().take(MAX_HITS).map(|&(e, _)| (e, 2.0)));
            }
        }
        let ranking = self.rank(
            partial,
            &RankOptions {
                limit: limit * 4,
                ..RankOptions::default()
            },
        );
        for c in &ranking.candidates {
            // A candidate whose question contains what was typed ranks above mere overlap.
            let question = normalize(
                self.analyzer.tables(),
                self.kb.entries[c.entry as usize].question_in(locale),
            );
            let contains = norm.chars().count() >= 2 && question.contains(norm);
            scored.push((c.entry, if contains { 2.5 } else { 1.0 } + c.score));
        }
        let priority = |e: EntryIdx| self.kb.entries[e as usize].priority;
        crate::sort::sort_by(&mut scored, |a, b| {
            b.1.total_cmp(&a.1)
                .then_with(|| priority(b.0).cmp(&priority(a.0)))
                .then_with(|| a.0.cmp(&b.0))
        });
        // Each entry once, at its best tier (the sort is stable: first is best).
        let mut seen = std::collections::HashSet::with_capacity(scored.len());
        scored
            .into_iter()
            .filter(|(e, _)| seen.insert(*e))
            .take(limit)
            .map(|(entry, _)| Suggestion {
                entry,
                question: self.kb.entries[entry as usize]
                    .question_in(locale)
                    .to_string(),
            })
            .collect()
    }
}

/// Similarity at or above which a query counts as one of the entry's questions typed exactly.
const EXACT_SIMILARITY: f32 = 0.9999;

/// Share of the query's weight in words the knowledge base has never seen from which choices
/// would be guesses: such a question (天气, 股票 in a repair shop) gets the fallback with the
/// hot questions instead of unrelated choices. Either measure of that share reaching it is
/// enough: [`Signals::unknown`] (unknown bigrams at reduced weight, outside the query's
/// total) or [`Signals::full_unknown`] (every unknown word at full weight).
const MOSTLY_UNKNOWN: f32 = 0.35;

/// Share of a question's weight a query must cover, all of the query inside it, to count as
/// the question typed with a little left out.
const NEAR_EXACT_COVERAGE: f32 = 0.8;
/// Below this share of the best question's weight in the query, a single choice about a
/// query that names something unknown is a guess (see [`Engine::decide_query`]).
const HALF: f32 = 0.5;

/// How far such a question's entry must stand above the runner-up.
const NEAR_EXACT_MARGIN: f32 = 0.1;

/// The shortest English stem [`Engine::english_relative`] relates to a longer one.
const RELATIVE_MIN: usize = 5;

/// How much an unknown content bigram counts, relative to an unknown character's base weight.
const UNKNOWN_BIGRAM: f32 = 0.5;

/// How much an answer document's words count, relative to a question's.
const ANSWER_EVIDENCE: f32 = 0.5;

/// Lowers the weight of the Chinese character bigrams that read as word boundaries.
///
/// A run of Han characters is indexed as characters and every bigram, so 我的花呗怎么还 yields
/// 花呗 and 还款-like words but also 呗怎 and 么还, which straddle two words. The knowledge base
/// itself tells them apart: a word's two characters mostly come together (花呗: nearly every
/// entry with 呗 has 花呗), while a boundary pair is a small share of the entries that have its
/// more common character (呗怎 among the entries with 呗). A bigram's *cohesion* is the share
/// of the entries with its more frequent character that also have the bigram,
/// `df(ab) / max(df(a), df(b))`, and its weight is scaled by
/// `BOUNDARY_FLOOR + (1 - BOUNDARY_FLOOR) * cohesion`. Computed at load time from the
/// entry counts the index already stores; Latin words, numbers, markers and single
/// characters keep their weights. (A dictionary segmentation that dropped boundary bigrams
/// at compile time was measured before and lost on the demo questions; this keeps every
/// bigram, only weighs it.)
fn weigh_han_bigrams(index: &crate::index::Index) -> Vec<f32> {
    let terms = &index.terms;
    let mut factor = vec![1f32; terms.len()];
    let mut char_entries: std::collections::HashMap<char, u32> = std::collections::HashMap::new();
    for t in 0..terms.len() {
        let mut chars = terms.get(t).chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            if crate::text::is_han(c) {
                char_entries.insert(c, index.term_entries[t]);
            }
        }
    }
    for (t, weight) in factor.iter_mut().enumerate() {
        let mut chars = terms.get(t).chars();
        let (Some(a), Some(b), None) = (chars.next(), chars.next(), chars.next()) else {
            continue;
        };
        let (Some(&da), Some(&db)) = (char_entries.get(&a), char_entries.get(&b)) else {
            continue;
        };
        let cohesion = (index.term_entries[t] as f32 / da.max(db).max(1) as f32).min(1.0);
        *weight = BOUNDARY_FLOOR + (1.0 - BOUNDARY_FLOOR) * cohesion;
    }
    factor
}

/// The weight factor of a Chinese bigram whose characters never come together otherwise
/// (see [`weigh_han_bigrams`]).
const BOUNDARY_FLOOR: f32 = 0.5;

fn entry_coverage(s: &EntryScore, query_total: f32) -> f32 {
    ((s.union + ANSWER_EVIDENCE * s.answer_union) / query_total).min(1.0)
}

fn combine(s: &EntryScore, query_total: f32) -> f32 {
    0.5 * s.sim + 0.5 * entry_coverage(s, query_total)
}

fn check_references(kb: &KnowledgeBase) -> Result<(), LoadError> {
    kb.dialogue
        .check(kb.entries.len())
        .map_err(LoadError::Inconsistent)?;
    let n = kb.entries.len() as u32;
    let bad = |what: &str| Err(LoadError::Inconsistent(what.to_string()));
    if kb.settings.hot_questions.iter().any(|&e| e >= n) {
        return bad("hot question out of range");
    }
    let categories = kb.categories.len() as u32;
    if kb
        .categories
        .iter()
        .any(|c| c.parent.is_some_and(|p| p >= categories))
    {
        return bad("category parent out of range");
    }
    for entry in &kb.entries {
        if entry.category >= categories && categories > 0 {
            return bad("entry category out of range");
        }
        if entry.follow_ups.iter().any(|&e| e >= n) {
            return bad("follow-up out of range");
        }
    }
    Ok(())
}

#[cfg(test)]
mod cohesion_tests {
    use super::*;
    use crate::index::{Index, StrTable};

    #[test]
    fn a_word_keeps_its_weight_and_a_boundary_pair_is_weighed_down() {
        // Sorted terms with the number of entries each occurs in: 花呗 in every entry with
        // 花 and 呗 (a word), 呗怎 in one of the four entries with 呗 (a boundary).
        let mut pairs = [
            ("花", 4u32),
            ("呗", 4),
            ("怎", 2),
            ("花呗", 4),
            ("呗怎", 1),
            ("怎么", 2),
            ("refund", 1),
        ];
        pairs.sort_by(|a, b| a.0.cmp(b.0));
        let terms: Vec<&str> = pairs.iter().map(|p| p.0).collect();
        let mut index = Index {
            terms: StrTable::from_sorted(&terms),
            term_entries: pairs.iter().map(|p| p.1).collect(),
            ..Index::default()
        };
        index.terms.prepare().unwrap();
        let factor = weigh_han_bigrams(&index);
        let of = |t: &str| factor[index.terms.find(t).unwrap()];
        assert_eq!(of("花呗"), 1.0);
        assert_eq!(of("呗怎"), BOUNDARY_FLOOR + (1.0 - BOUNDARY_FLOOR) * 0.25);
        // 怎么: 么 is not indexed on its own here, so nothing is known about the pair.
        assert_eq!(of("怎么"), 1.0);
        for t in ["花", "呗", "refund"] {
            assert_eq!(of(t), 1.0, "{t}");
        }
    }
}
