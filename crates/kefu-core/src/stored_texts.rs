//! How format 5 stores the entries' texts: as character numbers, not UTF-8.
//!
//! A Chinese character takes three bytes of UTF-8, and gzip (the widget downloads the file
//! gzipped) codes bytes, not characters: the three bytes of one character are three
//! symbols to it. Format 5 therefore lists every character the entries' texts use once,
//! most used first, and writes each text (questions, answers, details and their
//! translations) as the numbers of its characters: one byte for the 192 most used, two
//! for the next 16,128, more for the rest. About a quarter less gzipped for the demo's
//! texts; decoding is one table lookup per character and gives back the very same strings.
//!
//! Symbol bytes: `b < 192` is character `b`; `192 ≤ b < 255` followed by `x` is character
//! `192 + (b − 192) · 256 + x`; `255` followed by a LEB128 number `n` is character
//! `16,320 + n`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::dialogue::Locale;
use crate::kb::{Entry, EntryIdx, EntryTranslation, Timestamp};

const ONE_BYTE: usize = 192;
const TWO_BYTES: usize = ONE_BYTE + (255 - ONE_BYTE) * 256;

/// A text written as character numbers.
#[derive(Debug, Clone, Default, PartialEq)]
struct Coded<'a>(std::borrow::Cow<'a, [u8]>);

impl Serialize for Coded<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(&self.0)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Coded<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Coded<'a>, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Coded<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a coded text")
            }
            fn visit_borrowed_bytes<E>(self, v: &'de [u8]) -> Result<Coded<'de>, E> {
                Ok(Coded(std::borrow::Cow::Borrowed(v)))
            }
            fn visit_bytes<E>(self, v: &[u8]) -> Result<Coded<'de>, E> {
                Ok(Coded(std::borrow::Cow::Owned(v.to_vec())))
            }
        }
        d.deserialize_bytes(Visit)
    }
}

/// An entry as format 5 writes it: [`Entry`] with its texts coded.
#[derive(Serialize, Deserialize)]
struct EntryV5<'a> {
    id: String,
    category: u32,
    #[serde(borrow)]
    question: Coded<'a>,
    #[serde(borrow)]
    similar: Vec<Coded<'a>>,
    #[serde(borrow)]
    answer: Coded<'a>,
    #[serde(borrow)]
    detail: Option<Coded<'a>>,
    priority: i32,
    valid_from: Option<Timestamp>,
    valid_until: Option<Timestamp>,
    tags: Vec<String>,
    follow_ups: Vec<EntryIdx>,
    sensitive: bool,
    #[serde(borrow)]
    translations: Vec<TranslationV5<'a>>,
}

#[derive(Serialize, Deserialize)]
struct TranslationV5<'a> {
    locale: Locale,
    #[serde(borrow)]
    question: Option<Coded<'a>>,
    #[serde(borrow)]
    answer: Coded<'a>,
    #[serde(borrow)]
    detail: Option<Coded<'a>>,
}

/// The entries as format 5 writes them.
#[derive(Serialize, Deserialize)]
struct EntriesV5<'a> {
    /// Every character of the coded texts, most used first.
    chars: String,
    #[serde(borrow)]
    entries: Vec<EntryV5<'a>>,
}

/// Every text of an entry that is coded, in a fixed order.
fn texts(e: &Entry) -> impl Iterator<Item = &str> {
    std::iter::once(e.question.as_str())
        .chain(e.similar.iter().map(String::as_str))
        .chain(std::iter::once(e.answer.as_str()))
        .chain(e.detail.as_deref())
        .chain(e.translations.iter().flat_map(|t| {
            t.question
                .as_deref()
                .into_iter()
                .chain(std::iter::once(t.answer.as_str()))
                .chain(t.detail.as_deref())
        }))
}

/// The character table of `entries`: most used first, then by code point.
fn rank_chars(entries: &[Entry]) -> Vec<char> {
    let mut counts: Vec<(char, u32)> = entries
        .iter()
        .flat_map(texts)
        .flat_map(str::chars)
        .map(|c| (c, 1))
        .collect();
    crate::sort::sort_by_key(&mut counts, |p| p.0);
    let mut merged: Vec<(char, u32)> = Vec::new();
    for (c, n) in counts {
        match merged.last_mut() {
            Some(last) if last.0 == c => last.1 += n,
            _ => merged.push((c, n)),
        }
    }
    crate::sort::sort_by(&mut merged, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    merged.into_iter().map(|p| p.0).collect()
}

struct Encoder {
    /// (character, number), by character.
    by_char: Vec<(char, u32)>,
}

impl Encoder {
    fn code<'a>(&self, text: &str) -> Coded<'a> {
        let mut out = Vec::with_capacity(text.len());
        for c in text.chars() {
            let k = match self.by_char.binary_search_by_key(&c, |p| p.0) {
                Ok(i) => self.by_char[i].1 as usize,
                Err(_) => unreachable!("every character of the texts is ranked"),
            };
            if k < ONE_BYTE {
                out.push(k as u8);
            } else if k < TWO_BYTES {
                let k = k - ONE_BYTE;
                out.push((ONE_BYTE + (k >> 8)) as u8);
                out.push(k as u8);
            } else {
                out.push(255);
                let mut n = k - TWO_BYTES;
                while n >= 0x80 {
                    out.push((n as u8) | 0x80);
                    n >>= 7;
                }
                out.push(n as u8);
            }
        }
        Coded(std::borrow::Cow::Owned(out))
    }
}

/// Why a coded text could not be read.
fn bad<E: serde::de::Error>(what: &str) -> E {
    E::custom(format!("entry texts: {what}"))
}

/// Reads a coded text back. The string grows by at most four bytes per byte read, so its
/// size is bounded by the payload's.
fn decode<E: serde::de::Error>(coded: &Coded, chars: &[char]) -> Result<String, E> {
    let bytes: &[u8] = &coded.0;
    let mut out = String::with_capacity(bytes.len() * 3);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i] as usize;
        i += 1;
        let k = if b < ONE_BYTE {
            b
        } else if b < 255 {
            let x = *bytes
                .get(i)
                .ok_or_else(|| bad("a text ends mid-character"))? as usize;
            i += 1;
            ONE_BYTE + ((b - ONE_BYTE) << 8) + x
        } else {
            let (mut n, mut shift) = (0usize, 0u32);
            loop {
                let x = *bytes
                    .get(i)
                    .ok_or_else(|| bad("a text ends mid-character"))?;
                i += 1;
                if shift > 28 {
                    return Err(bad("a character number overflows"));
                }
                n |= usize::from(x & 0x7f) << shift;
                shift += 7;
                if x & 0x80 == 0 {
                    break;
                }
            }
            TWO_BYTES + n
        };
        out.push(
            *chars
                .get(k)
                .ok_or_else(|| bad("a character number is past the table"))?,
        );
    }
    Ok(out)
}

/// `#[serde(with)]` for [`crate::KnowledgeBase::entries`]: format 5's coded texts.
pub(crate) mod entries {
    use super::*;

    pub fn serialize<S: Serializer>(entries: &[Entry], s: S) -> Result<S::Ok, S::Error> {
        let chars = rank_chars(entries);
        let mut by_char: Vec<(char, u32)> = chars
            .iter()
            .enumerate()
            .map(|(k, &c)| (c, k as u32))
            .collect();
        crate::sort::sort_by_key(&mut by_char, |p| p.0);
        let enc = Encoder { by_char };
        let wire = EntriesV5 {
            chars: chars.iter().collect(),
            entries: entries
                .iter()
                .map(|e| EntryV5 {
                    id: e.id.clone(),
                    category: e.category,
                    question: enc.code(&e.question),
                    similar: e.similar.iter().map(|q| enc.code(q)).collect(),
                    answer: enc.code(&e.answer),
                    detail: e.detail.as_deref().map(|d| enc.code(d)),
                    priority: e.priority,
                    valid_from: e.valid_from,
                    valid_until: e.valid_until,
                    tags: e.tags.clone(),
                    follow_ups: e.follow_ups.clone(),
                    sensitive: e.sensitive,
                    translations: e
                        .translations
                        .iter()
                        .map(|t| TranslationV5 {
                            locale: t.locale,
                            question: t.question.as_deref().map(|q| enc.code(q)),
                            answer: enc.code(&t.answer),
                            detail: t.detail.as_deref().map(|d| enc.code(d)),
                        })
                        .collect(),
                })
                .collect(),
        };
        wire.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Entry>, D::Error> {
        let wire = EntriesV5::deserialize(d)?;
        let chars: Vec<char> = wire.chars.chars().collect();
        let text = |c: &Coded| decode::<D::Error>(c, &chars);
        let opt = |c: &Option<Coded>| c.as_ref().map(text).transpose();
        let mut out = Vec::with_capacity(wire.entries.len());
        for e in wire.entries {
            out.push(Entry {
                question: text(&e.question)?,
                similar: e.similar.iter().map(text).collect::<Result<_, _>>()?,
                answer: text(&e.answer)?,
                detail: opt(&e.detail)?,
                translations: e
                    .translations
                    .iter()
                    .map(|t| {
                        Ok(EntryTranslation {
                            locale: t.locale,
                            question: opt(&t.question)?,
                            answer: text(&t.answer)?,
                            detail: opt(&t.detail)?,
                        })
                    })
                    .collect::<Result<_, D::Error>>()?,
                id: e.id,
                category: e.category,
                priority: e.priority,
                valid_from: e.valid_from,
                valid_until: e.valid_until,
                tags: e.tags,
                follow_ups: e.follow_ups,
                sensitive: e.sensitive,
            });
        }
        Ok(out)
    }
}

/// The entries as format 5 writes them (for size reports).
pub fn encode(entries: &[Entry]) -> Vec<u8> {
    postcard::to_allocvec(&Wrap(entries)).unwrap_or_default()
}

/// The entries' coded parts, each with its encoded bytes (for size reports): the character
/// table, then each kind of text.
pub fn parts(entries: &[Entry]) -> Vec<(&'static str, Vec<u8>)> {
    let bytes = encode(entries);
    let Ok(wire) = postcard::from_bytes::<EntriesV5>(&bytes) else {
        return Vec::new();
    };
    let join = |f: &dyn Fn(&EntryV5) -> Vec<u8>| wire.entries.iter().flat_map(f).collect();
    fn b<T: Serialize>(v: &T) -> Vec<u8> {
        postcard::to_allocvec(v).unwrap_or_default()
    }
    vec![
        ("characters", b(&wire.chars)),
        ("ids", join(&|e| b(&e.id))),
        ("questions", join(&|e| b(&e.question))),
        ("answers", join(&|e| b(&e.answer))),
        ("details", join(&|e| b(&e.detail))),
        ("translations", join(&|e| b(&e.translations))),
        ("tags", join(&|e| b(&e.tags))),
    ]
}

struct Wrap<'a>(&'a [Entry]);

impl Serialize for Wrap<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        entries::serialize(self.0, s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(q: &str, a: &str) -> Entry {
        Entry {
            id: "x".into(),
            category: 0,
            question: q.into(),
            similar: vec!["别的问法".into()],
            answer: a.into(),
            detail: Some("更长的说明。".into()),
            priority: 0,
            valid_from: None,
            valid_until: None,
            tags: vec![],
            follow_ups: vec![],
            sensitive: false,
            translations: vec![EntryTranslation {
                locale: Locale::En,
                question: Some("How?".into()),
                answer: "Like this.".into(),
                detail: None,
            }],
        }
    }

    #[test]
    fn texts_come_back_the_same() {
        // Enough distinct characters for the two- and the longer form.
        let many: String = (0x4E00u32..0x4E00 + 17_000)
            .filter_map(char::from_u32)
            .collect();
        let entries = vec![
            entry("发票怎么开？", "在订单页申请。😀"),
            entry("", &many),
            entry("退货", "7天内可以退。"),
        ];
        let bytes = postcard::to_allocvec(&Wrap(&entries)).unwrap();
        let mut de = postcard::Deserializer::from_bytes(&bytes);
        let back = entries::deserialize(&mut de).unwrap();
        assert_eq!(back, entries);
    }

    #[test]
    fn forged_texts_are_refused() {
        let entries = vec![entry("发票", "开")];
        let chars = rank_chars(&entries);
        for coded in [
            vec![200u8],
            vec![255, 0x80],
            vec![chars.len() as u8],
            vec![255, 0xff, 0xff, 0xff, 0xff, 0x7f],
        ] {
            let r = decode::<postcard::Error>(&Coded(coded.clone().into()), &chars);
            assert!(r.is_err(), "{coded:?}");
        }
        assert_eq!(
            decode::<postcard::Error>(&Coded(vec![0u8].into()), &chars).unwrap(),
            chars[0].to_string()
        );
    }
}
