//! Branch rules of guided flows: `reason == 质量问题|发错货 and order.days_since_delivery <= 7`.
//!
//! A condition is clauses joined by `and` and `or` (`and` binds tighter; no parentheses).
//! A clause compares a value — a flow slot (`reason`), or a fact about the order in context
//! (`order.status`, `order.days_since_delivery`, …) — with `==`, `!=`, `<`, `<=`, `>`, `>=`.
//! `a|b` on the right means "either". Numbers compare as numbers. A value that is not known
//! makes its clause false, except `!=`, which is then true.

use serde::{Deserialize, Serialize};

/// A parsed condition: any of the groups, each group all of its clauses.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Condition {
    pub source: String,
    any: Vec<Vec<Clause>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
struct Clause {
    left: String,
    op: Op,
    right: Vec<String>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

const OPERATORS: [(&str, Op); 7] = [
    ("==", Op::Eq),
    ("!=", Op::Ne),
    ("<=", Op::Le),
    (">=", Op::Ge),
    ("<", Op::Lt),
    (">", Op::Gt),
    ("=", Op::Eq),
];

impl Condition {
    /// Parses a condition; the error says what is wrong.
    pub fn parse(source: &str) -> Result<Condition, String> {
        let mut any = Vec::new();
        for group in split_word(source, "or") {
            let mut all = Vec::new();
            for clause in split_word(&group, "and") {
                all.push(parse_clause(clause.trim())?);
            }
            any.push(all);
        }
        Ok(Condition {
            source: source.trim().to_string(),
            any,
        })
    }

    /// The `name == value` / `name != value` comparisons, one pair per value.
    pub fn compared(&self) -> Vec<(&str, &str)> {
        self.any
            .iter()
            .flatten()
            .filter(|c| matches!(c.op, Op::Eq | Op::Ne))
            .flat_map(|c| c.right.iter().map(move |r| (c.left.as_str(), r.as_str())))
            .collect()
    }

    /// The names of the values the condition reads.
    pub fn names(&self) -> Vec<&str> {
        self.any.iter().flatten().map(|c| c.left.as_str()).collect()
    }

    /// Evaluates with `value` giving each name's value.
    pub fn holds(&self, value: &dyn Fn(&str) -> Option<String>) -> bool {
        self.any
            .iter()
            .any(|all| all.iter().all(|c| c.holds(value(&c.left))))
    }
}

/// The canonical form of a yes/no/none value: sources written before values were canonical
/// compare to 是 / 否 / 无, and still match.
pub fn canonical(value: &str) -> &str {
    match value {
        "是" | "yes" => "yes",
        "否" | "no" => "no",
        "无" | "無" | "none" => "none",
        other => other,
    }
}

impl Clause {
    fn holds(&self, value: Option<String>) -> bool {
        let Some(value) = value else {
            return self.op == Op::Ne;
        };
        let value = value.trim().to_lowercase();
        let equal = |r: &String| match (number(&value), number(r)) {
            (Some(a), Some(b)) => a == b,
            _ => canonical(&value) == canonical(r),
        };
        match self.op {
            Op::Eq => self.right.iter().any(equal),
            Op::Ne => !self.right.iter().any(equal),
            op => {
                let (Some(a), Some(Some(b))) =
                    (number(&value), self.right.first().map(|r| number(r)))
                else {
                    return false;
                };
                match op {
                    Op::Lt => a < b,
                    Op::Le => a <= b,
                    Op::Gt => a > b,
                    _ => a >= b,
                }
            }
        }
    }
}

/// A decimal number: `[+-]digits[.digits][e[+-]digits]` (as Rust writes them, without `inf`
/// and `NaN`, which no slot holds). Exact for up to 15 significant digits with exponents within
/// ±22, like `str::parse::<f64>`; written out because the standard parser's tables are 10 KB
/// of the widget's WebAssembly.
fn number(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    let mut i = 0;
    let negative = match bytes.first() {
        Some(b'-') => true,
        Some(b'+') => false,
        _ => {
            i = usize::MAX;
            false
        }
    };
    i = i.wrapping_add(1);
    let (mut mantissa, mut exponent, mut digits) = (0u64, 0i32, 0usize);
    let mut point = false;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'0'..=b'9' => {
                digits += 1;
                if mantissa < 1 << 60 {
                    mantissa = mantissa * 10 + u64::from(b - b'0');
                    exponent -= i32::from(point);
                } else {
                    exponent += i32::from(!point);
                }
            }
            b'.' if !point => point = true,
            _ => break,
        }
        i += 1;
    }
    if digits == 0 {
        return None;
    }
    if let Some(b'e' | b'E') = bytes.get(i) {
        i += 1;
        let sign = match bytes.get(i) {
            Some(b'-') => {
                i += 1;
                -1
            }
            Some(b'+') => {
                i += 1;
                1
            }
            _ => 1,
        };
        let start = i;
        let mut e = 0i32;
        while let Some(&b @ b'0'..=b'9') = bytes.get(i) {
            e = e.saturating_mul(10).saturating_add(i32::from(b - b'0'));
            i += 1;
        }
        if i == start {
            return None;
        }
        exponent = exponent.saturating_add(sign * e);
    }
    if i != bytes.len() {
        return None;
    }
    let m = mantissa as f64;
    // Powers of ten up to 1e22 are exact in f64, so one multiplication or division of an
    // exact mantissa is correctly rounded.
    let value = if mantissa == 0 {
        0.0
    } else if mantissa < 1 << 53 && (-22..=22).contains(&exponent) {
        let scale = 10f64.powi(exponent.abs());
        if exponent < 0 {
            m / scale
        } else {
            m * scale
        }
    } else if exponent < 0 {
        m / 10f64.powi(exponent.saturating_neg())
    } else {
        m * 10f64.powi(exponent)
    };
    Some(if negative { -value } else { value })
}

/// Splits on a lower-case keyword standing alone between spaces.
fn split_word(text: &str, word: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    for token in text.split(' ') {
        if token == word {
            parts.push(String::new());
        } else {
            let last = parts.last_mut().expect("one part");
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(token);
        }
    }
    parts
}

fn parse_clause(text: &str) -> Result<Clause, String> {
    if text.is_empty() {
        return Err("an empty clause (check `and` / `or`)".into());
    }
    let (at, symbol, op) = OPERATORS
        .iter()
        .filter_map(|&(symbol, op)| text.find(symbol).map(|at| (at, symbol, op)))
        .min_by_key(|&(at, symbol, _)| (at, std::cmp::Reverse(symbol.len())))
        .ok_or_else(|| format!("`{text}` has no comparison (==, !=, <, <=, >, >=)"))?;
    let left = text[..at].trim();
    let right = text[at + symbol.len()..].trim().trim_matches(['"', '\'']);
    if left.is_empty()
        || !left
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
    {
        return Err(format!(
            "`{left}` is not a slot name (letters, digits, `_` and `.`)"
        ));
    }
    if right.is_empty() {
        return Err(format!("`{text}` compares with nothing"));
    }
    let right: Vec<String> = right
        .split('|')
        .map(|r| r.trim().to_lowercase())
        .filter(|r| !r.is_empty())
        .collect();
    if !matches!(op, Op::Eq | Op::Ne) && right.iter().any(|r| number(r).is_none()) {
        return Err(format!("`{text}`: `{symbol}` compares numbers only"));
    }
    Ok(Clause {
        left: left.to_string(),
        op,
        right,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_like_the_standard_parser() {
        for text in [
            "0",
            "-0",
            "+7",
            "42",
            "299",
            "3.5",
            "3.50",
            "0.1",
            "0.30",
            ".5",
            "5.",
            "-12.25",
            "1e3",
            "1E-3",
            "2.5e+2",
            "123456789012345",
            "9007199254740993",
            "0.000001",
            "1e22",
            "1e-22",
            "1e400",
            "0e400",
            "1e-400",
            "007",
        ] {
            let std: f64 = text.parse().unwrap();
            assert_eq!(number(text), Some(std), "{text}");
        }
        for text in [
            "", "-", "+", ".", "e3", "1e", "1e+", "1.2.3", "1_000", "12a", "inf", "nan", "--1",
            "1 ",
        ] {
            assert_eq!(number(text), None, "{text}");
        }
    }

    fn check(src: &str, values: &[(&str, &str)]) -> bool {
        let c = Condition::parse(src).unwrap();
        c.holds(&|name| {
            values
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        })
    }

    #[test]
    fn evaluates() {
        assert!(check("reason == 质量问题|发错货", &[("reason", "发错货")]));
        assert!(!check("reason == 质量问题", &[("reason", "不喜欢")]));
        assert!(check(
            "order.days_since_delivery > 7 and reason != 质量问题",
            &[("order.days_since_delivery", "9"), ("reason", "不喜欢")]
        ));
        assert!(check("a == 1 and b == 2 or c == 3", &[("c", "3")]));
        assert!(!check("order.days_since_delivery <= 7", &[]));
        assert!(check("photo != x", &[]));
        assert!(check(
            "order.status == Delivered",
            &[("order.status", "delivered")]
        ));
    }

    #[test]
    fn reports_errors() {
        for bad in ["reason", "== 1", "a < b", "a == ", "a and", "我 == 1"] {
            assert!(Condition::parse(bad).is_err(), "{bad}");
        }
    }
}
