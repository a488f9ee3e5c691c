//! The designer preview's sample states (`preview.html?state=…`, on a `data-preview` page
//! only): conversations that need a server or a moment in time — an order card, the queue,
//! an agent's reply, offline, the leave-a-message form, a flow's photo step, a confirmation —
//! made with no backend. The real engine answers every customer message and renders every
//! card; only what a server would have sent (the order's data, the queue position, the
//! agent's words) is sample data, fed in as that server's answer would be.

use kefu_core::dialogue::{Input, OrderInfo, OrderLookup, OrderStatus};
use kefu_core::Timestamp;
use leptos::prelude::*;

use super::Chat;
use crate::i18n::Lang;
use crate::session::{JobState, Notice, Service, Session};

/// Friday 2026-11-20, 10:00 in China: within the demo shop's working hours.
const DAY: Timestamp = 1_795_140_000;
/// The same day at 23:00: outside them.
const NIGHT: Timestamp = DAY + 13 * 3_600;

/// The sample states, in the order the gallery lists them.
pub const SAMPLES: [&str; 7] = [
    "order",
    "confirmation",
    "upload",
    "queue",
    "agent",
    "offline",
    "leave-message",
];

fn order(no: &str, status: OrderStatus) -> Input {
    Input::Order(OrderLookup::Found(OrderInfo {
        order_no: no.into(),
        status,
        carrier: Some("顺丰".into()),
        tracking_no: Some("SF1234567890".into()),
        delivered_at: (status == OrderStatus::Delivered).then_some(DAY - 2 * 86_400),
        eta: (status == OrderStatus::Shipped).then_some(DAY + 2 * 86_400),
        ..OrderInfo::default()
    }))
}

impl Chat {
    /// Shows the sample state `name` after the welcome; `false` for a name that is not one.
    pub fn preview_sample(&self, name: &str, lang: Lang) -> bool {
        if !SAMPLES.contains(&name) {
            return false;
        }
        let agent = match lang {
            Lang::English => (
                "Wang",
                "Hello, this is Wang. I am looking at your order now.",
            ),
            Lang::ZhTw => ("小王", "您好，我是客服小王，正在為您查詢訂單。"),
            Lang::ZhCn => ("小王", "您好，我是客服小王，正在为您查询订单。"),
        };
        self.engine.with_value(|engine| {
            self.session.update(|s: &mut Session| {
                let say = |s: &mut Session, text: &str, now: Timestamp| s.say(engine, text, now).1;
                match name {
                    "order" => {
                        say(s, "我的订单123456发货了吗？", DAY);
                        s.respond(engine, order("123456", OrderStatus::Shipped), DAY);
                    }
                    "confirmation" => {
                        say(s, "我的订单123456发货了吗？", DAY);
                        s.respond(engine, order("123456", OrderStatus::Unshipped), DAY);
                        say(s, "换个地址", DAY);
                        say(s, "浙江省杭州市西湖区文三路100号 张三", DAY);
                    }
                    "upload" => {
                        say(s, "我要退货", DAY);
                        say(s, "123456789012", DAY);
                        s.respond(engine, order("123456789012", OrderStatus::Delivered), DAY);
                        say(s, "衣服收到就开线了，质量不好", DAY);
                    }
                    "queue" | "agent" => {
                        say(s, "转人工", DAY);
                        s.notice(Notice::Job {
                            job: u32::MAX,
                            service: Service::Agents,
                            state: JobState::Sent,
                        });
                        s.notice(Notice::Queue {
                            position: Some(2),
                            minutes: Some(3),
                        });
                        if name == "agent" {
                            s.notice(Notice::AgentJoined(agent.0.to_string()));
                            s.agent(agent.0, agent.1);
                        }
                    }
                    "offline" => {
                        s.notice(Notice::Offline);
                        say(s, "退货运费谁出？", DAY);
                        say(s, "我的订单123456发货了吗？", DAY);
                        s.notice(Notice::Job {
                            job: u32::MAX,
                            service: Service::Orders,
                            state: JobState::Queued,
                        });
                    }
                    _ => {
                        say(s, "转人工", NIGHT);
                    }
                }
            })
        });
        true
    }
}
