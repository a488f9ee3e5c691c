//! Slots read from one sentence: order numbers (the shop's pattern), phone numbers, e-mail
//! addresses, tax numbers, amounts and budgets ("200以内", "三千块左右", "1-2k"), quantities
//! and dates ("昨天", "上周五").
//!
//! Extraction works on a lightly normalised text ([`prepare`]) that keeps the punctuation
//! order numbers and e-mails need.

use super::calendar::relative_date;
use super::lexicon;
use super::money::{self, Budget};
use super::pattern::Pattern;
use crate::tables::Tables;
use crate::text::{is_han, MAX_QUERY_CHARS};

/// What one message says, slot by slot.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extracted {
    /// Order numbers by the shop's pattern (phone-shaped numbers only after "订单").
    pub order_numbers: Vec<String>,
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    pub budget: Option<Budget>,
    /// "两件", "3个".
    pub quantity: Option<u32>,
    /// A local day number.
    pub date: Option<i64>,
}

/// Full-width → half-width, lower case, traditional → simplified; punctuation kept.
pub fn prepare(tables: &Tables, raw: &str) -> String {
    raw.chars()
        .take(MAX_QUERY_CHARS * 2)
        .map(|c| match c as u32 {
            0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            0x3000 => ' ',
            _ if is_han(c) => tables.simplify(c),
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Reads every slot of `light` (see [`prepare`]); `today` is the local day number.
pub fn extract(
    light: &str,
    order_pattern: &Pattern,
    order_words: &[String],
    today: i64,
) -> Extracted {
    let phones = phone_numbers(light);
    let mut order_numbers = Vec::new();
    for number in order_pattern.find_all(light) {
        let labelled = light.find(&number.to_lowercase()).is_some_and(|at| {
            let before: String = light[..at]
                .chars()
                .rev()
                .take(6)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            lexicon::any(&before, order_words)
        });
        if labelled || !phones.contains(&number) {
            order_numbers.push(number);
        }
    }
    let phones = phones
        .into_iter()
        .filter(|p| !order_numbers.contains(p))
        .collect();
    let (budget, quantity) = money::read(light);
    Extracted {
        order_numbers,
        phones,
        emails: emails(light),
        budget,
        quantity,
        date: relative_date(light, today),
    }
}

/// Mainland mobile numbers (11 digits from 13…–19…), also written 138-1234-5678.
pub fn phone_numbers(light: &str) -> Vec<String> {
    let chars: Vec<char> = light.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() || (i > 0 && chars[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        let mut digits = String::new();
        let mut j = i;
        while j < chars.len() {
            if chars[j].is_ascii_digit() {
                digits.push(chars[j]);
            } else if !(matches!(chars[j], ' ' | '-')
                && chars.get(j + 1).is_some_and(char::is_ascii_digit)
                && digits.len() < 11)
            {
                break;
            }
            j += 1;
        }
        let digits = digits
            .strip_prefix("86")
            .filter(|d| d.len() == 11)
            .map(String::from)
            .unwrap_or(digits);
        if is_mobile(&digits) {
            out.push(digits);
        }
        i = j.max(i + 1);
    }
    out
}

fn is_mobile(digits: &str) -> bool {
    let b = digits.as_bytes();
    b.len() == 11
        && b[0] == b'1'
        && (b'3'..=b'9').contains(&b[1])
        && b.iter().all(u8::is_ascii_digit)
}

/// E-mail addresses, as written (lower case).
pub fn emails(light: &str) -> Vec<String> {
    let is_local = |c: char| c.is_ascii_alphanumeric() || "._%+-".contains(c);
    let is_domain = |c: char| c.is_ascii_alphanumeric() || ".-".contains(c);
    let mut out = Vec::new();
    for (at, _) in light.match_indices('@') {
        let local_start = light[..at]
            .char_indices()
            .rev()
            .take_while(|&(_, c)| is_local(c))
            .last()
            .map_or(at, |(i, _)| i);
        let domain_end = light[at + 1..]
            .char_indices()
            .take_while(|&(_, c)| is_domain(c))
            .last()
            .map_or(at + 1, |(i, c)| at + 1 + i + c.len_utf8());
        let local = &light[local_start..at];
        let domain = light[at + 1..domain_end].trim_end_matches('.');
        let tld_ok = domain
            .rsplit_once('.')
            .is_some_and(|(host, tld)| !host.is_empty() && tld.len() >= 2);
        if !local.is_empty() && tld_ok {
            out.push(format!("{local}@{domain}"));
        }
    }
    out
}

/// A tax number (纳税人识别号): a run of 15, 18 or 20 digits and letters, mostly digits.
pub fn find_tax_number(light: &str) -> Option<String> {
    light
        .split(|c: char| !c.is_ascii_alphanumeric())
        .map(str::to_ascii_uppercase)
        .find(|code| {
            matches!(code.len(), 15 | 18 | 20)
                && code.chars().filter(char::is_ascii_digit).count() >= 8
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_contacts_and_codes() {
        let p = Pattern::parse(r"\d{6,20}").unwrap();
        let words = vec!["订单".to_string()];
        let e = extract(
            "我的订单123456发货了吗 电话138-1234-5678 邮箱 li.ming@example.com",
            &p,
            &words,
            0,
        );
        assert_eq!(e.order_numbers, vec!["123456"]);
        assert_eq!(e.phones, vec!["13812345678"]);
        assert_eq!(e.emails, vec!["li.ming@example.com"]);
        let e = extract("订单号13812345678", &p, &words, 0);
        assert_eq!(e.order_numbers, vec!["13812345678"]);
        assert!(e.phones.is_empty());
        assert_eq!(
            find_tax_number("税号是91330106ma2h3abc1x"),
            Some("91330106MA2H3ABC1X".into())
        );
        assert_eq!(find_tax_number("hello"), None);
    }
}
