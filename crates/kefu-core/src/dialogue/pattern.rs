//! A tiny pattern language for order numbers and other codes, so a shop can say what its
//! order numbers look like without the core depending on a regex engine.
//!
//! Syntax: literal characters; `\d` a digit; `\w` an ASCII letter or digit; `[A-Z0-9-]` a set
//! with ranges; quantifiers `{n}`, `{m,n}`, `?`, `+` (up to 32), `*`; alternatives with `|`.
//! Letters match case-insensitively and the match is returned upper-cased, without the spaces
//! a pattern let through (`SC ?\d{6}` reads 「sc 104233」 as `SC104233`, the way an order
//! system stores it). A match must not touch other ASCII letters or digits on either side.
//!
//! ```
//! use kefu_core::dialogue::pattern::Pattern;
//! let p = Pattern::parse(r"XM\d{10}|\d{12}").unwrap();
//! assert_eq!(p.find_all("订单 xm2026112001 到了吗"), vec!["XM2026112001".to_string()]);
//! assert!(p.find_all("电话 13812345678").is_empty());
//! ```

use serde::{Deserialize, Serialize};

/// Longest pattern source accepted.
const MAX_SOURCE: usize = 200;
/// Upper bound of open quantifiers (`+`, `*`).
const OPEN_MAX: u8 = 32;

/// A compiled pattern.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Pattern {
    /// As written, for error messages and documentation.
    pub source: String,
    alternatives: Vec<Vec<Atom>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
struct Atom {
    class: Class,
    min: u8,
    max: u8,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
enum Class {
    Digit,
    Alnum,
    Literal(char),
    Set(Vec<(char, char)>),
}

impl Class {
    fn matches(&self, c: char) -> bool {
        match self {
            Class::Digit => c.is_ascii_digit(),
            Class::Alnum => c.is_ascii_alphanumeric(),
            Class::Literal(l) => *l == c,
            Class::Set(ranges) => ranges.iter().any(|&(a, b)| a <= c && c <= b),
        }
    }
}

impl Pattern {
    /// Parses a pattern; the error says what is wrong.
    pub fn parse(source: &str) -> Result<Pattern, String> {
        if source.is_empty() {
            return Err("the pattern is empty".into());
        }
        if source.len() > MAX_SOURCE {
            return Err(format!(
                "the pattern is longer than {MAX_SOURCE} characters"
            ));
        }
        let mut alternatives = vec![Vec::new()];
        let chars: Vec<char> = source.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let class = match chars[i] {
                '|' => {
                    alternatives.push(Vec::new());
                    i += 1;
                    continue;
                }
                '\\' => {
                    i += 1;
                    match chars.get(i) {
                        Some('d') => Class::Digit,
                        Some('w') => Class::Alnum,
                        Some(&c) => Class::Literal(c.to_ascii_uppercase()),
                        None => return Err("the pattern ends with `\\`".into()),
                    }
                }
                '[' => {
                    let (set, end) = parse_set(&chars, i)?;
                    i = end;
                    set
                }
                '{' | '}' | '?' | '+' | '*' => {
                    return Err(format!("`{}` must follow something to repeat", chars[i]));
                }
                c => Class::Literal(c.to_ascii_uppercase()),
            };
            i += 1;
            let (min, max, used) = parse_quantifier(&chars[i..])?;
            i += used;
            alternatives
                .last_mut()
                .expect("one alternative")
                .push(Atom { class, min, max });
        }
        if alternatives.iter().any(Vec::is_empty) {
            return Err("an alternative of the pattern is empty".into());
        }
        Ok(Pattern {
            source: source.to_string(),
            alternatives,
        })
    }

    /// Does the whole of `text` match?
    pub fn matches_whole(&self, text: &str) -> bool {
        let chars: Vec<char> = text
            .trim()
            .chars()
            .map(|c| c.to_ascii_uppercase())
            .collect();
        self.longest_at(&chars, 0) == Some(chars.len()) && !chars.is_empty()
    }

    /// Every match in `text`, upper-cased, left to right.
    pub fn find_all(&self, text: &str) -> Vec<String> {
        let chars: Vec<char> = text.chars().map(|c| c.to_ascii_uppercase()).collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let boundary_before = i == 0 || !chars[i - 1].is_ascii_alphanumeric();
            if boundary_before {
                if let Some(end) = self.longest_at(&chars, i) {
                    if end > i && chars.get(end).is_none_or(|c| !c.is_ascii_alphanumeric()) {
                        out.push(
                            chars[i..end]
                                .iter()
                                .filter(|c| !c.is_whitespace())
                                .collect(),
                        );
                        i = end;
                        continue;
                    }
                }
            }
            i += 1;
        }
        out
    }

    /// The end of the longest match starting at `start` that ends on a boundary.
    fn longest_at(&self, chars: &[char], start: usize) -> Option<usize> {
        let mut best: Option<usize> = None;
        for alt in &self.alternatives {
            let mut ends = Vec::new();
            match_atoms(alt, chars, start, &mut ends);
            for end in ends {
                let on_boundary = chars.get(end).is_none_or(|c| !c.is_ascii_alphanumeric());
                if on_boundary && best.is_none_or(|b| end > b) {
                    best = Some(end);
                }
            }
        }
        best
    }
}

/// Collects every position where `atoms` can end when matched from `at`.
fn match_atoms(atoms: &[Atom], chars: &[char], at: usize, ends: &mut Vec<usize>) {
    let Some((first, rest)) = atoms.split_first() else {
        ends.push(at);
        return;
    };
    let mut n = 0usize;
    while n < first.max as usize && chars.get(at + n).is_some_and(|&c| first.class.matches(c)) {
        n += 1;
    }
    if n < first.min as usize {
        return;
    }
    for count in (first.min as usize..=n).rev() {
        match_atoms(rest, chars, at + count, ends);
        if ends.len() > 64 {
            return;
        }
    }
}

fn parse_set(chars: &[char], open: usize) -> Result<(Class, usize), String> {
    let mut ranges = Vec::new();
    let mut i = open + 1;
    loop {
        let Some(&c) = chars.get(i) else {
            return Err("`[` is never closed with `]`".into());
        };
        if c == ']' {
            break;
        }
        let c = if c == '\\' {
            i += 1;
            match chars.get(i) {
                Some('d') => {
                    ranges.push(('0', '9'));
                    i += 1;
                    continue;
                }
                Some(&e) => e,
                None => return Err("`[` is never closed with `]`".into()),
            }
        } else {
            c
        };
        let c = c.to_ascii_uppercase();
        if chars.get(i + 1) == Some(&'-') && chars.get(i + 2).is_some_and(|&e| e != ']') {
            let end = chars[i + 2].to_ascii_uppercase();
            if end < c {
                return Err(format!("the range `{c}-{end}` goes backwards"));
            }
            ranges.push((c, end));
            i += 3;
        } else {
            ranges.push((c, c));
            i += 1;
        }
    }
    if ranges.is_empty() {
        return Err("`[]` is an empty set".into());
    }
    Ok((Class::Set(ranges), i))
}

fn parse_quantifier(rest: &[char]) -> Result<(u8, u8, usize), String> {
    match rest.first() {
        Some('?') => Ok((0, 1, 1)),
        Some('+') => Ok((1, OPEN_MAX, 1)),
        Some('*') => Ok((0, OPEN_MAX, 1)),
        Some('{') => {
            let close = rest
                .iter()
                .position(|&c| c == '}')
                .ok_or("`{` is never closed with `}`")?;
            let inside: String = rest[1..close].iter().collect();
            let number = |s: &str| -> Result<u8, String> {
                s.trim()
                    .parse::<u8>()
                    .ok()
                    .filter(|&n| n <= 64)
                    .ok_or_else(|| format!("`{{{inside}}}` needs counts from 0 to 64"))
            };
            let (min, max) = match inside.split_once(',') {
                Some((a, b)) => (
                    number(a)?,
                    if b.trim().is_empty() {
                        OPEN_MAX
                    } else {
                        number(b)?
                    },
                ),
                None => {
                    let n = number(&inside)?;
                    (n, n)
                }
            };
            if max < min || max == 0 {
                return Err(format!(
                    "`{{{inside}}}`: the largest count must be at least the smallest and above 0"
                ));
            }
            Ok((min, max, close + 1))
        }
        _ => Ok((1, 1, 0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_codes_on_boundaries() {
        let p = Pattern::parse(r"\d{6,20}").unwrap();
        assert_eq!(p.find_all("我的订单123456发货了吗"), vec!["123456"]);
        assert_eq!(p.find_all("a1234567 and 12345"), Vec::<String>::new());
        let spaced = Pattern::parse(r"SC ?\d{6}").unwrap();
        assert_eq!(
            spaced.find_all("my order number is sc 104233"),
            vec!["SC104233"]
        );
        assert!(p.matches_whole(" 123456789012 "));
        let p = Pattern::parse(r"[A-Z]{2}-?\d{8}").unwrap();
        assert_eq!(
            p.find_all("单号 ab-12345678, CD87654321"),
            vec!["AB-12345678", "CD87654321"]
        );
    }

    #[test]
    fn reports_bad_patterns() {
        for bad in ["", "[abc", r"\d{3", "+1", r"\d{5,2}", "a|", r"\d{0}"] {
            assert!(Pattern::parse(bad).is_err(), "{bad}");
        }
    }
}
