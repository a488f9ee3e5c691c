//! Running guided flows: starting one (by phrase or quick reply, with slots prefilled from
//! the sentence and the context), asking each step, validating answers, looking orders up,
//! branching on the rules, and ending in "done" or a handoff. Another question in the middle
//! is answered and the step asked again; "取消" leaves the flow.

use super::calendar::local_day;
use super::config::fill;
use super::flow_answer::match_option;
use super::flows::{Expect, Flow, FlowEnd, Step};
use super::handoff::HandoffReason;
use super::hear::Heard;
use super::reply::{Action, Choice, FlowStep, Message, OrderLookup, QuickReply};
use super::say::{fill_with, Turn};
use super::state::{Conversation, FlowState};
use super::translations::TextKey;

impl Conversation {
    pub(super) fn current<'a>(&self, t: &Turn<'a>) -> Option<(&'a Flow, usize)> {
        let state = self.flow.as_ref()?;
        let flow = t.cfg.flows.iter().find(|f| f.id == state.flow)?;
        let (idx, _) = flow.step(&state.step)?;
        Some((flow, idx))
    }

    /// Starts a flow (or re-asks its step when it is already running).
    pub(super) fn start_flow(&mut self, t: &mut Turn<'_>, id: &str, heard: Option<&Heard>) {
        let cfg = t.cfg;
        let Some(flow) = cfg
            .flows
            .iter()
            .find(|f| f.id == id)
            .filter(|f| !f.steps.is_empty())
        else {
            return;
        };
        if self.flow.as_ref().is_some_and(|f| f.flow == id) {
            self.resume_flow(t);
            return;
        }
        let mut prefilled: Vec<(String, String)> = Vec::new();
        for step in &flow.steps {
            let Some(slot) = &step.slot else { continue };
            let value = match (&step.expect, heard) {
                (Expect::OrderNumber, _) => heard
                    .and_then(|h| h.slots.order_numbers.first().cloned())
                    .or_else(|| self.context.order.as_ref().map(|o| o.order_no.clone())),
                (Expect::Phone, Some(h)) => h.slots.phones.first().cloned(),
                (Expect::Email, Some(h)) => h.slots.emails.first().cloned(),
                (Expect::Choice, Some(h)) => match_option(step, &h.norm),
                _ => None,
            };
            if let Some(value) = value {
                prefilled.push((slot.clone(), value));
            }
        }
        self.flow = Some(FlowState {
            flow: id.to_string(),
            step: flow.steps[0].id.clone(),
            slots: prefilled,
            waiting_lookup: None,
            invalid: 0,
        });
        self.awaiting = None;
        self.streak.unrecognised = 0;
        self.run_flow(t, 0);
    }

    /// Starts flow `id` for a message (the decision was made in `decide`), telling the
    /// customer when another flow in progress is left for it.
    pub(super) fn switch_to_flow(&mut self, t: &mut Turn<'_>, id: &str, heard: &Heard) {
        let cfg = t.cfg;
        if let Some(current) = self.flow.take().filter(|f| f.flow != id) {
            let name = cfg
                .flows
                .iter()
                .find(|f| f.id == current.flow)
                .map_or(current.flow.clone(), |f| t.flow_name(f).to_string());
            t.say(fill(&t.pack.texts.flow_cancelled, &[("flow", &name)]));
        }
        self.start_flow(t, id, Some(heard));
    }

    /// Runs from step `idx` until a step waits for the customer or the flow ends.
    pub(super) fn run_flow(&mut self, t: &mut Turn<'_>, mut idx: usize) {
        let Some((flow, _)) = self.current(t).or_else(|| {
            let id = &self.flow.as_ref()?.flow;
            t.cfg.flows.iter().find(|f| &f.id == id).map(|f| (f, 0))
        }) else {
            self.flow = None;
            return;
        };
        let Some(last) = flow.steps.len().checked_sub(1) else {
            // A flow without steps (refused by `DialogueConfig::check`) does nothing.
            self.flow = None;
            return;
        };
        let mut ended_by_steps = false;
        for _ in 0..flow.steps.len() * 2 + 2 {
            let Some(step) = flow.steps.get(idx) else {
                break;
            };
            if let Some(state) = self.flow.as_mut() {
                state.step = step.id.clone();
                state.invalid = 0;
            }
            if let Some(say) = &step.say {
                let say = t.step_text(
                    flow,
                    step,
                    |flow, step| TextKey::StepSay { flow, step },
                    say,
                );
                t.say(self.fill_flow(t, flow, say));
            }
            let follow_ups = QuickReply::for_entries(t.kb, &step.follow_ups, t.locale);
            let title = t.pack.texts.follow_ups_title.clone();
            t.quick_replies(&title, follow_ups);
            if let Some(end) = step.end {
                self.finish_flow(t, flow, step, end);
                return;
            }
            if step.ask.is_some() {
                let known = step
                    .slot
                    .as_deref()
                    .and_then(|s| self.flow_slot(s))
                    .map(str::to_string);
                match known {
                    None => {
                        self.prompt(t, flow, step);
                        return;
                    }
                    Some(no) if step.lookup && !self.order_known(&no) => {
                        self.start_lookup(t, &no);
                        return;
                    }
                    Some(_) => {}
                }
            }
            match self.next_index(t, flow, idx) {
                Some(next) => {
                    if next <= idx {
                        // A branch back asks again from there: the answers of that step and
                        // the ones after it are cleared (a say-only step after a check of
                        // the height going back to the height question asks it again).
                        self.clear_flow_slots(flow, next, idx);
                    }
                    idx = next
                }
                None => {
                    ended_by_steps = true;
                    break;
                }
            }
        }
        // Steps going round without asking anything (refused by `DialogueConfig::check`):
        // a person takes over rather than the flow pretending to be done.
        let end = if ended_by_steps {
            FlowEnd::Done
        } else {
            FlowEnd::HandOff
        };
        self.finish_flow(t, flow, &flow.steps[idx.min(last)], end);
    }

    /// Forgets the answers of the steps `from..=to`, to ask them again.
    pub(super) fn clear_flow_slots(&mut self, flow: &Flow, from: usize, to: usize) {
        let redo: Vec<&str> = flow.steps[from..=to.min(flow.steps.len() - 1)]
            .iter()
            .filter_map(|s| s.slot.as_deref())
            .collect();
        if let Some(state) = self.flow.as_mut() {
            state.slots.retain(|(k, _)| !redo.contains(&k.as_str()));
        }
    }

    /// The step after `idx`: the first branch whose rule holds, else the next in the list.
    pub(super) fn next_index(&self, t: &Turn<'_>, flow: &Flow, idx: usize) -> Option<usize> {
        let step = &flow.steps[idx];
        for branch in &step.next {
            if branch
                .when
                .as_ref()
                .is_none_or(|c| c.holds(&|name| self.flow_value(t, name)))
            {
                return Some(branch.goto as usize).filter(|&g| g < flow.steps.len());
            }
        }
        (idx + 1 < flow.steps.len()).then_some(idx + 1)
    }

    pub(super) fn flow_slot(&self, name: &str) -> Option<&str> {
        self.flow
            .as_ref()?
            .slots
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A value for a branch rule: a flow slot, a conversation slot or an order fact.
    fn flow_value(&self, t: &Turn<'_>, name: &str) -> Option<String> {
        if let Some(fact) = name.strip_prefix("order.") {
            let wanted = self.flow_slot("order_no");
            let order = self
                .context
                .order
                .as_ref()
                .filter(|o| wanted.is_none_or(|w| w == o.order_no));
            let info = order.and_then(|o| o.info.as_ref());
            let offset = t.kb.settings.working_hours.utc_offset_minutes;
            let days =
                |ts: Option<i64>| ts.map(|ts| (t.today() - local_day(ts, offset)).to_string());
            return match fact {
                "status" => Some(info.map_or("unknown", |i| i.status.code()).to_string()),
                "carrier" => info.and_then(|i| i.carrier.clone()),
                "tracking_no" => info.and_then(|i| i.tracking_no.clone()),
                "days_since_delivery" => days(info.and_then(|i| i.delivered_at)),
                "days_since_shipped" => days(info.and_then(|i| i.shipped_at)),
                "days_since_order" => days(info.and_then(|i| i.ordered_at)),
                _ => None,
            };
        }
        self.flow_slot(name)
            .or_else(|| self.slot(name))
            .map(str::to_string)
    }

    pub(super) fn fill_flow(&self, t: &Turn<'_>, flow: &Flow, template: &str) -> String {
        let facts: Vec<(&str, String)> = [
            "order.status",
            "order.carrier",
            "order.tracking_no",
            "order.days_since_delivery",
        ]
        .iter()
        .filter_map(|&name| self.flow_value(t, name).map(|v| (name, v)))
        .collect();
        // A date reads as the day in the conversation's language ("12月5日（周六）"), the slot
        // keeping 2026-12-05.
        let dates: Vec<(&str, String)> = flow
            .steps
            .iter()
            .filter(|s| s.expect == Expect::Date)
            .filter_map(|s| {
                let slot = s.slot.as_deref()?;
                let day = super::calendar::parse_date(self.flow_slot(slot)?)?;
                Some((slot, t.labels().date(day)))
            })
            .collect();
        let mut values: Vec<(&str, &str)> = vec![("flow", t.flow_name(flow))];
        values.extend(dates.iter().map(|(k, v)| (*k, v.as_str())));
        values.extend(facts.iter().map(|(k, v)| (*k, v.as_str())));
        // A chosen option reads as its label in the conversation's language ({reason} →
        // "Quality problem"), the slot keeping the shop's value.
        for step in &flow.steps {
            let Some(slot) = step.slot.as_deref() else {
                continue;
            };
            let chosen = self
                .flow_slot(slot)
                .and_then(|v| step.options.iter().position(|o| o.value == v));
            if let Some(i) = chosen {
                let option = i as u16;
                let key = |flow, step| TextKey::OptionLabel { flow, step, option };
                let own = step.options[i].value.as_str();
                let label = t.step_text(flow, step, key, own);
                if !std::ptr::eq(label, own) {
                    values.push((slot, label));
                }
            }
        }
        fill_with(template, self, t.labels(), &values)
    }

    pub(super) fn prompt(&mut self, t: &mut Turn<'_>, flow: &Flow, step: &Step) {
        let mut options: Vec<QuickReply> = step
            .options
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let option = i as u16;
                let key = |flow, step| TextKey::OptionLabel { flow, step, option };
                QuickReply {
                    label: t.step_text(flow, step, key, &o.label).to_string(),
                    choice: Choice::Option(o.value.clone()),
                }
            })
            .collect();
        if step.expect == Expect::YesNo && options.is_empty() {
            let labels = t.labels();
            options = [("yes", &labels.yes), ("no", &labels.no)]
                .iter()
                .map(|(v, label)| QuickReply {
                    label: label.to_string(),
                    choice: Choice::Option(v.to_string()),
                })
                .collect();
        }
        if step.optional {
            options.push(QuickReply {
                label: t.labels().skip.clone(),
                choice: Choice::Option(super::flow_answer::SKIP.into()),
            });
        }
        let ask = step.ask.as_deref().unwrap_or_default();
        let ask = t.step_text(
            flow,
            step,
            |flow, step| TextKey::StepAsk { flow, step },
            ask,
        );
        let prompt = self.fill_flow(t, flow, ask);
        t.push(Message::FlowStep(FlowStep {
            flow: flow.id.clone(),
            flow_name: t.flow_name(flow).to_string(),
            step: step.id.clone(),
            prompt,
            options,
            expects: step.expect.code().to_string(),
        }));
    }

    pub(super) fn order_known(&self, order_no: &str) -> bool {
        self.context
            .order
            .as_ref()
            .is_some_and(|o| o.order_no == order_no && o.info.is_some())
    }

    pub(super) fn start_lookup(&mut self, t: &mut Turn<'_>, order_no: &str) {
        self.focus_order(order_no);
        self.set_slot("order_no", order_no);
        if let Some(state) = self.flow.as_mut() {
            state.waiting_lookup = Some(order_no.to_string());
        }
        t.notice(fill(
            &t.pack.texts.looking_up_order,
            &[("order_no", order_no)],
        ));
        t.act(Action::LookUpOrder {
            order_no: order_no.to_string(),
        });
    }

    /// The lookup the flow waited for came back.
    pub(super) fn flow_lookup_done(&mut self, t: &mut Turn<'_>, lookup: &OrderLookup) {
        if let Some(state) = self.flow.as_mut() {
            state.waiting_lookup = None;
        }
        let Some((flow, idx)) = self.current(t) else {
            return;
        };
        let texts = &t.pack.texts;
        match lookup {
            OrderLookup::NotFound { order_no } => {
                if let Some(state) = self.flow.as_mut() {
                    state
                        .slots
                        .retain(|(k, v)| !(k == "order_no" && v == order_no));
                }
                t.say(fill(&texts.order_not_found, &[("order_no", order_no)]));
                self.prompt(t, flow, &flow.steps[idx]);
                return;
            }
            OrderLookup::Failed { .. } => t.say(texts.order_lookup_failed.clone()),
            OrderLookup::Found(_) => {}
        }
        match self.next_index(t, flow, idx) {
            Some(next) => self.run_flow(t, next),
            None => self.finish_flow(t, flow, &flow.steps[idx], FlowEnd::Done),
        }
    }

    /// After another question: "我们继续「退货退款」：" and the step again.
    pub(super) fn resume_flow(&mut self, t: &mut Turn<'_>) {
        if self
            .flow
            .as_ref()
            .is_some_and(|f| f.waiting_lookup.is_some())
        {
            return;
        }
        let Some((flow, idx)) = self.current(t) else {
            return;
        };
        t.say(fill(
            &t.pack.texts.flow_resume,
            &[("flow", t.flow_name(flow))],
        ));
        self.prompt(t, flow, &flow.steps[idx]);
    }

    pub(super) fn finish_flow(&mut self, t: &mut Turn<'_>, flow: &Flow, step: &Step, end: FlowEnd) {
        match end {
            FlowEnd::Done => {
                self.flow = None;
                self.resolved = self.resolved.saturating_add(1);
                self.ask_rating(t);
            }
            FlowEnd::HandOff => self.hand_off(
                t,
                HandoffReason::Flow,
                &format!("flow:{}/{}", flow.id, step.id),
            ),
        }
    }
}
