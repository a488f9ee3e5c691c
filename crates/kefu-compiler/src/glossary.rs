//! The built-in bilingual glossary (`data/glossary.txt`): customer-service terms in Chinese
//! and English, so a question in the other language reaches the common intents.
//!
//! It is compiled into a knowledge base as synonym groups, and only the lines whose term
//! the knowledge base uses. In a mostly Chinese knowledge base the Chinese term is canonical
//! and the English forms (with plural, -ed and -ing forms of single words) are rewritten to
//! it, unless the knowledge base already uses one of that line's English forms itself; in a mostly English one the Chinese term is rewritten to the first English form, and
//! English text is left as it is. The shop's own synonym groups always win: a glossary word
//! already in one of them is skipped, and the shop can add pairs the same way
//! (`kb/synonyms.toml`, e.g. `["发票", "invoice"]`).

use std::collections::HashSet;

use kefu_core::english::{is_stop_word, stem};
use kefu_core::kb::Entry;
use kefu_core::tables::Tables;
use kefu_core::text::{is_han, normalize};

const GLOSSARY: &str = include_str!("../data/glossary.txt");

/// The glossary's lines: (Chinese term, English forms).
pub fn pairs() -> Vec<(String, Vec<String>)> {
    GLOSSARY
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let (zh, en) = l.split_once('=')?;
            let en: Vec<String> = en
                .split(',')
                .map(|w| w.trim().to_lowercase())
                .filter(|w| !w.is_empty())
                .collect();
            (!en.is_empty()).then(|| (zh.trim().to_string(), en))
        })
        .collect()
}

fn inflections(word: &str) -> Vec<String> {
    let mut out = vec![word.to_string()];
    if word.contains(' ') || word.contains('-') || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return out;
    }
    if !word.ends_with('s') {
        out.push(format!("{word}s"));
    }
    let stem = word.strip_suffix('e').unwrap_or(word);
    out.push(format!("{stem}ed"));
    out.push(format!("{stem}ing"));
    out
}

/// Does `text` (normalised, lower case) contain `phrase` as whole words?
fn has_phrase(text: &str, phrase: &str) -> bool {
    let bytes = text.as_bytes();
    text.match_indices(phrase).any(|(i, _)| {
        let end = i + phrase.len();
        (i == 0 || !bytes[i - 1].is_ascii_alphanumeric())
            && (end == text.len() || !bytes[end].is_ascii_alphanumeric())
    })
}

/// Synonym groups to add to a knowledge base with these entries and the shop's `groups`.
pub fn groups(entries: &[Entry], shop_groups: &[Vec<String>], tables: &Tables) -> Vec<Vec<String>> {
    let texts: Vec<String> = entries
        .iter()
        .flat_map(|e| {
            std::iter::once(&e.question)
                .chain(&e.similar)
                .chain(std::iter::once(&e.answer))
        })
        .map(|t| normalize(tables, t))
        .collect();
    let (han, latin) = texts
        .iter()
        .flat_map(|t| t.chars())
        .fold((0usize, 0usize), |(h, l), c| {
            if is_han(c) {
                (h + 1, l)
            } else if c.is_ascii_alphabetic() {
                (h, l + 1)
            } else {
                (h, l)
            }
        });
    // A Han character says about as much as a short English word.
    let chinese = han * 4 >= latin;
    let mut taken: HashSet<String> = shop_groups
        .iter()
        .flatten()
        .map(|w| normalize(tables, w))
        .collect();
    // English the knowledge base already speaks (by stem) is matched as English.
    let spoken: HashSet<String> = texts
        .iter()
        .flat_map(|t| {
            t.split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(stem)
                .collect::<Vec<_>>()
        })
        .collect();
    let is_spoken = |form: &str| {
        form.split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty() && !is_stop_word(w))
            .all(|w| spoken.contains(&stem(w)))
    };
    let mut out = Vec::new();
    for (zh, en) in pairs() {
        let zh = normalize(tables, &zh);
        if zh.is_empty() {
            continue;
        }
        let group = if chinese {
            // A line the knowledge base already speaks in English (any of its forms) is
            // matched as English, its spelling variants included, by the usual corrections.
            if taken.contains(&zh)
                || !texts.iter().any(|t| t.contains(&zh))
                || en.iter().any(|f| is_spoken(f))
            {
                continue;
            }
            let mut group = vec![zh.clone()];
            for form in en.iter().flat_map(|w| inflections(w)) {
                let form = normalize(tables, &form);
                if !form.is_empty()
                    && !taken.contains(&form)
                    && !group.contains(&form)
                    && !is_spoken(&form)
                {
                    group.push(form);
                }
            }
            group
        } else {
            match english_group(&zh, &en, &texts, &taken, &is_spoken, tables) {
                Some(group) => group,
                None => continue,
            }
        };
        if group.len() < 2 {
            continue;
        }
        taken.extend(group.iter().cloned());
        out.push(group);
    }
    out
}

/// The group of one glossary line in a mostly English knowledge base: the first of the
/// line's English forms the knowledge base writes (canonical), then the line's other forms
/// it never uses (a customer's word for the same thing: "password" where the shop writes
/// "passcode", "voucher" where it writes "coupon"), then the Chinese term. A form the
/// knowledge base uses itself stays as it is, so its own distinctions are kept.
fn english_group(
    zh: &str,
    en: &[String],
    texts: &[String],
    taken: &HashSet<String>,
    is_spoken: &dyn Fn(&str) -> bool,
    tables: &Tables,
) -> Option<Vec<String>> {
    if taken.contains(zh) {
        return None;
    }
    let forms: Vec<String> = en
        .iter()
        .map(|f| normalize(tables, f))
        .filter(|f| !f.is_empty())
        .collect();
    let canonical = forms.first()?.clone();
    if taken.contains(&canonical) || !texts.iter().any(|t| has_phrase(t, &canonical)) {
        return None;
    }
    let mut group = vec![canonical];
    for form in forms.iter().flat_map(|w| inflections(w)) {
        let form = normalize(tables, &form);
        if !form.is_empty() && !taken.contains(&form) && !group.contains(&form) && !is_spoken(&form)
        {
            group.push(form);
        }
    }
    group.push(zh.to_string());
    Some(group)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(q: &str) -> Entry {
        Entry {
            id: q.into(),
            category: 0,
            question: q.into(),
            similar: vec![],
            answer: "ok".into(),
            detail: None,
            priority: 0,
            valid_from: None,
            valid_until: None,
            tags: vec![],
            follow_ups: vec![],
            sensitive: false,
            translations: vec![],
        }
    }

    #[test]
    fn the_glossary_has_a_few_hundred_pairs() {
        let p = pairs();
        assert!(p.len() >= 200, "{}", p.len());
        assert!(p
            .iter()
            .any(|(zh, en)| zh == "发票" && en.contains(&"invoice".to_string())));
    }

    #[test]
    fn chinese_knowledge_bases_read_english_as_their_terms() {
        let t = Tables::default();
        let g = groups(&[entry("怎么开发票"), entry("退款多久到账")], &[], &t);
        let invoice = g.iter().find(|g| g[0] == "发票").expect("发票 group");
        assert!(
            invoice.contains(&"invoice".to_string()) && invoice.contains(&"invoices".to_string())
        );
        assert!(g.iter().any(|g| g[0] == "退款"));
        // terms the knowledge base never uses are not compiled in
        assert!(!g.iter().any(|g| g[0] == "密码"));
    }

    #[test]
    fn english_knowledge_bases_read_chinese_as_their_words() {
        let t = Tables::default();
        let g = groups(
            &[
                entry("How do I reset my password?"),
                entry("Where is my refund"),
            ],
            &[],
            &t,
        );
        let reads = |first: &str, zh: &str| {
            g.iter()
                .any(|g| g[0] == first && g.last().is_some_and(|w| w == zh))
        };
        assert!(reads("password", "密码"), "{g:?}");
        assert!(reads("refund", "退款"), "{g:?}");
    }

    #[test]
    fn an_english_knowledge_base_reads_a_customers_other_word_as_its_own() {
        let t = Tables::default();
        // The line `密码 = password, passcode`: the shop writes "password".
        let g = groups(&[entry("I forgot my password")], &[], &t);
        let group = g
            .iter()
            .find(|g| g[0] == "password")
            .expect("password group");
        assert!(group.contains(&"passcode".to_string()), "{group:?}");
        assert!(group.contains(&"密码".to_string()), "{group:?}");
        // A form the shop writes itself keeps its own meaning there.
        let g = groups(
            &[
                entry("I forgot my password"),
                entry("Where do I type the passcode"),
            ],
            &[],
            &t,
        );
        let group = g
            .iter()
            .find(|g| g[0] == "password")
            .expect("password group");
        assert!(!group.contains(&"passcode".to_string()), "{group:?}");
        // Only the line's first English form is canonical: a shop that writes only a later
        // one ("passcode") keeps its words, the Chinese term aside.
        let g = groups(&[entry("Where do I type the passcode")], &[], &t);
        assert!(
            g.iter().all(|g| g[0] != "passcode" && g[0] != "password"),
            "{g:?}"
        );
    }

    #[test]
    fn english_a_chinese_knowledge_base_already_uses_stays_english() {
        let t = Tables::default();
        let g = groups(
            &[entry("怎么开发票"), entry("my invoice is wrong")],
            &[],
            &t,
        );
        assert!(
            g.iter().all(|g| g[0] != "发票"),
            "the base speaks of invoices in English: {g:?}"
        );
    }

    #[test]
    fn the_shops_groups_win() {
        let t = Tables::default();
        let shop = vec![vec!["发票".to_string(), "开票".to_string()]];
        let g = groups(&[entry("怎么开发票")], &shop, &t);
        assert!(!g.iter().any(|g| g.contains(&"发票".to_string())));
    }
}
