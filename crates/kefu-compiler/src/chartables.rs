//! Generates the character tables compiled into every knowledge base, from the `hanconv`
//! (OpenCC dictionaries) and `pinyin` (pinyin-data) crates.
//!
//! Pinyin is kept for the 6,763 characters of GB 2312 (every character in common use) and
//! for every simplified form a traditional character maps to; the rest of Unicode's
//! ideographs are rare enough not to be worth the bytes.

use kefu_core::tables::CharTables;
use pinyin::ToPinyin;

const HAN_BLOCKS: [(u32, u32); 3] = [(0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0xF900, 0xFAFF)];

/// Is `c` one of the GB 2312 hanzi (levels 1 and 2)?
fn is_gb2312_hanzi(c: char) -> bool {
    let mut buf = [0u8; 4];
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(c.encode_utf8(&mut buf));
    !unmappable
        && bytes.len() == 2
        && (0xB0..=0xF7).contains(&bytes[0])
        && (0xA1..=0xFE).contains(&bytes[1])
}

/// The toneless reading of `c`, with ü written `v` as customers type it.
fn reading(c: char) -> Option<String> {
    c.to_pinyin().map(|p| p.plain().replace('ü', "v"))
}

/// Builds the tables.
pub fn build() -> CharTables {
    let mut t2s = Vec::new();
    for (lo, hi) in HAN_BLOCKS {
        for cp in lo..=hi {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            let simplified = hanconv::t2s(c.to_string());
            let mut chars = simplified.chars();
            if let (Some(s), None) = (chars.next(), chars.next()) {
                if s != c {
                    t2s.push((c, s));
                }
            }
        }
    }
    let simplified_targets: std::collections::HashSet<char> = t2s.iter().map(|&(_, s)| s).collect();
    let mut pinyin = Vec::new();
    for cp in 0x4E00..=0x9FFF {
        let Some(c) = char::from_u32(cp) else {
            continue;
        };
        if is_gb2312_hanzi(c) || simplified_targets.contains(&c) {
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
        assert!(is_gb2312_hanzi('啊') && !is_gb2312_hanzi('a'));
    }
}
