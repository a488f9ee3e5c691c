//! Generates the character tables compiled into every knowledge base, from the `hanconv`
//! (OpenCC dictionaries) and `pinyin` (pinyin-data) crates.
//!
//! Kept is what matching needs, no more (the tables travel in every compiled file):
//! traditional → simplified for the traditional characters in common use (those of Big5,
//! the traditional-character standard, as `encoding_rs` encodes it) and pinyin for the
//! 3,755 characters of GB 2312 level 1 (the characters in everyday use); both besides for
//! every character the knowledge base itself writes ([`build_for`]), so its own words can
//! be typed in pinyin and their homophones corrected whatever the characters.

use kefu_core::tables::CharTables;
use pinyin::ToPinyin;

const HAN_BLOCKS: [(u32, u32); 3] = [(0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0xF900, 0xFAFF)];

/// Is `c` one of the 3,755 GB 2312 level-1 hanzi (the characters in everyday use)?
fn is_gb2312_level1(c: char) -> bool {
    let mut buf = [0u8; 4];
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(c.encode_utf8(&mut buf));
    !unmappable
        && bytes.len() == 2
        && (0xB0..=0xD7).contains(&bytes[0])
        && (0xA1..=0xFE).contains(&bytes[1])
}

/// Is `c` a character of Big5 (the traditional characters in common use)?
fn is_big5(c: char) -> bool {
    let mut buf = [0u8; 4];
    let (bytes, _, unmappable) = encoding_rs::BIG5.encode(c.encode_utf8(&mut buf));
    !unmappable && bytes.len() == 2
}

/// The toneless reading of `c`, with ü written `v` as customers type it.
fn reading(c: char) -> Option<String> {
    c.to_pinyin().map(|p| p.plain().replace('ü', "v"))
}

/// The simplified form of `c` when it has exactly one and it differs.
fn simplified(c: char) -> Option<char> {
    let s = hanconv::t2s(c.to_string());
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(s), None) if s != c => Some(s),
        _ => None,
    }
}

/// Builds the tables for characters in common use only (see the module comment).
pub fn build() -> CharTables {
    build_for(std::iter::empty::<&str>())
}

/// Builds the tables for characters in common use and every character of `texts` (the
/// knowledge base's sources).
pub fn build_for<'a>(texts: impl IntoIterator<Item = &'a str>) -> CharTables {
    let mut own: Vec<char> = texts
        .into_iter()
        .flat_map(str::chars)
        .filter(|&c| kefu_core::text::is_han(c))
        .collect();
    own.sort_unstable();
    own.dedup();
    let is_own = |c: char| own.binary_search(&c).is_ok();
    let mut t2s = Vec::new();
    for (lo, hi) in HAN_BLOCKS {
        for cp in lo..=hi {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            if !(is_big5(c) || is_own(c)) {
                continue;
            }
            if let Some(s) = simplified(c) {
                t2s.push((c, s));
            }
        }
    }
    // The knowledge base's characters in their simplified form, as the analyser sees them.
    let mut wanted: Vec<char> = own.iter().map(|&c| simplified(c).unwrap_or(c)).collect();
    wanted.sort_unstable();
    wanted.dedup();
    let mut pinyin = Vec::new();
    for cp in 0x4E00..=0x9FFF {
        let Some(c) = char::from_u32(cp) else {
            continue;
        };
        if is_gb2312_level1(c) || wanted.binary_search(&c).is_ok() {
            if let Some(r) = reading(c) {
                pinyin.push((c, r));
            }
        }
    }
    CharTables::from_pairs(t2s, pinyin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_cover_common_characters() {
        let t = build().expand();
        for (trad, simp) in [
            ('發', '发'),
            ('貨', '货'),
            ('麼', '么'),
            ('單', '单'),
            ('號', '号'),
            ('錢', '钱'),
        ] {
            assert_eq!(t.simplify(trad), simp);
        }
        let spell = |c| t.pinyin(c).map(|s| t.syllable(s).to_string());
        assert_eq!(spell('票').as_deref(), Some("piao"));
        assert_eq!(spell('飘').as_deref(), Some("piao"));
        assert_eq!(spell('绿').as_deref(), Some("lv"));
        assert!(is_gb2312_level1('啊') && !is_gb2312_level1('a'));
        assert!(is_big5('發') && !is_big5('a'));
        // A level-2 character has a reading only where the knowledge base writes it.
        assert_eq!(spell('邝'), None);
        let own = build_for(["邝先生的订单"]).expand();
        assert_eq!(own.pinyin('邝').map(|s| own.syllable(s)), Some("kuang"));
    }
}
