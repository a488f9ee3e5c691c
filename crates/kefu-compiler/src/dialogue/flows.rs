//! `flows/*.toml`: one guided flow per file.

use kefu_core::dialogue::condition::Condition;
use kefu_core::dialogue::flows::{Branch, Expect, Flow, FlowEnd, Step, StepOption, ORDER_FACTS};
use kefu_core::dialogue::pattern::Pattern;
use kefu_core::dialogue::DialogueConfig;
use serde::Deserialize;
use toml::Spanned;

use super::translate::{warn_partial, Collector, Extra, Found};
use super::{Context, SourceFile};
use kefu_core::dialogue::translations::{TextKey, Translation};
use kefu_core::dialogue::Locale;

// Unknown keys are collected in `extra` and refused there unless they are translations
// (`ask_en`, `"name_zh-TW"`), so these tables do not deny unknown fields themselves.
#[derive(Deserialize)]
struct FlowFile {
    id: String,
    name: String,
    #[serde(flatten)]
    extra: Extra,
    #[serde(default)]
    phrases: Vec<String>,
    offer_after: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    step: Vec<Spanned<SourceStep>>,
}

#[derive(Deserialize)]
struct SourceStep {
    id: String,
    #[serde(flatten)]
    extra: Extra,
    say: Option<String>,
    ask: Option<String>,
    slot: Option<String>,
    expect: Option<String>,
    pattern: Option<String>,
    #[serde(default)]
    options: Vec<SourceOption>,
    invalid: Option<String>,
    #[serde(default)]
    lookup: bool,
    #[serde(default)]
    optional: bool,
    next: Option<SourceNext>,
    end: Option<String>,
    #[serde(default)]
    follow_ups: Vec<String>,
}

/// `"质量问题"` or `{ label = "不喜欢/不合适", value = "不喜欢", aliases = [...] }`.
#[derive(Deserialize)]
#[serde(untagged)]
enum SourceOption {
    Label(String),
    Full {
        label: String,
        value: Option<String>,
        #[serde(default)]
        aliases: Vec<String>,
        #[serde(flatten)]
        extra: Extra,
    },
}

/// `next = "reason"` or a list of `{ when = "…", goto = "…" }`.
#[derive(Deserialize)]
#[serde(untagged)]
enum SourceNext {
    Step(String),
    Branches(Vec<SourceBranch>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceBranch {
    when: Option<String>,
    goto: String,
}

/// Slots every conversation may know, besides the flow's own.
pub(super) const CONVERSATION_SLOTS: &[&str] = &[
    "order_no", "phone", "email", "budget", "date", "quantity", "question", "category", "contact",
];

/// Order facts a flow text may show (besides the slots).
const FLOW_TEXT_FACTS: &[&str] = &[
    "order.status",
    "order.carrier",
    "order.tracking_no",
    "order.days_since_delivery",
];

/// Reads one flow file, to be the shop's flow number `index`, with its translations.
pub(super) fn read(
    file: &mut SourceFile<'_>,
    ctx: &Context<'_>,
    config: &DialogueConfig,
    index: u16,
) -> Option<(Flow, Vec<Translation>)> {
    let source = file.parse::<FlowFile>()?;
    if source.id.trim().is_empty() || source.name.trim().is_empty() {
        file.error(Some(1), "a flow needs an `id` and a `name`");
        return None;
    }
    if source.step.is_empty() {
        file.error(Some(1), format!("flow `{}` has no [[step]]", source.id));
        return None;
    }
    let ids: Vec<String> = source.step.iter().map(|s| s.get_ref().id.clone()).collect();
    let offer_after = match &source.offer_after {
        Some(ids) => file.entries_at(ctx, ids, "offer_after"),
        None => Vec::new(),
    };
    // What each choice / yes-no slot can hold, for checking conditions against it.
    let produced: Vec<(String, Vec<String>)> = source
        .step
        .iter()
        .map(|s| s.get_ref())
        .filter_map(|s| {
            let slot = s.slot.clone()?;
            let yes_no = s.expect.as_deref() == Some("yes-no");
            let choice = s.expect.as_deref() == Some("choice")
                || (s.expect.is_none() && !s.options.is_empty());
            if !yes_no && !choice {
                return None;
            }
            let mut values: Vec<String> = s
                .options
                .iter()
                .map(|o| match o {
                    SourceOption::Label(l) => l.clone(),
                    SourceOption::Full { label, value, .. } => {
                        value.clone().unwrap_or_else(|| label.clone())
                    }
                })
                .collect();
            if yes_no {
                values.extend(["yes".to_string(), "no".to_string()]);
            }
            if s.optional {
                values.push("none".into());
            }
            Some((slot, values))
        })
        .collect();
    let slots: Vec<String> = source
        .step
        .iter()
        .filter_map(|s| s.get_ref().slot.clone())
        .collect();
    let mut steps = Vec::new();
    for (i, s) in source.step.iter().enumerate() {
        let line = file.line(s.span());
        let s = s.get_ref();
        if ids[..i].contains(&s.id) {
            file.error(Some(line), format!("step id `{}` is used twice", s.id));
        }
        steps.push(step(file, ctx, config, s, line, &ids, &slots, &produced));
    }
    warn_unreachable(file, &source, &steps);
    let shop = config.locales.default;
    let translations = translations(file, ctx, &source, index, shop, &slots, &mut steps);
    let flow = Flow {
        id: source.id,
        name: source.name,
        phrases: ctx.norm_list(&source.phrases),
        offer_after,
        steps,
    };
    // Steps that go round without asking anything would repeat their texts until the engine
    // gives up: refused here, at the step where the loop closes.
    if let Some(id) = flow.silent_cycle() {
        let line = source
            .step
            .iter()
            .find(|s| s.get_ref().id == id)
            .map(|s| file.line(s.span()));
        file.error(
            line,
            format!(
                "flow `{}` step `{id}`: goes round without asking the customer anything \
                 (a step on the way back must `ask`, or one must `end`)",
                flow.id
            ),
        );
    }
    Some((flow, translations))
}

/// The flow's texts in other languages (`name_en`, a step's `ask_en`, `say_en`,
/// `invalid_en`, an option's `label_en` …), keyed for flow `index`. A translated option
/// label is one more alias of its option, so a customer typing it chooses the same value.
/// A language some texts of the flow have and others lack is a warning at the step.
fn translations(
    file: &mut SourceFile<'_>,
    ctx: &Context<'_>,
    source: &FlowFile,
    index: u16,
    shop: Locale,
    slots: &[String],
    steps: &mut [Step],
) -> Vec<Translation> {
    let flow = index;
    let mut out = Collector::default();
    let what = format!("flow `{}`", source.id);
    let name = source.extra.read(file, 1, &what, &["name"], shop);
    let mut locales = name.locales();
    let name_texts = name.texts(file, 1, "name");
    out.add(TextKey::FlowName { flow }, name_texts);
    // Per step: its line, what it is, the texts it shows and their translations.
    type Shown = Vec<(String, Vec<Locale>)>;
    let mut written: Vec<(usize, String, Shown)> = Vec::new();
    for (i, s) in source.step.iter().enumerate() {
        let line = file.line(s.span());
        let s = s.get_ref();
        let step = i as u16;
        let what = format!("flow `{}` step `{}`", source.id, s.id);
        let found = s
            .extra
            .read(file, line, &what, &["ask", "say", "invalid"], shop);
        locales.extend(found.locales());
        let mut shown = Vec::new();
        let texts: [(&str, &Option<String>, TextKey); 3] = [
            ("ask", &s.ask, TextKey::StepAsk { flow, step }),
            ("say", &s.say, TextKey::StepSay { flow, step }),
            ("invalid", &s.invalid, TextKey::StepInvalid { flow, step }),
        ];
        for (key, own, text_key) in texts {
            let translated = found.texts(file, line, key);
            if own.is_none() && !translated.is_empty() {
                file.error(Some(line), format!("{what}: `{key}_…` without `{key}`"));
                continue;
            }
            if own.is_some() {
                shown.push((key.to_string(), has_locales(&found, key)));
            }
            for (_, text) in &translated {
                warn_placeholders(file, line, &what, text, slots);
            }
            out.add(text_key, translated);
        }
        for (o, option) in s.options.iter().enumerate() {
            let SourceOption::Full { extra, .. } = option else {
                shown.push(("label".to_string(), Vec::new()));
                continue;
            };
            let found = extra.read(file, line, &what, &["label"], shop);
            locales.extend(found.locales());
            shown.push(("label".to_string(), has_locales(&found, "label")));
            let labels = found.texts(file, line, "label");
            if let Some(target) = steps.get_mut(i).and_then(|st| st.options.get_mut(o)) {
                let words: Vec<String> = labels.iter().map(|(_, l)| l.clone()).collect();
                for alias in ctx.norm_list(&words) {
                    if !target.aliases.contains(&alias) {
                        target.aliases.push(alias);
                    }
                }
            }
            let option = o as u16;
            out.add(TextKey::OptionLabel { flow, step, option }, labels);
        }
        written.push((line, what, shown));
    }
    locales.sort();
    locales.dedup();
    if !locales.is_empty() {
        let name_has = vec![("name".to_string(), has_locales(&name, "name"))];
        warn_partial(
            file,
            1,
            &format!("flow `{}`", source.id),
            &locales,
            &name_has,
        );
        for (line, what, shown) in &written {
            warn_partial(file, *line, what, &locales, shown);
        }
    }
    out.texts
}

/// The languages `key` is translated into.
fn has_locales(found: &Found, key: &str) -> Vec<Locale> {
    Locale::ALL
        .into_iter()
        .filter(|&l| found.has(key, l))
        .collect()
}

/// A misspelt placeholder shows customers "—".
fn warn_placeholders(
    file: &mut SourceFile<'_>,
    line: usize,
    what: &str,
    text: &str,
    slots: &[String],
) {
    for name in placeholders(text) {
        let known = name == "flow"
            || FLOW_TEXT_FACTS.contains(&name.as_str())
            || slots.contains(&name)
            || CONVERSATION_SLOTS.contains(&name.as_str())
            || ORDER_FACTS.contains(&name.as_str());
        if !known {
            file.warning(
                Some(line),
                format!(
                    "{what}: `{{{name}}}` is no slot of this flow or the conversation (customers would see —)"
                ),
            );
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn step(
    file: &mut SourceFile<'_>,
    ctx: &Context<'_>,
    config: &DialogueConfig,
    s: &SourceStep,
    line: usize,
    ids: &[String],
    slots: &[String],
    produced: &[(String, Vec<String>)],
) -> Step {
    let at = |what: String| format!("step `{}`: {what}", s.id);
    for text in [&s.ask, &s.say, &s.invalid].into_iter().flatten() {
        warn_placeholders(file, line, &format!("step `{}`", s.id), text, slots);
    }
    if let Some(p) = &s.pattern {
        if p.starts_with('^') || p.ends_with('$') {
            file.error(
                Some(line),
                at(format!("pattern `{p}`: answers are found inside what the customer writes; drop ^ and $")),
            );
        }
    }
    let expect = match (s.expect.as_deref(), &s.pattern) {
        (Some("pattern"), Some(p)) => match Pattern::parse(p) {
            Ok(p) => Expect::Pattern(p),
            Err(e) => {
                file.error(Some(line), at(format!("pattern `{p}`: {e}")));
                Expect::Text
            }
        },
        (Some("pattern"), None) => {
            file.error(Some(line), at("`expect = \"pattern\"` needs a `pattern`".into()));
            Expect::Text
        }
        (None, _) if !s.options.is_empty() => Expect::Choice,
        (None, _) => Expect::Text,
        (Some(code), _) => Expect::from_code(code).unwrap_or_else(|| {
            file.error(
                Some(line),
                at(format!("`expect = \"{code}\"`: use text, choice, yes-no, order-number, phone, email, tax-number, image, number, date or pattern")),
            );
            Expect::Text
        }),
    };
    if s.ask.is_some() != s.slot.is_some() {
        file.error(
            Some(line),
            at(
                "a step that asks needs a `slot` for the answer, and a `slot` needs an `ask`"
                    .into(),
            ),
        );
    }
    if expect == Expect::Choice && s.options.is_empty() {
        file.error(Some(line), at("a choice needs `options`".into()));
    }
    if s.lookup && expect != Expect::OrderNumber {
        file.error(
            Some(line),
            at("`lookup = true` needs `expect = \"order-number\"`".into()),
        );
    }
    let end = match s.end.as_deref() {
        None => None,
        Some("done") => Some(FlowEnd::Done),
        Some("handoff") => Some(FlowEnd::HandOff),
        Some(other) => {
            file.error(
                Some(line),
                at(format!("`end = \"{other}\"`: use done or handoff")),
            );
            None
        }
    };
    if end.is_some() && (s.ask.is_some() || s.next.is_some()) {
        file.error(
            Some(line),
            at("a step that ends the flow neither asks nor goes on".into()),
        );
    }
    let options = s
        .options
        .iter()
        .map(|o| {
            let (label, value, aliases) = match o {
                SourceOption::Label(l) => (l.clone(), l.clone(), Vec::new()),
                SourceOption::Full {
                    label,
                    value,
                    aliases,
                    ..
                } => (
                    label.clone(),
                    value.clone().unwrap_or_else(|| label.clone()),
                    aliases.clone(),
                ),
            };
            let mut names = vec![label.clone(), value.clone()];
            names.extend(aliases);
            StepOption {
                label,
                value,
                aliases: ctx.norm_list(&names),
            }
        })
        .collect();
    let goto = |file: &mut SourceFile<'_>, target: &str| -> u16 {
        match ids.iter().position(|i| i == target) {
            Some(i) => i as u16,
            None => {
                file.error(
                    Some(line),
                    at(format!("goes to `{target}`, which is no step of this flow")),
                );
                0
            }
        }
    };
    let next = match &s.next {
        None => Vec::new(),
        Some(SourceNext::Step(target)) => vec![Branch {
            when: None,
            goto: goto(file, target),
        }],
        Some(SourceNext::Branches(list)) => list
            .iter()
            .map(|b| {
                let when = b.when.as_ref().and_then(|w| match Condition::parse(w) {
                    Ok(c) => {
                        for name in c.names() {
                            let known = slots.iter().any(|s| s == name)
                                || CONVERSATION_SLOTS.contains(&name)
                                || ORDER_FACTS.contains(&name)
                                || config.catalogue.facets.iter().any(|f| f.name == name);
                            if !known {
                                file.warning(
                                    Some(line),
                                    at(format!(
                                        "condition `{w}` reads `{name}`, which nothing fills"
                                    )),
                                );
                            }
                        }
                        for (name, value) in c.compared() {
                            let canonical = kefu_core::dialogue::condition::canonical;
                            if name == "order.status" {
                                // `unknown`: no lookup result (yet).
                                let codes: Vec<&str> = kefu_core::dialogue::OrderStatus::ALL
                                    .iter()
                                    .map(|s| s.code())
                                    .chain(["unknown"])
                                    .collect();
                                if !codes.contains(&value) {
                                    file.warning(
                                        Some(line),
                                        at(format!(
                                            "condition `{w}`: `{value}` is no order status (use {})",
                                            codes.join(", ")
                                        )),
                                    );
                                }
                            } else if let Some((_, values)) =
                                produced.iter().find(|(slot, _)| slot == name)
                            {
                                let fits = values.iter().any(|v| {
                                    canonical(&v.to_lowercase()) == canonical(value)
                                });
                                if !fits {
                                    file.warning(
                                        Some(line),
                                        at(format!(
                                            "condition `{w}`: no option gives `{name}` the value `{value}` (options: {})",
                                            values.join(", ")
                                        )),
                                    );
                                }
                            }
                        }
                        Some(c)
                    }
                    Err(e) => {
                        file.error(Some(line), at(format!("condition `{w}`: {e}")));
                        None
                    }
                });
                Branch {
                    when,
                    goto: goto(file, &b.goto),
                }
            })
            .collect(),
    };
    Step {
        id: s.id.clone(),
        say: s.say.clone(),
        ask: s.ask.clone(),
        slot: s.slot.clone(),
        expect,
        options,
        invalid: s.invalid.clone(),
        lookup: s.lookup,
        optional: s.optional,
        next,
        end,
        follow_ups: file.entries(ctx, &s.follow_ups, line, &at("follow_ups".into())),
    }
}

/// The `{name}` placeholders of a text.
pub(super) fn placeholders(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if !after[..close].contains('{') => {
                let name = after[..close].trim();
                if !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_alphanumeric() || "_.".contains(c))
                {
                    out.push(name.to_string());
                }
                rest = &after[close + 1..];
            }
            _ => rest = after,
        }
    }
    out
}

/// Steps no path reaches are probably a typo in a `goto`.
fn warn_unreachable(file: &mut SourceFile<'_>, source: &FlowFile, steps: &[Step]) {
    let mut reached = vec![false; steps.len()];
    let mut stack = vec![0usize];
    while let Some(i) = stack.pop() {
        if i >= steps.len() || reached[i] {
            continue;
        }
        reached[i] = true;
        let step = &steps[i];
        if step.end.is_some() {
            continue;
        }
        stack.extend(step.next.iter().map(|b| b.goto as usize));
        if step.next.is_empty() || step.next.iter().all(|b| b.when.is_some()) {
            stack.push(i + 1);
        }
    }
    for (i, r) in reached.iter().enumerate() {
        if !r {
            let line = file.line(source.step[i].span());
            file.warning(
                Some(line),
                format!("step `{}` is never reached", steps[i].id),
            );
        }
    }
}
