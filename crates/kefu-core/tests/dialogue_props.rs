//! Properties of the conversation engine, over random sequences of turns on the demo
//! knowledge base:
//!
//! 1. no sequence of inputs panics — typed text (real questions, flow answers, random
//!    Unicode, very long and hostile text), clicks on whatever the last reply offered, order
//!    lookup results of every kind, images, ratings, left messages, the end of the chat, and
//!    a clock that jumps around (working hours, holidays, idle expiry);
//! 2. after every turn the state round-trips through postcard and JSON unchanged, and the
//!    restored state answers the next input exactly like the original;
//! 3. every reply is bounded: a handful of messages, at most one action, and no action
//!    without a message telling the customer what happens;
//! 4. a saved state that does not fit the knowledge base (a flow or step that does not
//!    exist, a waiting lookup, any context, rating or shopping state, any language) is
//!    fitted by `Conversation::restore` and then answered without a panic;
//! 5. hand-made configurations: a flow without steps or one going round without asking is
//!    refused when the engine loads, and a flow that keeps asking itself never panics.

use std::path::Path;
use std::sync::OnceLock;

use kefu_core::dialogue::flows::Branch;
use kefu_core::dialogue::state::{
    Awaiting, Context, FlowState, Focus, OrderFocus, OrderIntent, RatingState, Shopping,
};
use kefu_core::dialogue::{
    Choice, Conversation, Input, Locale, OrderInfo, OrderLookup, OrderStatus, Reply,
    SavedConversation,
};
use kefu_core::Engine;
use proptest::prelude::*;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let kb = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../kb"));
        Engine::from_kb(kefu_compiler::compile(kb).expect("demo kb compiles").kb)
            .expect("demo kb loads")
    })
}

/// Things customers say, so random sequences reach deep into flows and rules.
const PHRASES: &[&str] = &[
    "我要退货",
    "我要开发票",
    "换个地址",
    "123456789012",
    "123456",
    "质量问题",
    "不喜欢",
    "是",
    "否",
    "个人",
    "企业",
    "杭州小麦科技有限公司",
    "91330106MA2H3ABC1X",
    "li@example.com",
    "13812345678",
    "取消",
    "算了",
    "转人工",
    "转人攻",
    "human",
    "详细说说",
    "还有呢",
    "谢谢",
    "再见",
    "你好",
    "满意",
    "不满意",
    "等待太久",
    "我的订单123456发货了吗",
    "什么时候能到",
    "快递单号是多少",
    "这款手机的电池容量多大",
    "那拍照效果呢",
    "它有几种颜色",
    "想买一件适合夏天旅游穿的，透气又好洗的T恤，200以内",
    "想买件T恤",
    "100以内",
    "三千块左右",
    "1-2k",
    "退货运费谁出",
    "退款多久到账",
    "什么破服务，气死我了！！！",
    "我好着急",
    "支付不了",
    "花呗",
    "我的银行卡被盗刷了",
    "昨天买的两件",
    "上周五",
    "I want to return my order",
    "where is my order 123456789012",
    "talk to a human",
    "THIS IS RIDICULOUS!!!",
    "小麦手机 X1 Pro 多少钱",
    "我的訂單123456發貨了嗎",
    "轉人工",
    "<script>alert(1)</script>",
    "",
    "   ",
    "？？？！！！",
    "x",
];

#[derive(Debug, Clone)]
enum Step {
    Say(String),
    Click(usize),
    Open,
    Viewing(String),
    Order(u8, String),
    Image,
    Rate(bool, Option<String>),
    Leave(String),
    End,
}

fn step() -> impl Strategy<Value = Step> {
    let said = prop_oneof![
        6 => prop::sample::select(PHRASES).prop_map(str::to_string),
        2 => "\\PC{0,40}",
        1 => "[0-9]{1,24}",
        1 => prop::collection::vec(prop::sample::select(PHRASES), 1..4).prop_map(|p| p.join("，")),
        1 => ("\\PC{1,3}", 100usize..2000).prop_map(|(s, n)| s.repeat(n)),
    ];
    prop_oneof![
        10 => said.prop_map(Step::Say),
        6 => (0usize..16).prop_map(Step::Click),
        1 => Just(Step::Open),
        1 => prop::sample::select(vec!["phone-x1", "phone-x1-pro", "tee-cool", "nope"]).prop_map(|s| Step::Viewing(s.into())),
        3 => (0u8..10, prop::sample::select(vec!["123456", "123456789012", "888888"])).prop_map(|(k, n)| Step::Order(k, n.into())),
        1 => Just(Step::Image),
        1 => (any::<bool>(), prop::option::of("\\PC{0,10}")).prop_map(|(s, r)| Step::Rate(s, r)),
        1 => prop::sample::select(vec!["13812345678", "", "a@b.cn"]).prop_map(|c| Step::Leave(c.into())),
        1 => Just(Step::End),
    ]
}

fn input(step: &Step, last: &Reply) -> Input {
    match step {
        Step::Say(text) => Input::Text(text.clone()),
        Step::Click(i) => {
            let options: Vec<Choice> = last
                .messages
                .iter()
                .flat_map(|m| m.clickables())
                .map(|q| q.choice.clone())
                .collect();
            match options.get(i % options.len().max(1)) {
                Some(choice) => Input::Choice(choice.clone()),
                None => Input::Choice(
                    [Choice::Human, Choice::Detail, Choice::Rate(true)][i % 3].clone(),
                ),
            }
        }
        Step::Open => Input::Open,
        Step::Viewing(id) => Input::Viewing {
            product: id.clone(),
        },
        Step::Order(kind, no) => Input::Order(match kind {
            0 => OrderLookup::NotFound {
                order_no: no.clone(),
            },
            1 => OrderLookup::Failed {
                order_no: no.clone(),
            },
            k => OrderLookup::Found(OrderInfo {
                order_no: no.clone(),
                status: OrderStatus::ALL[(*k as usize) % OrderStatus::ALL.len()],
                carrier: Some("顺丰".into()),
                tracking_no: (k % 2 == 0).then(|| "SF1".into()),
                delivered_at: Some(1_795_000_000 - (*k as i64) * 86_400 * 3),
                eta: (k % 3 == 0).then_some(1_795_300_000),
                ..OrderInfo::default()
            }),
        }),
        Step::Image => Input::Image {
            reference: "photo.jpg".into(),
        },
        Step::Rate(satisfied, reason) => Input::Rating {
            satisfied: *satisfied,
            reason: reason.clone(),
        },
        Step::Leave(contact) => Input::LeaveMessage {
            contact: contact.clone(),
            question: "问题".into(),
        },
        Step::End => Input::End,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn random_conversations_never_panic_and_always_round_trip(
        steps in prop::collection::vec((step(), -3_600i64..200_000), 1..40),
        start in 1_790_000_000i64..1_800_000_000,
    ) {
        let engine = engine();
        let mut conversation = Conversation::new();
        let mut last = Reply::default();
        let mut now = start;
        for (step, dt) in &steps {
            now += dt;
            let input = input(step, &last);
            let reply = conversation.respond(engine, input.clone(), now);

            prop_assert!(reply.messages.len() <= 12, "too many messages: {:?}", reply);
            if reply.action.is_some() {
                prop_assert!(!reply.messages.is_empty(), "an action without a message: {:?}", reply);
            }

            let bytes = postcard::to_allocvec(&conversation).expect("state serialises");
            let saved = SavedConversation::from_postcard(&bytes).expect("state deserialises");
            let restored = Conversation::restore(saved, engine);
            prop_assert_eq!(&restored, &conversation);
            let json = serde_json::to_string(&conversation).expect("state serialises to JSON");
            let saved: SavedConversation = serde_json::from_str(&json).expect("state reads back from JSON");
            prop_assert_eq!(&Conversation::restore(saved, engine), &conversation);
            let reply_json = serde_json::to_string(&reply).expect("reply serialises to JSON");
            let reply_back: Reply = serde_json::from_str(&reply_json).expect("reply reads back");
            prop_assert_eq!(&reply_back, &reply);

            // The restored state behaves exactly like the original.
            let mut a = conversation.clone();
            let mut b = restored;
            let probe = Input::Text("什么时候能到".into());
            prop_assert_eq!(a.respond(engine, probe.clone(), now + 1), b.respond(engine, probe, now + 1));

            last = reply;
        }
    }
}

#[test]
fn a_megabyte_of_text_is_read_safely() {
    let mut conversation = Conversation::new();
    let huge = "退货".repeat(500_000) + "<img src=x onerror=alert(1)>";
    let reply = conversation.respond(engine(), Input::Text(huge), 1_795_000_000);
    assert!(!reply.messages.is_empty());
    assert!(conversation
        .transcript()
        .iter()
        .all(|l| l.text.chars().count() <= 500));
}

#[test]
fn the_demo_configuration_is_consistent_and_damage_is_caught() {
    let kb = engine().kb();
    assert_eq!(kb.dialogue.check(kb.entries.len()), Ok(()));
    let mut broken = kb.dialogue.clone();
    broken.handoff.flagged.push(u32::MAX);
    assert!(broken.check(kb.entries.len()).is_err());
    let mut broken = kb.dialogue.clone();
    broken.catalogue.products[0].category = 999;
    assert!(broken.check(kb.entries.len()).is_err());
}

/// A saved state (as JSON, the server's form), possibly from another build of the knowledge
/// base or tampered with.
fn restored_state() -> impl Strategy<Value = serde_json::Value> {
    let ids = || prop::sample::select(vec!["return", "invoice", "address-change", "gone", ""]);
    let steps = || prop::sample::select(vec!["order", "reason", "unused", "kind", "nope", ""]);
    (
        prop::option::of((ids(), steps(), prop::option::of("[0-9]{6,12}"), 0u8..5)),
        prop::option::of((
            prop::sample::select(vec!["phone-x1", "tee-cool", "nope"]),
            0u32..10,
        )),
        prop::option::of(("[0-9]{6,12}", any::<bool>(), 0u8..7)),
        0u8..4,
        prop::option::of(prop::sample::select(vec!["手机", "T恤", "不存在"])),
        0u8..4,
        0u32..50,
        prop::option::of(prop::sample::select(Locale::ALL.to_vec())),
    )
        .prop_map(
            |(flow, product, order, awaiting, category, rating, turns, locale)| {
                let mut c = Conversation::new();
                if let Some(l) = locale {
                    c.set_locale(l);
                }
                let mut c = json(&c);
                c["turns"] = turns.into();
                c["flow"] = json(&flow.map(|(id, step, waiting, invalid)| FlowState {
                    flow: id.into(),
                    step: step.into(),
                    slots: vec![
                        ("order_no".into(), "123456".into()),
                        ("unused".into(), "否".into()),
                    ],
                    waiting_lookup: waiting,
                    invalid,
                }));
                c["context"] = json(&Context {
                    product: product.map(|(id, turn)| Focus {
                        id: id.into(),
                        turn,
                    }),
                    order: order.map(|(no, known, status)| OrderFocus {
                        order_no: no.clone(),
                        info: known.then(|| OrderInfo {
                            order_no: no,
                            status: OrderStatus::ALL[status as usize % OrderStatus::ALL.len()],
                            ..OrderInfo::default()
                        }),
                        turn: turns + 3,
                    }),
                    entry: Some(Focus {
                        id: "no-such-entry".into(),
                        turn: 0,
                    }),
                    detail_shown: false,
                    pending_attribute: Some("不存在的属性".into()),
                    confirm: Some("no-such-entry".into()),
                    compared: vec![Focus {
                        id: "nope".into(),
                        turn: turns,
                    }],
                    attribute: Some(Focus {
                        id: "不存在".into(),
                        turn: turns,
                    }),
                });
                c["awaiting"] = json(&match awaiting {
                    1 => Some(Awaiting::OrderNumber {
                        intent: OrderIntent::Eta,
                    }),
                    2 => Some(Awaiting::OrderResult {
                        order_no: "123456".into(),
                        intent: OrderIntent::Tracking,
                    }),
                    _ => None,
                });
                c["shopping"] = json(&category.map(|cat| Shopping {
                    category: Some(cat.into()),
                    facets: vec![
                        ("季节".into(), "不存在".into()),
                        ("没有".into(), "x".into()),
                    ],
                    asked: vec!["budget".into(), "季节".into(), "不存在".into()],
                    ..Shopping::default()
                }));
                c["rating"] = json(&match rating {
                    1 => RatingState::Asked,
                    2 => RatingState::AskedReason { at: 0 },
                    _ => RatingState::NotAsked,
                });
                c
            },
        )
}

fn json(value: &impl serde::Serialize) -> serde_json::Value {
    serde_json::to_value(value).expect("serialises")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn restored_states_never_panic(
        state in restored_state(),
        steps in prop::collection::vec(step(), 1..8),
    ) {
        let engine = engine();
        let saved: SavedConversation = serde_json::from_value(state).expect("state reads");
        let mut conversation = Conversation::restore(saved, engine);
        let fitted = json(&conversation);
        prop_assert!(fitted["flow"].is_null() || (fitted["flow"]["flow"] != "gone" && fitted["flow"]["step"] != "nope"));
        prop_assert!(fitted["shopping"].is_null() || fitted["shopping"]["facets"] == serde_json::json!([]));
        prop_assert!(fitted["context"]["confirm"].is_null());
        let mut last = Reply::default();
        let mut now = 1_795_000_000;
        for step in &steps {
            now += 60;
            let reply = conversation.respond(engine, input(step, &last), now);
            prop_assert!(reply.messages.len() <= 12);
            last = reply;
        }
    }
}

#[test]
fn hand_made_flows_are_refused_or_safe() {
    let kb = engine().kb().clone();
    let template = kb.dialogue.flows[0].clone();

    let mut empty = kb.clone();
    let mut flow = template.clone();
    flow.id = "empty".into();
    flow.steps.clear();
    empty.dialogue.flows.push(flow);
    let Err(err) = Engine::from_kb(empty) else {
        panic!("a flow without steps is refused")
    };
    assert!(err.to_string().contains("no steps"), "{err}");

    let mut cyclic = kb.clone();
    let mut flow = template.clone();
    flow.id = "cyclic".into();
    for step in &mut flow.steps {
        step.ask = None;
        step.end = None;
        step.next = vec![Branch {
            when: None,
            goto: 0,
        }];
    }
    cyclic.dialogue.flows.push(flow);
    let Err(err) = Engine::from_kb(cyclic) else {
        panic!("a silent cycle is refused")
    };
    assert!(err.to_string().contains("goes round"), "{err}");

    // A step that asks and loops to itself is legal: the engine keeps asking.
    let mut looping = kb.clone();
    let mut flow = template.clone();
    flow.id = "loop".into();
    flow.phrases = vec!["循环流程".into()];
    flow.steps.truncate(1);
    flow.steps[0].next = vec![Branch {
        when: None,
        goto: 0,
    }];
    flow.steps[0].lookup = false;
    looping.dialogue.flows.push(flow);
    let engine = Engine::from_kb(looping).expect("an asking loop loads");
    let mut c = Conversation::new();
    for text in ["循环流程", "123456789012", "随便", "123456", "取消"] {
        let reply = c.respond(&engine, Input::Text(text.into()), 1_795_000_000);
        assert!(!reply.messages.is_empty(), "{text}");
    }
}
