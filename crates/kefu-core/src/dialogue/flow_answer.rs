//! Answers to the step a guided flow waits for: validating them (choices, yes/no, order
//! numbers, e-mails, tax numbers, images …), telling an answer from a question about
//! something else, and moving on.

use super::calendar::{answer_date, iso_day, DateAnswer};
use super::flows::{Expect, Flow, FlowEnd, Step};
use super::handoff::HandoffReason;
use super::hear::Heard;
use super::length;
use super::lexicon;
use super::locale::Locale;
use super::say::Turn;
use super::slots;
use super::state::Conversation;
use super::translations::TextKey;
use crate::matcher::Outcome;

/// What a message meant for the flow in progress.
pub(super) enum FlowTurn {
    /// It answered the step (or was refused with the step asked again).
    Handled,
    /// It is about something else: answer it, then resume.
    Interrupted,
}

/// Answers that skip an optional step, said on their own or with fillers ("sorry, not
/// sure"); the shop's `no` words skip it too, unless the step asks yes or no.
const SKIP_WORDS: &[&str] = &[
    "跳过",
    "略过",
    "skip",
    "没有",
    "无",
    "none",
    "不知道",
    "不清楚",
    "不确定",
    "不记得",
    "忘了",
    "唔知",
    "唔清楚",
    "不晓得",
    "not sure",
    "im not sure",
    "i am not sure",
    "unsure",
    "dont know",
    "don t know",
    "do not know",
    "i dont know",
    "no idea",
    "not a clue",
    "no clue",
    "dunno",
    "pass",
    "n a",
    "na",
    "rather not say",
    "skip it",
    "skip this",
    "forgot",
    "cant remember",
    "can t remember",
    "not known",
];
/// The value of the skip chip.
pub(super) const SKIP: &str = "skip";

impl Conversation {
    /// A typed message while a flow waits for an answer.
    pub(super) fn flow_answer(
        &mut self,
        t: &mut Turn<'_>,
        heard: &Heard,
        unrecognised: u8,
    ) -> FlowTurn {
        let Some((flow, idx)) = self.current(t) else {
            self.flow = None;
            return FlowTurn::Interrupted;
        };
        let step = &flow.steps[idx];
        if self
            .flow
            .as_ref()
            .is_some_and(|f| f.waiting_lookup.is_some())
            || step.ask.is_none()
        {
            return FlowTurn::Interrupted;
        }
        if self.leaves_step(t, heard, flow) {
            return FlowTurn::Interrupted;
        }
        let other = self.other_question(t, heard);
        if step.expect == Expect::Text && heard.question && other {
            return FlowTurn::Interrupted;
        }
        // "换电池要多久？" at a step offering 换电池 asks about it rather than choosing it.
        if matches!(step.expect, Expect::Choice | Expect::YesNo) && heard.question && other {
            let lex = &t.cfg.lexicon;
            let aliases: Vec<String> = step
                .options
                .iter()
                .flat_map(|o| o.aliases.iter().cloned())
                .collect();
            let rest = lexicon::weight(&lexicon::strip(
                &heard.bare,
                &[&aliases, &lex.fillers, &lex.question_fillers],
            ));
            if rest >= 2 {
                return FlowTurn::Interrupted;
            }
        }
        if let Some(value) = accept(t, step, heard) {
            self.fill_step(t, flow, idx, value);
            return FlowTurn::Handled;
        }
        // A step waiting for a typed value (an order number, a phone number …) that the
        // message does not hold, and a matcher fairly sure it is a question it knows
        // ("fapiao zenme kai" typed in pinyin, without a question word it could see): the
        // question is answered and the step asked again, rather than counted as a wrong value.
        // "2月30日", "31/4": a date that does not exist is said back, with an example.
        let impossible = match (&step.expect, answer_date(&heard.light, t.today())) {
            (Expect::Date, DateAnswer::Impossible(written)) => Some(written),
            _ => None,
        };
        let value_step = !matches!(step.expect, Expect::Text | Expect::Choice | Expect::YesNo);
        let known_question = matches!(heard.faq.outcome, Outcome::Clarify(_))
            && heard.faq.confidence >= t.unsure_below();
        if impossible.is_none() && (other || (value_step && known_question)) {
            return FlowTurn::Interrupted;
        }
        let invalid = self
            .flow
            .as_ref()
            .map_or(0, |f| f.invalid)
            .saturating_add(1);
        let limit = t.cfg.handoff.unrecognised_limit;
        if limit > 0 && invalid.max(unrecognised.saturating_add(1)) >= limit {
            self.hand_off(
                t,
                HandoffReason::Unrecognised,
                &format!("flow:{}/{}", flow.id, step.id),
            );
            return FlowTurn::Handled;
        }
        let text = match &step.invalid {
            Some(own) => t.step_text(
                flow,
                step,
                |flow, step| TextKey::StepInvalid { flow, step },
                own,
            ),
            None => &t.pack.texts.flow_invalid,
        };
        match impossible {
            Some(written) => {
                let example = t.labels().date(t.today() + 1);
                t.say(no_such_date(t.pack.locale, &written, &example));
            }
            None => t.say(self.fill_flow(t, flow, text)),
        }
        self.prompt(t, flow, step);
        if let Some(state) = self.flow.as_mut() {
            state.invalid = invalid;
        }
        FlowTurn::Handled
    }

    /// Messages that are never an answer to a step: small talk said on its own, another
    /// flow's phrase, a bare order number when the step wants something else.
    fn leaves_step(&self, t: &Turn<'_>, heard: &Heard, flow: &Flow) -> bool {
        let lex = &t.cfg.lexicon;
        let smalltalk = [&lex.thanks, &lex.greeting]
            .iter()
            .any(|l| heard.says_only(l, &lex.fillers, 0))
            || heard.says_goodbye(lex);
        let other_flow = t
            .cfg
            .flows
            .iter()
            .any(|f| f.id != flow.id && says_flow_phrase(f, &heard.bare, &lex.fillers));
        smalltalk || other_flow
    }

    /// Is the message about something else than the step?
    fn other_question(&self, t: &Turn<'_>, heard: &Heard) -> bool {
        let lex = &t.cfg.lexicon;
        let bare_number =
            !heard.slots.order_numbers.is_empty() && lexicon::weight(&heard.bare) == 0;
        matches!(heard.faq.outcome, Outcome::Answer(_))
            || (heard.question && matches!(heard.faq.outcome, Outcome::Clarify(_)))
            || lexicon::any(&heard.norm, &lex.order_status)
            || lexicon::any(&heard.norm, &lex.detail)
            || heard.named.product.is_some()
            || (heard.question && heard.named.attribute.is_some())
            || bare_number
    }

    fn fill_step(&mut self, t: &mut Turn<'_>, flow: &Flow, idx: usize, value: String) {
        let step = &flow.steps[idx];
        // Yes/no answers are stored as `yes` / `no` whatever the language or option label.
        let value = if step.expect == Expect::YesNo {
            super::condition::canonical(&value).to_string()
        } else {
            value
        };
        if let (Some(slot), Some(state)) = (&step.slot, self.flow.as_mut()) {
            state.slots.retain(|(k, _)| k != slot);
            state.slots.push((slot.clone(), value.clone()));
            state.invalid = 0;
        }
        self.streak.unrecognised = 0;
        match step.expect {
            Expect::OrderNumber => self.focus_order(&value),
            Expect::Phone => self.set_slot("phone", &value),
            Expect::Email => self.set_slot("email", &value),
            _ => {}
        }
        if step.lookup && !self.order_known(&value) {
            self.start_lookup(t, &value);
            return;
        }
        match self.next_index(t, flow, idx) {
            Some(next) => {
                if next <= idx {
                    // Back to an earlier step ("不对" at the confirmation): its answers and
                    // those after it are asked again.
                    self.clear_flow_slots(flow, next, idx);
                }
                self.run_flow(t, next)
            }
            None => self.finish_flow(t, flow, step, FlowEnd::Done),
        }
    }

    /// A clicked option of the current step; `false` when it is not one.
    pub(super) fn flow_option(&mut self, t: &mut Turn<'_>, value: &str) -> bool {
        let Some((flow, idx)) = self.current(t) else {
            return false;
        };
        let step = &flow.steps[idx];
        let fits = step.options.iter().any(|o| o.value == value)
            || (step.expect == Expect::YesNo
                && matches!(super::condition::canonical(value), "yes" | "no"))
            || (step.optional && matches!(value, SKIP | "跳过"));
        if !fits
            || self
                .flow
                .as_ref()
                .is_some_and(|f| f.waiting_lookup.is_some())
        {
            return false;
        }
        let labels = t.labels();
        let said = match value {
            SKIP | "跳过" => labels.skip.clone(),
            v => match step.options.iter().position(|o| o.value == v) {
                Some(i) => {
                    let option = i as u16;
                    let key = |flow, step| TextKey::OptionLabel { flow, step, option };
                    t.step_text(flow, step, key, &step.options[i].label)
                        .to_string()
                }
                None => labels.value(v).to_string(),
            },
        };
        self.begin_turn(t, &said);
        let value = if matches!(value, SKIP | "跳过") {
            "none".to_string()
        } else {
            value.to_string()
        };
        self.fill_step(t, flow, idx, value);
        true
    }

    /// An uploaded image for the current step; `false` when the step wants no image.
    pub(super) fn flow_image(&mut self, t: &mut Turn<'_>, reference: &str) -> bool {
        let Some((flow, idx)) = self.current(t) else {
            return false;
        };
        if flow.steps[idx].expect != Expect::Image {
            return false;
        }
        self.fill_step(t, flow, idx, reference.to_string());
        true
    }
}

/// "There is no such date as 2月30日" in `locale`, with an example of a date that works.
/// (Built in rather than in the locale pack, whose stored layout this does not change.)
fn no_such_date(locale: Locale, written: &str, example: &str) -> String {
    let template = match locale {
        Locale::ZhCn => "没有「{written}」这一天，请换一个日期，例如 {example}。",
        Locale::ZhTw => "沒有「{written}」這一天，請換一個日期，例如 {example}。",
        Locale::En => {
            "There is no such date as “{written}”. Please give another date, e.g. {example}."
        }
    };
    template
        .replace("{written}", written)
        .replace("{example}", example)
}

/// Does `bare` say one of the flow's phrases and little else? Words answering the flow's
/// choices ("我要退货，质量问题") do not count as something else.
pub(super) fn says_flow_phrase(flow: &Flow, bare: &str, fillers: &[String]) -> bool {
    if !lexicon::any(bare, &flow.phrases) {
        return false;
    }
    let answers: Vec<String> = flow
        .steps
        .iter()
        .flat_map(|s| s.options.iter().flat_map(|o| o.aliases.iter().cloned()))
        .collect();
    lexicon::weight(&lexicon::strip(bare, &[&flow.phrases, fillers, &answers])) <= 1
}

/// The option a text chooses: the longest alias it contains, or its number ("2").
pub(super) fn match_option(step: &Step, norm: &str) -> Option<String> {
    if let Ok(n) = norm.trim().parse::<usize>() {
        if (1..=step.options.len()).contains(&n) {
            return Some(step.options[n - 1].value.clone());
        }
    }
    step.options
        .iter()
        .filter_map(|o| lexicon::longest(norm, &o.aliases).map(|a| (a.len(), o)))
        .max_by_key(|(len, _)| *len)
        .map(|(_, o)| o.value.clone())
}

/// Does the message skip an optional step: a skip word or the shop's `no` words, with at
/// most fillers around them ("sorry, no idea", "不知道呢")?
fn skips(t: &Turn<'_>, step: &Step, heard: &Heard) -> bool {
    let lex = &t.cfg.lexicon;
    let norm = heard.norm.trim();
    if SKIP_WORDS.contains(&norm) {
        return true;
    }
    let words: Vec<String> = SKIP_WORDS
        .iter()
        .map(|w| w.to_string())
        .chain(
            lex.no
                .iter()
                .filter(|_| step.expect != Expect::YesNo)
                .cloned(),
        )
        .collect();
    let fillers: Vec<String> = lex
        .fillers
        .iter()
        .cloned()
        .chain(
            [
                "sorry",
                "um",
                "erm",
                "hmm",
                "really",
                "to be honest",
                "tbh",
                "呢",
                "啊",
                "哦",
            ]
            .map(String::from),
        )
        .collect();
    lexicon::says_only(&heard.bare, &words, &fillers, 0)
}

/// The step's value in a message, if it has one.
fn accept(t: &Turn<'_>, step: &Step, heard: &Heard) -> Option<String> {
    let lex = &t.cfg.lexicon;
    if step.optional && skips(t, step, heard) {
        return Some("none".into());
    }
    match &step.expect {
        Expect::Text => Some(heard.raw.chars().take(200).collect()),
        Expect::Choice => match_option(step, &heard.norm),
        Expect::YesNo => match_option(step, &heard.norm).or_else(|| {
            // "是的，吊牌都在": the first words decide.
            let first = heard
                .bare
                .split(' ')
                .find(|w| !w.is_empty())
                .unwrap_or_default();
            let says = |list: &[String]| {
                lexicon::says_only(first, list, &lex.fillers, 1)
                    || heard.says_only(list, &lex.fillers, 1)
            };
            if says(&lex.no) {
                Some("no".into())
            } else if says(&lex.yes) {
                Some("yes".into())
            } else {
                None
            }
        }),
        Expect::OrderNumber => heard
            .slots
            .order_numbers
            .first()
            .or(heard.slots.phones.first())
            .cloned()
            .or_else(|| t.cfg.order_number.find_all(&heard.light).into_iter().next()),
        Expect::Phone => heard.slots.phones.first().cloned(),
        Expect::Email => heard.slots.emails.first().cloned(),
        Expect::TaxNumber => slots::find_tax_number(&heard.light),
        Expect::Image => None,
        // A length written with its unit ("5ft 10", "1.83m") in the unit the question asks
        // for ("in centimetres"); else the first number that is not part of a name ("e1").
        Expect::Number => step
            .ask
            .as_deref()
            .and_then(length::asked_unit)
            .and_then(|unit| length::read_in(&heard.light, unit))
            .map(|n| n.to_string())
            .or_else(|| super::money::first_standalone_number(&heard.light)),
        Expect::Date => match answer_date(&heard.light, t.today()) {
            DateAnswer::Day(day) => Some(iso_day(day)),
            _ => None,
        },
        Expect::Pattern(p) => p.find_all(&heard.light).into_iter().next(),
    }
}
