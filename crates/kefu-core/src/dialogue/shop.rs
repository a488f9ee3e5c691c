//! Product questions and recommendations in a conversation: "这款手机的电池容量多大?",
//! then "那拍照效果呢?" about the same phone; "想买一件…T恤，200以内" → picks and a
//! comparison, or a question when the wish is too vague.

use super::confidence::STRONG;
use super::config::fill;
use super::hear::Heard;
use super::lexicon;
use super::products::CatalogueIdx;
use super::recommend::{compare_products, recommend, Recommendation};
use super::reply::{Choice, Message, QuickReply};
use super::say::Turn;
use super::state::{Conversation, Focus, Shopping, PRICE_ATTRIBUTE};

/// Asking for the cheaper / dearer of the products just compared (normalised).
const CHEAPER: &[&str] = &[
    "哪个便宜",
    "哪个更便宜",
    "哪款便宜",
    "哪款更便宜",
    "哪个划算",
    "便宜的那个",
    "便宜的那款",
    "更便宜",
    "which is cheaper",
    "which one is cheaper",
    "the cheaper one",
    "cheapest",
];
const DEARER: &[&str] = &[
    "哪个贵",
    "哪个更贵",
    "哪款贵",
    "哪款更贵",
    "贵的那个",
    "贵的那款",
    "更贵",
    "which is more expensive",
    "more expensive",
];

/// "Which one is lighter" after a comparison: the comparative words, the words naming the
/// attribute they measure (its name or an alias containing one), the units its values are
/// written in, and whether the most (or the least) wins.
struct Comparative {
    words: &'static [&'static str],
    attribute: &'static [&'static str],
    units: &'static [&'static str],
    most: bool,
}

const COMPARATIVES: &[Comparative] = &[
    Comparative {
        words: &[
            "lighter",
            "lightest",
            "weighs less",
            "less heavy",
            "更轻",
            "最轻",
            "轻一点",
            "哪个轻",
            "哪款轻",
            "比较轻",
        ],
        attribute: &["weight", "重量", "weigh"],
        units: &["kg", "g", "lb", "公斤", "克", "斤"],
        most: false,
    },
    Comparative {
        words: &[
            "heavier",
            "heaviest",
            "weighs more",
            "更重",
            "最重",
            "哪个重",
        ],
        attribute: &["weight", "重量", "weigh"],
        units: &["kg", "g", "lb", "公斤", "克", "斤"],
        most: true,
    },
    Comparative {
        words: &[
            "longer range",
            "longest range",
            "more range",
            "best range",
            "better range",
            "go further",
            "goes further",
            "go farther",
            "goes farther",
            "further on a charge",
            "续航更长",
            "续航最长",
            "续航长",
            "续航更久",
            "续航好",
        ],
        attribute: &["range", "续航", "battery", "电池"],
        units: &["km", "miles", "mile", "公里", "小时", "hours", "h"],
        most: true,
    },
    Comparative {
        words: &[
            "bigger battery",
            "larger battery",
            "biggest battery",
            "more battery",
            "电池更大",
            "电池大",
            "电池最大",
            "电量大",
        ],
        attribute: &["battery", "电池", "电量"],
        units: &["wh", "mah"],
        most: true,
    },
    Comparative {
        words: &[
            "more powerful",
            "most powerful",
            "stronger motor",
            "more torque",
            "more power",
            "更有劲",
            "动力更强",
            "功率更大",
        ],
        attribute: &["motor", "power", "torque", "电机", "功率", "动力"],
        units: &["nm", "w"],
        most: true,
    },
];

/// The number a value gives in one of `units` ("418 Wh, up to 70 km": 70 in km), else its
/// first number.
fn measure(value: &str, units: &[&str]) -> Option<f64> {
    let lower = value.to_lowercase();
    let chars: Vec<char> = lower.chars().collect();
    let mut first = None;
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
            i += 1;
        }
        let n: f64 = chars[start..i].iter().collect::<String>().parse().ok()?;
        first.get_or_insert(n);
        let after: String = chars[i..].iter().collect();
        let after = after.trim_start();
        let unit = units.iter().any(|u| {
            after
                .strip_prefix(u)
                .is_some_and(|rest| !rest.chars().next().is_some_and(|c| c.is_ascii_alphabetic()))
        });
        if unit {
            return Some(n);
        }
    }
    first
}

fn words(list: &[&str]) -> Vec<String> {
    list.iter().map(|w| w.to_string()).collect()
}

/// What the product handler would do.
pub(super) enum ProductPlan {
    /// "哪个便宜" right after a comparison: that product.
    Cheaper(CatalogueIdx),
    /// Two or more products named: side by side, on the attribute asked if any.
    Compare(Vec<CatalogueIdx>, Option<CatalogueIdx>),
    /// An attribute of a product (`None`: its price).
    Attribute(CatalogueIdx, Option<CatalogueIdx>),
    /// A product's card.
    Card(CatalogueIdx),
    /// "这款手机的电池多大?" with several products it could be: ask which.
    Choose(Vec<CatalogueIdx>, Option<CatalogueIdx>),
    /// A shopping wish, merged with the one being narrowed down.
    Wish(Shopping),
    /// "Which one is lighter" right after a comparison: that product, on that attribute.
    Best(CatalogueIdx, CatalogueIdx),
}

/// What a message names of the catalogue, noted whatever is decided.
#[derive(Default)]
pub(super) struct ProductMentions {
    /// The one product named or referred to ("第一款").
    pub product: Option<CatalogueIdx>,
    /// The attribute asked about.
    pub attribute: Option<CatalogueIdx>,
    /// The price of the product named was asked ("how much is the haul cargo").
    pub price: bool,
}

/// "第一款", "第2个", "the first one": the position in the products just listed.
fn ordinal(norm: &str) -> Option<(usize, String)> {
    const NUMBERS: [(&str, usize); 10] = [
        ("一", 0),
        ("1", 0),
        ("二", 1),
        ("2", 1),
        ("三", 2),
        ("3", 2),
        ("四", 3),
        ("4", 3),
        ("五", 4),
        ("5", 4),
    ];
    const MEASURES: [&str; 6] = ["款", "个", "件", "台", "种", "样"];
    for (word, n) in NUMBERS {
        for measure in MEASURES {
            let said = format!("第{word}{measure}");
            if norm.contains(&said) {
                return Some((n, said));
            }
        }
    }
    const ENGLISH: [(&str, usize); 5] = [
        ("the first", 0),
        ("the second", 1),
        ("the third", 2),
        ("1st", 0),
        ("2nd", 1),
    ];
    ENGLISH
        .iter()
        .find(|(w, _)| lexicon::contains(norm, w))
        .map(|&(w, n)| (n, w.to_string()))
}

impl Conversation {
    /// What the message names of the catalogue, to keep in context.
    pub(super) fn product_mentions(&self, t: &Turn<'_>, heard: &Heard) -> ProductMentions {
        let catalogue = &t.cfg.catalogue;
        if catalogue.is_empty() {
            return ProductMentions::default();
        }
        let shopping_words =
            lexicon::any(&heard.norm, &t.cfg.lexicon.recommend) || heard.slots.budget.is_some();
        let product = self.named_or_referred(t, heard).map(|(p, _)| p);
        let attribute = heard
            .named
            .attribute
            .as_ref()
            .filter(|_| !shopping_words || product.is_some())
            .map(|a| a.0);
        let single = heard.named.products.len() < 2 && !shopping_words;
        let price = product.is_some() && single && catalogue.asks_price(&heard.names).is_some();
        ProductMentions {
            product: product.filter(|_| single),
            attribute,
            price,
        }
    }

    /// The product named, or referred to by its position in the list just shown
    /// ("第一款是几个口的"), with the words that named it.
    fn named_or_referred(
        &self,
        t: &Turn<'_>,
        heard: &Heard,
    ) -> Option<(CatalogueIdx, Vec<String>)> {
        let catalogue = &t.cfg.catalogue;
        if let Some(p) = heard.named.product {
            return Some((p, catalogue.products[p as usize].aliases.clone()));
        }
        if !self.listed_within(3) {
            return None;
        }
        let (n, said) = ordinal(&heard.norm)?;
        let focus = self.context.compared.get(n)?;
        catalogue.product(&focus.id).map(|(p, _)| (p, vec![said]))
    }

    /// A product reading of the message and how strongly it is resolved: a product named
    /// with its attribute or price, two products, a name said alone, a recommendation wish
    /// are strong; a product name with other words, or an attribute of the product in
    /// context inside a longer sentence, stand at the answer threshold (an FAQ answer wins).
    pub(super) fn propose_product(
        &self,
        t: &Turn<'_>,
        heard: &Heard,
    ) -> Option<(f32, ProductPlan)> {
        let cfg = t.cfg;
        let catalogue = &cfg.catalogue;
        if catalogue.is_empty() {
            return None;
        }
        if let Some(p) = self.cheaper_of_compared(t, heard) {
            return Some((STRONG, ProductPlan::Cheaper(p)));
        }
        if let Some((p, a)) = self.best_of_compared(t, heard) {
            return Some((STRONG, ProductPlan::Best(p, a)));
        }
        let weak = t.answer_threshold();
        let lex = &cfg.lexicon;
        let names = &heard.names;
        let text = names.tight.as_str();
        let product = self.named_or_referred(t, heard);
        let category = catalogue.find_category(names);
        let facets = catalogue.find_facets(names);
        let wish = lexicon::any(&heard.norm, &lex.recommend);
        // A bare amount ("1500", "2k") right after the budget question answers it.
        let budget_asked = self.shopping.as_ref().is_some_and(|s| {
            s.asked.last().is_some_and(|a| a == "budget") && self.turns.saturating_sub(s.turn) <= 2
        });
        let budget = heard.slots.budget.or_else(|| {
            budget_asked
                .then(|| super::money::bare_amount(&heard.light))
                .flatten()
        });
        // A shopping wish ("续航长的手机，预算1-2k") is not a question about one product.
        let shopping_words = wish || budget.is_some();
        let attribute = heard
            .named
            .attribute
            .as_ref()
            .map(|(a, alias)| (*a, alias.as_str()))
            .filter(|_| !shopping_words || product.is_some())
            .or_else(|| {
                // "is the fold e ok for someone 6ft 4": a product and a body height ask
                // about its size.
                product.as_ref()?;
                super::length::read_in(&heard.light, super::length::Unit::Cm)
                    .filter(|cm| (90..=230).contains(cm))?;
                catalogue.size_attribute().map(|a| (a, ""))
            });
        let price = catalogue
            .asks_price(names)
            .filter(|_| !shopping_words || product.is_some());
        // The attribute asked about in the last two turns ("iPhone 15 Pro换电池多少钱").
        let asked = self
            .context
            .attribute
            .as_ref()
            .filter(|f| self.turns.saturating_sub(f.turn) <= 2)
            .and_then(|f| catalogue.attributes.iter().position(|a| a.name == f.id))
            .map(|a| a as CatalogueIdx);
        // A price question right after a priced attribute (a repair) asks its price:
        // "我的苹果13屏幕摔碎了" → "修要多少钱".
        let priced_asked = asked.filter(|&a| catalogue.attributes[a as usize].priced);
        let pronoun = lexicon::any(&heard.norm, &lex.pronouns);
        let category_words: Vec<String> = category
            .map(|c| catalogue.categories[c as usize].aliases.clone())
            .unwrap_or_default();
        let mut named: Vec<String> = Vec::new();
        if let Some((_, alias)) = attribute.filter(|(_, alias)| !alias.is_empty()) {
            named.push(alias.to_string());
        }
        if let Some(p) = price {
            named.push(p.to_string());
        }
        let leftover = lexicon::weight(&lexicon::strip(
            text,
            &[
                &named,
                &lex.question_fillers,
                &lex.pronouns,
                &category_words,
            ],
        ));
        let named_products = heard.named.products.clone();
        if named_products.len() >= 2 && !shopping_words {
            return Some((
                STRONG,
                ProductPlan::Compare(named_products, attribute.map(|a| a.0)),
            ));
        }
        let attr_or_priced = |p: CatalogueIdx| {
            attribute.map(|a| a.0).or_else(|| {
                priced_asked
                    .filter(|&a| price.is_some() && catalogue.attribute_value(p, a).is_some())
            })
        };
        if let Some((p, name_words)) = product {
            if attribute.is_some() || price.is_some() {
                return Some((STRONG, ProductPlan::Attribute(p, attr_or_priced(p))));
            }
            // "那iPhone 14呢" right after "iPhone 15 Pro换电池多少钱": the same question.
            let rest = lexicon::weight(&lexicon::strip(
                text,
                &[&name_words, &lex.question_fillers, &lex.fillers],
            ));
            if let (Some(a), true) = (asked, rest <= 3) {
                if catalogue.attribute_value(p, a).is_some() {
                    return Some((STRONG, ProductPlan::Attribute(p, Some(a))));
                }
            }
            // "what about the fold e" right after "how much is the haul cargo": its price.
            let price_asked =
                self.context.attribute.as_ref().is_some_and(|f| {
                    f.id == PRICE_ATTRIBUTE && self.turns.saturating_sub(f.turn) <= 2
                });
            if price_asked && rest <= 3 {
                return Some((STRONG, ProductPlan::Attribute(p, None)));
            }
            return match rest {
                0 => Some((STRONG, ProductPlan::Card(p))),
                1..=3 => Some((weak, ProductPlan::Card(p))),
                _ => None,
            };
        }
        if attribute.is_some() || price.is_some() {
            let about_product = pronoun || category.is_some() || leftover <= 2;
            let attr = attribute.map(|a| a.0);
            let in_focus = self
                .context
                .product
                .as_ref()
                .and_then(|f| catalogue.product(&f.id))
                .map(|(i, _)| i)
                .filter(|&p| category.is_none_or(|c| catalogue.products[p as usize].category == c));
            if let Some(p) = in_focus {
                if about_product {
                    return Some((STRONG, ProductPlan::Attribute(p, attr_or_priced(p))));
                }
                // An attribute of the product in context inside a longer sentence
                // ("充电口坏了修要多少" on the 小米 14 page).
                if let Some(a) = attr.filter(|&a| catalogue.attribute_value(p, a).is_some()) {
                    return Some((weak, ProductPlan::Attribute(p, Some(a))));
                }
            }
            if about_product {
                let candidates: Vec<CatalogueIdx> = match category {
                    Some(c) => catalogue.in_category(c),
                    None if pronoun => (0..catalogue.products.len() as CatalogueIdx).collect(),
                    None => Vec::new(),
                };
                if candidates.len() == 1 {
                    return Some((STRONG, ProductPlan::Attribute(candidates[0], attr)));
                }
                // "这款手机…" means one product: which one? A category said without a pronoun
                // may be a general question ("how far can an ebike go", "my ebike battery
                // won't charge"): an FAQ entry that answers it comes first.
                if !candidates.is_empty() && candidates.len() <= 8 {
                    let sure = if pronoun { STRONG } else { weak };
                    return Some((sure, ProductPlan::Choose(candidates, attr)));
                }
            }
        }
        // While narrowing a wish down, a budget, a facet or the category said on its own
        // refines it; a longer sentence naming the category ("T恤质量太差了") is not a wish.
        let category_only = category.is_some() && leftover <= 2;
        let gives_detail = category_only || budget.is_some() || !facets.is_empty();
        let shopping = self.shopping.is_some() && heard.emotion.kind.is_none();
        let specific = category.is_some() && (budget.is_some() || !facets.is_empty());
        if !(wish || specific || (shopping && gives_detail)) {
            return None;
        }
        let mut s = self.shopping.clone().unwrap_or_default();
        if let Some(c) = category {
            let name = catalogue.categories[c as usize].name.clone();
            if s.category.as_ref().is_some_and(|old| *old != name) {
                // A wish for fruit does not carry over to meat.
                s = Shopping::default();
            }
            s.category = Some(name);
        }
        if budget.is_some() {
            s.budget = budget;
        }
        for (f, v, _) in &facets {
            let facet = catalogue.facets[*f as usize].name.clone();
            let value = catalogue.facets[*f as usize].values[*v as usize]
                .value
                .clone();
            // An exclusive facet has one value: the latest wish replaces an earlier one.
            if !catalogue.facet_combines(*f) {
                s.facets.retain(|(name, _)| *name != facet);
            }
            if !s.facets.contains(&(facet.clone(), value.clone())) {
                s.facets.push((facet, value));
            }
        }
        s.turn = self.turns;
        // "想买…" naming nothing the catalogue knows is a wish only if the FAQ has no answer.
        let vague = category.is_none() && budget.is_none() && facets.is_empty() && !shopping;
        Some((if vague { weak } else { STRONG }, ProductPlan::Wish(s)))
    }

    /// Notes what the message named of the catalogue, whichever candidate was chosen.
    pub(super) fn note_mentions(&mut self, t: &Turn<'_>, mentions: &ProductMentions) {
        let catalogue = &t.cfg.catalogue;
        if let Some(a) = mentions.attribute {
            self.context.attribute = Some(Focus {
                id: catalogue.attributes[a as usize].name.clone(),
                turn: self.turns,
            });
        } else if mentions.price {
            // The price of a product, unless it asks the price of a repair just named
            // ("屏幕摔碎了" → "修要多少钱"): "what about the fold e" asks the same.
            let priced_before = self
                .context
                .attribute
                .as_ref()
                .filter(|f| self.turns.saturating_sub(f.turn) <= 2)
                .and_then(|f| catalogue.attributes.iter().find(|a| a.name == f.id))
                .is_some_and(|a| a.priced);
            if !priced_before {
                self.context.attribute = Some(Focus {
                    id: PRICE_ATTRIBUTE.to_string(),
                    turn: self.turns,
                });
            }
        }
        if let Some(p) = mentions.product {
            self.context.product = Some(Focus {
                id: catalogue.products[p as usize].id.clone(),
                turn: self.turns,
            });
        }
    }

    /// Carries out what [`Self::propose_product`] proposed.
    pub(super) fn carry_out_product(&mut self, t: &mut Turn<'_>, plan: ProductPlan) {
        let catalogue = &t.cfg.catalogue;
        match plan {
            ProductPlan::Cheaper(p) => self.say_cheaper(t, p),
            ProductPlan::Compare(products, attribute) => {
                self.compare_named(t, &products, attribute)
            }
            ProductPlan::Attribute(p, attribute) => self.answer_attribute(t, p, attribute),
            ProductPlan::Best(p, attribute) => {
                self.answer_attribute(t, p, Some(attribute));
                if let Some(card) = catalogue.card(p, Vec::new(), &t.cfg.locales.money, t.tr()) {
                    t.push(Message::Products { cards: vec![card] });
                }
            }
            ProductPlan::Card(p) => {
                let id = catalogue.products[p as usize].id.clone();
                self.show_product(t, &id);
            }
            ProductPlan::Choose(candidates, attr) => {
                self.context.pending_attribute = attr
                    .map(|a| catalogue.attributes[a as usize].name.clone())
                    .or_else(|| Some(PRICE_ATTRIBUTE.to_string()));
                let choices = candidates
                    .iter()
                    .map(|&p| {
                        let product = &catalogue.products[p as usize];
                        QuickReply {
                            label: catalogue.product_name(t.tr(), p).to_string(),
                            choice: Choice::Product(product.id.clone()),
                        }
                    })
                    .collect();
                t.push(Message::Clarify {
                    prompt: t.pack.texts.product_choose.clone(),
                    choices,
                });
            }
            ProductPlan::Wish(s) => {
                self.shopping = Some(s);
                self.recommend(t);
            }
        }
    }

    fn note_compared(&mut self, t: &Turn<'_>, products: &[CatalogueIdx]) {
        self.context.compared = products
            .iter()
            .filter_map(|&p| t.cfg.catalogue.products.get(p as usize))
            .map(|p| Focus {
                id: p.id.clone(),
                turn: self.turns,
            })
            .collect();
    }

    /// Were products compared or recommended in the last `turns` customer turns?
    fn listed_within(&self, turns: u32) -> bool {
        self.context
            .compared
            .first()
            .is_some_and(|f| self.turns.saturating_sub(f.turn) <= turns)
    }

    /// "哪个便宜" / "which is cheaper" right after a comparison: that product.
    fn cheaper_of_compared(&self, t: &Turn<'_>, heard: &Heard) -> Option<CatalogueIdx> {
        if !self.listed_within(2) {
            return None;
        }
        let cheaper = lexicon::any(&heard.norm, &words(CHEAPER));
        let dearer = !cheaper && lexicon::any(&heard.norm, &words(DEARER));
        if !cheaper && !dearer {
            return None;
        }
        let catalogue = &t.cfg.catalogue;
        let priced = self
            .context
            .compared
            .iter()
            .filter_map(|f| catalogue.product(&f.id));
        let pick = if cheaper {
            priced.min_by_key(|(_, p)| p.price)
        } else {
            priced.max_by_key(|(_, p)| p.price)
        };
        pick.map(|(p, _)| p)
    }

    /// "Which one is lighter" / "which has the longer range" right after a comparison: the
    /// compared product with the least (or most) of the attribute the words measure.
    fn best_of_compared(
        &self,
        t: &Turn<'_>,
        heard: &Heard,
    ) -> Option<(CatalogueIdx, CatalogueIdx)> {
        if !self.listed_within(2) || self.context.compared.len() < 2 {
            return None;
        }
        let catalogue = &t.cfg.catalogue;
        let norm = &heard.norm;
        let c = COMPARATIVES
            .iter()
            .find(|c| c.words.iter().any(|w| lexicon::contains(norm, w)))?;
        let a = catalogue.attributes.iter().position(|a| {
            std::iter::once(&a.name)
                .chain(&a.aliases)
                .any(|n| c.attribute.iter().any(|k| n.to_lowercase().contains(k)))
        })? as CatalogueIdx;
        let measured: Vec<(CatalogueIdx, f64)> = self
            .context
            .compared
            .iter()
            .filter_map(|f| catalogue.product(&f.id))
            .filter_map(|(p, _)| Some((p, measure(catalogue.attribute_value(p, a)?, c.units)?)))
            .collect();
        if measured.len() < 2 {
            return None;
        }
        let pick = if c.most {
            measured.iter().max_by(|x, y| x.1.total_cmp(&y.1))
        } else {
            measured.iter().min_by(|x, y| x.1.total_cmp(&y.1))
        };
        pick.map(|&(p, _)| (p, a))
    }

    /// The price and card of the cheaper (or dearer) product.
    fn say_cheaper(&mut self, t: &mut Turn<'_>, p: CatalogueIdx) {
        let catalogue = &t.cfg.catalogue;
        let product = &catalogue.products[p as usize];
        let text = fill(
            &t.pack.texts.product_price,
            &[
                ("product", catalogue.product_name(t.tr(), p)),
                ("price", &t.price(product.price)),
            ],
        );
        t.say(text);
        self.context.product = Some(Focus {
            id: product.id.clone(),
            turn: self.turns,
        });
        self.streak.unrecognised = 0;
        if let Some(card) = catalogue.card(p, Vec::new(), &t.cfg.locales.money, t.tr()) {
            t.push(Message::Products { cards: vec![card] });
        }
    }

    /// "X1 和 X1 Pro 哪个拍照好": the named products side by side.
    fn compare_named(
        &mut self,
        t: &mut Turn<'_>,
        products: &[CatalogueIdx],
        attribute: Option<CatalogueIdx>,
    ) {
        let catalogue = &t.cfg.catalogue;
        let comparison = compare_products(
            catalogue,
            products,
            attribute.as_slice(),
            t.speech(),
            t.tr(),
        );
        t.push(Message::Comparison(comparison));
        self.note_compared(t, products);
        if let Some(a) = attribute {
            for &p in products {
                if let Some(text) = catalogue.attribute_text(p, a, &t.labels().attribute, t.tr()) {
                    t.say(text);
                }
            }
        }
        self.context.product = None;
        self.streak.unrecognised = 0;
    }

    /// Answers an attribute (or, with `None`, the price) of a product.
    fn answer_attribute(
        &mut self,
        t: &mut Turn<'_>,
        product: CatalogueIdx,
        attribute: Option<CatalogueIdx>,
    ) {
        let catalogue = &t.cfg.catalogue;
        let p = &catalogue.products[product as usize];
        self.context.product = Some(Focus {
            id: p.id.clone(),
            turn: self.turns,
        });
        self.context.pending_attribute = None;
        self.streak.unrecognised = 0;
        let text = match attribute {
            None => fill(
                &t.pack.texts.product_price,
                &[
                    ("product", catalogue.product_name(t.tr(), product)),
                    ("price", &t.price(p.price)),
                ],
            ),
            Some(a) => catalogue
                .attribute_text(product, a, &t.labels().attribute, t.tr())
                .unwrap_or_else(|| {
                    let attr = catalogue.attribute_name(t.tr(), a);
                    fill(
                        &t.pack.texts.product_attribute_unknown,
                        &[
                            ("product", catalogue.product_name(t.tr(), product)),
                            ("attribute", attr),
                        ],
                    )
                }),
        };
        t.say(text);
        let others: Vec<QuickReply> = p
            .attributes
            .iter()
            .filter(|pa| Some(pa.attribute) != attribute)
            .filter(|pa| catalogue.attributes.get(pa.attribute as usize).is_some())
            .take(3)
            .map(|pa| {
                let name = catalogue.attribute_name(t.tr(), pa.attribute);
                QuickReply {
                    label: name.to_string(),
                    choice: Choice::Say(fill(&t.labels().ask_about, &[("product", name)])),
                }
            })
            .collect();
        let title = t.pack.texts.follow_ups_title.clone();
        t.quick_replies(&title, others);
    }

    /// A product's card (or the attribute asked while choosing it).
    pub(super) fn show_product(&mut self, t: &mut Turn<'_>, id: &str) {
        let catalogue = &t.cfg.catalogue;
        let Some((p, _)) = catalogue.product(id) else {
            let text = t.fallback_text();
            t.push(Message::Fallback { text });
            return;
        };
        if let Some(attr) = self.context.pending_attribute.take() {
            let a = catalogue
                .attributes
                .iter()
                .position(|x| x.name == attr)
                .map(|a| a as CatalogueIdx);
            self.answer_attribute(t, p, a);
            return;
        }
        self.context.product = Some(Focus {
            id: id.to_string(),
            turn: self.turns,
        });
        self.streak.unrecognised = 0;
        if let Some(card) = catalogue.card(p, Vec::new(), &t.cfg.locales.money, t.tr()) {
            t.push(Message::Products { cards: vec![card] });
        }
    }

    /// Recommends for the wish in `self.shopping`, or asks what is missing.
    fn recommend(&mut self, t: &mut Turn<'_>) {
        let cfg = t.cfg;
        let Some(wish) = self.shopping.clone() else {
            return;
        };
        self.streak.unrecognised = 0;
        for (k, v) in &wish.facets {
            self.set_slot(k, v);
        }
        if let Some(c) = &wish.category {
            self.set_slot("category", c);
        }
        match recommend(&cfg.catalogue, &wish, t.speech(), t.tr()) {
            Recommendation::Ask {
                what,
                prompt,
                options,
            } => {
                if let Some(s) = &mut self.shopping {
                    s.asked.push(what);
                }
                t.say(prompt);
                t.quick_replies("", options);
            }
            Recommendation::Picks {
                criteria,
                picks,
                comparison,
                partial,
            } => {
                let intro = if partial {
                    &t.pack.texts.recommend_none
                } else {
                    &t.pack.texts.recommend_intro
                };
                t.say(fill(intro, &[("criteria", &criteria)]));
                let cards = picks
                    .iter()
                    .filter_map(|(p, matched)| {
                        cfg.catalogue
                            .card(*p, matched.clone(), &cfg.locales.money, t.tr())
                    })
                    .collect();
                t.push(Message::Products { cards });
                if let Some(c) = comparison {
                    t.push(Message::Comparison(c));
                }
                // "第一款…" and "哪个便宜" refer to the products just listed.
                let ids: Vec<CatalogueIdx> = picks.iter().map(|(p, _)| *p).collect();
                self.note_compared(t, &ids);
                if let Some((first, _)) = picks.first() {
                    self.context.product = Some(Focus {
                        id: cfg.catalogue.products[*first as usize].id.clone(),
                        turn: self.turns,
                    });
                }
            }
            Recommendation::Nothing { criteria } => {
                t.say(fill(
                    &t.pack.texts.recommend_none,
                    &[("criteria", &criteria)],
                ));
            }
        }
    }
}
