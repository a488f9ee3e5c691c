//! The binary file format of a compiled knowledge base.
//!
//! ```text
//! offset  size  field
//! 0       8     magic  b"KEFUKB\r\n"
//! 8       2     format version, little endian
//! 10      2     reserved, zero
//! 12      4     payload length, little endian
//! 16      4     CRC-32 of the payload, little endian
//! 20      …     payload: the KnowledgeBase, postcard-encoded
//! ```
//!
//! Since format 6 the payload starts with one byte saying what the file holds: `0` the whole
//! knowledge base; `1` a first file — a [`CompanionRef`], then the knowledge base with every
//! detailed answer an empty placeholder and no translations of the flows and catalogue; `2`
//! the companion that completes such a first file (those texts, see [`attach`]). `kefu build
//! --split` writes the pair, so the widget answers from the first file and fetches the rest
//! in the background; a whole file is what `kefu build` writes by default.
//!
//! Every way a file can be wrong maps to a [`LoadError`] that says what to do; decoding
//! never panics. When the payload changes shape, bump [`FORMAT_VERSION`], keep a fixture of
//! the old version in `tests/fixtures/`, and either upgrade it here or raise
//! [`FORMAT_OLDEST_SUPPORTED`] so the error tells the operator to rebuild.

use thiserror::Error;

use crate::kb::{CompanionRef, Entry, EntryTranslation, KnowledgeBase};

/// First bytes of every compiled knowledge base.
pub const MAGIC: [u8; 8] = *b"KEFUKB\r\n";
/// The version this build writes.
pub const FORMAT_VERSION: u16 = 6;
/// The oldest version this build still reads.
pub const FORMAT_OLDEST_SUPPORTED: u16 = 1;
/// Size of the fixed header.
pub const HEADER_LEN: usize = 20;

/// Why a knowledge-base file could not be loaded.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum LoadError {
    /// The bytes do not start like a compiled knowledge base.
    #[error(
        "not a kefu knowledge base (wrong magic bytes): compile the sources with `kefu build`"
    )]
    NotAKnowledgeBase,
    /// The file ends before the header or the payload does.
    #[error(
        "knowledge base is truncated ({actual} of {expected} bytes): download or copy it again"
    )]
    Truncated { expected: usize, actual: usize },
    /// Written by a newer compiler than this engine understands.
    #[error("knowledge base format {found} is newer than this widget supports ({supported}): update the widget or rebuild with the matching `kefu`")]
    TooNew { found: u16, supported: u16 },
    /// Written in a format this engine no longer reads.
    #[error("knowledge base format {found} is too old (oldest supported {oldest}): rebuild it with `kefu build`")]
    TooOld { found: u16, oldest: u16 },
    /// The payload does not match its checksum.
    #[error("knowledge base is corrupted (checksum mismatch): rebuild it or copy it again")]
    Corrupted,
    /// The checksum matched but the payload would not decode: a compiler bug or tampering.
    #[error("knowledge base payload could not be decoded ({0}): rebuild it with `kefu build`")]
    Malformed(String),
    /// The payload decoded but its parts do not fit together.
    #[error("knowledge base is inconsistent ({0}): rebuild it with `kefu build`")]
    Inconsistent(String),
    /// A companion file (format 6) was given where the knowledge base was expected.
    #[error("this is the companion of a split knowledge base (its details and translations), not the knowledge base: load the first file `kefu build --split` wrote")]
    IsCompanion,
    /// A companion that does not complete this knowledge base (another build, or a file
    /// that is not a companion).
    #[error("the companion file does not belong to this knowledge base ({0}): copy or download both files of the same build again")]
    CompanionMismatch(String),
}

impl From<crate::index::Inconsistent> for LoadError {
    fn from(e: crate::index::Inconsistent) -> LoadError {
        LoadError::Inconsistent(e.0)
    }
}

/// CRC-32 (IEEE) of `bytes`. Natively crc32fast (SIMD); in the widget's WebAssembly a
/// byte-at-a-time table of 1 KB instead of crc32fast's 16 KB of tables (which gzip cannot
/// shrink), about 1 ms for the demo file.
#[cfg(not(target_arch = "wasm32"))]
fn checksum(bytes: &[u8]) -> u32 {
    crc32fast::hash(bytes)
}

#[cfg(target_arch = "wasm32")]
fn checksum(bytes: &[u8]) -> u32 {
    small_crc32(bytes)
}

/// The table of the reflected CRC-32 polynomial 0xEDB88320, one entry per byte value.
const CRC_TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
};

/// CRC-32 (IEEE), one table lookup per byte: the same value as `crc32fast::hash`.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn small_crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc = CRC_TABLE[((crc ^ u32::from(b)) & 0xFF) as usize] ^ (crc >> 8);
    }
    !crc
}

/// What a format-6 payload holds, its first byte.
const WHOLE: u8 = 0;
const FIRST: u8 = 1;
const COMPANION: u8 = 2;

/// Wraps `payload` in the header.
fn envelope(payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    out.extend_from_slice(&checksum(payload).to_le_bytes());
    out.extend_from_slice(payload);
    out
}

/// Encodes a knowledge base into the versioned, checksummed file format: a whole file, or
/// a first file again when `kb` is one whose companion is not attached.
pub fn encode(kb: &KnowledgeBase) -> Vec<u8> {
    let body = postcard::to_allocvec(kb).expect("a knowledge base always serialises");
    let mut payload = Vec::with_capacity(body.len() + 64);
    match &kb.companion {
        None => payload.push(WHOLE),
        Some(companion) => {
            payload.push(FIRST);
            payload.extend(postcard::to_allocvec(companion).expect("serialises"));
        }
    }
    payload.extend(body);
    envelope(&payload)
}

/// The companion's payload after its first byte: the texts a first answer does not need.
#[derive(serde::Serialize, serde::Deserialize)]
struct CompanionV6 {
    /// The entries (their positions in the first file, ascending) that have a detailed
    /// answer of their own or in a translation.
    entries: Vec<u32>,
    /// One per position of `entries`, only their detailed answers set (their own and per
    /// translation; the translations' locales as in the first file), coded as format 5
    /// codes entry texts.
    #[serde(with = "crate::stored_texts::entries")]
    details: Vec<Entry>,
    /// The flows' and catalogue's translations.
    translations: crate::dialogue::Translations,
}

/// Splits `kb` (a whole knowledge base) into a first file and its companion, written as
/// `companion_file` beside it: returns the bytes of both. The first file answers every
/// question as the whole one does; the companion brings the detailed answers (placeholders
/// in the first file, so the engine still knows which entries have one) and the flows' and
/// catalogue's translations. [`attach`] puts them back, giving the whole knowledge base.
pub fn encode_split(kb: &KnowledgeBase, companion_file: &str) -> (Vec<u8>, Vec<u8>) {
    let mut first = kb.clone();
    let mut locales = Vec::new();
    let mut positions = Vec::new();
    let details = first
        .entries
        .iter_mut()
        .enumerate()
        .filter(|(_, e)| e.detail.is_some() || e.translations.iter().any(|t| t.detail.is_some()))
        .map(|(i, e)| {
            positions.push(i as u32);
            let detail = e.detail.take();
            if detail.is_some() {
                e.detail = Some(String::new());
            }
            let translations = e
                .translations
                .iter_mut()
                .map(|t| {
                    let detail = t.detail.take();
                    if detail.is_some() {
                        t.detail = Some(String::new());
                        locales.push(t.locale);
                    }
                    EntryTranslation {
                        locale: t.locale,
                        question: None,
                        answer: String::new(),
                        detail,
                    }
                })
                .collect();
            Entry {
                detail,
                translations,
                ..Entry::default()
            }
        })
        .collect();
    let translations = std::mem::take(&mut first.dialogue.translations);
    locales.extend(translations.iter().map(|t| t.locale));
    locales.sort();
    locales.dedup();
    let mut payload = vec![COMPANION];
    payload.extend(
        postcard::to_allocvec(&CompanionV6 {
            entries: positions,
            details,
            translations,
        })
        .expect("a companion always serialises"),
    );
    let companion = envelope(&payload);
    first.companion = Some(CompanionRef {
        file: companion_file.to_string(),
        checksum: checksum(&payload),
        locales,
    });
    (encode(&first), companion)
}

/// Completes a first file's knowledge base with its companion's bytes (see
/// [`encode_split`]): afterwards `kb` is the whole knowledge base and
/// [`KnowledgeBase::companion`] is `None`. Checked before anything changes: a companion of
/// another build, a damaged one, or texts that do not fit the entries leave `kb` as it was.
pub fn attach(kb: &mut KnowledgeBase, bytes: &[u8]) -> Result<(), LoadError> {
    let Some(expected) = kb.companion.as_ref().map(|c| c.checksum) else {
        return Err(LoadError::CompanionMismatch(
            "the knowledge base is whole and has no companion".into(),
        ));
    };
    let (version, payload) = open(bytes)?;
    if version < 6 || payload.first() != Some(&COMPANION) {
        return Err(LoadError::CompanionMismatch(
            "the file is not a companion".into(),
        ));
    }
    if checksum(payload) != expected {
        return Err(LoadError::CompanionMismatch(
            "it was written by another build".into(),
        ));
    }
    let (companion, rest): (CompanionV6, _) = postcard::take_from_bytes(&payload[1..])
        .map_err(|e| LoadError::Malformed(e.to_string()))?;
    if !rest.is_empty() {
        return Err(LoadError::Malformed(format!(
            "{} trailing bytes",
            rest.len()
        )));
    }
    let inconsistent = |what: &str| Err(LoadError::Inconsistent(format!("companion: {what}")));
    let n = kb.entries.len();
    let ascending = companion.entries.windows(2).all(|w| w[0] < w[1]);
    if companion.details.len() != companion.entries.len()
        || !ascending
        || companion.entries.last().is_some_and(|&i| i as usize >= n)
    {
        return inconsistent("the details do not name the entries in order");
    }
    // A text fills a placeholder, and every placeholder gets a text.
    let fits = |placeholder: &Option<String>, text: &Option<String>| match (placeholder, text) {
        (Some(p), Some(_)) => p.is_empty(),
        (p, None) => p.as_deref().is_none_or(|p| !p.is_empty()),
        (None, Some(_)) => false,
    };
    let mut listed = companion.entries.iter().zip(&companion.details).peekable();
    for (i, e) in kb.entries.iter().enumerate() {
        let c = listed.next_if(|(&at, _)| at as usize == i).map(|(_, c)| c);
        let ok = match c {
            Some(c) => {
                fits(&e.detail, &c.detail)
                    && e.translations.len() == c.translations.len()
                    && e.translations
                        .iter()
                        .zip(&c.translations)
                        .all(|(t, ct)| t.locale == ct.locale && fits(&t.detail, &ct.detail))
            }
            None => fits(&e.detail, &None) && e.translations.iter().all(|t| fits(&t.detail, &None)),
        };
        if !ok {
            return inconsistent("the details do not fit the entries");
        }
    }
    if !kb.dialogue.translations.is_empty() {
        return inconsistent("the first file has translations of its own");
    }
    companion
        .translations
        .check()
        .map_err(LoadError::Inconsistent)?;
    for (&i, c) in companion.entries.iter().zip(companion.details) {
        let e = &mut kb.entries[i as usize];
        if c.detail.is_some() {
            e.detail = c.detail;
        }
        for (t, ct) in e.translations.iter_mut().zip(c.translations) {
            if ct.detail.is_some() {
                t.detail = ct.detail;
            }
        }
    }
    kb.dialogue.translations = companion.translations;
    kb.companion = None;
    Ok(())
}

/// Size in bytes of any part of a knowledge base once encoded (for size reports).
pub fn payload_len<T: serde::Serialize>(value: &T) -> usize {
    postcard::to_allocvec(value).map_or(0, |v| v.len())
}

/// Reads the header and returns the format version and the checked payload.
pub fn open(bytes: &[u8]) -> Result<(u16, &[u8]), LoadError> {
    if bytes.len() < MAGIC.len() || bytes[..MAGIC.len()] != MAGIC {
        // A short prefix of the magic is a truncated file, anything else is foreign.
        if bytes.len() < MAGIC.len() && MAGIC.starts_with(bytes) && !bytes.is_empty() {
            return Err(LoadError::Truncated {
                expected: HEADER_LEN,
                actual: bytes.len(),
            });
        }
        return Err(LoadError::NotAKnowledgeBase);
    }
    if bytes.len() < HEADER_LEN {
        return Err(LoadError::Truncated {
            expected: HEADER_LEN,
            actual: bytes.len(),
        });
    }
    let u16_at = |i: usize| u16::from_le_bytes([bytes[i], bytes[i + 1]]);
    let u32_at =
        |i: usize| u32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
    let version = u16_at(8);
    if version > FORMAT_VERSION {
        return Err(LoadError::TooNew {
            found: version,
            supported: FORMAT_VERSION,
        });
    }
    if version < FORMAT_OLDEST_SUPPORTED {
        return Err(LoadError::TooOld {
            found: version,
            oldest: FORMAT_OLDEST_SUPPORTED,
        });
    }
    if u16_at(10) != 0 {
        return Err(LoadError::Malformed(
            "reserved header bytes are not zero".into(),
        ));
    }
    let len = u32_at(12) as usize;
    let expected = HEADER_LEN.saturating_add(len);
    if bytes.len() < expected {
        return Err(LoadError::Truncated {
            expected,
            actual: bytes.len(),
        });
    }
    let payload = &bytes[HEADER_LEN..expected];
    if checksum(payload) != u32_at(16) {
        return Err(LoadError::Corrupted);
    }
    Ok((version, payload))
}

/// Decodes a knowledge base file. See [`crate::Engine::load`] for the usual entry point.
pub fn decode(bytes: &[u8]) -> Result<KnowledgeBase, LoadError> {
    let (version, payload) = open(bytes)?;
    // The upgrade chain: v1 (no locale packs) → v2 (no per-language texts, no priced
    // attributes) → v3 (the index stored field by field, no translated questions) → v4 (no
    // translated flows and catalogue; texts as UTF-8, whole locale packs) → v5 → v6 (v5's
    // knowledge base after a byte saying whether the file is whole, first or companion). The index
    // comes apart from the rest, so its size is checked against the payload before it is
    // unpacked.
    let malformed = |e: postcard::Error| LoadError::Malformed(e.to_string());
    enum Stored {
        V3(crate::index::IndexV3),
        V4(crate::stored_index::IndexV4),
    }
    let ((mut kb, index), rest) = match version {
        1 => {
            let (v1, rest): (crate::dialogue::compat::KnowledgeBaseV1, _) =
                postcard::take_from_bytes(payload).map_err(malformed)?;
            let (kb, index) = v1.upgrade();
            ((kb, Stored::V3(index)), rest)
        }
        2 => {
            let (v2, rest): (crate::dialogue::compat::KnowledgeBaseV2, _) =
                postcard::take_from_bytes(payload).map_err(malformed)?;
            let (kb, index) = v2.upgrade();
            ((kb, Stored::V3(index)), rest)
        }
        3 => {
            let (v3, rest): (crate::dialogue::compat::KnowledgeBaseV3, _) =
                postcard::take_from_bytes(payload).map_err(malformed)?;
            let (kb, index) = v3.upgrade();
            ((kb, Stored::V3(index)), rest)
        }
        4 => {
            let (v4, rest): (KnowledgeBaseV4, _) =
                postcard::take_from_bytes(payload).map_err(malformed)?;
            let (kb, index) = v4.split();
            ((kb, Stored::V4(index)), rest)
        }
        5 => {
            let (v5, rest): (KnowledgeBaseV5, _) =
                postcard::take_from_bytes(payload).map_err(malformed)?;
            let (kb, index) = v5.split();
            ((kb, Stored::V4(index)), rest)
        }
        // Format 6: what the file holds, then format 5's knowledge base (a first file names
        // its companion before it).
        _ => {
            let (kind, body) = payload
                .split_first()
                .ok_or_else(|| LoadError::Malformed("empty payload".into()))?;
            let (companion, body) = match *kind {
                WHOLE => (None, body),
                FIRST => {
                    let (companion, body): (CompanionRef, _) =
                        postcard::take_from_bytes(body).map_err(malformed)?;
                    // A plain file name beside the first file: never a path or a URL.
                    let name = &companion.file;
                    if name.is_empty()
                        || name.starts_with('.')
                        || name.contains(['/', '\\', ':', '?', '#', '%'])
                    {
                        return Err(LoadError::Malformed(format!(
                            "the companion's name {name:?} is not a plain file name"
                        )));
                    }
                    (Some(companion), body)
                }
                COMPANION => return Err(LoadError::IsCompanion),
                other => {
                    return Err(LoadError::Malformed(format!(
                        "unknown kind of file {other}"
                    )))
                }
            };
            let (v5, rest): (KnowledgeBaseV5, _) =
                postcard::take_from_bytes(body).map_err(malformed)?;
            let (mut kb, index) = v5.split();
            kb.companion = companion;
            ((kb, Stored::V4(index)), rest)
        }
    };
    if !rest.is_empty() {
        return Err(LoadError::Malformed(format!(
            "{} trailing bytes",
            rest.len()
        )));
    }
    kb.index = match index {
        Stored::V3(index) => {
            check_sizes(index.claimed_docs(), payload.len())?;
            index.upgrade()?
        }
        Stored::V4(index) => {
            let claimed = crate::index::claimed_docs(&index.entry_docs()?);
            check_sizes(claimed, payload.len())?;
            crate::stored_index::load(index)?
        }
    };
    Ok(kb)
}

/// The format-5 payload, its index as stored ([`KnowledgeBase`] writes this shape, also
/// inside format 6's envelope): the
/// entries' texts as character numbers ([`crate::stored_texts`]), the locale packs without
/// their built-in parts ([`crate::stored_dialogue`]).
#[derive(serde::Deserialize)]
struct KnowledgeBaseV5 {
    meta: crate::kb::Meta,
    settings: crate::kb::Settings,
    categories: Vec<crate::kb::Category>,
    #[serde(with = "crate::stored_texts::entries")]
    entries: Vec<crate::kb::Entry>,
    synonyms: Vec<Vec<String>>,
    #[serde(with = "crate::stored_dialogue::dialogue")]
    dialogue: crate::dialogue::DialogueConfig,
    tables: crate::tables::CharTables,
    index: crate::stored_index::IndexV4,
    model: crate::model::Model,
}

impl KnowledgeBaseV5 {
    fn split(self) -> (KnowledgeBase, crate::stored_index::IndexV4) {
        let kb = KnowledgeBase {
            meta: self.meta,
            settings: self.settings,
            categories: self.categories,
            entries: self.entries,
            synonyms: self.synonyms,
            dialogue: self.dialogue,
            tables: self.tables,
            index: crate::index::Index::default(),
            model: self.model,
            companion: None,
        };
        (kb, self.index)
    }
}

/// The format-4 payload: format 5's with the conversation settings of format 4 (no
/// translated flows and catalogue), the entries' texts as UTF-8 and the locale packs whole.
#[derive(serde::Deserialize)]
struct KnowledgeBaseV4 {
    meta: crate::kb::Meta,
    settings: crate::kb::Settings,
    categories: Vec<crate::kb::Category>,
    entries: Vec<crate::kb::Entry>,
    synonyms: Vec<Vec<String>>,
    dialogue: crate::dialogue::compat::DialogueConfigV4,
    tables: crate::tables::CharTables,
    index: crate::stored_index::IndexV4,
    model: crate::model::Model,
}

impl KnowledgeBaseV4 {
    fn split(self) -> (KnowledgeBase, crate::stored_index::IndexV4) {
        KnowledgeBaseV5 {
            meta: self.meta,
            settings: self.settings,
            categories: self.categories,
            entries: self.entries,
            synonyms: self.synonyms,
            dialogue: self.dialogue.upgrade(),
            tables: self.tables,
            index: self.index,
            model: self.model,
        }
        .split()
    }
}

/// Every buffer the engine derives from the decoded numbers must stay proportional to the
/// payload: a file with a valid checksum could otherwise claim billions of documents and
/// make the loader allocate gigabytes. Each question text costs at least one byte of the
/// payload (its features' postings, or its text), so more documents than payload bytes is
/// a forged file.
fn check_sizes(docs: u64, payload_len: usize) -> Result<(), LoadError> {
    if docs > payload_len as u64 {
        return Err(LoadError::Inconsistent(format!(
            "{docs} documents claimed in a payload of {payload_len} bytes"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_crc32_equals_crc32fast() {
        assert_eq!(small_crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(small_crc32(b""), 0);
        let mut x = 0x9E37_79B9u32;
        let bytes: Vec<u8> = (0..100_000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                x as u8
            })
            .collect();
        for len in [1, 7, 64, 1000, 100_000] {
            assert_eq!(
                small_crc32(&bytes[..len]),
                crc32fast::hash(&bytes[..len]),
                "{len}"
            );
        }
    }
}
