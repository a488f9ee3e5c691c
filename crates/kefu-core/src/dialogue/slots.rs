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

/// Phone numbers, digits only (a leading `+` kept for an international number):
/// - mainland mobiles (11 digits from 13…–19…, also 138-1234-5678 or +86 138 1234 5678);
/// - numbers in international form, `+` and 8–15 digits (+44 7700 900123, +852 9123 4567);
/// - national numbers written as phones, in groups with a trunk 0 (07700 900123,
///   030-1234567) or as (415) 555-0132 / 415-555-0132.
///
/// A bare run of digits that is not a mainland mobile is not a phone: it may be an order
/// number, an amount or a date.
pub fn phone_numbers(light: &str) -> Vec<String> {
    let chars: Vec<char> = light.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let Some(run) = PhoneRun::read(&chars, i) else {
            i += 1;
            continue;
        };
        if let Some(number) = run.phone() {
            out.push(number);
        }
        i = run.end.max(i + 1);
    }
    out
}

/// A run of digits that may be a phone: an optional `+` or `(`, digit groups separated by
/// single spaces, dashes, dots or brackets.
pub(super) struct PhoneRun {
    pub plus: bool,
    pub digits: String,
    /// The length of each group of digits, in order.
    pub groups: Vec<usize>,
    /// Where the run ends (a char index).
    pub end: usize,
}

/// At most this many digits in one phone number (E.164).
const MAX_PHONE_DIGITS: usize = 15;

impl PhoneRun {
    /// The run starting at `i`, if a number starts there (not inside a word or a longer
    /// number).
    pub fn read(chars: &[char], i: usize) -> Option<PhoneRun> {
        let after_word = i > 0 && (chars[i - 1].is_ascii_alphanumeric() || chars[i - 1] == '+');
        let digit_at = |k: usize| chars.get(k).is_some_and(char::is_ascii_digit);
        let (plus, open, first) = match chars[i] {
            '+' if digit_at(i + 1) => (true, false, i + 1),
            '(' if digit_at(i + 1) => (false, true, i + 1),
            c if c.is_ascii_digit() => (false, false, i),
            _ => return None,
        };
        if after_word {
            return None;
        }
        let mut digits = String::new();
        let mut groups = vec![0];
        let mut j = first;
        let mut end = first;
        let mut bracket = open;
        while j < chars.len() && digits.len() <= MAX_PHONE_DIGITS {
            let c = chars[j];
            if c.is_ascii_digit() {
                digits.push(c);
                *groups.last_mut().unwrap() += 1;
                j += 1;
                end = j;
                continue;
            }
            // One separator between groups ("(415) 555", "7700 900"), never two in a row
            // except a closing bracket and a space.
            let closes = c == ')' && bracket;
            let step = if closes && chars.get(j + 1) == Some(&' ') {
                2
            } else {
                1
            };
            let separator = closes || matches!(c, ' ' | '-' | '.');
            if !separator || !digit_at(j + step) {
                break;
            }
            if closes {
                bracket = false;
            }
            groups.push(0);
            j += step;
        }
        if digits.is_empty() {
            return None;
        }
        Some(PhoneRun {
            plus,
            digits,
            groups,
            end,
        })
    }

    /// The phone number this run is, if it is shaped like one.
    pub fn phone(&self) -> Option<String> {
        let d = self.digits.as_str();
        if let Some(mobile) = d.strip_prefix("86").filter(|m| is_mobile(m)) {
            return Some(mobile.to_string());
        }
        if self.plus {
            return (8..=MAX_PHONE_DIGITS)
                .contains(&d.len())
                .then(|| format!("+{d}"));
        }
        if is_mobile(d) {
            return Some(d.to_string());
        }
        let grouped = self.groups.len() > 1;
        let national =
            grouped && d.starts_with('0') && !d.starts_with("00") && (10..=11).contains(&d.len());
        let north_american = self.groups == [3, 3, 4] && !d.starts_with(['0', '1']);
        (national || north_american).then(|| d.to_string())
    }
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

    #[test]
    fn reads_phones_of_other_countries_and_not_other_numbers() {
        let phones = |s: &str| phone_numbers(s);
        assert_eq!(phones("call me on 07700 900123"), vec!["07700900123"]);
        assert_eq!(phones("+44 7700 900123 please"), vec!["+447700900123"]);
        assert_eq!(phones("电话 +852 9123 4567"), vec!["+85291234567"]);
        assert_eq!(phones("+86 138 1234 5678"), vec!["13812345678"]);
        assert_eq!(phones("(415) 555-0132"), vec!["4155550132"]);
        assert_eq!(
            phones("415-555-0132 or 030-1234567"),
            vec!["4155550132", "0301234567"]
        );
        assert_eq!(phones("13812345678"), vec!["13812345678"]);
        // Dates, amounts, order numbers and codes are not phones.
        for other in [
            "2026-12-01",
            "order 0123456789",
            "1,500 pounds",
            "under 1500",
            "SC104233",
            "12.05.2026",
            "+1",
            "0123 4567 8901 2345",
        ] {
            assert!(phones(other).is_empty(), "{other}: {:?}", phones(other));
        }
    }
}
