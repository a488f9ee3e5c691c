//! Normalisation: the first step for every text the engine sees, knowledge base and
//! customer alike, so that both sides meet in one form.
//!
//! - full-width forms → half-width, ASCII and Latin letters → lower case;
//! - traditional → simplified, for every character of the compiled table;
//! - punctuation and symbols → a space; runs of spaces → one;
//! - Chinese numerals before a measure word → digits ("七天" → "7天", "两个月" → "2个月").

use crate::tables::Tables;

/// Queries longer than this many characters are cut: a customer question never needs more,
/// and it bounds the work done on hostile input.
pub const MAX_QUERY_CHARS: usize = 200;

/// Is `c` a CJK ideograph (the unified blocks customers type)?
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Normalises `input` (at most [`MAX_QUERY_CHARS`] characters of it) with `tables`.
pub fn normalize(tables: &Tables, input: &str) -> String {
    let mut out = String::with_capacity(input.len().min(MAX_QUERY_CHARS * 3));
    let mut pending_space = false;
    for c in input.chars().take(MAX_QUERY_CHARS) {
        let c = fold_width(c);
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            if is_han(c) {
                out.push(tables.simplify(c));
            } else {
                out.extend(c.to_lowercase());
            }
        } else if c == '\'' && !pending_space {
            // keep "don't" one word; a quote between spaces is dropped
            continue;
        } else {
            pending_space = true;
        }
    }
    numerals_to_digits(&out)
}

/// Full-width ASCII variants and the ideographic space → their ASCII forms.
fn fold_width(c: char) -> char {
    match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    }
}

const MEASURE_WORDS: &str = "天日号个月年次件元块周岁分秒小台张条位期";

fn numeral_value(c: char) -> Option<u32> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// Reads a Chinese numeral such as "十五", "二十", "三百六十五", "两千"; `None` if malformed.
pub fn parse_chinese_number(s: &str) -> Option<u64> {
    let mut total: u64 = 0;
    let mut section: u64 = 0;
    let mut digit: Option<u64> = None;
    for c in s.chars() {
        if let Some(v) = numeral_value(c) {
            digit = Some(v as u64);
            continue;
        }
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            '万' => 10_000,
            _ => return None,
        };
        if unit == 10_000 {
            section += digit.take().unwrap_or(0);
            total = total.checked_add(section.max(1).checked_mul(unit)?)?;
            section = 0;
        } else {
            section += digit.take().unwrap_or(1) * unit;
        }
    }
    Some(total + section + digit.unwrap_or(0))
}

fn numerals_to_digits(s: &str) -> String {
    if !s.chars().any(|c| numeral_value(c).is_some() || c == '十') {
        return s.to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let is_num = |c: char| numeral_value(c).is_some() || "十百千万".contains(c);
        if is_num(chars[i]) {
            let start = i;
            while i < chars.len() && is_num(chars[i]) {
                i += 1;
            }
            let run: String = chars[start..i].iter().collect();
            let followed_by_measure = chars.get(i).is_some_and(|c| MEASURE_WORDS.contains(*c));
            // "一" alone is too often a word part (一下, 一直); convert it only before a measure word.
            match parse_chinese_number(&run) {
                Some(v) if followed_by_measure => out.push_str(&v.to_string()),
                _ => out.push_str(&run),
            }
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::CharTables;

    fn tables() -> Tables {
        CharTables::from_pairs(
            vec![
                ('發', '发'),
                ('貨', '货'),
                ('麼', '么'),
                ('請', '请'),
                ('問', '问'),
                ('時', '时'),
            ],
            vec![],
        )
        .expand()
    }

    #[test]
    fn folds_width_case_punctuation_and_script() {
        let t = tables();
        assert_eq!(normalize(&t, "請問，什麼時候發貨？？"), "请问 什么时候发货");
        assert_eq!(normalize(&t, "ＡＢＣ１２３　Hello!!"), "abc123 hello");
        assert_eq!(normalize(&t, "  don't   panic "), "dont panic");
    }

    #[test]
    fn converts_numerals_before_measure_words() {
        let t = tables();
        assert_eq!(normalize(&t, "七天无理由"), "7天无理由");
        assert_eq!(normalize(&t, "两个月"), "2个月");
        assert_eq!(normalize(&t, "十五天"), "15天");
        assert_eq!(normalize(&t, "等一下"), "等一下");
        assert_eq!(parse_chinese_number("三百六十五"), Some(365));
        assert_eq!(parse_chinese_number("两千"), Some(2000));
        assert_eq!(parse_chinese_number("三万五千"), Some(35000));
    }

    #[test]
    fn cuts_long_input() {
        let t = tables();
        let long = "退".repeat(MAX_QUERY_CHARS * 10);
        assert_eq!(normalize(&t, &long).chars().count(), MAX_QUERY_CHARS);
    }
}
