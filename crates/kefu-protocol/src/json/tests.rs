//! The hand-written codec against serde_json on the same types: what the widget writes must
//! be byte for byte what serde_json writes, and what the server sends (serde_json) must read
//! back to the same value; on any other text both must agree (the same value, or both an
//! error), and ours must never panic.

use std::fmt::Debug;

use kefu_core::dialogue::handoff::SlotValue;
use kefu_core::dialogue::reply::LeftMessage;
use kefu_core::dialogue::transcript::{Speaker, TranscriptLine};
use kefu_core::dialogue::{EmotionKind, Handoff, HandoffReason, OrderStatus};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::*;
use crate::error::{ErrorBody, ErrorCode, ErrorDetail};
use crate::events::{Event, EventBatch, EventKind};
use crate::handoff::{HandoffCreated, HandoffRequest, LeaveMessageRequest};
use crate::orders::{OrderResponse, TimelineEvent, TimelineStage};
use crate::ws::{AgentInfo, ClientFrame, LiveMessage, MessageContent, ServerFrame};
use crate::{QueueStatus, Sender, UserIdentity};

/// Strings that need every kind of care: quotes, backslashes, each short escape, other
/// control characters (written `\u00XX`), DEL (not escaped), `/` (not escaped), CJK,
/// characters outside the BMP (surrogate pairs when escaped), markup.
const NASTY: &[&str] = &[
    "",
    "plain",
    "引号\"与反斜杠\\",
    "\u{8}\u{c}\n\r\t",
    "\u{0}\u{1}\u{1f}\u{7f}",
    "a/b</script><img src=x onerror=alert(1)>",
    "你好，世界！😀 𠀋 é ︎",
    "\u{2028}\u{2029}\u{feff}",
];

fn s(i: usize) -> String {
    NASTY[i % NASTY.len()].to_string()
}

/// Ours writes exactly serde_json's bytes, and serde_json reads them back to `value`.
fn writes_like_serde<T: ToJson + Serialize + DeserializeOwned + PartialEq + Debug>(value: &T) {
    let ours = to_string(value);
    let theirs = serde_json::to_string(value).unwrap();
    assert_eq!(ours, theirs);
    assert_eq!(&serde_json::from_str::<T>(&ours).unwrap(), value);
}

/// Ours reads serde_json's compact and pretty output back to `value`.
fn reads_like_serde<T: FromJson + Serialize + DeserializeOwned + PartialEq + Debug>(value: &T) {
    for text in [
        serde_json::to_string(value).unwrap(),
        serde_json::to_string_pretty(value).unwrap(),
    ] {
        assert_eq!(&from_str::<T>(&text).unwrap(), value, "{text}");
        agrees::<T>(&text);
    }
}

/// On `text`, ours and serde_json give the same value, or both an error.
fn agrees<T: FromJson + DeserializeOwned + PartialEq + Debug>(text: &str) {
    let ours = from_str::<T>(text);
    let theirs = serde_json::from_str::<T>(text);
    match (&ours, &theirs) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{text}"),
        (Err(_), Err(_)) => {}
        _ => panic!("ours {ours:?}, serde_json {theirs:?} on {text:?}"),
    }
}

fn handoff(i: usize) -> Handoff {
    Handoff {
        reason: HandoffReason::ALL[i % HandoffReason::ALL.len()],
        detail: s(i),
        at: [0, 1_795_000_000, -1, i64::MAX, i64::MIN][i % 5],
        transcript: (0..i % 4)
            .map(|j| TranscriptLine {
                speaker: if j % 2 == 0 {
                    Speaker::Customer
                } else {
                    Speaker::Bot
                },
                text: s(i + j),
                at: 1_795_000_000 + j as i64,
            })
            .collect(),
        slots: (0..i % 3)
            .map(|j| SlotValue {
                name: s(j),
                value: s(i + j + 3),
            })
            .collect(),
        entries_tried: (0..i % 3).map(|j| s(i * j)).collect(),
        flow: i.is_multiple_of(2).then(|| s(i + 1)),
        emotion: [
            None,
            Some(EmotionKind::Anger),
            Some(EmotionKind::Anxiety),
            Some(EmotionKind::Urgency),
        ][i % 4],
    }
}

fn user(i: usize) -> Option<UserIdentity> {
    (!i.is_multiple_of(3)).then(|| UserIdentity {
        id: s(i),
        hash: "ab12".repeat(16),
    })
}

#[test]
fn client_frames_are_written_byte_for_byte_like_serde_json() {
    for i in 0..NASTY.len() {
        writes_like_serde(&ClientFrame::Send {
            id: format!("c-{i}"),
            content: MessageContent::Text { text: s(i) },
        });
        writes_like_serde(&ClientFrame::Send {
            id: s(i),
            content: MessageContent::Image { image: s(i + 1) },
        });
    }
    for seq in [0, 1, 7, 1 << 53, u64::MAX] {
        writes_like_serde(&ClientFrame::Ack { seq });
        writes_like_serde(&ClientFrame::Resume { after_seq: seq });
    }
    writes_like_serde(&ClientFrame::Typing { typing: true });
    writes_like_serde(&ClientFrame::Typing { typing: false });
    writes_like_serde(&ClientFrame::Close);
    assert_eq!(to_string(&ClientFrame::Close), r#"{"type":"close"}"#);
}

#[test]
fn http_bodies_are_written_byte_for_byte_like_serde_json() {
    for i in 0..24 {
        let request = HandoffRequest {
            handoff: handoff(i),
            user: user(i),
            locale: (i % 2 == 1).then(|| "zh-CN".to_string()),
            page_url: (i % 4 < 2).then(|| format!("https://shop.example/p?q={}", s(i))),
        };
        writes_like_serde(&request);
        writes_like_serde(&LeaveMessageRequest {
            message: LeftMessage {
                contact: s(i + 2),
                question: s(i + 5),
                reply_after: [None, Some(1_795_100_000), Some(-5)][i % 3],
                handoff: handoff(i + 1),
            },
            user: user(i + 1),
            locale: (i % 3 == 0).then(|| s(i)),
        });
    }
    let kinds = |i: usize| match i % 7 {
        0 => EventKind::Opened,
        1 => EventKind::Answered { entry: s(i) },
        2 => EventKind::Clarify {
            entries: (0..i % 4).map(s).collect(),
        },
        3 => EventKind::Fallback { text: s(i) },
        4 => EventKind::Handoff {
            reason: HandoffReason::ALL[i % 7],
        },
        5 => EventKind::Rating {
            satisfied: true,
            reason: None,
        },
        _ => EventKind::Rating {
            satisfied: false,
            reason: Some(s(i)),
        },
    };
    for n in [0, 1, 7, 30] {
        writes_like_serde(&EventBatch {
            visit: (n % 2 == 1).then(|| "v-1".to_string()),
            kb_version: (n > 5).then(|| s(n)),
            events: (0..n)
                .map(|i| Event {
                    at: 1_795_000_000 + i as i64,
                    kind: kinds(i),
                })
                .collect(),
        });
    }
    // Enum codes as serde spells them.
    for code in ErrorCode::ALL {
        assert_eq!(to_string(&code), serde_json::to_string(&code).unwrap());
    }
    for status in OrderStatus::ALL {
        assert_eq!(to_string(&status), serde_json::to_string(&status).unwrap());
    }
    for sender in [Sender::Customer, Sender::Agent, Sender::Bot, Sender::System] {
        assert_eq!(to_string(&sender), serde_json::to_string(&sender).unwrap());
    }
}

fn frames() -> Vec<ServerFrame> {
    let mut frames = vec![
        ServerFrame::Welcome {
            conversation: "conv-1".into(),
            last_seq: 0,
            protocol: 1,
        },
        ServerFrame::Welcome {
            conversation: s(2),
            last_seq: u64::MAX,
            protocol: u32::MAX,
        },
        ServerFrame::Ack {
            id: "c-1".into(),
            seq: 12,
        },
        ServerFrame::Queue(QueueStatus {
            position: 3,
            expected_wait_secs: Some(90),
        }),
        ServerFrame::Queue(QueueStatus {
            position: 0,
            expected_wait_secs: None,
        }),
        ServerFrame::AgentJoined {
            agent: AgentInfo {
                name: "小美".into(),
            },
        },
        ServerFrame::AgentLeft {
            agent: AgentInfo { name: s(6) },
        },
        ServerFrame::Closed { by: Sender::Agent },
        ServerFrame::Closed { by: Sender::System },
        ServerFrame::Unknown,
    ];
    for from in [Sender::Customer, Sender::Agent, Sender::Bot, Sender::System] {
        frames.push(ServerFrame::Typing {
            from,
            typing: from == Sender::Agent,
        });
    }
    for code in ErrorCode::ALL {
        frames.push(ServerFrame::Error {
            error: ErrorDetail {
                code,
                message: s(code as usize),
            },
        });
    }
    for i in 0..NASTY.len() * 2 {
        frames.push(ServerFrame::Message(LiveMessage {
            seq: i as u64 + 1,
            id: if i % 3 == 0 { String::new() } else { s(i) },
            from: [Sender::Customer, Sender::Agent, Sender::System][i % 3],
            agent: (i % 2 == 1).then(|| s(i + 1)),
            content: if i % 4 == 3 {
                MessageContent::Image {
                    image: format!("img-{i}"),
                }
            } else {
                MessageContent::Text { text: s(i) }
            },
            at: [1_795_000_000, 0, -1, i64::MIN, i64::MAX][i % 5],
        }));
    }
    frames
}

fn orders() -> Vec<OrderResponse> {
    let stages = [
        TimelineStage::Ordered,
        TimelineStage::Paid,
        TimelineStage::Shipped,
        TimelineStage::InTransit,
        TimelineStage::OutForDelivery,
        TimelineStage::Delivered,
        TimelineStage::Cancelled,
        TimelineStage::RefundRequested,
        TimelineStage::Refunded,
    ];
    (0..OrderStatus::ALL.len() * 2)
        .map(|i| OrderResponse {
            order_no: format!("{}", 123_456 + i),
            status: OrderStatus::ALL[i % OrderStatus::ALL.len()],
            status_text: s(i),
            carrier: (i % 2 == 0).then(|| "顺丰".to_string()),
            tracking_no: (i % 3 != 0).then(|| format!("SF{i:010}")),
            eta: (i % 2 == 1).then_some(1_795_345_600 + i as i64),
            timeline: (0..i % 10)
                .map(|j| TimelineEvent {
                    stage: stages[j % stages.len()],
                    at: 1_795_000_000 + j as i64 * 3600,
                    text: s(i + j),
                })
                .collect(),
            items: (0..i % 3).map(|j| s(j + 1)).collect(),
        })
        .collect()
}

#[test]
fn what_the_server_sends_reads_back_the_same() {
    for frame in frames() {
        reads_like_serde(&frame);
    }
    for order in orders() {
        reads_like_serde(&order);
    }
    for code in ErrorCode::ALL {
        reads_like_serde(&ErrorBody::new(code, s(code as usize)));
    }
    for (i, position) in [0, 1, 250].into_iter().enumerate() {
        reads_like_serde(&HandoffCreated {
            conversation: format!("c-{i}"),
            customer_token: s(i),
            ws_url: "/api/v1/conversations/c-1/ws".into(),
            queue: QueueStatus {
                position,
                expected_wait_secs: (i > 0).then_some(60 * i as u32),
            },
        });
    }
}

#[test]
fn escapes_unicode_nulls_missing_and_unknown_fields() {
    // Escapes (short ones, `\/`, upper- and lower-case hex, a surrogate pair) decode to the
    // characters they stand for.
    let frame: ServerFrame = from_str(
        r#" { "seq" : 5, "type":"message", "id":"a\/1", "from":"agent",
             "content":{"text":"\"\\\b\f\n\r\t \u4F60\u597d \ud83d\ude00 \u0000","kind":"text"},
             "at":1795000000, "extra":{"nested":[1,2.5e-3,-0.0,true,null,"x",{}]} } "#,
    )
    .unwrap();
    assert_eq!(
        frame,
        ServerFrame::Message(LiveMessage {
            seq: 5,
            id: "a/1".into(),
            from: Sender::Agent,
            agent: None,
            content: MessageContent::Text {
                text: "\"\\\u{8}\u{c}\n\r\t 你好 😀 \u{0}".into()
            },
            at: 1_795_000_000,
        })
    );
    // Optional fields: missing and `null` are both `None`.
    let absent = r#"{"type":"queue","position":2}"#;
    let null = r#"{"type":"queue","position":2,"expected_wait_secs":null}"#;
    for text in [absent, null] {
        assert_eq!(
            from_str::<ServerFrame>(text).unwrap(),
            ServerFrame::Queue(QueueStatus {
                position: 2,
                expected_wait_secs: None
            })
        );
    }
    // A timeline event's text defaults to empty; unknown stages, codes and frame types map
    // to their catch-alls.
    let e: TimelineEvent = from_str(r#"{"stage":"customs-cleared","at":5}"#).unwrap();
    assert_eq!((e.stage, e.text.as_str()), (TimelineStage::Other, ""));
    let body: ErrorBody =
        from_str(r#"{"error":{"code":"quota_exceeded","message":"x","hint":1}}"#).unwrap();
    assert_eq!(body.error.code, ErrorCode::Unknown);
    let later: ServerFrame = from_str(r#"{"type":"survey","questions":[{"q":1}]}"#).unwrap();
    assert_eq!(later, ServerFrame::Unknown);

    // Each of these, valid or not, reads the same through both.
    let frames = [
        absent,
        null,
        r#"{"type":"welcome","conversation":"c","last_seq":3,"protocol":1,"future":"x"}"#,
        r#"{"type":"typing","from":"agent","typing":true}"#,
        r#"{"type":"typing","from":"robot","typing":true}"#,
        r#"{"type":"typing","from":"agent","typing":1}"#,
        r#"{"type":"closed","by":null}"#,
        r#"{"type":"closed"}"#,
        r#"{"type":"ack","id":"c-1","seq":1.0}"#,
        r#"{"type":"ack","id":"c-1","seq":1e3}"#,
        r#"{"type":"ack","id":"c-1","seq":-1}"#,
        r#"{"type":"ack","id":"c-1","seq":-0}"#,
        r#"{"type":"ack","id":"c-1","seq":18446744073709551615}"#,
        r#"{"type":"ack","id":"c-1","seq":18446744073709551616}"#,
        r#"{"type":"ack","id":null,"seq":1}"#,
        r#"{"type":"ack","seq":1}"#,
        r#"{"type":"ack","id":"a","id":"b","seq":1}"#,
        r#"{"type":"ack","type":"ack","id":"a","seq":1}"#,
        r#"{"type":"welcome","conversation":"c","last_seq":3,"protocol":4294967296}"#,
        r#"{"type":"welcome","conversation":"c","last_seq":3,"protocol":4294967295}"#,
        r#"{"type":"message","seq":1,"id":"","from":"system","content":{"kind":"text","text":"x"},"at":-9223372036854775808}"#,
        r#"{"type":"message","seq":1,"id":"","from":"system","content":{"kind":"text","text":"x"},"at":-9223372036854775809}"#,
        r#"{"type":"message","seq":1,"id":"","from":"system","content":{"kind":"text","text":"x"},"at":9223372036854775808}"#,
        r#"{"type":"message","seq":1,"id":"","from":"system","content":{"kind":"video","url":"x"},"at":1}"#,
        r#"{"type":"message","seq":1,"id":"","from":"system","content":{"text":"x"},"at":1}"#,
        r#"{"type":"message","seq":1,"id":"","from":"agent","agent":"小美","content":{"kind":"image","image":"img-1"},"at":1}"#,
        r#"{"type":"message","seq":1,"id":"","from":"agent","agent":7,"content":{"kind":"image","image":"img-1"},"at":1}"#,
        r#"{"type":"agent-joined","agent":{"name":"\ud83d\ude00"}}"#,
        r#"{"type":"agent-joined","agent":{"name":"\ud83d"}}"#,
        r#"{"type":"agent-joined","agent":{"name":"\ude00"}}"#,
        r#"{"type":"agent-joined","agent":{"name":"\ud83d\u0041"}}"#,
        r#"{"type":"agent-joined","agent":{"name":"\ud83dx"}}"#,
        r#"{"type":"agent-joined","agent":{"name":"\x"}}"#,
        r#"{"type":"agent-joined","agent":{"name":"\u12"}}"#,
        "{\"type\":\"agent-joined\",\"agent\":{\"name\":\"tab\there\"}}",
        "{\"type\":\"agent-joined\",\"agent\":{\"name\":\"del\u{7f}ok\"}}",
        r#"{"type":"agent-left","agent":"小美"}"#,
        r#"{"type":"error","error":{"code":"rate_limited","message":"slow"}}"#,
        r#"{"type":"error","error":{"code":7,"message":"slow"}}"#,
        r#"{"type":7}"#,
        r#"{"kind":"welcome"}"#,
        r#"{"type":"unknown-later"}"#,
        r#"{"type":"queue","position":2} x"#,
        r#"{"type":"queue","position":2,}"#,
        r#"{"type":"queue","position":02}"#,
        r#"{"type":"queue","position":2 "x":1}"#,
        r#"{"type":"queue",position:2}"#,
        r#"{'type':'queue'}"#,
        r#"["queue",2]"#,
        "{\"type\":\"queue\",\"position\":2}\n\t ",
        "",
        " ",
        "null",
        "{",
        "}",
        r#"{"type":"queue","position":-}"#,
        r#"{"type":"queue","position":1.}"#,
        r#"{"type":"queue","position":1e}"#,
        r#"{"type":"queue","position":tru}"#,
        r#"{"type":"unknown-later","x":[1,2,}"#,
        r#"{"type":"unknown-later","x":nul}"#,
    ];
    for text in frames {
        agrees::<ServerFrame>(text);
    }
    let orders = [
        r#"{"order_no":"1","status":"shipped","status_text":"t","carrier":null,"tracking_no":null,"eta":null,"timeline":[],"items":[]}"#,
        r#"{"order_no":"1","status":"shipped","status_text":"t","timeline":[],"items":[]}"#,
        r#"{"order_no":"1","status":"lost","status_text":"t","timeline":[],"items":[]}"#,
        r#"{"order_no":"1","status":"shipped","status_text":"t","timeline":[{"stage":"paid","at":1,"text":null}],"items":[]}"#,
        r#"{"order_no":"1","status":"shipped","status_text":"t","timeline":[{"stage":"x","at":1}],"items":["a",null]}"#,
        r#"{"order_no":"1","status":"shipped","status_text":"t","timeline":null,"items":[]}"#,
        r#"{"order_no":"1","status":"shipped","status_text":"t","items":[]}"#,
        r#"{"order_no":"1","status":"shipped","status_text":"t","eta":1.5,"timeline":[],"items":[]}"#,
    ];
    for text in orders {
        agrees::<OrderResponse>(text);
    }
    for text in [
        r#"{"error":{"code":"order_not_found","message":"no"}}"#,
        r#"{"error":{"code":"order_not_found"}}"#,
        r#"{"error":null}"#,
        r#"{}"#,
        "Internal Server Error",
    ] {
        agrees::<ErrorBody>(text);
    }
}

/// A tiny deterministic generator (xorshift), so the mutations below are the same each run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 as usize
    }
}

#[test]
fn malformed_input_is_an_error_never_a_panic() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let pieces = [
        "\"", "\\", "{", "}", "[", "]", ",", ":", "0", "-", ".", "e", "null", "\\u", "\\ud83d",
        "\u{1}", " ", "é", "😀",
    ];
    let mut texts: Vec<String> = frames()
        .iter()
        .map(|f| serde_json::to_string(f).unwrap())
        .collect();
    texts.extend(orders().iter().map(|o| serde_json::to_string(o).unwrap()));
    for text in &texts {
        // Every prefix of a valid text is invalid, for both.
        let mut cut = 0;
        while cut < text.len() {
            if text.is_char_boundary(cut) {
                assert!(parse(&text[..cut]).is_err(), "{:?}", &text[..cut]);
            }
            cut += 1 + rng.next() % 3;
        }
        // Random edits: both agree, and ours does not panic.
        for _ in 0..40 {
            let mut edited = text.clone();
            for _ in 0..1 + rng.next() % 3 {
                let mut at = rng.next() % (edited.len() + 1);
                while !edited.is_char_boundary(at) {
                    at -= 1;
                }
                let end = (at + rng.next() % 4).min(edited.len());
                let end = (end..=edited.len())
                    .find(|&e| edited.is_char_boundary(e))
                    .unwrap();
                match rng.next() % 3 {
                    0 => edited.replace_range(at..end, ""),
                    1 => edited.insert_str(at, pieces[rng.next() % pieces.len()]),
                    _ => edited.replace_range(at..end, pieces[rng.next() % pieces.len()]),
                }
            }
            agrees::<ServerFrame>(&edited);
            agrees::<OrderResponse>(&edited);
        }
    }
    // More than 127 levels of nesting are refused by both, without exhausting the stack.
    for depth in [125, 126, 127, 128, 100_000] {
        let text = format!(
            r#"{{"type":"unknown-later","x":{}{}}}"#,
            "[".repeat(depth),
            "]".repeat(depth)
        );
        agrees::<ServerFrame>(&text);
    }
}

proptest::proptest! {
    /// Any text and any numbers, both ways: written like serde_json, read back like it.
    #[test]
    fn any_text_and_number_round_trips_like_serde_json(
        text in "\\PC*",
        raw in proptest::collection::vec(proptest::char::any(), 0..40),
        seq: u64,
        at: i64,
        agent: Option<String>,
    ) {
        let text: String = text.chars().chain(raw).collect();
        writes_like_serde(&ClientFrame::Send {
            id: agent.clone().unwrap_or_default(),
            content: MessageContent::Text { text: text.clone() },
        });
        writes_like_serde(&ClientFrame::Resume { after_seq: seq });
        reads_like_serde(&ServerFrame::Message(LiveMessage {
            seq,
            id: text.clone(),
            from: Sender::Agent,
            agent,
            content: MessageContent::Text { text: text.clone() },
            at,
        }));
        // serde_json's output with every non-ASCII character escaped (`\uXXXX`, surrogate
        // pairs above the BMP) reads the same.
        let escaped: String = serde_json::to_string(&text)
            .unwrap()
            .encode_utf16()
            .map(|u| if u < 0x80 { char::from(u as u8).to_string() } else { format!("\\u{u:04x}") })
            .collect();
        proptest::prop_assert_eq!(from_str::<String>(&escaped).unwrap(), text);
    }
}
