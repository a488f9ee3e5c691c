//! How format 4 stores the index: documents as streams of tokens, not postings.
//!
//! Every Han feature is a character or a pair of neighbouring characters of one run, so a
//! document's run "退货地址" says as much as its seven features (退 货 地 址 退货 货地 地址)
//! and their seven postings. Format 4 therefore stores, per document, its runs as character
//! numbers and its other features (Latin words, numbers, markers) as term numbers; loading
//! counts and sorts them back into the sorted term table and per-term postings the matcher
//! reads ([`super::Index`]), in time linear in the stream (two counting sorts, no hashing,
//! no analysis). The bigram strings, the postings and the per-term entry counts are not
//! stored at all. The streams are written from any lookup-form index (a document's bigrams
//! are walked into runs), so a knowledge base of any version can be written as format 4.
//!
//! Stream symbols, LEB128-packed: `0` ends a document, `1` ends a run of characters,
//! `2 + c` is character `c` of `chars` (ordered by how many documents use it, so the common
//! ones take one byte), `2 + chars.len() + o` is term `o` of `others`.

use serde::{Deserialize, Serialize};

use crate::index::{Inconsistent, Index, PackedU32, StrTable};
use crate::text::is_han;

const END_DOC: u32 = 0;
const END_RUN: u32 = 1;
const FIRST_CHAR: u32 = 2;

/// The index as format 4 writes it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct IndexV4 {
    /// Han characters that are terms, as code points, most used first.
    pub chars: PackedU32,
    /// Terms that are neither a Han character nor a pair of them, sorted.
    pub others: StrTable,
    /// Per document, its runs and other terms (see the module comment).
    pub streams: PackedU32,
    pub entry_docs: PackedU32,
    pub answer_docs: bool,
    /// The correction words, sorted, each as (characters shared with the one before, new
    /// characters, then each new character as `1 + c` for character `c` of `chars`, or `0`
    /// and its code point).
    pub words: PackedU32,
    /// Per word: how many question texts have it; empty when the orders are stored.
    pub word_counts: PackedU32,
    /// The sound orders, for an index without word counts (one from before format 4).
    pub words_by_pinyin: PackedU32,
    pub words_by_initials: PackedU32,
    pub char_by_syllable: PackedU32,
    pub latin_words: StrTable,
}

/// The parts of an index as format 4 writes it, each with its encoded bytes (for size
/// reports).
pub fn parts(index: &Index) -> Vec<(&'static str, Vec<u8>)> {
    store(index).parts()
}

impl Serialize for Index {
    /// Writes the format-4 streams.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        store(self).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Index {
    /// Reads the format-4 streams and rebuilds the lookup form. (`format::decode` reads
    /// the streams itself, to check the entry table against the payload size first and to
    /// report an inconsistent index as such.)
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Index, D::Error> {
        let wire = IndexV4::deserialize(deserializer)?;
        load(wire).map_err(|e| serde::de::Error::custom(e.0))
    }
}

impl IndexV4 {
    /// The entry table: documents per entry.
    pub(crate) fn entry_docs(&self) -> Result<Vec<u32>, Inconsistent> {
        self.entry_docs.unpack()
    }

    /// Each field's encoded bytes, for size reports.
    fn parts(&self) -> Vec<(&'static str, Vec<u8>)> {
        fn bytes<T: Serialize>(value: &T) -> Vec<u8> {
            postcard::to_allocvec(value).unwrap_or_default()
        }
        vec![
            ("term characters", bytes(&self.chars)),
            ("other terms", bytes(&self.others)),
            ("document streams", bytes(&self.streams)),
            ("entry documents", bytes(&self.entry_docs)),
            ("words", bytes(&self.words)),
            ("word counts", bytes(&self.word_counts)),
            (
                "sound orders",
                bytes(&(&self.words_by_pinyin, &self.words_by_initials)),
            ),
            ("syllable chars", bytes(&self.char_by_syllable)),
            ("latin words", bytes(&self.latin_words)),
        ]
    }
}

fn single_han(s: &str) -> Option<char> {
    let mut it = s.chars();
    match (it.next(), it.next()) {
        (Some(c), None) if is_han(c) => Some(c),
        _ => None,
    }
}

fn han_pair(s: &str) -> Option<(char, char)> {
    let mut it = s.chars();
    match (it.next(), it.next(), it.next()) {
        (Some(a), Some(b), None) if is_han(a) && is_han(b) => Some((a, b)),
        _ => None,
    }
}

/// Writes a lookup-form index (prepared or freshly built) as streams.
pub(crate) fn store(index: &Index) -> IndexV4 {
    let terms = index.terms.len();
    // Documents: as many as the entry table says. A forged table claiming far more than
    // the postings could fill is written with the documents the postings use, so the file
    // is refused on loading instead of being written gigabytes long.
    let used = index
        .docs
        .iter()
        .map(|&d| d as usize + 1)
        .max()
        .unwrap_or(0);
    let declared = index
        .entry_docs
        .iter()
        .fold(0usize, |sum, &n| sum.saturating_add(n as usize));
    let plausible = index.docs.len() + 4 * index.entry_docs.len() + 1024;
    let doc_count = if declared >= used && declared <= plausible {
        declared
    } else {
        used
    };
    let of = |t: usize| -> &[u32] {
        let (a, b) = (index.offsets[t] as usize, index.offsets[t + 1] as usize);
        &index.docs[a..b]
    };
    // Each document's terms, ascending.
    let mut doc_terms: Vec<Vec<u32>> = vec![Vec::new(); doc_count];
    for t in 0..terms {
        for &d in of(t) {
            doc_terms[d as usize].push(t as u32);
        }
    }
    // Characters: most used first, then by code point.
    let mut char_terms: Vec<(u32, char)> = (0..terms)
        .filter_map(|t| single_han(index.terms.get(t)).map(|c| (t as u32, c)))
        .collect();
    crate::sort::sort_by(&mut char_terms, |a, b| {
        of(b.0 as usize)
            .len()
            .cmp(&of(a.0 as usize).len())
            .then(a.1.cmp(&b.1))
    });
    let mut symbol_of_term = vec![u32::MAX; terms];
    for (k, &(t, _)) in char_terms.iter().enumerate() {
        symbol_of_term[t as usize] = k as u32;
    }
    let term_of_char = |c: char| -> Option<u32> {
        let mut buf = [0u8; 4];
        index.terms.find(c.encode_utf8(&mut buf)).map(|t| t as u32)
    };
    // A pair is written as a run when every document that has it also has both characters
    // (always, for what the analyser produces); anything else is stored as a string.
    let mut pair_of_term: Vec<Option<(u32, u32)>> = vec![None; terms];
    for (t, slot) in pair_of_term.iter_mut().enumerate() {
        let Some((a, b)) = han_pair(index.terms.get(t)) else {
            continue;
        };
        let (Some(ta), Some(tb)) = (term_of_char(a), term_of_char(b)) else {
            continue;
        };
        let everywhere = !of(t).is_empty()
            && of(t).iter().all(|&d| {
                let own = &doc_terms[d as usize];
                own.binary_search(&ta).is_ok() && own.binary_search(&tb).is_ok()
            });
        if everywhere {
            *slot = Some((symbol_of_term[ta as usize], symbol_of_term[tb as usize]));
        }
    }
    let other_terms: Vec<u32> = (0..terms as u32)
        .filter(|&t| symbol_of_term[t as usize] == u32::MAX && pair_of_term[t as usize].is_none())
        .collect();
    let chars_n = char_terms.len() as u32;
    for (o, &t) in other_terms.iter().enumerate() {
        symbol_of_term[t as usize] = chars_n + o as u32;
    }
    let mut symbols: Vec<u32> = Vec::new();
    let mut edges: Vec<(u32, u32)> = Vec::new();
    let mut singles: Vec<u32> = Vec::new();
    for own in &doc_terms {
        edges.clear();
        singles.clear();
        for &t in own {
            if let Some((a, b)) = pair_of_term[t as usize] {
                edges.push((a, b));
            } else if symbol_of_term[t as usize] >= chars_n {
                symbols.push(FIRST_CHAR + symbol_of_term[t as usize]);
            } else {
                singles.push(symbol_of_term[t as usize]);
            }
        }
        crate::sort::sort(&mut edges);
        let mut covered: Vec<u32> = Vec::new();
        write_runs(&edges, &mut symbols, &mut covered);
        crate::sort::sort(&mut covered);
        for &c in &singles {
            if covered.binary_search(&c).is_err() {
                symbols.push(FIRST_CHAR + c);
                symbols.push(END_RUN);
            }
        }
        if symbols.last() == Some(&END_RUN) {
            symbols.pop();
        }
        symbols.push(END_DOC);
    }
    IndexV4 {
        chars: PackedU32::pack(char_terms.iter().map(|&(_, c)| c as u32)),
        others: StrTable::from_sorted(
            &other_terms
                .iter()
                .map(|&t| index.terms.get(t as usize))
                .collect::<Vec<_>>(),
        ),
        streams: PackedU32::pack(symbols),
        entry_docs: PackedU32::pack(index.entry_docs.iter().copied()),
        answer_docs: index.answer_docs,
        words: store_words(&index.words, &char_terms),
        word_counts: PackedU32::pack(index.word_counts.iter().copied()),
        words_by_pinyin: PackedU32::pack(index.words_by_pinyin.iter().copied()),
        words_by_initials: PackedU32::pack(index.words_by_initials.iter().copied()),
        char_by_syllable: PackedU32::pack(index.char_by_syllable.iter().copied()),
        latin_words: index.latin_words.clone(),
    }
}

/// Writes the words front-coded, characters as numbers of `chars` where they are terms.
fn store_words(words: &StrTable, chars: &[(u32, char)]) -> PackedU32 {
    let mut by_char: Vec<(char, u32)> = chars
        .iter()
        .enumerate()
        .map(|(k, &(_, c))| (c, k as u32))
        .collect();
    crate::sort::sort(&mut by_char);
    let mut out = Vec::new();
    let mut prev: Vec<char> = Vec::new();
    for w in words.iter() {
        let cur: Vec<char> = w.chars().collect();
        let shared = prev.iter().zip(&cur).take_while(|(a, b)| a == b).count();
        out.push(shared as u32);
        out.push((cur.len() - shared) as u32);
        for &c in &cur[shared..] {
            match by_char.binary_search_by_key(&c, |p| p.0) {
                Ok(i) => out.push(1 + by_char[i].1),
                Err(_) => {
                    out.push(0);
                    out.push(c as u32);
                }
            }
        }
        prev = cur;
    }
    PackedU32::pack(out)
}

/// Reads the words back (see [`IndexV4::words`]).
fn load_words(packed: &PackedU32, chars: &[char]) -> Result<StrTable, Inconsistent> {
    let bad = |what: &str| Inconsistent(format!("index: {what}"));
    let numbers = packed.unpack()?;
    let mut blob = String::with_capacity(numbers.len() * 3);
    let mut lens = Vec::new();
    let mut word: Vec<char> = Vec::new();
    let mut it = numbers.iter().copied();
    while let Some(shared) = it.next() {
        let fresh = it.next().ok_or_else(|| bad("words end early"))?;
        if shared as usize > word.len() || fresh as usize > numbers.len() {
            return Err(bad("words"));
        }
        word.truncate(shared as usize);
        for _ in 0..fresh {
            let c = match it.next().ok_or_else(|| bad("words end early"))? {
                0 => it
                    .next()
                    .and_then(char::from_u32)
                    .ok_or_else(|| bad("word character"))?,
                k => *chars
                    .get(k as usize - 1)
                    .ok_or_else(|| bad("word character"))?,
            };
            word.push(c);
        }
        let before = blob.len();
        blob.extend(word.iter());
        lens.push((blob.len() - before) as u32);
    }
    StrTable::from_parts(blob, lens)
}

/// Walks a document's pairs (sorted, distinct) into runs: each run starts, where it can, at
/// a character that starts more unused pairs than it ends, and follows unused pairs, so a
/// phrase mostly comes out as written. Every pair is used exactly once.
fn write_runs(edges: &[(u32, u32)], out: &mut Vec<u32>, covered: &mut Vec<u32>) {
    let mut nodes: Vec<u32> = edges.iter().flat_map(|e| [e.0, e.1]).collect();
    crate::sort::sort(&mut nodes);
    nodes.dedup();
    let at = |c: u32| nodes.binary_search(&c).unwrap_or(0);
    let mut outs = vec![0u32; nodes.len()];
    let mut ins = vec![0u32; nodes.len()];
    let mut next = vec![usize::MAX; nodes.len()];
    for (k, e) in edges.iter().enumerate() {
        let (a, b) = (at(e.0), at(e.1));
        outs[a] += 1;
        ins[b] += 1;
        if next[a] == usize::MAX {
            next[a] = k;
        }
    }
    loop {
        let start = (0..nodes.len())
            .find(|&i| outs[i] > ins[i])
            .or_else(|| (0..nodes.len()).find(|&i| outs[i] > 0));
        let Some(mut i) = start else {
            return;
        };
        out.push(FIRST_CHAR + nodes[i]);
        covered.push(nodes[i]);
        while outs[i] > 0 {
            let (_, b) = edges[next[i]];
            outs[i] -= 1;
            next[i] += 1;
            let j = at(b);
            ins[j] -= 1;
            i = j;
            out.push(FIRST_CHAR + nodes[i]);
            covered.push(nodes[i]);
        }
        out.push(END_RUN);
    }
}

/// Sorts one character's pairs by (second character, document): by insertion when few
/// (most are), else with the crate's sort.
fn sort_bucket(v: &mut [u64]) {
    if v.len() > 32 {
        crate::sort::sort(v);
        return;
    }
    for i in 1..v.len() {
        let x = v[i];
        let mut j = i;
        while j > 0 && v[j - 1] > x {
            v[j] = v[j - 1];
            j -= 1;
        }
        v[j] = x;
    }
}

/// Rebuilds the lookup-form index from its stored streams. Every buffer is sized by the
/// streams themselves (or by the entry table once it agrees with them), never by a number
/// the file merely claims.
pub(crate) fn load(wire: IndexV4) -> Result<Index, Inconsistent> {
    let bad = |what: &str| Inconsistent(format!("index: {what}"));
    let mut index = Index {
        entry_docs: wire.entry_docs()?,
        ..Index::default()
    };
    let code_points = wire.chars.unpack()?;
    let mut chars: Vec<char> = Vec::with_capacity(code_points.len());
    for &cp in &code_points {
        match char::from_u32(cp) {
            Some(c) if is_han(c) => chars.push(c),
            _ => return Err(bad("a term character is not a Han character")),
        }
    }
    let mut others = wire.others;
    others.prepare()?;
    let n_chars = chars.len();
    let n_others = others.len();
    let limit = FIRST_CHAR as u64 + n_chars as u64 + n_others as u64;
    // Characters in code-point order: the position there of each symbol's character.
    let mut by_code: Vec<u32> = (0..n_chars as u32).collect();
    crate::sort::sort_by_key(&mut by_code, |&k| chars[k as usize]);
    let mut code_rank = vec![0u32; n_chars];
    for (r, &k) in by_code.iter().enumerate() {
        code_rank[k as usize] = r as u32;
        if r > 0 && chars[by_code[r - 1] as usize] == chars[k as usize] {
            return Err(bad("a term character is listed twice"));
        }
    }

    // First pass: check every symbol and count documents and each term's occurrences.
    let mut single_at = vec![0u32; n_chars + 1];
    let mut pair_at = vec![0u32; n_chars + 1];
    let mut other_at = vec![0u32; n_others + 1];
    let (mut docs, mut last, mut prev) = (0usize, END_DOC, None::<usize>);
    wire.streams.try_for_each(|s| {
        last = s;
        if s as u64 >= limit {
            return Err(bad("stream symbol out of range"));
        }
        if s < FIRST_CHAR {
            docs += usize::from(s == END_DOC);
            prev = None;
            return Ok(());
        }
        let k = (s - FIRST_CHAR) as usize;
        if k < n_chars {
            let c = code_rank[k] as usize;
            single_at[c + 1] += 1;
            if let Some(p) = prev {
                pair_at[p + 1] += 1;
            }
            prev = Some(c);
        } else {
            other_at[k - n_chars + 1] += 1;
            prev = None;
        }
        Ok(())
    })?;
    if last != END_DOC {
        return Err(bad("the last document is not ended"));
    }
    if index.claimed_docs() != docs as u64 {
        return Err(bad("documents differ from the entry table"));
    }
    for starts in [&mut single_at, &mut pair_at, &mut other_at] {
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
    }

    // Second pass: each document into its terms' buckets. Documents come in order, so a
    // bucket is ascending and a repeat is its last document; a pair goes to its first
    // character's bucket as (second character, document).
    let mut singles = vec![0u32; single_at[n_chars] as usize];
    let mut pairs = vec![0u64; pair_at[n_chars] as usize];
    let mut rest = vec![0u32; other_at[n_others] as usize];
    let mut s_end = single_at.clone();
    let mut p_end = pair_at.clone();
    let mut o_end = other_at.clone();
    let (mut doc, mut prev) = (0u32, None::<usize>);
    wire.streams.try_for_each(|s| {
        if s < FIRST_CHAR {
            doc += u32::from(s == END_DOC);
            prev = None;
            return Ok(());
        }
        let k = (s - FIRST_CHAR) as usize;
        if k < n_chars {
            let c = code_rank[k] as usize;
            let end = s_end[c] as usize;
            if end == single_at[c] as usize || singles[end - 1] != doc {
                singles[end] = doc;
                s_end[c] += 1;
            }
            if let Some(p) = prev {
                pairs[p_end[p] as usize] = (c as u64) << 32 | doc as u64;
                p_end[p] += 1;
            }
            prev = Some(c);
        } else {
            let o = k - n_chars;
            let end = o_end[o] as usize;
            if end == other_at[o] as usize || rest[end - 1] != doc {
                rest[end] = doc;
                o_end[o] += 1;
            }
            prev = None;
        }
        Ok(())
    })?;
    for a in 0..n_chars {
        sort_bucket(&mut pairs[pair_at[a] as usize..pair_at[a + 1] as usize]);
    }

    // doc → entry, and which documents are answers (their terms do not count entries).
    let mut doc_entry: Vec<u32> = Vec::with_capacity(docs);
    let mut is_answer: Vec<bool> = Vec::with_capacity(docs);
    for (e, &n) in index.entry_docs.iter().enumerate() {
        doc_entry.extend(std::iter::repeat_n(e as u32, n as usize));
        is_answer.extend((0..n).map(|k| wire.answer_docs && k + 1 == n));
    }

    // Merge the Han terms (each character, then its pairs by second character: string
    // order) with the other terms into the term table and its postings.
    let mut out = Terms {
        blob: String::with_capacity(n_chars * 3 + pairs.len() * 2 + n_others * 4),
        lens: Vec::with_capacity(n_chars + n_others),
        offsets: Vec::with_capacity(n_chars + n_others + 1),
        docs: Vec::with_capacity(singles.len() + pairs.len() + rest.len()),
        term_entries: Vec::with_capacity(n_chars + n_others),
        doc_entry: &doc_entry,
        is_answer: &is_answer,
    };
    out.offsets.push(0);
    for k in 1..n_others {
        if others.get(k - 1) >= others.get(k) {
            return Err(bad("terms repeat or are out of order"));
        }
    }
    let char_at = |r: usize| chars[by_code[r] as usize];
    let mut oi = 0usize;
    // Other terms before `han` (one or two characters); an equal one is an error.
    let mut others_before = |out: &mut Terms, han: &[char]| -> Result<(), Inconsistent> {
        let mut buf = [0u8; 8];
        let mut len = 0;
        for c in han {
            len += c.encode_utf8(&mut buf[len..]).len();
        }
        let text = std::str::from_utf8(&buf[..len]).unwrap_or("");
        while oi < n_others && others.get(oi) <= text {
            if others.get(oi) == text {
                return Err(bad("terms repeat or are out of order"));
            }
            out.push_run(
                others.get(oi),
                &rest[other_at[oi] as usize..o_end[oi] as usize],
            );
            oi += 1;
        }
        Ok(())
    };
    for a in 0..n_chars {
        let first = char_at(a);
        others_before(&mut out, &[first])?;
        out.push_run_chars(&[first], &singles[single_at[a] as usize..s_end[a] as usize]);
        let (mut k, end) = (pair_at[a] as usize, p_end[a] as usize);
        while k < end {
            let b = pairs[k] >> 32;
            let from = k;
            while k < end && pairs[k] >> 32 == b {
                k += 1;
            }
            let pair = [first, char_at(b as usize)];
            others_before(&mut out, &pair)?;
            out.push_pairs(&pair, &pairs[from..k]);
        }
    }
    while oi < n_others {
        out.push_run(
            others.get(oi),
            &rest[other_at[oi] as usize..o_end[oi] as usize],
        );
        oi += 1;
    }
    let Terms {
        blob,
        lens,
        offsets,
        docs: postings,
        term_entries,
        ..
    } = out;
    index.terms = StrTable::from_parts(blob, lens)?;
    index.term_entries = term_entries;
    index.offsets = offsets;
    index.docs = postings;
    index.answer_docs = wire.answer_docs;
    index.words = load_words(&wire.words, &chars)?;
    index.word_counts = wire.word_counts.unpack()?;
    index.words_by_pinyin = wire.words_by_pinyin.unpack()?;
    index.words_by_initials = wire.words_by_initials.unpack()?;
    index.char_by_syllable = wire.char_by_syllable.unpack()?;
    index.latin_words = wire.latin_words;
    index.latin_words.prepare()?;
    Ok(index)
}

/// The term table and postings being rebuilt.
struct Terms<'a> {
    blob: String,
    lens: Vec<u32>,
    offsets: Vec<u32>,
    docs: Vec<u32>,
    term_entries: Vec<u32>,
    doc_entry: &'a [u32],
    is_answer: &'a [bool],
}

impl Terms<'_> {
    fn push_text(&mut self, text: &str) {
        self.blob.push_str(text);
        self.lens.push(text.len() as u32);
    }

    fn push_chars(&mut self, chars: &[char]) {
        let before = self.blob.len();
        for &c in chars {
            self.blob.push(c);
        }
        self.lens.push((self.blob.len() - before) as u32);
    }

    /// A Han term with its documents (ascending, distinct).
    fn push_run_chars(&mut self, chars: &[char], docs: &[u32]) {
        self.push_chars(chars);
        let from = self.docs.len();
        self.docs.extend_from_slice(docs);
        self.close(from);
    }

    /// Counts the entries of a term's documents (answers aside) and closes the term.
    fn close(&mut self, from: usize) {
        let (mut last_entry, mut entries) = (u32::MAX, 0u32);
        for &d in &self.docs[from..] {
            let e = self.doc_entry[d as usize];
            if e != last_entry && !self.is_answer[d as usize] {
                entries += 1;
                last_entry = e;
            }
        }
        self.offsets.push(self.docs.len() as u32);
        self.term_entries.push(entries);
    }

    /// A term with its documents (ascending, distinct).
    fn push_run(&mut self, text: &str, docs: &[u32]) {
        self.push_text(text);
        let from = self.docs.len();
        self.docs.extend_from_slice(docs);
        self.close(from);
    }

    /// A pair with its (second character, document) items (ascending, maybe repeated).
    fn push_pairs(&mut self, pair: &[char], items: &[u64]) {
        self.push_chars(pair);
        let from = self.docs.len();
        let mut last = u64::MAX;
        for &x in items {
            if x != last {
                self.docs.push(x as u32);
                last = x;
            }
        }
        self.close(from);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two entries: "发票怎么开" (doc 0) with its answer (doc 1), "退货" (doc 2) with its
    /// answer (doc 3); features as the analyser makes them.
    fn sample() -> Index {
        let mut lists: Vec<(&str, Vec<u32>)> = vec![
            ("?how", vec![0]),
            ("发", vec![0, 1]),
            ("发票", vec![0, 1]),
            ("开", vec![0]),
            ("票", vec![0, 1]),
            ("票开", vec![0]),
            ("货", vec![2, 3]),
            ("退", vec![2, 3]),
            ("退货", vec![2, 3]),
            ("7", vec![3]),
        ];
        lists.sort_by(|a, b| a.0.cmp(b.0));
        let terms: Vec<&str> = lists.iter().map(|l| l.0).collect();
        let mut offsets = vec![0];
        let mut docs = Vec::new();
        for (_, d) in &lists {
            docs.extend_from_slice(d);
            offsets.push(docs.len() as u32);
        }
        let is_answer = |d: u32| d % 2 == 1;
        let term_entries = lists
            .iter()
            .map(|(_, d)| {
                let mut e: Vec<u32> = d
                    .iter()
                    .filter(|&&d| !is_answer(d))
                    .map(|d| d / 2)
                    .collect();
                e.dedup();
                e.len() as u32
            })
            .collect();
        Index {
            terms: StrTable::from_sorted(&terms),
            term_entries,
            offsets,
            docs,
            entry_docs: vec![2, 2],
            answer_docs: true,
            words: StrTable::from_sorted(&["发票", "退货", "𠀀票"]),
            words_by_pinyin: vec![0, 1],
            words_by_initials: vec![1],
            char_by_syllable: vec![0, '发' as u32],
            ..Index::default()
        }
    }

    fn load_wire(wire: IndexV4, entry_docs: &[u32]) -> Result<Index, Inconsistent> {
        load(IndexV4 {
            entry_docs: PackedU32::pack(entry_docs.iter().copied()),
            ..wire
        })
    }

    #[test]
    fn streams_give_back_the_same_index() {
        let index = sample();
        let wire = store(&index);
        let back = load_wire(wire.clone(), &index.entry_docs).expect("loads");
        assert!(back == index, "{back:?}\n{index:?}");
        // Seven features of 发票怎么开's document cost four characters and a marker.
        let symbols = wire.streams.unpack().unwrap();
        assert!(symbols.len() < index.docs.len(), "{symbols:?}");
    }

    #[test]
    fn forged_streams_are_refused() {
        let index = sample();
        let good = store(&index);
        let chars = good.chars.unpack().unwrap().len() as u32;
        let others = good.others.len() as u32;
        let with_streams = |symbols: Vec<u32>| IndexV4 {
            streams: PackedU32::pack(symbols),
            ..good.clone()
        };
        for (what, wire, entry_docs) in [
            (
                "symbol past the terms",
                with_streams(vec![2 + chars + others, 0, 0, 0, 0]),
                vec![2, 2],
            ),
            (
                "unended document",
                with_streams(vec![0, 0, 0, 2]),
                vec![2, 2],
            ),
            ("more documents claimed", good.clone(), vec![2, 3]),
            ("fewer documents claimed", good.clone(), vec![1, 2]),
            ("billions claimed", good.clone(), vec![u32::MAX, u32::MAX]),
            (
                "a character twice",
                IndexV4 {
                    chars: PackedU32::pack(vec!['发' as u32; chars as usize]),
                    ..good.clone()
                },
                vec![2, 2],
            ),
            (
                "not a Han character",
                IndexV4 {
                    chars: PackedU32::pack((0..chars).map(|k| 'a' as u32 + k)),
                    ..good.clone()
                },
                vec![2, 2],
            ),
            (
                "an other term equal to a Han one",
                IndexV4 {
                    others: StrTable::from_sorted(&["7", "?how", "发"]),
                    ..good.clone()
                },
                vec![2, 2],
            ),
            (
                "words ending early",
                IndexV4 {
                    words: PackedU32::pack([0, 3, 1]),
                    ..good.clone()
                },
                vec![2, 2],
            ),
            (
                "a word sharing more than there was",
                IndexV4 {
                    words: PackedU32::pack([2, 1, 1]),
                    ..good.clone()
                },
                vec![2, 2],
            ),
        ] {
            assert!(load_wire(wire, &entry_docs).is_err(), "{what}");
        }
        assert!(load_wire(good, &[2, 2]).is_ok());
    }
}
