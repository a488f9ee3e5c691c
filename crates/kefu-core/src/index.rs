//! The precomputed index stored in a compiled knowledge base, and its lookup form.
//!
//! A *document* is one question text: an entry's standard question or one of its similar
//! questions. Documents are numbered entry by entry, standard question first.

use serde::{Deserialize, Serialize};

/// Index parts that do not fit together (a compiler bug or tampering). The loader reports
/// it as the knowledge base being inconsistent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Inconsistent(pub String);

/// Sorted, distinct strings stored in one buffer; looked up by binary search.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct StrTable {
    blob: String,
    /// Byte length of each string, in order.
    lens: Vec<u32>,
    /// Byte offset of each string, rebuilt after decoding.
    #[serde(skip)]
    starts: Vec<u32>,
}

impl PartialEq for StrTable {
    /// Equal when the stored strings are (the offsets are derived from them).
    fn eq(&self, other: &StrTable) -> bool {
        self.blob == other.blob && self.lens == other.lens
    }
}

impl StrTable {
    /// Builds a table; `strings` must be sorted and distinct.
    pub fn from_sorted<S: AsRef<str>>(strings: &[S]) -> StrTable {
        debug_assert!(strings.windows(2).all(|w| w[0].as_ref() < w[1].as_ref()));
        let mut t = StrTable {
            blob: strings.iter().map(|s| s.as_ref()).collect(),
            lens: strings.iter().map(|s| s.as_ref().len() as u32).collect(),
            starts: Vec::new(),
        };
        t.prepare().expect("built from valid strings");
        t
    }

    /// A table from its buffer and string lengths (strings must be sorted and distinct for
    /// lookups to find them); checked like a decoded one.
    pub fn from_parts(blob: String, lens: Vec<u32>) -> Result<StrTable, Inconsistent> {
        let mut t = StrTable {
            blob,
            lens,
            starts: Vec::new(),
        };
        t.prepare()?;
        Ok(t)
    }

    /// Rebuilds offsets after decoding and checks them against the buffer (once: a table
    /// built by [`StrTable::from_parts`] or prepared before has them already).
    pub fn prepare(&mut self) -> Result<(), Inconsistent> {
        if self.starts.len() == self.lens.len() && !self.lens.is_empty() {
            return Ok(());
        }
        let mut starts = Vec::with_capacity(self.lens.len());
        let mut at: u64 = 0;
        for &len in &self.lens {
            let end = at + len as u64;
            if end > self.blob.len() as u64
                || !self.blob.is_char_boundary(at as usize)
                || !self.blob.is_char_boundary(end as usize)
            {
                return Err(Inconsistent("string table out of bounds".into()));
            }
            starts.push(at as u32);
            at = end;
        }
        self.starts = starts;
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.lens.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lens.is_empty()
    }

    /// The `i`th string.
    pub fn get(&self, i: usize) -> &str {
        let start = self.starts[i] as usize;
        &self.blob[start..start + self.lens[i] as usize]
    }

    /// The position of `s`, if present.
    pub fn find(&self, s: &str) -> Option<usize> {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.get(mid).cmp(s) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(mid),
            }
        }
        None
    }

    /// The range of positions whose strings start with `prefix`.
    pub fn prefix_range(&self, prefix: &str) -> std::ops::Range<usize> {
        let start = self.partition(|s| s < prefix);
        let end = start
            + self
                .slice_from(start)
                .take_while(|s| s.starts_with(prefix))
                .count();
        start..end
    }

    fn slice_from(&self, start: usize) -> impl Iterator<Item = &str> {
        (start..self.len()).map(move |i| self.get(i))
    }

    fn partition(&self, before: impl Fn(&str) -> bool) -> usize {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if before(self.get(mid)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// All strings in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.slice_from(0)
    }
}

/// Unsigned integers packed as LEB128 varints in one byte string: written and read as a
/// single copy, unpacked in a tight loop (serde's element-by-element path costs about a
/// hundred instructions per number, which dominates loading a large knowledge base).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PackedU32(Vec<u8>);

impl PackedU32 {
    pub fn pack(values: impl IntoIterator<Item = u32>) -> PackedU32 {
        let mut bytes = Vec::new();
        for mut v in values {
            while v >= 0x80 {
                bytes.push((v as u8) | 0x80);
                v >>= 7;
            }
            bytes.push(v as u8);
        }
        PackedU32(bytes)
    }

    /// Calls `f` with each number in turn, without collecting them; an error if the bytes
    /// end mid-number or overflow, or if `f` fails.
    #[inline]
    pub(crate) fn try_for_each(
        &self,
        mut f: impl FnMut(u32) -> Result<(), Inconsistent>,
    ) -> Result<(), Inconsistent> {
        let (mut value, mut shift) = (0u32, 0u32);
        for &b in &self.0 {
            if shift > 28 || (shift == 28 && b & 0x70 != 0) {
                return Err(Inconsistent("packed number overflows".into()));
            }
            value |= ((b & 0x7f) as u32) << shift;
            if b & 0x80 == 0 {
                f(value)?;
                value = 0;
                shift = 0;
            } else {
                shift += 7;
            }
        }
        if shift != 0 {
            return Err(Inconsistent("packed numbers end mid-number".into()));
        }
        Ok(())
    }

    /// The numbers, or an error if the bytes end mid-number or overflow.
    pub fn unpack(&self) -> Result<Vec<u32>, Inconsistent> {
        let mut out = Vec::with_capacity(self.0.len());
        self.try_for_each(|n| {
            out.push(n);
            Ok(())
        })?;
        Ok(out)
    }
}

impl Serialize for PackedU32 {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.0)
    }
}

impl<'de> Deserialize<'de> for PackedU32 {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<PackedU32, D::Error> {
        struct Bytes;
        impl<'de> serde::de::Visitor<'de> for Bytes {
            type Value = PackedU32;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("packed varints")
            }
            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<PackedU32, E> {
                Ok(PackedU32(v.to_vec()))
            }
            fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<PackedU32, E> {
                Ok(PackedU32(v))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<PackedU32, A::Error> {
                let mut v = Vec::new();
                while let Some(b) = seq.next_element()? {
                    v.push(b);
                }
                Ok(PackedU32(v))
            }
        }
        deserializer.deserialize_bytes(Bytes)
    }
}

/// What the compiler precomputes for matching, in the form the matcher looks things up in.
///
/// Format 4 does not store it like this: see `stored_index.rs` for the streams the term
/// table, the postings and the per-term entry counts are rebuilt from on loading.
/// Formats 1–3 stored it field by field ([`IndexV3`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Index {
    /// Every feature of every document, sorted.
    pub terms: StrTable,
    /// Per term: in how many entries' questions it occurs.
    pub term_entries: Vec<u32>,
    /// Per term `t`: its documents, ascending, are `docs[offsets[t]..offsets[t + 1]]`.
    pub offsets: Vec<u32>,
    pub docs: Vec<u32>,
    /// Per entry: how many documents it has (its questions, then its answer document).
    pub entry_docs: Vec<u32>,
    /// Each entry's last document is its short answer: weak evidence that widens
    /// the entry's vocabulary without standing for a question.
    pub answer_docs: bool,
    /// Han words of the knowledge base (2–4 characters), for correcting customers' input.
    pub words: StrTable,
    /// Word positions ordered by fuzzy pinyin key ("fa piao"), most frequent first among
    /// equal keys, as files before format 4 stored them; empty when sorted from
    /// [`Index::word_counts`] (see [`crate::correct::word_orders`]).
    pub words_by_pinyin: Vec<u32>,
    /// Word positions ordered by pinyin initials ("fp"), most frequent first among equals
    /// (like `words_by_pinyin`).
    pub words_by_initials: Vec<u32>,
    /// Per word: in how many question texts it occurs (`u32::MAX`: a synonym group's
    /// canonical word, 1: another synonym), which orders words of the same sound. Empty in
    /// files before format 4.
    pub word_counts: Vec<u32>,
    /// The orders sorted from `word_counts`, on the first correction that needs them (see
    /// [`crate::correct::word_orders`]).
    pub sorted_orders: SortedOrders,
    /// Per syllable id: the knowledge base's most widespread character with that reading
    /// (0: none), for pinyin syllables no word starts with.
    pub char_by_syllable: Vec<u32>,
    /// Latin words of the knowledge base as written (lower case), for typo correction.
    pub latin_words: StrTable,
}

/// The sound orders sorted from the word counts, and the keys they are sorted by, spelled
/// once on the first correction (opaque; see [`crate::correct::word_orders`]).
#[derive(Debug, Clone, Default)]
pub struct SortedOrders(pub(crate) std::sync::OnceLock<SoundOrders>);

/// The words in their two sound orders (see [`crate::correct::word_orders`]), with the key each is sorted by spelled once, so a
/// lookup is a binary search over strings instead of spelling a word at every probe.
#[derive(Debug, Clone, Default)]
pub struct SoundOrders {
    pub(crate) by_pinyin: Vec<u32>,
    pub(crate) by_initials: Vec<u32>,
    /// The fuzzy pinyin key of `by_pinyin[k]` ("fa piao"; empty if a character has no
    /// reading).
    pub(crate) pinyin_keys: Keys,
    /// The pinyin initials of `by_initials[k]` ("fp").
    pub(crate) initials_keys: Keys,
}

/// Strings in one buffer.
#[derive(Debug, Clone, Default)]
pub(crate) struct Keys {
    blob: String,
    ends: Vec<u32>,
}

impl Keys {
    pub(crate) fn push(&mut self, key: &str) {
        self.blob.push_str(key);
        self.ends.push(self.blob.len() as u32);
    }

    pub(crate) fn get(&self, k: usize) -> &str {
        let start = if k == 0 { 0 } else { self.ends[k - 1] as usize };
        &self.blob[start..self.ends[k] as usize]
    }
}

impl PartialEq for SortedOrders {
    /// Always equal: derived from the index's other fields.
    fn eq(&self, _: &SortedOrders) -> bool {
        true
    }
}

/// The index as formats 1–3 stored it.
#[derive(Deserialize)]
pub(crate) struct IndexV3 {
    terms: StrTable,
    term_entries: Vec<u32>,
    postings_len: PackedU32,
    postings: PackedU32,
    entry_docs: Vec<u32>,
    answer_docs: bool,
    words: StrTable,
    words_by_pinyin: Vec<u32>,
    words_by_initials: Vec<u32>,
    char_by_syllable: Vec<u32>,
    latin_words: StrTable,
    // Typeahead keys: spelled from the standard questions since format 4.
    #[allow(dead_code)]
    suggest_initials: Vec<String>,
    #[allow(dead_code)]
    suggest_pinyin: Vec<String>,
}

impl IndexV3 {
    /// How many documents its entry table claims (saturating).
    pub(crate) fn claimed_docs(&self) -> u64 {
        claimed_docs(&self.entry_docs)
    }

    /// The same index with its postings unpacked. The caller has checked
    /// [`IndexV3::claimed_docs`] against the payload size.
    pub(crate) fn upgrade(self) -> Result<Index, Inconsistent> {
        let bad = |what: &str| Inconsistent(what.to_string());
        let postings_len = self.postings_len.unpack()?;
        let postings = self.postings.unpack()?;
        let doc_count = self.claimed_docs();
        let mut offsets = Vec::with_capacity(postings_len.len() + 1);
        let mut docs = Vec::with_capacity(postings.len());
        let mut at = 0usize;
        offsets.push(0);
        for &len in &postings_len {
            let end = at
                .checked_add(len as usize)
                .filter(|&e| e <= postings.len())
                .ok_or_else(|| bad("postings"))?;
            let mut doc: u64 = 0;
            for (k, &delta) in postings[at..end].iter().enumerate() {
                doc = if k == 0 {
                    delta as u64
                } else {
                    doc + delta as u64
                };
                if doc >= doc_count {
                    return Err(bad("posting past the last document"));
                }
                docs.push(doc as u32);
            }
            at = end;
            offsets.push(docs.len() as u32);
        }
        if at != postings.len() {
            return Err(bad("postings length"));
        }
        let mut index = Index {
            terms: self.terms,
            term_entries: self.term_entries,
            offsets,
            docs,
            entry_docs: self.entry_docs,
            answer_docs: self.answer_docs,
            words: self.words,
            words_by_pinyin: self.words_by_pinyin,
            words_by_initials: self.words_by_initials,
            word_counts: Vec::new(),
            sorted_orders: SortedOrders::default(),
            char_by_syllable: self.char_by_syllable,
            latin_words: self.latin_words,
        };
        for table in [&mut index.terms, &mut index.words, &mut index.latin_words] {
            table.prepare()?;
        }
        Ok(index)
    }
}

/// How many documents an entry table claims (saturating).
pub(crate) fn claimed_docs(entry_docs: &[u32]) -> u64 {
    entry_docs
        .iter()
        .try_fold(0u64, |sum, &n| sum.checked_add(n as u64))
        .unwrap_or(u64::MAX)
}

/// The lookup form of [`Index`]: absolute postings and the document → entry map.
#[derive(Debug, Clone, Default)]
pub struct Postings {
    /// `offsets[t]..offsets[t + 1]` are term `t`'s documents in `docs`.
    pub offsets: Vec<u32>,
    pub docs: Vec<u32>,
    pub doc_entry: Vec<u32>,
    /// First document of each entry (plus one past the end).
    pub entry_first_doc: Vec<u32>,
    /// Is document `d` an answer document?
    pub is_answer: Vec<bool>,
}

impl Index {
    /// How many documents the entry table claims (saturating).
    pub fn claimed_docs(&self) -> u64 {
        claimed_docs(&self.entry_docs)
    }

    /// Rebuilds the lookup tables and checks that every number points somewhere real.
    pub fn prepare(&mut self, entry_count: usize) -> Result<Postings, Inconsistent> {
        let bad = |what: &str| Inconsistent(what.to_string());
        if self.claimed_docs() > (u32::MAX / 2) as u64 {
            return Err(bad("too many documents"));
        }
        for table in [&mut self.terms, &mut self.words, &mut self.latin_words] {
            table.prepare()?;
        }
        for order in [&self.words_by_pinyin, &self.words_by_initials] {
            if order.iter().any(|&w| w as usize >= self.words.len()) {
                return Err(bad("word order"));
            }
        }
        if !self.word_counts.is_empty() && self.word_counts.len() != self.words.len() {
            return Err(bad("word counts differ from the words"));
        }
        let terms = self.terms.len();
        if self.term_entries.len() != terms || self.offsets.len() != terms + 1 {
            return Err(bad("term tables differ in length"));
        }
        if self.entry_docs.len() != entry_count {
            return Err(bad("entry tables differ in length"));
        }
        let mut doc_entry = Vec::new();
        let mut entry_first_doc = Vec::with_capacity(entry_count + 1);
        for (e, &n) in self.entry_docs.iter().enumerate() {
            entry_first_doc.push(doc_entry.len() as u32);
            doc_entry.extend(std::iter::repeat_n(e as u32, n as usize));
        }
        entry_first_doc.push(doc_entry.len() as u32);
        let doc_count = doc_entry.len();
        if self.offsets[0] != 0
            || self.offsets.windows(2).any(|w| w[0] > w[1])
            || self.offsets[terms] as usize != self.docs.len()
        {
            return Err(bad("postings"));
        }
        if self.docs.iter().any(|&d| d as usize >= doc_count) {
            return Err(bad("posting past the last document"));
        }
        let mut is_answer = vec![false; doc_count];
        if self.answer_docs {
            for e in 0..entry_count {
                if entry_first_doc[e + 1] > entry_first_doc[e] {
                    is_answer[entry_first_doc[e + 1] as usize - 1] = true;
                }
            }
        }
        Ok(Postings {
            offsets: self.offsets.clone(),
            docs: self.docs.clone(),
            doc_entry,
            entry_first_doc,
            is_answer,
        })
    }
}

impl Postings {
    pub fn of(&self, term: usize) -> &[u32] {
        &self.docs[self.offsets[term] as usize..self.offsets[term + 1] as usize]
    }

    pub fn doc_count(&self) -> usize {
        self.doc_entry.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_numbers_round_trip_and_reject_damage() {
        let values = [0, 1, 127, 128, 300, 16_384, u32::MAX];
        let packed = PackedU32::pack(values);
        assert_eq!(packed.unpack().unwrap(), values);
        let mut cut = packed.clone();
        cut.0.pop();
        assert!(cut.unpack().is_err());
        assert!(PackedU32(vec![0xff; 6]).unpack().is_err());
    }

    #[test]
    fn str_table_finds_and_ranges() {
        let t = StrTable::from_sorted(&["apple", "apply", "banana", "发票", "退货"]);
        assert_eq!(t.find("banana"), Some(2));
        assert_eq!(t.find("发票"), Some(3));
        assert_eq!(t.find("cherry"), None);
        assert_eq!(t.prefix_range("app"), 0..2);
        assert_eq!(t.prefix_range("z"), 3..3);
    }
}
