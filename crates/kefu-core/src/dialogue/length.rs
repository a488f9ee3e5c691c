//! Lengths as customers write them — heights and inside legs in centimetres, metres, feet and
//! inches ("5ft 10", "5'10\"", "6 foot 2", "1.83m", "183 cm", "72 inches", "1米83") — for a
//! `number` step whose question names the unit it wants ("in centimetres", "in inches").

/// A unit of length a step can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Mm,
    Cm,
    M,
    In,
}

impl Unit {
    fn in_cm(self) -> f64 {
        match self {
            Unit::Mm => 0.1,
            Unit::Cm => 1.0,
            Unit::M => 100.0,
            Unit::In => 2.54,
        }
    }
}

/// The unit a step's question asks for, by the words it uses ("How tall are you, in
/// centimetres?", "身高多少厘米", "your inseam in inches"); `None` when it names none.
pub fn asked_unit(question: &str) -> Option<Unit> {
    let q = question.to_lowercase();
    let word = |w: &str| {
        q.match_indices(w).any(|(at, _)| {
            let before = q[..at].chars().next_back();
            let after = q[at + w.len()..].chars().next();
            let letter = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphabetic());
            !letter(before) && !letter(after)
        })
    };
    if [
        "centimetre",
        "centimetres",
        "centimeter",
        "centimeters",
        "cm",
    ]
    .iter()
    .any(|w| word(w))
        || q.contains("厘米")
        || q.contains("公分")
    {
        Some(Unit::Cm)
    } else if [
        "millimetre",
        "millimetres",
        "millimeter",
        "millimeters",
        "mm",
    ]
    .iter()
    .any(|w| word(w))
        || q.contains("毫米")
    {
        Some(Unit::Mm)
    } else if ["inch", "inches"].iter().any(|w| word(w)) || q.contains("英寸") {
        Some(Unit::In)
    } else {
        None
    }
}

/// The length written in `light` (lower case) with its unit, in `unit`, rounded to a whole
/// number; `None` when no number carries a length unit.
pub fn read_in(light: &str, unit: Unit) -> Option<u64> {
    let cm = read_cm(light)?;
    let value = (cm / unit.in_cm()).round();
    (0.0..1e9).contains(&value).then_some(value as u64)
}

/// A number at `i`: its value and where it ends.
fn number_at(chars: &[char], i: usize) -> Option<(f64, usize)> {
    if !chars.get(i).is_some_and(char::is_ascii_digit) {
        return None;
    }
    let mut j = i;
    let mut s = String::new();
    while j < chars.len()
        && (chars[j].is_ascii_digit()
            || (chars[j] == '.'
                && !s.contains('.')
                && chars.get(j + 1).is_some_and(char::is_ascii_digit)))
    {
        s.push(chars[j]);
        j += 1;
    }
    Some((s.parse().ok()?, j))
}

/// The unit word at `i` (spaces skipped): the unit and where it ends.
fn unit_at(chars: &[char], mut i: usize) -> Option<(LengthWord, usize)> {
    while chars.get(i) == Some(&' ') {
        i += 1;
    }
    const WORDS: &[(&str, LengthWord)] = &[
        ("centimetres", LengthWord::Cm),
        ("centimeters", LengthWord::Cm),
        ("centimetre", LengthWord::Cm),
        ("centimeter", LengthWord::Cm),
        ("cms", LengthWord::Cm),
        ("cm", LengthWord::Cm),
        ("厘米", LengthWord::Cm),
        ("公分", LengthWord::Cm),
        ("millimetres", LengthWord::Mm),
        ("millimeters", LengthWord::Mm),
        ("mm", LengthWord::Mm),
        ("metres", LengthWord::M),
        ("meters", LengthWord::M),
        ("metre", LengthWord::M),
        ("meter", LengthWord::M),
        ("m", LengthWord::M),
        ("米", LengthWord::M),
        ("feet", LengthWord::Ft),
        ("foot", LengthWord::Ft),
        ("ft", LengthWord::Ft),
        ("'", LengthWord::Ft),
        ("’", LengthWord::Ft),
        ("′", LengthWord::Ft),
        ("尺", LengthWord::Ft),
        ("inches", LengthWord::In),
        ("inch", LengthWord::In),
        ("ins", LengthWord::In),
        ("in", LengthWord::In),
        ("\"", LengthWord::In),
        ("”", LengthWord::In),
        ("″", LengthWord::In),
        ("寸", LengthWord::In),
    ];
    for (word, unit) in WORDS {
        let w: Vec<char> = word.chars().collect();
        if chars.len() >= i + w.len() && chars[i..i + w.len()] == w[..] {
            let end = i + w.len();
            // A Latin unit ends a word: "5 m" but not "5 more", "in" not "inside".
            if w[0].is_ascii_alphabetic() && chars.get(end).is_some_and(char::is_ascii_alphabetic) {
                continue;
            }
            return Some((*unit, end));
        }
    }
    None
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LengthWord {
    Mm,
    Cm,
    M,
    Ft,
    In,
}

/// The first length written with a unit, in centimetres.
fn read_cm(light: &str) -> Option<f64> {
    let chars: Vec<char> = light.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let glued = i > 0 && (chars[i - 1].is_ascii_alphanumeric() || chars[i - 1] == '.');
        let Some((value, end)) = number_at(&chars, i).filter(|_| !glued) else {
            i += 1;
            continue;
        };
        let Some((unit, after)) = unit_at(&chars, end) else {
            i = end;
            continue;
        };
        let cm = match unit {
            LengthWord::Mm => value * 0.1,
            LengthWord::Cm => value,
            LengthWord::In => value * 2.54,
            // "1米83", "1m83": metres and centimetres.
            LengthWord::M => {
                let rest = number_at(&chars, after)
                    .filter(|(v, e)| *v < 100.0 && e - after <= 2 && value < 3.0);
                value * 100.0 + rest.map_or(0.0, |(v, _)| v)
            }
            // "5ft 10", "5'10\"", "5 foot 10 inches", "5ft10in".
            LengthWord::Ft => {
                let mut k = after;
                while matches!(chars.get(k), Some(' ' | ',')) {
                    k += 1;
                }
                let inches = number_at(&chars, k)
                    .filter(|(v, _)| *v < 12.0)
                    .filter(|(_, e)| unit_at(&chars, *e).is_none_or(|(u, _)| u == LengthWord::In))
                    .map_or(0.0, |(v, _)| v);
                value * 30.48 + inches * 2.54
            }
        };
        return Some(cm);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_heights_in_any_unit() {
        let cm = |s: &str| read_in(s, Unit::Cm);
        assert_eq!(cm("i'm 5ft 10"), Some(178));
        assert_eq!(cm("5'10\""), Some(178));
        assert_eq!(cm("5’10"), Some(178));
        assert_eq!(cm("5 foot 10 inches"), Some(178));
        assert_eq!(cm("6ft"), Some(183));
        assert_eq!(cm("6 feet 2"), Some(188));
        assert_eq!(cm("1.83m"), Some(183));
        assert_eq!(cm("1.83 metres"), Some(183));
        assert_eq!(cm("1米83"), Some(183));
        assert_eq!(cm("183 cm"), Some(183));
        assert_eq!(cm("72 inches"), Some(183));
        assert_eq!(cm("810mm"), Some(81));
        assert_eq!(read_in("5ft 10", Unit::In), Some(70));
        // No unit, or a number inside a name: not a length.
        assert_eq!(cm("178"), None);
        assert_eq!(cm("the metro e1 in xl"), None);
        assert_eq!(cm("5 more"), None);
    }

    #[test]
    fn the_unit_a_question_asks_for() {
        assert_eq!(
            asked_unit("How tall are you, in centimetres? (5ft 6 is 168)"),
            Some(Unit::Cm)
        );
        assert_eq!(
            asked_unit("And your inside leg (inseam), in cm?"),
            Some(Unit::Cm)
        );
        assert_eq!(asked_unit("请问您的身高是多少厘米？"), Some(Unit::Cm));
        assert_eq!(asked_unit("Your inseam in inches?"), Some(Unit::In));
        assert_eq!(asked_unit("How many would you like?"), None);
        assert_eq!(asked_unit("Which model?"), None);
    }
}
