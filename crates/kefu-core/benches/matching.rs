//! Decoding and matching, on the demo knowledge base, on a generated one of 10,000
//! entries and, when `../shared/eval` is there, on all its real data sets in one knowledge
//! base (compiled here at run time, as `scripts/measure.sh --large` does; the data is read
//! where it lies). Besides criterion's means, prints per-question latency percentiles and,
//! on the real sets, the typeahead's time per keystroke.
//!
//! Run: `cargo bench -p kefu-core --bench matching`

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

use criterion::{criterion_group, Criterion};
use kefu_core::Engine;

fn repo(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(relative)
}

/// The demo knowledge base, compiled.
fn demo_bytes() -> Vec<u8> {
    let compiled = kefu_compiler::compile(&repo("kb")).expect("demo compiles");
    kefu_core::format::encode(&compiled.for_device())
}

/// The development questions, as a realistic query mix.
fn questions() -> Vec<String> {
    let text = std::fs::read_to_string(repo("tests/eval/dev.jsonl")).expect("dev questions");
    text.lines().filter_map(serde_json_query).collect()
}

/// Pulls the "query" string out of one JSON line without a JSON dependency.
fn serde_json_query(line: &str) -> Option<String> {
    let start = line
        .find("\"query\": \"")
        .map(|i| i + 10)
        .or_else(|| line.find("\"query\":\"").map(|i| i + 9))?;
    let rest = &line[start..];
    let end = rest.find('"')?;
    Some(rest[..end].to_string())
}

/// A 10,000-entry knowledge base: every demo entry repeated for many products, with its
/// questions rewritten to name the product, so vocabulary and postings grow as in a large
/// catalogue shop.
fn large_bytes() -> Vec<u8> {
    let products = [
        "手机",
        "耳机",
        "平板",
        "笔记本",
        "手表",
        "冰箱",
        "洗衣机",
        "空调",
        "电视",
        "相机",
        "音箱",
        "键盘",
        "鼠标",
        "显示器",
        "路由器",
        "充电宝",
        "吹风机",
        "电饭煲",
        "微波炉",
        "扫地机",
        "净水器",
        "台灯",
        "T恤",
        "衬衫",
        "外套",
        "羽绒服",
        "牛仔裤",
        "运动鞋",
        "皮鞋",
        "连衣裙",
        "卫衣",
        "背包",
        "行李箱",
        "床单",
        "枕头",
        "被子",
        "毛巾",
        "拖鞋",
        "沙发",
        "椅子",
        "书桌",
        "衣柜",
        "窗帘",
        "地毯",
        "餐具",
        "炒锅",
        "水杯",
        "保温杯",
        "牙刷",
        "洗发水",
        "面霜",
        "口红",
        "香水",
        "奶粉",
        "尿不湿",
        "玩具",
        "积木",
        "自行车",
        "跑步机",
        "哑铃",
        "瑜伽垫",
        "帐篷",
        "钓竿",
        "茶叶",
        "咖啡",
        "坚果",
        "大米",
    ];
    let compiled = kefu_compiler::compile(&repo("kb")).expect("demo compiles");
    let base = &compiled.kb.entries;
    let dir = std::env::temp_dir().join(format!("kefu-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("large.jsonl");
    let mut lines = String::new();
    for i in 0..10_000 {
        let e = &base[i % base.len()];
        let p = products[(i / base.len()) % products.len()];
        let n = i / (base.len() * products.len());
        let similar: Vec<String> = e.similar.iter().map(|s| format!("{p}{n} {s}")).collect();
        let entry = serde_json_object(
            &format!("{}-{i}", e.id),
            &format!("{p}{n}：{}", e.question),
            &similar,
            &e.answer,
        );
        lines.push_str(&entry);
        lines.push('\n');
    }
    std::fs::write(&path, lines).expect("write");
    let large = kefu_compiler::compile(&path).expect("large compiles");
    let _ = std::fs::remove_dir_all(&dir);
    kefu_core::format::encode(&large.for_device())
}

fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn serde_json_object(id: &str, question: &str, similar: &[String], answer: &str) -> String {
    let similar: Vec<String> = similar.iter().map(|s| json_string(s)).collect();
    format!(
        "{{\"id\":{},\"question\":{},\"similar\":[{}],\"answer\":{}}}",
        json_string(id),
        json_string(question),
        similar.join(","),
        json_string(answer)
    )
}

fn percentiles(name: &str, bytes: &[u8], questions: &[String]) {
    let mut decode = Vec::new();
    for _ in 0..20 {
        let start = Instant::now();
        black_box(Engine::load(bytes).expect("loads"));
        decode.push(start.elapsed().as_secs_f64() * 1e3);
    }
    decode.sort_by(f64::total_cmp);
    let engine = Engine::load(bytes).expect("loads");
    let mut times = Vec::new();
    for _ in 0..5 {
        for q in questions {
            let start = Instant::now();
            black_box(engine.ask(q, None));
            times.push(start.elapsed().as_secs_f64() * 1e6);
        }
    }
    times.sort_by(f64::total_cmp);
    let pct = |v: &[f64], p: f64| v[((v.len() - 1) as f64 * p).round() as usize];
    println!(
        "| {name} | {} entries | {:.0} KB | decode median {:.2} ms | match p50 {:.0} µs | p99 {:.0} µs | max {:.0} µs |",
        engine.kb().entries.len(),
        bytes.len() as f64 / 1024.0,
        pct(&decode, 0.5),
        pct(&times, 0.5),
        pct(&times, 0.99),
        times.last().copied().unwrap_or(0.0)
    );
}

/// Every real data set of `../shared/eval` in one knowledge base, in the order of the shell's
/// `../shared/eval/*/faq.jsonl`, and every development question; `None` without the data.
fn real_large() -> Option<(Vec<u8>, Vec<String>)> {
    let eval = repo("../shared/eval");
    let mut sets: Vec<PathBuf> = std::fs::read_dir(&eval)
        .ok()?
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.join("faq.jsonl").is_file())
        .collect();
    sets.sort();
    if sets.is_empty() {
        return None;
    }
    let mut faq = String::new();
    let mut questions = Vec::new();
    for set in &sets {
        faq.push_str(&std::fs::read_to_string(set.join("faq.jsonl")).ok()?);
        let cases = std::fs::read_to_string(set.join("queries.dev.jsonl")).unwrap_or_default();
        for line in cases.lines().filter(|l| !l.trim().is_empty()) {
            let v: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
            questions.extend(v["query"].as_str().map(str::to_string));
        }
    }
    let dir = std::env::temp_dir().join(format!("kefu-bench-real-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("large.jsonl");
    std::fs::write(&path, faq).expect("write");
    let compiled = kefu_compiler::compile(&path).expect("the real sets compile");
    let _ = std::fs::remove_dir_all(&dir);
    Some((kefu_core::format::encode(&compiled.for_device()), questions))
}

/// The typeahead on every prefix of the first 300 questions, as typed.
fn keystrokes(engine: &Engine, questions: &[String]) -> Vec<f64> {
    let mut times = Vec::new();
    for q in questions.iter().take(300) {
        let mut typed = String::new();
        for ch in q.chars() {
            typed.push(ch);
            let start = Instant::now();
            black_box(engine.suggest(&typed, 5));
            times.push(start.elapsed().as_secs_f64() * 1e6);
        }
    }
    times.sort_by(f64::total_cmp);
    times
}

fn bench(c: &mut Criterion) {
    let questions = questions();
    let demo = demo_bytes();
    let large = large_bytes();
    percentiles("demo", &demo, &questions);
    percentiles("generated", &large, &questions);
    let real = real_large();
    match &real {
        Some((bytes, real_questions)) => {
            percentiles("real sets", bytes, real_questions);
            let engine = Engine::load(bytes).expect("loads");
            let keys = keystrokes(&engine, real_questions);
            let pct = |p: f64| keys[((keys.len() - 1) as f64 * p).round() as usize];
            println!(
                "| real sets, typeahead | {} keystrokes | suggest p50 {:.0} µs | p99 {:.0} µs | max {:.0} µs |",
                keys.len(),
                pct(0.5),
                pct(0.99),
                pct(1.0)
            );
        }
        None => println!("| real sets | ../shared/eval not found: skipped |"),
    }
    for (name, bytes) in [("demo", &demo), ("10k", &large)] {
        c.bench_function(&format!("decode/{name}"), |b| {
            b.iter(|| Engine::load(black_box(bytes)).expect("loads"))
        });
        let engine = Engine::load(bytes).expect("loads");
        c.bench_function(&format!("ask/{name}"), |b| {
            let mut i = 0;
            b.iter(|| {
                i = (i + 1) % questions.len();
                engine.ask(black_box(&questions[i]), None)
            })
        });
    }
    let engine = Engine::load(&demo).expect("loads");
    c.bench_function("suggest/demo", |b| {
        b.iter(|| engine.suggest(black_box("fp"), 5))
    });
    if let Some((bytes, real_questions)) = &real {
        let engine = Engine::load(bytes).expect("loads");
        c.bench_function("ask/real sets", |b| {
            let mut i = 0;
            b.iter(|| {
                i = (i + 1) % real_questions.len();
                engine.ask(black_box(&real_questions[i]), None)
            })
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(3));
    targets = bench
}

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}
