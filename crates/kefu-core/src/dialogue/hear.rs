//! Hearing: a customer message read once, before anything is decided — the normalised
//! forms, the codes taken out as facts (order numbers, e-mails, phones), slots, emotion, a
//! question or not, and the FAQ match. Handlers and the decision read this value; none of
//! them reads the raw text again.

use super::config::Lexicon;
use super::emotion::{self, Emotion};
use super::lexicon;
use super::products::Names;
use super::say::Turn;
use super::slots::{self, Extracted};
use super::state::Conversation;
use crate::matcher::Match;
use crate::text::normalize;

/// A customer message, read once.
pub(super) struct Heard {
    pub raw: String,
    /// Normalised ([`normalize`]).
    pub norm: String,
    /// Normalised, without digits (order numbers, phones), for "says only" tests.
    pub bare: String,
    /// The forms catalogue names are matched in.
    pub names: Names,
    /// The catalogue's names in the message, looked up once.
    pub named: super::products::Named,
    /// Lightly normalised, punctuation kept ([`slots::prepare`]).
    pub light: String,
    pub slots: Extracted,
    pub emotion: Emotion,
    /// A question mark or a question word.
    pub question: bool,
    pub faq: Match,
}

impl Heard {
    pub(super) fn new(t: &Turn<'_>, conversation: &Conversation, raw: &str) -> Heard {
        let tables = t.engine.analyzer().tables();
        let plain = normalize(tables, raw);
        let norm = lexicon::mark_compounds(&plain, &t.cfg.compounds);
        let light = slots::prepare(tables, raw);
        let cfg = t.cfg;
        let slots = slots::extract(
            &light,
            &cfg.order_number,
            &cfg.lexicon.order_words,
            t.today(),
        );
        // Codes are facts, not words: order numbers, e-mails and phones are taken out of
        // what the matcher (with its typo and pinyin correction) and the phrase tests read.
        let codes: Vec<&String> = slots
            .order_numbers
            .iter()
            .chain(&slots.emails)
            .chain(&slots.phones)
            .collect();
        let bare: String = without(&norm, &codes)
            .chars()
            .filter(|c| !c.is_ascii_digit())
            .collect();
        let emotion = emotion::detect(&cfg.emotion, raw, &norm, conversation.mood.complaints);
        let question =
            raw.contains(['?', '？']) || lexicon::any(&norm, &cfg.lexicon.question_markers);
        let query = without(raw, &codes);
        let faq = t.engine.ask(&query, Some(t.now));
        let names = Names::of(&plain);
        Heard {
            named: cfg.catalogue.named(&names),
            names,
            raw: raw.to_string(),
            norm,
            bare,
            light,
            slots,
            emotion,
            question,
            faq,
        }
    }

    /// Does the message say one of `phrases` and little else?
    pub fn says_only(&self, phrases: &[String], fillers: &[String], slack: usize) -> bool {
        lexicon::says_only(&self.bare, phrases, fillers, slack)
    }

    /// A goodbye on its own, maybe with thanks ("谢谢，没问题了").
    pub fn says_goodbye(&self, lex: &Lexicon) -> bool {
        self.says_only(
            &lex.goodbye,
            &[&lex.fillers[..], &lex.thanks[..]].concat(),
            0,
        )
    }
}

/// `text` with every code removed (ASCII case ignored; ASCII case-folding keeps offsets).
fn without(text: &str, codes: &[&String]) -> String {
    let mut out = text.to_string();
    for code in codes {
        if code.is_empty() || !code.is_ascii() {
            continue;
        }
        let code = code.to_ascii_lowercase();
        while let Some(at) = out.to_ascii_lowercase().find(&code) {
            out.replace_range(at..at + code.len(), " ");
        }
    }
    out
}
