//! The built-in Chinese synonym groups against a knowledge base with one question per entry:
//! a question in another word of a group finds the entry, more weakly than the entry's own
//! word, and a shop's own group takes its words out of the built-in ones.

mod common;

use common::top;
use kefu_core::{Engine, Outcome};

fn engine(name: &str, lines: &[(&str, &str)], synonyms: &str) -> Engine {
    let dir = std::env::temp_dir().join(format!("kefu-zh-syn-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("entries")).unwrap();
    let text: String = lines
        .iter()
        .map(|(id, q)| {
            format!("[[entry]]\nid = \"{id}\"\nquestion = \"{q}\"\nanswer = \"答 {id}\"\n\n")
        })
        .collect();
    std::fs::write(dir.join("entries/faq.toml"), text).unwrap();
    std::fs::write(dir.join("synonyms.toml"), synonyms).unwrap();
    let compiled = kefu_compiler::compile(&dir);
    let _ = std::fs::remove_dir_all(&dir);
    Engine::from_kb(compiled.expect("compiles").kb).expect("loads")
}

fn score(engine: &Engine, question: &str, id: &str) -> f32 {
    let m = engine.ask(question, None);
    m.candidates
        .iter()
        .find(|c| engine.kb().entries[c.entry as usize].id == id)
        .map_or(0.0, |c| c.score)
}

const SHOP: &[(&str, &str)] = &[
    ("phone", "怎么变更绑定的手机号"),
    ("card", "绑定的银行卡怎么删除"),
    ("repay", "账单还清以后额度多久恢复"),
    ("login", "登录不上去怎么办"),
    ("address", "收货地址填错了"),
    ("invoice", "怎么开发票"),
];

#[test]
fn another_word_of_a_group_finds_the_entry() {
    let e = engine("groups", SHOP, "");
    assert_eq!(top(&e, "怎么更改手机号").as_deref(), Some("phone"));
    assert_eq!(top(&e, "结清以后多久恢复").as_deref(), Some("repay"));
    assert_eq!(top(&e, "一直登陆不上").as_deref(), Some("login"));
    // Two entries that differ only in the word: the group decides (without it they tie,
    // and the first entry would win).
    let plans = engine(
        "plans",
        &[
            ("change-plan", "怎么变更套餐"),
            ("cancel-plan", "怎么取消套餐"),
        ],
        "",
    );
    assert_eq!(top(&plans, "怎么撤销套餐").as_deref(), Some("cancel-plan"));
    assert_eq!(top(&plans, "怎么修改套餐").as_deref(), Some("change-plan"));
}

#[test]
fn the_word_itself_matches_more_than_its_synonym() {
    let e = engine("weaker", SHOP, "");
    let exact = score(&e, "怎么变更手机号", "phone");
    let synonym = score(&e, "怎么更改手机号", "phone");
    assert!(synonym > 0.0);
    assert!(exact > synonym, "{exact} {synonym}");
    // An entry's own question typed as written is still answered directly.
    let m = e.ask("怎么变更绑定的手机号", None);
    assert!(matches!(m.outcome, Outcome::Answer(_)), "{m:?}");
}

#[test]
fn a_shop_group_takes_its_words_out_of_the_built_in_groups() {
    let plain = engine("plain", SHOP, "");
    let f = |e: &Engine| score(e, "怎么更改手机号", "phone");
    let own = engine(
        "own",
        SHOP,
        "synonyms = [[\"更改\", \"更改一下\"], [\"变更\", \"变更一下\"]]\n",
    );
    assert!(f(&own) < f(&plain), "{} {}", f(&own), f(&plain));
}
