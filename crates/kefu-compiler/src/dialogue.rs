//! Reads the conversation settings from the sources: `dialogue.toml` (lexicons, texts,
//! handoff policy, emotion words, the order-number pattern), `products.toml` (the
//! catalogue) and `flows/*.toml` (guided flows). Every file is optional; what is missing
//! keeps the engine's built-in default. Problems are reported with `file:line`.

mod defaults;
mod flows;
mod products;
mod settings;
mod translate;

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

pub use defaults::defaults_toml;
use kefu_core::dialogue::products as catalogue;
use kefu_core::dialogue::DialogueConfig;
use kefu_core::tables::Tables;
use kefu_core::text::normalize;
use serde::Deserialize;

use crate::diagnostics::{line_of, Diagnostics, Origin};

/// Reads `products.toml`, `flows/` and `dialogue.toml` when `root` is a directory.
pub fn load(
    root: &Path,
    entry_ids: &HashMap<String, u32>,
    diags: &mut Diagnostics,
) -> DialogueConfig {
    let mut config = DialogueConfig::default();
    if !root.is_dir() {
        return config;
    }
    let tables = crate::chartables::build().expand();
    let ctx = Context {
        tables: &tables,
        entry_ids,
        top_categories: top_categories(root),
    };
    let path = root.join("dialogue.toml");
    if let Some(mut file) = SourceFile::open(&path, diags) {
        settings::read(&mut file, &ctx, &mut config);
    }
    let mut translations = Vec::new();
    let path = root.join("products.toml");
    if let Some(mut file) = SourceFile::open(&path, diags) {
        let shop = config.locales.default;
        let (catalogue, texts) = products::read(&mut file, &ctx, shop);
        config.catalogue = catalogue;
        translations.extend(texts);
    }
    // The catalogue's names are words no phrase may cut (滚 is not inside 滚筒洗衣机).
    let names: Vec<String> = config
        .catalogue
        .products
        .iter()
        .flat_map(|p| p.aliases.iter().cloned())
        .chain(
            config
                .catalogue
                .categories
                .iter()
                .map(|c| normalize(&tables, &c.name)),
        )
        .filter(|w| w.chars().count() >= 2 && w.chars().any(kefu_core::text::is_han))
        .collect();
    for name in names {
        if !config.compounds.contains(&name) {
            config.compounds.push(name);
        }
    }
    let dir = root.join("flows");
    if dir.is_dir() {
        let mut paths: Vec<PathBuf> = match std::fs::read_dir(&dir) {
            Ok(list) => list.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => {
                diags.error(&Origin::new(&dir, None), format!("cannot list flows: {e}"));
                Vec::new()
            }
        };
        paths.retain(|p| p.extension().and_then(|e| e.to_str()) == Some("toml"));
        paths.sort();
        for path in paths {
            if let Some(mut file) = SourceFile::open(&path, diags) {
                let index = config.flows.len() as u16;
                if let Some((flow, texts)) = flows::read(&mut file, &ctx, &config, index) {
                    if config.flows.iter().any(|f| f.id == flow.id) {
                        file.error(
                            Some(1),
                            format!("flow id `{}` is used by another flow", flow.id),
                        );
                    } else {
                        config.flows.push(flow);
                        translations.extend(texts);
                    }
                }
            }
        }
    }
    config.translations = kefu_core::dialogue::Translations::new(translations);
    warn_placeholders(root, &config, diags);
    if let Err(e) = config.check(entry_ids.len()) {
        diags.error(
            &Origin::new(root, None),
            format!("inconsistent conversation settings: {e}"),
        );
    }
    config
}

/// Placeholders the engine fills in its texts and labels, besides the slots.
const ENGINE_PLACEHOLDERS: &[&str] = &[
    "order_no",
    "status",
    "carrier",
    "tracking_no",
    "eta",
    "delivered_at",
    "opens_at",
    "contact",
    "flow",
    "product",
    "price",
    "attribute",
    "criteria",
    "value",
    "question",
    "symbol",
    "n",
    "min",
    "max",
    "month",
    "month_name",
    "day",
    "date",
    "weekday",
    "time",
];

/// Warns about a `{name}` in a text or label that nothing fills (customers would see "—"),
/// at its line in `dialogue.toml`.
fn warn_placeholders(root: &Path, config: &DialogueConfig, diags: &mut Diagnostics) {
    let path = root.join("dialogue.toml");
    let Ok(source) = std::fs::read_to_string(&path) else {
        return;
    };
    let slots: Vec<&str> = config
        .flows
        .iter()
        .flat_map(|f| f.steps.iter().filter_map(|s| s.slot.as_deref()))
        .collect();
    let mut texts: Vec<String> = Vec::new();
    for pack in &config.locales.packs {
        for table in [
            toml::Value::try_from(&pack.texts),
            toml::Value::try_from(&pack.labels),
        ]
        .into_iter()
        .flatten()
        {
            if let toml::Value::Table(t) = table {
                texts.extend(t.values().filter_map(|v| v.as_str().map(str::to_string)));
            }
        }
    }
    let mut reported: Vec<String> = Vec::new();
    for text in &texts {
        for name in flows::placeholders(text) {
            let known = ENGINE_PLACEHOLDERS.contains(&name.as_str())
                || flows::CONVERSATION_SLOTS.contains(&name.as_str())
                || slots.contains(&name.as_str());
            if known || reported.contains(&name) {
                continue;
            }
            let needle = format!("{{{name}}}");
            let line = source.find(&needle).map(|at| line_of(&source, at));
            diags.warning(
                &Origin::new(&path, line),
                format!("`{needle}` is no placeholder the engine fills (customers would see —)"),
            );
            reported.push(name);
        }
    }
}

/// What every reader needs besides its file.
struct Context<'a> {
    tables: &'a Tables,
    entry_ids: &'a HashMap<String, u32>,
    /// Top-level category ids from `categories.toml`, when the sources have one.
    top_categories: Option<Vec<String>>,
}

/// The top-level category ids of `root/categories.toml` (`[[category]] id = …`).
fn top_categories(root: &Path) -> Option<Vec<String>> {
    #[derive(Deserialize)]
    struct File {
        #[serde(default)]
        category: Vec<Cat>,
    }
    #[derive(Deserialize)]
    struct Cat {
        id: String,
    }
    let text = std::fs::read_to_string(root.join("categories.toml")).ok()?;
    let file: File = toml::from_str(&text).ok()?;
    Some(
        file.category
            .into_iter()
            .filter(|c| !c.id.contains('/'))
            .map(|c| c.id)
            .collect(),
    )
}

impl Context<'_> {
    /// The normalised form of a phrase, as the engine sees customer text.
    fn norm(&self, phrase: &str) -> String {
        normalize(self.tables, phrase)
    }

    /// Normalised phrases, without empties and duplicates.
    fn norm_list(&self, phrases: &[String]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for p in phrases {
            let n = self.norm(p);
            if !n.is_empty() && !out.contains(&n) {
                out.push(n);
            }
        }
        out
    }

    /// Catalogue names in the forms the engine matches them in: spaces next to Chinese
    /// characters removed, and all spaces removed ("x1 pro", "x1pro").
    fn compact_list(&self, phrases: &[String]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for p in phrases {
            let n = self.norm(p);
            for form in [catalogue::tight(&n), catalogue::compact(&n)] {
                if !form.is_empty() && !out.contains(&form) {
                    out.push(form);
                }
            }
        }
        out
    }
}

/// A source file being read, with its diagnostics.
struct SourceFile<'d> {
    path: PathBuf,
    text: String,
    diags: &'d mut Diagnostics,
}

impl<'d> SourceFile<'d> {
    /// Opens `path` if it exists.
    fn open(path: &Path, diags: &'d mut Diagnostics) -> Option<SourceFile<'d>> {
        if !path.exists() {
            return None;
        }
        match std::fs::read_to_string(path) {
            Ok(text) => Some(SourceFile {
                path: path.to_path_buf(),
                text,
                diags,
            }),
            Err(e) => {
                diags.error(&Origin::new(path, None), format!("cannot read: {e}"));
                None
            }
        }
    }

    /// Parses the whole file as `T`.
    fn parse<T: for<'de> Deserialize<'de>>(&mut self) -> Option<T> {
        match toml::from_str(&self.text) {
            Ok(v) => Some(v),
            Err(e) => {
                let line = e.span().map(|s| line_of(&self.text, s.start));
                self.error(line, e.message().to_string());
                None
            }
        }
    }

    fn line(&self, span: Range<usize>) -> usize {
        line_of(&self.text, span.start)
    }

    /// The line, at `from` or after it, where `key` is written (else `from`).
    fn line_of_key(&self, from: usize, key: &str) -> usize {
        self.text
            .lines()
            .enumerate()
            .skip(from.saturating_sub(1))
            .find(|(_, l)| l.contains(key))
            .map_or(from, |(i, _)| i + 1)
    }

    fn error(&mut self, line: Option<usize>, message: impl Into<String>) {
        self.diags.error(&Origin::new(&self.path, line), message);
    }

    fn warning(&mut self, line: Option<usize>, message: impl Into<String>) {
        self.diags.warning(&Origin::new(&self.path, line), message);
    }

    /// Resolves entry ids; unknown ids are errors at `line`.
    /// Entry ids written as a list, each error at the line of its own id.
    fn entries_at(
        &mut self,
        ctx: &Context<'_>,
        ids: &[toml::Spanned<String>],
        what: &str,
    ) -> Vec<u32> {
        let mut out = Vec::new();
        for id in ids {
            let line = self.line(id.span());
            out.extend(self.entries(ctx, std::slice::from_ref(id.get_ref()), line, what));
        }
        out
    }

    fn entries(&mut self, ctx: &Context<'_>, ids: &[String], line: usize, what: &str) -> Vec<u32> {
        let mut out = Vec::new();
        for id in ids {
            match ctx.entry_ids.get(id) {
                Some(&e) => out.push(e),
                None => self.error(Some(line), format!("{what}: no entry has the id `{id}`")),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `files` into a fresh directory and loads it.
    fn load_files(name: &str, files: &[(&str, &str)]) -> (DialogueConfig, Diagnostics) {
        let dir = std::env::temp_dir().join(format!("kefu-dialogue-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("flows")).unwrap();
        for (path, text) in files {
            std::fs::write(dir.join(path), text).unwrap();
        }
        let ids: HashMap<String, u32> = [
            ("return-apply".to_string(), 0),
            ("service-human".to_string(), 1),
        ]
        .into();
        let mut diags = Diagnostics::default();
        let config = load(&dir, &ids, &mut diags);
        let _ = std::fs::remove_dir_all(&dir);
        (config, diags)
    }

    fn errors(diags: &Diagnostics) -> Vec<String> {
        diags
            .errors()
            .map(|d| format!("{}:{}", d.line.unwrap_or(0), d.message))
            .collect()
    }

    #[test]
    fn reads_a_small_shop() {
        let (config, diags) = load_files(
            "ok",
            &[
                ("dialogue.toml", "order_number = 'XM\\d{8}'\n[handoff]\nhuman_entries = [\"service-human\"]\n[lexicon]\ncancel = [\"算了吧\", \"Cancel\"]\n[texts]\ngreeting = \"嗨！\"\n"),
                ("products.toml", "[[attribute]]\nname = \"颜色\"\n[[category]]\nname = \"手机\"\n[[product]]\nid = \"p1\"\nname = \"小麦手机 X1\"\ncategory = \"手机\"\nprice = 1999.5\n[product.attributes]\n\"颜色\" = \"黑\"\n"),
                ("flows/a.toml", "id = \"a\"\nname = \"A\"\nphrases = [\"办A\"]\noffer_after = [\"return-apply\"]\n[[step]]\nid = \"q\"\nask = \"是吗？\"\nslot = \"ok\"\nexpect = \"yes-no\"\nnext = [{ when = \"ok == 否\", goto = \"h\" }, { goto = \"d\" }]\n[[step]]\nid = \"d\"\nsay = \"好\"\nend = \"done\"\n[[step]]\nid = \"h\"\nend = \"handoff\"\n"),
            ],
        );
        assert!(errors(&diags).is_empty(), "{:?}", errors(&diags));
        assert_eq!(
            config.order_number.find_all("xm12345678"),
            vec!["XM12345678"]
        );
        assert_eq!(config.handoff.human_entries, vec![1]);
        assert_eq!(config.lexicon.cancel, vec!["算了吧", "cancel"]);
        assert_eq!(config.texts.greeting, "嗨！");
        assert_eq!(config.catalogue.products[0].price, 199_950);
        assert!(config.catalogue.products[0]
            .aliases
            .contains(&"小麦手机x1".to_string()));
        assert_eq!(config.flows[0].steps[0].next[0].goto, 2);
        assert_eq!(config.flows[0].offer_after, vec![0]);
    }

    /// A tea shop (not the demo) that translates its flow and catalogue into English and, in
    /// part, traditional Chinese.
    const TEA_FLOW: &str = r#"
id = "sample"
name = "申请试饮"
name_en = "Request a sample"
"name_zh-TW" = "申請試飲"
phrases = ["我要试饮", "free sample"]

[[step]]
id = "kind"
ask = "想试哪种茶？"
ask_en = "Which tea would you like to try?"
"ask_zh-TW" = "想試哪種茶？"
slot = "kind"
options = [
  { label = "绿茶", label_en = "Green tea", "label_zh-TW" = "綠茶" },
  { label = "红茶", label_en = "Black tea" },
]

[[step]]
id = "address"
ask = "请发送收货地址。"
ask_en = "Please send your address."
slot = "address"
invalid = "没看懂地址。"

[[step]]
id = "done"
say = "已登记，{kind}试饮装三天内寄出。"
say_en = "Done: your {kind} sample ships within three days, {kidn}."
"say_zh-TW" = "已登記，{kind}試飲裝三天內寄出。"
end = "done"
"#;

    const TEA_PRODUCTS: &str = r#"
[[attribute]]
name = "产地"
name_en = "Origin"
aliases = ["产地", "哪里产"]

[[facet]]
name = "口味"
ask = "喜欢什么口味？"
ask_en = "Which taste do you like?"
values = [
  { value = "清淡", value_en = "Light", aliases = ["清淡"] },
  { value = "浓郁", aliases = ["浓郁"] },
]

[[category]]
name = "绿茶"
name_en = "Green tea"
budget_options = ["100以内", "100元以上"]
budget_options_en = ["Under ¥100", "Over ¥100"]

[[product]]
id = "longjing"
name = "西湖龙井"
name_en = "West Lake Longjing"
category = "绿茶"
price = 88
summary = "明前头采。"
summary_en = "First spring picking."
[product.attributes]
"产地" = { value = "杭州", text = "产自杭州西湖。", value_en = "Hangzhou", text_en = "Grown by West Lake in Hangzhou." }

[[product]]
id = "biluochun"
name = "碧螺春"
name_en = "Biluochun"
category = "绿茶"
price = 68
summary = "花果香。"
[product.attributes]
"产地" = "苏州"
"#;

    #[test]
    fn a_tea_shop_translates_its_flow_and_catalogue() {
        use kefu_core::dialogue::{Locale, TextKey};
        let (config, diags) = load_files(
            "tea",
            &[
                ("flows/sample.toml", TEA_FLOW),
                ("products.toml", TEA_PRODUCTS),
            ],
        );
        assert!(errors(&diags).is_empty(), "{:?}", errors(&diags));
        let tr = &config.translations;
        let en = Some(Locale::En);
        let tw = Some(Locale::ZhTw);
        assert_eq!(
            tr.get(TextKey::FlowName { flow: 0 }, en),
            Some("Request a sample")
        );
        assert_eq!(tr.get(TextKey::FlowName { flow: 0 }, tw), Some("申請試飲"));
        let ask = TextKey::StepAsk { flow: 0, step: 0 };
        assert_eq!(tr.get(ask, en), Some("Which tea would you like to try?"));
        let label = |option| TextKey::OptionLabel {
            flow: 0,
            step: 0,
            option,
        };
        assert_eq!(tr.get(label(0), tw), Some("綠茶"));
        assert_eq!(tr.get(label(1), en), Some("Black tea"));
        assert_eq!(tr.get(label(1), tw), None);
        // The logic stays canonical; the translated labels are aliases of the same value.
        let option = &config.flows[0].steps[0].options[1];
        assert_eq!(option.value, "红茶");
        assert!(
            option.aliases.contains(&"black tea".to_string()),
            "{:?}",
            option.aliases
        );
        // The catalogue: names, values, sentences, facet questions, budget chips.
        assert_eq!(
            tr.get(TextKey::ProductName { product: 0 }, en),
            Some("West Lake Longjing")
        );
        let text = TextKey::ProductText {
            product: 0,
            attribute: 0,
        };
        assert_eq!(tr.get(text, en), Some("Grown by West Lake in Hangzhou."));
        assert_eq!(
            tr.get(TextKey::FacetAsk { facet: 0 }, en),
            Some("Which taste do you like?")
        );
        let chip = TextKey::BudgetOption {
            category: 0,
            option: 1,
        };
        assert_eq!(tr.get(chip, en), Some("Over ¥100"));
        assert!(config.catalogue.products[0]
            .aliases
            .contains(&"westlakelongjing".to_string()));
        assert!(config.catalogue.attributes[0]
            .aliases
            .contains(&"origin".to_string()));
        // Partly translated things are warnings naming the file, the step or item, and the key.
        let warnings: Vec<String> = diags
            .warnings()
            .map(|d| format!("{}:{}:{}", d.file.display(), d.line.unwrap_or(0), d.message))
            .collect();
        let all = warnings.join("\n");
        for expected in [
            "step `kind` is partly translated into zh-TW: no `label_zh-TW`",
            "step `address` is partly translated into en: no `invalid_en`",
            "step `address` is partly translated into zh-TW: no `ask_zh-TW`, `invalid_zh-TW`",
            "`{kidn}` is no slot",
            "facet `口味` is partly translated into en: no `浓郁.value_en`",
            "product `biluochun` is partly translated into en: no `summary_en`, `产地.value_en`",
        ] {
            assert!(all.contains(expected), "missing `{expected}` in:\n{all}");
        }
        assert!(all.contains("sample.toml:"), "{all}");
        assert!(!all.contains("longjing"), "{all}");
    }

    #[test]
    fn translation_mistakes_are_errors_with_their_line() {
        let (_, diags) = load_files(
            "tea-bad",
            &[(
                "flows/a.toml",
                "id = \"a\"\nname = \"A\"\n[[step]]\nid = \"q\"\nask = \"?\"\nslot = \"s\"\nask_fr = \"?\"\nsay_en = \"hi\"\nasks = \"?\"\n",
            )],
        );
        let all = errors(&diags).join("\n");
        for expected in [
            "7:flow `a` step `q`: unknown field `ask_fr`",
            "9:flow `a` step `q`: unknown field `asks`",
            "3:flow `a` step `q`: `say_…` without `say`",
        ] {
            assert!(all.contains(expected), "missing `{expected}` in:\n{all}");
        }
    }

    #[test]
    fn reports_mistakes_with_their_line() {
        let (_, diags) = load_files(
            "bad",
            &[
                ("dialogue.toml", "order_number = '\\d{3'\n[texts]\nhandof = \"x\"\n[handoff]\nflagged = [\"nothing-*\"]\n"),
                ("products.toml", "[[category]]\nname = \"手机\"\n[[product]]\nid = \"p1\"\nname = \"X\"\ncategory = \"电脑\"\nprice = 1\n"),
                ("flows/a.toml", "id = \"a\"\nname = \"A\"\n[[step]]\nid = \"q\"\nask = \"?\"\nslot = \"s\"\nexpect = \"colour\"\nnext = [{ when = \"s >\", goto = \"nowhere\" }]\n"),
            ],
        );
        let all = errors(&diags).join("\n");
        for expected in [
            "1:order_number",
            "3:[texts] has no key `handof`",
            "5:handoff.flagged: `nothing-*` matches no entry id",
            "3:product `p1`: no product category `电脑`",
            "3:step `q`: `expect = \"colour\"`",
            "3:step `q`: condition `s >`",
            "3:step `q`: goes to `nowhere`",
        ] {
            assert!(all.contains(expected), "missing `{expected}` in:\n{all}");
        }
    }

    #[test]
    fn refuses_a_flow_going_round_without_asking() {
        // `check` says and goes back to `again`, which goes to `check`: nothing is asked.
        let looping = "id = \"a\"\nname = \"A\"\n[[step]]\nid = \"q\"\nask = \"?\"\nslot = \"s\"\n[[step]]\nid = \"again\"\nsay = \"x\"\n[[step]]\nid = \"check\"\nsay = \"y\"\nnext = [{ when = \"s == 1\", goto = \"again\" }, { goto = \"done\" }]\n[[step]]\nid = \"done\"\nsay = \"ok\"\nend = \"done\"\n";
        let (_, diags) = load_files("loop", &[("flows/a.toml", looping)]);
        let all = errors(&diags).join("\n");
        assert!(all.contains("flow `a` step `again`"), "{all}");
        assert!(
            all.contains("without asking the customer anything"),
            "{all}"
        );
        // Going back to a step that asks is fine: the answer is asked again.
        let asking = looping.replace("goto = \"again\"", "goto = \"q\"");
        let (_, diags) = load_files("ok", &[("flows/a.toml", &asking)]);
        assert!(errors(&diags).is_empty(), "{:?}", errors(&diags));
    }

    #[test]
    fn printed_defaults_compile_back_to_the_defaults() {
        use kefu_core::dialogue::Locale;
        for locale in [
            None,
            Some(Locale::ZhCn),
            Some(Locale::ZhTw),
            Some(Locale::En),
        ] {
            let printed = defaults_toml(locale).unwrap();
            let (config, diags) = load_files("defaults", &[("dialogue.toml", &printed)]);
            assert!(
                errors(&diags).is_empty(),
                "{locale:?}: {:?}",
                errors(&diags)
            );
            let mut builtin = DialogueConfig::default();
            builtin.speak_natively(locale.unwrap_or(Locale::ZhCn));
            builtin.sync_default_pack();
            assert_eq!(config.locales, builtin.locales, "{locale:?}");
            assert_eq!(config.texts, builtin.texts, "{locale:?}");
            assert_eq!(config.lexicon, builtin.lexicon, "{locale:?}");
        }
    }

    #[test]
    fn an_english_hong_kong_shop_changes_pieces_of_its_pack() {
        use kefu_core::dialogue::Locale;
        let (config, diags) = load_files(
            "hk",
            &[(
                "dialogue.toml",
                "locale = \"en\"\n[money]\nsymbol = \"HK$\"\nthousands = \",\"\n[lexicon.extend]\npronouns = [\"这罐\", \"This Tin\"]\n[locales.en.labels]\nprice_row = \"Cost\"\n[locales.zh-TW.texts]\ngreeting = \"您好！\"\n[texts]\nthanks = \"Cheers!\"\n",
            )],
        );
        assert!(errors(&diags).is_empty(), "{:?}", errors(&diags));
        assert_eq!(config.locales.default, Locale::En);
        let en = config.locales.pack(Locale::En);
        assert_eq!(en.labels.price_row, "Cost");
        assert_eq!(en.texts.thanks, "Cheers!");
        assert_eq!(config.texts.thanks, "Cheers!");
        assert_eq!(en.texts.greeting, "Hello! How can I help you?");
        assert_eq!(config.locales.pack(Locale::ZhTw).texts.greeting, "您好！");
        assert_eq!(config.locales.money.price(129_900), "HK$1,299");
        // 元 is the renminbi's: a Hong Kong shop's Chinese budgets use its symbol.
        assert_eq!(
            config.locales.pack(Locale::ZhCn).labels.budget_amount,
            "{symbol}{n}"
        );
        assert!(config.lexicon.pronouns.contains(&"这罐".to_string()));
        assert!(config.lexicon.pronouns.contains(&"this tin".to_string()));
        assert!(config.lexicon.pronouns.contains(&"这款".to_string()));
    }

    #[test]
    fn locale_mistakes_have_lines() {
        let (_, diags) = load_files(
            "badlocale",
            &[(
                "dialogue.toml",
                "locale = \"fr\"\n[locales.de.texts]\ngreeting = \"Hallo\"\n[locales.en.labels]\npricerow = \"x\"\n[lexicon.extend]\nnothing = [\"x\"]\n",
            )],
        );
        let all = errors(&diags).join("\n");
        for expected in [
            "1:locale `fr`",
            "[locales.de]",
            "5:[locales.en.labels] has no key `pricerow`",
            "[lexicon.extend] has no list `nothing`",
        ] {
            assert!(all.contains(expected), "missing `{expected}` in:\n{all}");
        }
    }

    #[test]
    fn refused_and_exclusive_facet_values() {
        use kefu_core::dialogue::products::Names;
        let tea = "[[category]]\nname = \"绿茶\"\n[[facet]]\nname = \"口味\"\nask = \"喜欢什么口味？\"\nvalues = [\n  { value = \"浓郁\", aliases = [\"浓郁\", \"浓的\", \"浓\"] },\n  { value = \"清淡\", aliases = [\"清淡\", \"淡的\", \"淡\"] },\n]\n[[product]]\nid = \"a\"\nname = \"龙井\"\ncategory = \"绿茶\"\nprice = 1\nfacets = { \"口味\" = [\"清淡\"] }\n[[product]]\nid = \"b\"\nname = \"滇红\"\ncategory = \"绿茶\"\nprice = 1\nfacets = { \"口味\" = [\"浓郁\"] }\n";
        let (config, diags) = load_files("tea", &[("products.toml", tea)]);
        assert!(errors(&diags).is_empty(), "{:?}", errors(&diags));
        let c = &config.catalogue;
        let values = |text: &str| -> Vec<String> {
            c.find_facets(&Names::of(text))
                .iter()
                .map(|(f, v, _)| c.facets[*f as usize].values[*v as usize].value.clone())
                .collect()
        };
        assert_eq!(values("不要太浓的"), vec!["清淡"]);
        assert_eq!(values("浓的"), vec!["浓郁"]);
        assert_eq!(values("不喜欢淡的"), vec!["浓郁"]);
        // One message cannot ask for both values of an exclusive facet.
        assert_eq!(values("浓的淡的"), Vec::<String>::new());
        assert!(!c.facet_combines(0));
    }

    #[test]
    fn warns_about_placeholders_conditions_and_anchored_patterns() {
        let (_, diags) = load_files(
            "warn",
            &[
                ("dialogue.toml", "order_number = '^KX\\d{10}$'\n[texts]\nthanks = \"不客气{itm}\"\n"),
                ("flows/a.toml", "id = \"a\"\nname = \"A\"\noffer_after = [\n  \"nope\",\n]\n[[step]]\nid = \"q\"\nask = \"用过吗？{ordr_no}\"\nslot = \"used\"\nexpect = \"yes-no\"\nnext = [{ when = \"used == 也许\", goto = \"d\" }, { when = \"order.status == refund\", goto = \"d\" }, { when = \"used == 否\", goto = \"d\" }]\n[[step]]\nid = \"d\"\nsay = \"好\"\nend = \"done\"\n"),
            ],
        );
        let all: Vec<String> = diags
            .errors()
            .chain(diags.warnings())
            .map(|d| format!("{}:{}", d.line.unwrap_or(0), d.message))
            .collect();
        let all = all.join("\n");
        for expected in [
            "1:order_number `^KX\\d{10}$`",
            "3:`{itm}` is no placeholder",
            "4:offer_after: no entry has the id `nope`",
            "6:step `q`: `{ordr_no}` is no slot",
            "6:step `q`: condition `used == 也许`: no option gives `used` the value `也许`",
            "6:step `q`: condition `order.status == refund`: `refund` is no order status",
        ] {
            assert!(all.contains(expected), "missing `{expected}` in:\n{all}");
        }
        assert!(!all.contains("used == 否`: no option"), "{all}");
    }

    #[test]
    fn context_topics_name_categories() {
        let (_, diags) = load_files(
            "topics",
            &[
                ("categories.toml", "[[category]]\nid = \"tea\"\nname = \"茶\"\n[[category]]\nid = \"tea/green\"\nname = \"绿茶\"\n"),
                ("dialogue.toml", "[context]\nproduct_topics = [\"tea\", \"product\"]\n"),
            ],
        );
        let all = errors(&diags).join("\n");
        assert!(
            all.contains(
                "2:[context] product_topics: `product` is no top-level category (known: tea)"
            ),
            "{all}"
        );
        assert!(!all.contains("`tea` is no"), "{all}");
    }
}
