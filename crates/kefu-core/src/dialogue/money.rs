//! Amounts and budgets as customers write them: "200以内", "三千块左右" (±20 %), "1-2k",
//! "200到300元", "不超过一千五", "500元以上", "预算300", "under 300"; Chinese numerals in
//! colloquial forms ("一千五" = 1500); quantities ("两件").

use serde::{Deserialize, Serialize};

/// A price range in cents; either end may be open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Budget {
    pub min: Option<u64>,
    pub max: Option<u64>,
}

impl Budget {
    /// Is `price` (cents) inside the range?
    pub fn contains(&self, price: u64) -> bool {
        self.min.is_none_or(|m| price >= m) && self.max.is_none_or(|m| price <= m)
    }

    /// "200元以内", "2400-3600元", "500元以上".
    pub fn describe(&self) -> String {
        match (self.min, self.max) {
            (Some(a), Some(b)) => format!("{}-{}元", yuan(a), yuan(b)),
            (None, Some(b)) => format!("{}元以内", yuan(b)),
            (Some(a), None) => format!("{}元以上", yuan(a)),
            (None, None) => "不限".to_string(),
        }
    }
}

/// "59.9", "200".
pub fn yuan(cents: u64) -> String {
    let fraction = cents % 100;
    if fraction == 0 {
        (cents / 100).to_string()
    } else {
        format!("{}.{fraction:02}", cents / 100)
            .trim_end_matches('0')
            .to_string()
    }
}

/// The first number written in digits or Chinese numerals.
pub fn first_number(light: &str) -> Option<String> {
    let n = numbers(light).into_iter().next()?;
    Some(yuan(n.cents))
}

/// The first number that is not part of a name or a code: "e1", "x1", "sc104233" hold none.
pub fn first_standalone_number(light: &str) -> Option<String> {
    let chars: Vec<char> = light.chars().collect();
    numbers(light)
        .into_iter()
        .find(|n| n.start == 0 || !chars[n.start - 1].is_ascii_alphabetic())
        .map(|n| yuan(n.cents))
}

/// The budget and the quantity a message states, if any.
pub fn read(light: &str) -> (Option<Budget>, Option<u32>) {
    let numbers = numbers(light);
    (budget(light, &numbers), quantity(light, &numbers))
}

/// A message that is one amount and little else ("1500", "£1,500", "2k", "2 grand",
/// "my budget is 1500"), read as the most the customer wants to spend: the answer to
/// "what's your budget?". `None` for anything else, or a measure ("170 cm").
pub fn bare_amount(light: &str) -> Option<Budget> {
    let numbers = numbers(light);
    let [n] = numbers[..] else { return None };
    let chars: Vec<char> = light.chars().collect();
    let after = slice(&chars, n.end, chars.len());
    if measured(&after) || n.cents < 100 {
        return None;
    }
    let rest: String = [slice(&chars, 0, n.start), after].concat();
    let mut rest = rest.as_str().to_string();
    for w in UNITS.iter().chain(SYMBOLS_BEFORE).chain(&[
        "my", "budget", "is", "about", "around", "roughly", "maybe", "say", "max", "tops", "预算",
        "大概", "左右", "i have", "i've got", "ive got", "its", "it's", "of",
    ]) {
        rest = rest.replace(w, " ");
    }
    let left = rest.chars().filter(|c| c.is_alphanumeric()).count();
    (left == 0).then_some(Budget {
        min: None,
        max: Some(n.cents),
    })
}

#[derive(Debug, Clone, Copy)]
struct Number {
    cents: u64,
    start: usize,
    end: usize,
    scaled: bool,
}

/// Numbers in digits or Chinese numerals, with a following scale (k, w, 千, 万, 百).
fn numbers(light: &str) -> Vec<Number> {
    let chars: Vec<char> = light.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        let cents: Option<u64>;
        if chars[i].is_ascii_digit() {
            let mut s = String::new();
            while i < chars.len()
                && (chars[i].is_ascii_digit()
                    || (chars[i] == '.'
                        && chars.get(i + 1).is_some_and(char::is_ascii_digit)
                        && !s.contains('.')))
            {
                s.push(chars[i]);
                i += 1;
                // A thousands separator ("HK$3,000", "1,299.50"): a comma before exactly
                // three digits, in the whole part.
                let group = |k: usize| chars.get(k).is_some_and(char::is_ascii_digit);
                if chars.get(i) == Some(&',')
                    && !s.contains('.')
                    && (1..=3).all(|k| group(i + k))
                    && !group(i + 4)
                {
                    i += 1;
                }
            }
            if s.len() > 12 {
                continue;
            }
            cents = parse_decimal_cents(&s);
        } else if is_han_numeral(chars[i]) {
            while i < chars.len() && is_han_numeral(chars[i]) {
                i += 1;
            }
            let run: String = chars[start..i].iter().collect();
            cents = han_amount(&run).map(|v| v.saturating_mul(100));
        } else {
            i += 1;
            continue;
        }
        let Some(mut value) = cents else { continue };
        let mut scaled = !chars[start].is_ascii_digit()
            && chars[start..i].iter().any(|c| "十百千万".contains(*c));
        // "2 grand", "2grand": a thousand.
        let grand = ["grand", " grand"].iter().find_map(|w| {
            let n = w.chars().count();
            let next = chars.get(i + n);
            (slice(&chars, i, i + n) == *w && !next.is_some_and(|c| c.is_alphanumeric()))
                .then_some(n)
        });
        if let (Some(n), true) = (grand, chars[start].is_ascii_digit()) {
            out.push(Number {
                cents: value.saturating_mul(1000),
                start,
                end: i + n,
                scaled: true,
            });
            i += n;
            continue;
        }
        let scale = match chars.get(i) {
            Some('k') if !chars.get(i + 1).is_some_and(|c| c.is_ascii_alphabetic()) => Some(1000),
            Some('w') | Some('万') => Some(10_000),
            Some('千') => Some(1000),
            Some('百') => Some(100),
            _ => None,
        };
        if let Some(scale) = scale {
            if chars[start].is_ascii_digit() {
                value = value.saturating_mul(scale);
                scaled = true;
                i += 1;
            }
        }
        out.push(Number {
            cents: value,
            start,
            end: i,
            scaled,
        });
    }
    out
}

fn parse_decimal_cents(s: &str) -> Option<u64> {
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    let whole: u64 = whole.parse().ok()?;
    let frac: String = frac.chars().chain("00".chars()).take(2).collect();
    Some(whole.checked_mul(100)? + frac.parse::<u64>().ok()?)
}

fn is_han_numeral(c: char) -> bool {
    "零一二两三四五六七八九十百千万".contains(c)
}

/// A Chinese amount, colloquial forms included: "一千五" = 1500, "三百" = 300.
pub fn han_amount(run: &str) -> Option<u64> {
    let chars: Vec<char> = run.chars().collect();
    if chars.len() >= 3 {
        let unit = chars[chars.len() - 2];
        let last = &chars[chars.len() - 1..].iter().collect::<String>();
        let head: String = chars[..chars.len() - 1].iter().collect();
        let factor = match unit {
            '万' => Some(1000),
            '千' => Some(100),
            '百' => Some(10),
            _ => None,
        };
        if let (Some(factor), Some(digit)) = (
            factor,
            crate::text::parse_chinese_number(last).filter(|d| *d < 10),
        ) {
            return Some(crate::text::parse_chinese_number(&head)? + digit * factor);
        }
    }
    crate::text::parse_chinese_number(run)
}

const MAX_WORDS: &[&str] = &["以内", "以下", "之内", "内", "封顶", "以下的"];
const MAX_BEFORE: &[&str] = &[
    "不超过",
    "不到",
    "最多",
    "低于",
    "少于",
    "under",
    "below",
    "less than",
    "within",
    "max",
    "up to",
];
const BUDGET_WORDS: &[&str] = &["预算", "budget"];
const MIN_WORDS: &[&str] = &["以上", "起", "多"];
const MIN_BEFORE: &[&str] = &[
    "至少",
    "高于",
    "超过",
    "不低于",
    "over",
    "above",
    "more than",
    "at least",
];
const AROUND_WORDS: &[&str] = &["左右", "上下", "附近"];
const AROUND_BEFORE: &[&str] = &["大概", "大约", "约", "差不多", "around", "about"];
const UNITS: &[&str] = &[
    "元", "块", "rmb", "yuan", "¥", "￥", "$", "hkd", "hk$", "nt$", "ntd", "usd", "us$", "dollars",
    "dollar", "港币", "港元", "台币", "£", "€", "gbp", "eur", "pounds", "pound", "quid", "euros",
    "euro",
];
/// Currency written before the number ("HK$500", "under $300"): skipped to see the word
/// before it.
const SYMBOLS_BEFORE: &[&str] = &[
    "hk$", "nt$", "us$", "hkd", "ntd", "usd", "rmb", "gbp", "eur", "$", "¥", "￥", "£", "€",
];
/// Words joining the two ends of a range in English: "1500 to 2500", "between 1500 and 2500".
const RANGE_WORDS: &[&str] = &["to", "and", "till", "until"];
/// Measures that make a number no amount of money ("between 2 and 3 days", "over 100 kg").
const MEASURES: &[&str] = &[
    "day", "days", "week", "weeks", "hour", "hours", "hr", "hrs", "minute", "minutes", "min",
    "mins", "month", "months", "year", "years", "yr", "yrs", "kg", "kgs", "g", "lb", "lbs", "km",
    "kms", "cm", "mm", "m", "metre", "metres", "meter", "meters", "mile", "miles", "mph", "kmh",
    "wh", "w", "v", "ah", "nm", "in", "inch", "inches", "ft", "feet", "foot", "working",
    "business", "am", "pm", "people", "person", "times", "%", "x", "gb", "tb", "mah", "天", "周",
    "小时", "分钟", "个月", "年", "公斤", "斤", "克", "公里", "厘米", "米", "寸",
];
/// Does `after` (the text right after a number) start with a measure?
fn measured(after: &str) -> bool {
    let after = after.trim_start();
    MEASURES.iter().any(|m| {
        after.strip_prefix(m).is_some_and(|rest| {
            !rest
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric() && m.is_ascii())
        })
    })
}
/// The words between two numbers, if they join a range: "-", "到", "-£", " to ", " and "
/// (after "between" only).
fn joins_range(between: &str, before: &str) -> bool {
    let b = between.trim();
    let b = SYMBOLS_BEFORE
        .iter()
        .find_map(|s| b.strip_suffix(s))
        .unwrap_or(b)
        .trim();
    if b.chars().count() == 1 && RANGE_SEPARATORS.contains(&b.chars().next().unwrap_or(' ')) {
        return true;
    }
    match b {
        "and" => lexicon_word_end(before, &["between", "from"]),
        _ => RANGE_WORDS.contains(&b) && b != "and",
    }
}
/// Does `text` end with one of `words` as a whole word (spaces and currency symbols after it
/// allowed)?
fn lexicon_word_end(text: &str, words: &[&str]) -> bool {
    let t = text.trim_end();
    let t = SYMBOLS_BEFORE
        .iter()
        .find_map(|s| t.strip_suffix(s))
        .unwrap_or(t)
        .trim_end();
    words.iter().any(|w| {
        t.strip_suffix(w).is_some_and(|head| {
            !head
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_alphanumeric())
        })
    })
}
const RANGE_SEPARATORS: &[char] = &['-', '~', '到', '至', '—', '–'];

fn slice(chars: &[char], from: usize, to: usize) -> String {
    chars[from.min(chars.len())..to.min(chars.len())]
        .iter()
        .collect()
}

/// A budget, when a number is marked as money or bounded ("200以内", "1-2k", "三千块左右").
fn budget(light: &str, numbers: &[Number]) -> Option<Budget> {
    let chars: Vec<char> = light.chars().collect();
    for (k, n) in numbers.iter().enumerate() {
        let after = slice(&chars, n.end, n.end + 4);
        let before = slice(&chars, n.start.saturating_sub(12), n.start);
        let before_words = {
            let b = before.trim_end();
            SYMBOLS_BEFORE
                .iter()
                .find_map(|s| b.strip_suffix(s))
                .unwrap_or(b)
                .trim_end()
                .to_string()
        };
        let after_trim = after.trim_start();
        let unit_after = UNITS.iter().any(|u| after_trim.starts_with(u));
        let unit_before = UNITS.iter().any(|u| before.trim_end().ends_with(u));
        let skip_unit = |s: &str| -> String {
            let s = s.trim_start();
            let s = [
                "块钱", "元", "块", "rmb", "yuan", "hkd", "dollars", "dollar", "港币", "港元",
            ]
            .iter()
            .find_map(|u| s.strip_prefix(u))
            .unwrap_or(s);
            s.trim_start().to_string()
        };
        // A range: "1-2k", "200到300元", "一千到两千".
        if let Some(next) = numbers.get(k + 1) {
            let between: String = slice(&chars, n.end, next.start);
            if joins_range(&between, &before) {
                let after_next = slice(&chars, next.end, next.end + 8);
                let marked = n.scaled
                    || next.scaled
                    || unit_before
                    || UNITS.iter().any(|u| {
                        after_next.trim_start().starts_with(u) || between.trim_end().ends_with(u)
                    });
                // Unmarked, "1500-2500" and "between 30 and 50" are budgets unless a measure
                // follows ("2-3 days", "between 150 and 195 cm").
                // A chain of three ("138-1234-5678") is a phone or a code.
                let chained = n.start > 0 && matches!(chars[n.start - 1], '-' | '/' | '.' | ':')
                    || (matches!(chars.get(next.end), Some('-' | '/' | '.' | ':'))
                        && chars.get(next.end + 1).is_some_and(char::is_ascii_digit));
                let bare = !chained
                    && !measured(&after_next)
                    && !measured(&between)
                    && (lexicon_word_end(&before, &["between", "from"]) || next.cents >= 100 * 100);
                if marked || bare {
                    let (mut a, b) = (n.cents, next.cents);
                    if !n.scaled && next.scaled && a < 100 * 100 {
                        let scale = next.cents / han_or_digits_base(&chars, next).max(1);
                        a = a.saturating_mul(scale.max(1));
                    }
                    return Some(Budget {
                        min: Some(a.min(b)),
                        max: Some(a.max(b)),
                    });
                }
            }
        }
        let rest = skip_unit(&after);
        let marked_after = |words: &[&str]| words.iter().any(|w| rest.starts_with(w));
        let marked_before = |words: &[&str]| words.iter().any(|w| before_words.ends_with(w));
        if marked_after(MAX_WORDS) || marked_before(MAX_BEFORE) {
            return Some(Budget {
                min: None,
                max: Some(n.cents),
            });
        }
        // "over 3000" and "about 4000" without a currency: an amount of at least 100 that no
        // measure follows.
        let plain_amount = n.cents >= 100 * 100 && !measured(&after) && n.cents % 100 == 0;
        if (marked_after(MIN_WORDS) || marked_before(MIN_BEFORE))
            && (unit_after || unit_before || n.scaled || plain_amount)
        {
            return Some(Budget {
                min: Some(n.cents),
                max: None,
            });
        }
        if marked_after(AROUND_WORDS)
            || unit_after
            || unit_before
            || (marked_before(AROUND_BEFORE) && (n.scaled || plain_amount))
        {
            let spread = n.cents / 5;
            return Some(Budget {
                min: Some(n.cents - spread),
                max: Some(n.cents + spread),
            });
        }
        if BUDGET_WORDS.iter().any(|w| before.contains(w)) {
            return Some(Budget {
                min: None,
                max: Some(n.cents),
            });
        }
    }
    None
}

/// The value of a scaled number before its scale, to share "k" across "1-2k".
fn han_or_digits_base(chars: &[char], n: &Number) -> u64 {
    let digits: String = chars[n.start..n.end]
        .iter()
        .take_while(|c| c.is_ascii_digit() || **c == '.')
        .collect();
    parse_decimal_cents(&digits).unwrap_or(n.cents)
}

fn quantity(light: &str, numbers: &[Number]) -> Option<u32> {
    let chars: Vec<char> = light.chars().collect();
    numbers.iter().find_map(|n| {
        let next = chars.get(n.end)?;
        ("件个台双条套盒瓶".contains(*next) && n.cents % 100 == 0 && n.cents <= 99_900)
            .then_some((n.cents / 100) as u32)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cents(y: u64) -> Option<u64> {
        Some(y * 100)
    }

    fn budget_of(s: &str) -> Option<Budget> {
        read(s).0
    }

    #[test]
    fn currency_before_the_number_keeps_the_bound() {
        for text in [
            "under hk$500",
            "under $500",
            "below hkd 500",
            "budget under hk$ 500",
        ] {
            assert_eq!(
                budget_of(text),
                Some(Budget {
                    min: None,
                    max: cents(500)
                }),
                "{text}"
            );
        }
        assert_eq!(
            budget_of("over hk$3000"),
            Some(Budget {
                min: cents(3000),
                max: None
            })
        );
        assert_eq!(
            budget_of("around hk$500"),
            Some(Budget {
                min: cents(400),
                max: cents(600)
            })
        );
    }

    #[test]
    fn thousands_separators_belong_to_the_number() {
        assert_eq!(
            budget_of("hk$3,000以内"),
            Some(Budget {
                min: None,
                max: cents(3000)
            })
        );
        assert_eq!(
            budget_of("hk$3,000-6,000"),
            Some(Budget {
                min: cents(3000),
                max: cents(6000)
            })
        );
        assert_eq!(first_number("1,299.50元").as_deref(), Some("1299.5"));
        // Not a separator: a list, or a comma before more or fewer than three digits.
        assert_eq!(first_number("1,23").as_deref(), Some("1"));
        assert_eq!(first_number("2,3000").as_deref(), Some("2"));
    }

    #[test]
    fn reads_budgets() {
        assert_eq!(
            budget_of("透气又好洗的t恤,200以内"),
            Some(Budget {
                min: None,
                max: cents(200)
            })
        );
        assert_eq!(
            budget_of("三千块左右的手机"),
            Some(Budget {
                min: cents(2400),
                max: cents(3600)
            })
        );
        assert_eq!(
            budget_of("预算1-2k"),
            Some(Budget {
                min: cents(1000),
                max: cents(2000)
            })
        );
        assert_eq!(
            budget_of("200到300元"),
            Some(Budget {
                min: cents(200),
                max: cents(300)
            })
        );
        assert_eq!(
            budget_of("不超过一千五"),
            Some(Budget {
                min: None,
                max: cents(1500)
            })
        );
        assert_eq!(
            budget_of("500元以上"),
            Some(Budget {
                min: cents(500),
                max: None
            })
        );
        assert_eq!(
            budget_of("under 300"),
            Some(Budget {
                min: None,
                max: cents(300)
            })
        );
        assert_eq!(budget_of("订单123456发货了吗"), None);
        assert_eq!(budget_of("11月18日买的"), None);
    }

    #[test]
    fn pounds_euros_and_english_ranges() {
        let max = |y| {
            Some(Budget {
                min: None,
                max: cents(y),
            })
        };
        let range = |a, b| {
            Some(Budget {
                min: cents(a),
                max: cents(b),
            })
        };
        assert_eq!(budget_of("under £1,500"), max(1500));
        assert_eq!(budget_of("any ebikes under £2000?"), max(2000));
        assert_eq!(budget_of("below €800"), max(800));
        assert_eq!(budget_of("under 1,500"), max(1500));
        assert_eq!(budget_of("£1,500-£2,500"), range(1500, 2500));
        assert_eq!(budget_of("£1,500 - £2,500"), range(1500, 2500));
        assert_eq!(budget_of("£300-500"), range(300, 500));
        assert_eq!(budget_of("1500-2500"), range(1500, 2500));
        assert_eq!(budget_of("1500 to 2500"), range(1500, 2500));
        assert_eq!(
            budget_of("any ebikes between 1500 and 2500?"),
            range(1500, 2500)
        );
        assert_eq!(budget_of("between 300 and 500"), range(300, 500));
        assert_eq!(budget_of("between £30 and £50"), range(30, 50));
        assert_eq!(budget_of("about 2 grand"), range(1600, 2400));
        assert_eq!(budget_of("about 4000"), range(3200, 4800));
        assert_eq!(
            budget_of("over 3000"),
            Some(Budget {
                min: cents(3000),
                max: None
            })
        );
        assert_eq!(budget_of("500 euros"), range(400, 600));
        // Not money: measures, phones, dates, times.
        assert_eq!(budget_of("between 2 and 3 days"), None);
        assert_eq!(budget_of("2-3 working days"), None);
        assert_eq!(budget_of("between 150 and 195 cm"), None);
        assert_eq!(budget_of("over 100 kg"), None);
        assert_eq!(budget_of("about 70 km"), None);
        assert_eq!(budget_of("2kg"), None);
        assert_eq!(budget_of("my number is 138-1234-5678"), None);
        assert_eq!(budget_of("2026-12-05"), None);
        assert_eq!(budget_of("open from 9am to 5pm"), None);
        assert_eq!(budget_of("order sc104233"), None);
        assert_eq!(bare_amount("1500"), max(1500));
        assert_eq!(bare_amount("£1,500"), max(1500));
        assert_eq!(bare_amount("2k"), max(2000));
        assert_eq!(bare_amount("my budget is 2 grand"), max(2000));
        assert_eq!(bare_amount("170 cm"), None);
        assert_eq!(bare_amount("1500 for a road bike"), None);
        assert_eq!(bare_amount("order sc104233"), None);
    }

    #[test]
    fn reads_numerals_and_quantities() {
        assert_eq!(first_number("买三件"), Some("3".into()));
        assert_eq!(han_amount("一千五"), Some(1500));
        assert_eq!(han_amount("三百"), Some(300));
        assert_eq!(read("买两件").1, Some(2));
        assert_eq!(yuan(5990), "59.9");
    }
}
