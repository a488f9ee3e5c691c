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
        let equal = |r: &String| match (value.parse::<f64>(), r.parse::<f64>()) {
            (Ok(a), Ok(b)) => a == b,
            _ => canonical(&value) == canonical(r),
        };
        match self.op {
            Op::Eq => self.right.iter().any(equal),
            Op::Ne => !self.right.iter().any(equal),
            op => {
                let (Ok(a), Some(Ok(b))) = (
                    value.parse::<f64>(),
                    self.right.first().map(|r| r.parse::<f64>()),
                ) else {
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
    if !matches!(op, Op::Eq | Op::Ne) && right.iter().any(|r| r.parse::<f64>().is_err()) {
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
