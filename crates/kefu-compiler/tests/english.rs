//! English questions against an English knowledge base with one question per entry (the
//! way real exports come): word forms the stemmer does not join still meet by their
//! common beginning, and an ordinal's ending is not an unknown word.

mod common;

use common::top;
use kefu_core::Engine;

fn engine(name: &str, lines: &[(&str, &str)]) -> Engine {
    let path =
        std::env::temp_dir().join(format!("kefu-english-{name}-{}.jsonl", std::process::id()));
    let text: String = lines
        .iter()
        .map(|(id, q)| {
            format!("{{\"id\": \"{id}\", \"question\": \"{q}\", \"answer\": \"A {id}\"}}\n")
        })
        .collect();
    std::fs::write(&path, text).unwrap();
    let compiled = kefu_compiler::compile(&path);
    let _ = std::fs::remove_file(&path);
    Engine::from_kb(compiled.expect("compiles").kb).expect("loads")
}

const SHOP: &[(&str, &str)] = &[
    ("recommend", "can you recommend a good restaurant nearby"),
    ("passcode", "how do i reset my passcode"),
    ("transfer", "why did my transfer fail"),
    ("calendar", "what is on my calendar"),
    ("verify", "how do i verify my identity"),
];

#[test]
fn other_endings_of_a_known_word_meet_it() {
    let e = engine("endings", SHOP);
    // "recommendations" and "recommend" have different stems; one starts the other.
    assert_eq!(
        top(&e, "any recommendations for tonight?").as_deref(),
        Some("recommend")
    );
    // "transferring" and "transfer" share a stem.
    assert_eq!(
        top(&e, "transferring money failed").as_deref(),
        Some("transfer")
    );
    // "verification" and "verify".
    assert_eq!(top(&e, "identity verification").as_deref(), Some("verify"));
    // A short word is not stretched to a longer one: "pass" is not "passcode".
    assert_eq!(top(&e, "pass"), None);
}

#[test]
fn an_ordinal_ending_is_not_an_unknown_word() {
    let e = engine("ordinals", SHOP);
    let f = e.features("what is on my calendar on the 4th");
    assert!(!f.iter().any(|w| w == "th"), "{f:?}");
    assert!(f.iter().any(|w| w == "4"), "{f:?}");
    let with = e.rank("what is on my calendar on the 4th", &Default::default());
    assert_eq!(with.signals.full_unknown, 0.0, "{:?}", with.signals);
}

#[test]
fn another_form_of_a_known_word_is_not_corrected_as_a_typo() {
    let e = engine(
        "forms",
        &[
            ("tires", "is the air pressure in my tires low"),
            ("time", "in the central timezone, what time is it"),
        ],
    );
    // "tire" is no word of the shop as typed ("tires" is), but its stem is: it stays.
    let f = e.features("how is the car tire pressure doing");
    assert!(f.iter().any(|w| w == "tire"), "{f:?}");
    assert!(!f.iter().any(|w| w == "time"), "{f:?}");
    assert_eq!(
        top(&e, "how is the car tire pressure doing").as_deref(),
        Some("tires")
    );
    // A real typo is still corrected.
    let f = e.features("what tiem is it");
    assert!(f.iter().any(|w| w == "time"), "{f:?}");
}

#[test]
fn a_customers_other_word_for_a_glossary_term_meets_the_shops() {
    // The glossary line `密码 = password, passcode`: the shop writes "password".
    let e = engine(
        "glossary",
        &[
            ("password", "I forgot my password"),
            ("transfer", "why did my transfer fail"),
        ],
    );
    assert_eq!(
        top(&e, "how do i reset my passcode").as_deref(),
        Some("password")
    );
}
