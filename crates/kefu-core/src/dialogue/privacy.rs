//! Masking personal data before a transcript leaves the device for an agent or a log:
//! phone numbers (138****5678), e-mail addresses (l***@example.com), ID numbers and bank
//! cards (all but the last four), order numbers partly (1234****9012).

use super::slots::PhoneRun;

/// Masks every phone number, e-mail address, ID or card number and order number in `text`.
///
/// ```
/// use kefu_core::dialogue::privacy::mask;
/// assert_eq!(mask("电话13812345678，邮箱li.ming@example.com"), "电话138****5678，邮箱l***@example.com");
/// assert_eq!(mask("订单123456789012"), "订单1234****9012");
/// assert_eq!(mask("call me on +44 7700 900123"), "call me on +4477****0123");
/// ```
pub fn mask(text: &str) -> String {
    let folded: Vec<char> = text
        .chars()
        .map(|c| match c as u32 {
            0xFF10..=0xFF19 | 0xFF20..=0xFF3A | 0xFF41..=0xFF5A => {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
            _ => c,
        })
        .collect();
    let with_emails = mask_emails(&folded);
    mask_numbers(&with_emails)
}

/// Masks the given codes (order numbers with letters, such as `XD202611190002`) wherever
/// they occur, ignoring case, the way plain numbers are masked: the first and last four
/// characters stay (`XD20******0002`), shorter codes keep their last four.
///
/// ```
/// use kefu_core::dialogue::privacy::mask_codes;
/// let codes = vec!["XD202611190002".to_string()];
/// assert_eq!(mask_codes("单号xd202611190002到了吗", &codes), "单号XD20******0002到了吗");
/// ```
pub fn mask_codes(text: &str, codes: &[String]) -> String {
    let mut out = text.to_string();
    for code in codes {
        let n = code.chars().count();
        if n < 6 || !code.is_ascii() {
            continue;
        }
        let keep_head = if n >= 10 { 4 } else { 0 };
        let masked: String = code
            .chars()
            .enumerate()
            .map(|(i, c)| {
                if i < keep_head || i >= n - 4 {
                    c.to_ascii_uppercase()
                } else {
                    '*'
                }
            })
            .collect();
        let upper = code.to_ascii_uppercase();
        let mut from = 0;
        // ASCII upper-casing keeps byte offsets.
        while let Some(at) = out.to_ascii_uppercase()[from..].find(&upper) {
            let at = from + at;
            out.replace_range(at..at + code.len(), &masked);
            from = at + masked.len();
        }
    }
    out
}

fn mask_emails(chars: &[char]) -> Vec<char> {
    let is_local = |c: char| c.is_ascii_alphanumeric() || "._%+-".contains(c);
    let mut out = Vec::with_capacity(chars.len());
    let mut copied = 0;
    for at in (0..chars.len()).filter(|&i| chars[i] == '@') {
        let mut start = at;
        while start > copied && is_local(chars[start - 1]) {
            start -= 1;
        }
        let has_domain = chars.get(at + 1).is_some_and(|c| c.is_ascii_alphanumeric());
        if start == at || !has_domain {
            continue;
        }
        out.extend(&chars[copied..=start]);
        out.extend(['*', '*', '*']);
        copied = at;
    }
    out.extend(&chars[copied..]);
    out
}

fn mask_numbers(chars: &[char]) -> String {
    let mut out = String::with_capacity(chars.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        // A phone number in any of the shapes the slots read (+44 7700 900123, 07700 900123)
        // is masked whole, its groups and prefix included.
        if let Some(run) = PhoneRun::read(chars, i).filter(|run| run.phone().is_some()) {
            if run.plus {
                out.push('+');
            }
            out.push_str(&mask_digits(&run.digits));
            i = run.end;
            continue;
        }
        let starts_run =
            chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_ascii_alphanumeric());
        if !starts_run {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        // A run of digits, allowing single spaces or dashes between groups (138-1234-5678)
        // and a final X (ID numbers).
        let mut digits = String::new();
        let mut j = i;
        let mut end = i;
        let mut first_group: Option<(usize, usize)> = None;
        let mut groups: Vec<usize> = Vec::new();
        let mut group_start = 0;
        while j < chars.len() {
            let c = chars[j];
            if c.is_ascii_digit() || (matches!(c, 'x' | 'X') && digits.len() == 17) {
                digits.push(c.to_ascii_uppercase());
                j += 1;
                end = j;
            } else if matches!(c, ' ' | '-')
                && chars.get(j + 1).is_some_and(char::is_ascii_digit)
                && digits.len() < 19
            {
                first_group.get_or_insert((end, digits.len()));
                groups.push(digits.len() - group_start);
                group_start = digits.len();
                j += 1;
            } else {
                break;
            }
        }
        groups.push(digits.len() - group_start);
        // Separated groups are one number only when shaped like a phone (138-1234-5678) or a
        // card (6222 0202 0011 2233); a date (2026-11-13) is not.
        if let Some((group_end, group_len)) = first_group {
            let phone = digits.len() == 11 && groups[0] == 3;
            let card = (16..=19).contains(&digits.len())
                && groups[..groups.len() - 1].iter().all(|&g| g == 4);
            if !phone && !card {
                end = group_end;
                digits.truncate(group_len);
            }
        }
        let touches_letter = chars.get(end).is_some_and(|c| c.is_ascii_alphabetic());
        if digits.len() < 6 || touches_letter {
            out.extend(&chars[i..end]);
        } else {
            out.push_str(&mask_digits(&digits));
        }
        i = end;
    }
    out
}

/// The masked form of one run of digits.
pub fn mask_digits(digits: &str) -> String {
    let n = digits.len();
    let keep = |head: usize, tail: usize| -> String {
        let head = head.min(n);
        let tail = tail.min(n - head);
        format!(
            "{}{}{}",
            &digits[..head],
            "*".repeat(n - head - tail),
            &digits[n - tail..]
        )
    };
    let mobile = n == 11 && digits.starts_with('1');
    if mobile {
        keep(3, 4)
    } else if n == 18 && looks_like_id(digits)
        || (16..=19).contains(&n) && !looks_like_order(digits)
    {
        keep(0, 4)
    } else if n <= 8 {
        keep(2, 2)
    } else {
        keep(4, 4)
    }
}

fn looks_like_id(d: &str) -> bool {
    let year: u32 = d[6..10].parse().unwrap_or(0);
    let month: u32 = d[10..12].parse().unwrap_or(0);
    (1900..=2100).contains(&year) && (1..=12).contains(&month)
}

/// Order numbers in most shops start with the order date (2026…).
fn looks_like_order(d: &str) -> bool {
    d.starts_with("20") && !looks_like_id(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_personal_data() {
        assert_eq!(mask("我的手机138-1234-5678"), "我的手机138****5678");
        assert_eq!(mask("身份证110101199003071234"), "身份证**************1234");
        assert_eq!(mask("卡号6222020200112233445"), "卡号***************3445");
        assert_eq!(mask("订单123456发货了吗"), "订单12**56发货了吗");
        assert_eq!(
            mask("a@b.cn 和 zhang.san@qq.com"),
            "a***@b.cn 和 z***@qq.com"
        );
        assert_eq!(mask("１３８１２３４５６７８"), "138****5678");
        assert_eq!(mask("date=2026-11-13 12345678"), "date=2026-11-13 12****78");
        assert_eq!(mask("200以内 5000mAh iPhone15"), "200以内 5000mAh iPhone15");
    }
}
