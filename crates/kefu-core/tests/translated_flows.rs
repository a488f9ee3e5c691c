//! A shop that is not the demo — a tea shop — translates its flow and catalogue into
//! English; an English customer goes through the flow and asks about the teas:
//!
//! 1. the flow's prompt, chips and texts are the shop's English; a typed translated label
//!    and an English "yes" fill the slots with the shop's own values, and the conditions
//!    decide as they do in Chinese;
//! 2. a `{slot}` placeholder reads as the chosen option's translated label;
//! 3. products named in English are found; their names, values, sentences, the comparison
//!    rows and the recommendation's chips are English, and untranslated texts the shop's own;
//! 4. a Chinese customer of the same shop sees none of the English.

use kefu_core::dialogue::{Conversation, Input, Locale, Message, Reply};
use kefu_core::Engine;

const FILES: &[(&str, &str)] = &[
    (
        "settings.toml",
        "[brand]\nname = \"茶铺\"\n[texts]\nwelcome = \"欢迎光临茶铺\"\nfallback = \"抱歉，没听懂。\"\nclarify = \"您是想问：\"\n[matching]\nhot_questions = [\"ship\"]\n",
    ),
    (
        "categories.toml",
        "[[category]]\nid = \"ship\"\nname = \"发货\"\n",
    ),
    (
        "entries/faq.toml",
        "[[entry]]\nid = \"ship\"\ncategory = \"ship\"\nquestion = \"多久发货？\"\nsimilar = [\"什么时候发货\", \"几天能发\"]\nanswer = \"下单后48小时内发货。\"\nquestion_en = \"When do you ship?\"\nanswer_en = \"Within 48 hours of your order.\"\n\n[[entry]]\nid = \"brew\"\ncategory = \"ship\"\nquestion = \"茶怎么泡？\"\nsimilar = [\"泡茶水温多少\", \"怎么冲泡\"]\nanswer = \"绿茶用80度水。\"\n",
    ),
    (
        "flows/sample.toml",
        r#"
id = "sample"
name = "申请试饮"
name_en = "Free sample"
phrases = ["我要试饮", "申请试饮", "free sample", "i want a sample"]

[[step]]
id = "kind"
ask = "想试哪种茶？"
ask_en = "Which tea would you like to try?"
slot = "kind"
options = [
  { label = "绿茶", label_en = "Green tea" },
  { label = "红茶", label_en = "Black tea" },
]

[[step]]
id = "sugar"
ask = "需要附赠茶点吗？"
ask_en = "Would you like a snack with it?"
slot = "snack"
expect = "yes-no"
next = [
  { when = "snack == 否", goto = "plain" },
  { goto = "with-snack" },
]

[[step]]
id = "with-snack"
say = "已登记：{kind}试饮装和茶点，三天内寄出。"
say_en = "Done: a {kind} sample with a snack ships within three days."
end = "done"

[[step]]
id = "plain"
say = "已登记：{kind}试饮装，三天内寄出。"
say_en = "Done: a {kind} sample ships within three days."
end = "done"
"#,
    ),
    (
        "products.toml",
        r#"
[[attribute]]
name = "产地"
name_en = "Origin"
aliases = ["产地", "哪里产"]

[[attribute]]
name = "口感"
name_en = "Taste"
aliases = ["口感", "味道"]

[[category]]
name = "绿茶"
name_en = "Green tea"
aliases = ["绿茶"]
compare = ["产地", "口感"]
ask = ["budget"]
budget_options = ["100以内", "100元以上"]
budget_options_en = ["Under ¥100", "Over ¥100"]

[[product]]
id = "longjing"
name = "西湖龙井"
name_en = "West Lake Longjing"
aliases = ["龙井"]
category = "绿茶"
price = 88
summary = "明前头采。"
summary_en = "First spring picking."
[product.attributes]
"产地" = { value = "杭州", text = "产自杭州西湖。", value_en = "Hangzhou", text_en = "Grown by West Lake in Hangzhou." }
"口感" = { value = "鲜爽", value_en = "Fresh" }

[[product]]
id = "biluochun"
name = "碧螺春"
aliases = ["biluochun"]
category = "绿茶"
price = 68
summary = "花果香。"
[product.attributes]
"产地" = "苏州"
"口感" = "花果香"
"#,
    ),
];

fn tea_shop() -> Engine {
    // One directory per call: the tests run in parallel in one process.
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("kefu-tea-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (path, text) in FILES {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let compiled = kefu_compiler::compile(&dir).expect("the tea shop compiles");
    let _ = std::fs::remove_dir_all(&dir);
    let bytes = kefu_core::format::encode(&compiled.for_device());
    Engine::load(&bytes).expect("loads")
}

/// Every message's summary, one per line.
fn said(reply: &Reply) -> String {
    reply
        .messages
        .iter()
        .map(|m| format!("{}: {}", m.kind(), m.summary()))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn an_english_customer_goes_through_the_tea_shops_flow_in_its_english() {
    let engine = tea_shop();
    let mut chat = Conversation::new();
    // The page says the customer reads English ("free sample" alone says no language).
    chat.set_locale(Locale::En);
    let now = 1_795_000_000;
    let reply = chat.respond(&engine, Input::Text("free sample".into()), now);
    let step = reply.messages.iter().find_map(|m| match m {
        Message::FlowStep(step) => Some(step),
        _ => None,
    });
    let step = step.unwrap_or_else(|| panic!("no flow step:\n{}", said(&reply)));
    assert_eq!(step.flow_name, "Free sample");
    assert_eq!(step.prompt, "Which tea would you like to try?");
    let labels: Vec<&str> = step.options.iter().map(|o| o.label.as_str()).collect();
    assert_eq!(labels, ["Green tea", "Black tea"]);
    // The translated label typed: the shop's value in the slot.
    let reply = chat.respond(&engine, Input::Text("black tea please".into()), now + 10);
    assert_eq!(
        chat.slot("kind"),
        None,
        "a flow slot, not a conversation one"
    );
    assert!(
        said(&reply).contains("Would you like a snack with it?"),
        "{}",
        said(&reply)
    );
    assert!(said(&reply).contains("Yes"), "{}", said(&reply));
    // "no" decides as 否 does: the plain branch, with {kind} as the English label.
    let reply = chat.respond(&engine, Input::Text("no thanks".into()), now + 20);
    assert!(
        said(&reply).contains("Done: a Black tea sample ships within three days."),
        "{}",
        said(&reply)
    );
    assert!(!said(&reply).contains("茶点"), "{}", said(&reply));
    assert_eq!(chat.locale(), Some(Locale::En));
}

#[test]
fn an_english_customer_reads_the_catalogue_in_english_and_the_rest_in_the_shops_words() {
    let engine = tea_shop();
    let mut chat = Conversation::new();
    chat.set_locale(Locale::En);
    let now = 1_795_000_000;
    // A product named in English, with an attribute.
    let reply = chat.respond(
        &engine,
        Input::Text("west lake longjing origin".into()),
        now,
    );
    assert!(
        said(&reply).contains("Grown by West Lake in Hangzhou."),
        "{}",
        said(&reply)
    );
    assert!(said(&reply).contains("Taste"), "{}", said(&reply));
    // Two products side by side: rows and names in English where the shop wrote them.
    let reply = chat.respond(
        &engine,
        Input::Text("compare west lake longjing and biluochun".into()),
        now + 10,
    );
    let table = reply.messages.iter().find_map(|m| match m {
        Message::Comparison(c) => Some(c),
        _ => None,
    });
    let table = table.unwrap_or_else(|| panic!("no comparison:\n{}", said(&reply)));
    assert_eq!(table.products, ["West Lake Longjing", "碧螺春"]);
    let origin = table.rows.iter().find(|r| r.attribute == "Origin").unwrap();
    assert_eq!(origin.values, ["Hangzhou", "苏州"]);
    // A vague wish asks the budget with the English chips.
    chat.set_locale(Locale::En);
    let reply = chat.respond(
        &engine,
        Input::Text("I want to buy green tea".into()),
        now + 20,
    );
    assert!(said(&reply).contains("Under ¥100"), "{}", said(&reply));
    let reply = chat.respond(&engine, Input::Text("under 100".into()), now + 30);
    assert!(
        said(&reply).contains("West Lake Longjing"),
        "{}",
        said(&reply)
    );
    let cards: Vec<(&str, &str)> = reply
        .messages
        .iter()
        .filter_map(|m| match m {
            Message::Products { cards } => Some(cards),
            _ => None,
        })
        .flatten()
        .map(|c| (c.name.as_str(), c.summary.as_str()))
        .collect();
    assert!(
        cards.contains(&("West Lake Longjing", "First spring picking.")),
        "{cards:?}"
    );
    assert!(cards.contains(&("碧螺春", "花果香。")), "{cards:?}");
    assert!(
        said(&reply).contains("Origin: 苏州 / Hangzhou"),
        "{}",
        said(&reply)
    );
}

#[test]
fn a_chinese_customer_of_the_same_shop_sees_none_of_the_english() {
    let engine = tea_shop();
    let mut chat = Conversation::new();
    let now = 1_795_000_000;
    let reply = chat.respond(&engine, Input::Text("我要试饮".into()), now);
    assert!(said(&reply).contains("想试哪种茶？"), "{}", said(&reply));
    assert!(said(&reply).contains("绿茶"), "{}", said(&reply));
    chat.respond(&engine, Input::Text("红茶".into()), now + 10);
    let reply = chat.respond(&engine, Input::Text("否".into()), now + 20);
    assert!(
        said(&reply).contains("已登记：红茶试饮装，三天内寄出。"),
        "{}",
        said(&reply)
    );
    let reply = chat.respond(&engine, Input::Text("龙井产地".into()), now + 30);
    assert!(said(&reply).contains("产自杭州西湖。"), "{}", said(&reply));
}
