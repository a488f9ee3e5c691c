//! The 20-turn demo conversation timed by the native bench (`benches/conversation.rs`) and
//! by the widget's WebAssembly bench (`tests/engine_time.rs` of the root package): the same
//! inputs on the same clock, so the two figures compare.

use kefu_core::dialogue::{Choice, Input, OrderInfo, OrderLookup, OrderStatus};

/// Friday 2026-11-20, 10:00 in China (working hours).
pub const START: i64 = 1_795_140_000;

fn order(no: &str, status: OrderStatus) -> Input {
    Input::Order(OrderLookup::Found(OrderInfo {
        order_no: no.into(),
        status,
        carrier: Some("顺丰".into()),
        tracking_no: Some("SF1234567890".into()),
        delivered_at: Some(START - 2 * 86_400),
        eta: Some(START + 2 * 86_400),
        ..OrderInfo::default()
    }))
}

/// The 20 turns.
pub fn turns() -> Vec<Input> {
    let say = |s: &str| Input::Text(s.to_string());
    vec![
        Input::Open,
        say("这款手机的电池容量多大？"),
        Input::Choice(Choice::Product("phone-x1".into())),
        say("那拍照效果呢？"),
        say("它有几种颜色"),
        say("想买一件适合夏天旅游穿的，透气又好洗的T恤，200以内"),
        say("我的订单123456发货了吗？"),
        order("123456", OrderStatus::Shipped),
        say("什么时候能到？"),
        say("我要退货"),
        say("123456789012"),
        order("123456789012", OrderStatus::Delivered),
        say("退货运费谁出？"),
        Input::Choice(Choice::Option("质量问题".into())),
        Input::Image {
            reference: "photo.jpg".into(),
        },
        say("支持7天无理由退货吗"),
        say("详细说说"),
        say("我好着急，快递怎么还没到！！"),
        say("转人工"),
        Input::Rating {
            satisfied: true,
            reason: None,
        },
    ]
}

/// The value at fraction `p` of `v` (sorted in place).
pub fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    v[((v.len() - 1) as f64 * p).round() as usize]
}

/// Per-turn timings summed up: (p50, p99, max over every turn, the slowest turn by its p99
/// and that p99).
pub fn by_turn_summary(by_turn: &mut [Vec<f64>]) -> (f64, f64, f64, usize, f64) {
    let mut all: Vec<f64> = by_turn.iter().flatten().copied().collect();
    let (p50, p99) = (pct(&mut all, 0.5), pct(&mut all, 0.99));
    let max = all.last().copied().unwrap_or(0.0);
    let (slowest, slowest_p99) = by_turn
        .iter_mut()
        .map(|v| pct(v, 0.99))
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .expect("turns");
    (p50, p99, max, slowest, slowest_p99)
}
