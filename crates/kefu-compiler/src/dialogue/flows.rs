//! `flows/*.toml`: one guided flow per file.

use kefu_core::dialogue::condition::Condition;
use kefu_core::dialogue::flows::{Branch, Expect, Flow, FlowEnd, Step, StepOption, ORDER_FACTS};
use kefu_core::dialogue::pattern::Pattern;
use kefu_core::dialogue::DialogueConfig;
use serde::Deserialize;
use toml::Spanned;

use super::{Context, SourceFile};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FlowFile {
    id: String,
    name: String,
    #[serde(default)]
    phrases: Vec<String>,
    offer_after: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    step: Vec<Spanned<SourceStep>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceStep {
    id: String,
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

/// Reads one flow file.
pub(super) fn read(
    file: &mut SourceFile<'_>,
    ctx: &Context<'_>,
    config: &DialogueConfig,
) -> Option<Flow> {
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
    Some(Flow {
        id: source.id,
        name: source.name,
        phrases: ctx.norm_list(&source.phrases),
        offer_after,
        steps,
    })
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
    // A misspelt placeholder shows customers "—".
    for text in [&s.ask, &s.say, &s.invalid].into_iter().flatten() {
        for name in placeholders(text) {
            let known = name == "flow"
                || FLOW_TEXT_FACTS.contains(&name.as_str())
                || slots.contains(&name)
                || CONVERSATION_SLOTS.contains(&name.as_str())
                || ORDER_FACTS.contains(&name.as_str());
            if !known {
                file.warning(
                    Some(line),
                    at(format!(
                        "`{{{name}}}` is no slot of this flow or the conversation (customers would see —)"
                    )),
                );
            }
        }
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
