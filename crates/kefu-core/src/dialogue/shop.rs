//! Product questions and recommendations in a conversation: "这款手机的电池容量多大?",
//! then "那拍照效果呢?" about the same phone; "想买一件…T恤，200以内" → picks and a
//! comparison, or a question when the wish is too vague.

use super::config::fill;
use super::lexicon;
use super::products::CatalogueIdx;
use super::recommend::{compare_products, recommend, Recommendation};
use super::reply::{Choice, Message, QuickReply};
use super::state::{Conversation, Focus, PRICE_ATTRIBUTE};
use super::turn::{Heard, Turn};

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

fn words(list: &[&str]) -> Vec<String> {
    list.iter().map(|w| w.to_string()).collect()
}

impl Conversation {
    /// Handles product questions and shopping wishes; `false` when the message is neither.
    pub(super) fn product_turn(&mut self, t: &mut Turn<'_>, heard: &Heard) -> bool {
        let cfg = t.cfg;
        let catalogue = &cfg.catalogue;
        if catalogue.is_empty() {
            return false;
        }
        if self.cheaper_of_compared(t, heard) {
            return true;
        }
        let lex = &cfg.lexicon;
        let names = &heard.names;
        let text = names.tight.as_str();
        let product = catalogue.find_product(names);
        let category = catalogue.find_category(names);
        let facets = catalogue.find_facets(names);
        let wish = lexicon::any(&heard.norm, &lex.recommend);
        let budget = heard.slots.budget;
        // A shopping wish ("续航长的手机，预算1-2k") is not a question about one product.
        let shopping_words = wish || budget.is_some();
        let attribute = catalogue
            .find_attribute(names)
            .filter(|_| !shopping_words || product.is_some());
        if let Some((a, _)) = attribute {
            self.context.attribute = Some(Focus {
                id: catalogue.attributes[a as usize].name.clone(),
                turn: self.turns,
            });
        }
        let price = catalogue
            .asks_price(names)
            .filter(|_| !shopping_words || product.is_some());
        let pronoun = lexicon::any(&heard.norm, &lex.pronouns);
        let category_words: Vec<String> = category
            .map(|c| catalogue.categories[c as usize].aliases.clone())
            .unwrap_or_default();
        let mut named: Vec<String> = Vec::new();
        if let Some((_, alias)) = attribute {
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
        let named_products = catalogue.find_products(names);
        if named_products.len() >= 2 && !shopping_words {
            self.compare_named(t, &named_products, attribute.map(|a| a.0));
            return true;
        }
        if let Some(p) = product {
            let id = catalogue.products[p as usize].id.clone();
            self.context.product = Some(Focus {
                id: id.clone(),
                turn: self.turns,
            });
            if attribute.is_some() || price.is_some() {
                self.answer_attribute(t, p, attribute.map(|a| a.0));
                return true;
            }
            // "那iPhone 14呢" right after "iPhone 15 Pro换电池多少钱": the same question.
            let asked = self
                .context
                .attribute
                .as_ref()
                .filter(|f| self.turns.saturating_sub(f.turn) <= 2)
                .and_then(|f| catalogue.attributes.iter().position(|a| a.name == f.id));
            let short = lexicon::weight(&lexicon::strip(
                text,
                &[
                    &catalogue.products[p as usize].aliases,
                    &lex.question_fillers,
                    &lex.fillers,
                ],
            )) <= 3;
            if let (Some(a), true) = (asked, short) {
                if catalogue.attribute_value(p, a as CatalogueIdx).is_some() {
                    self.answer_attribute(t, p, Some(a as CatalogueIdx));
                    return true;
                }
            }
            let name_words = &catalogue.products[p as usize].aliases;
            let rest = lexicon::weight(&lexicon::strip(
                text,
                &[name_words, &lex.question_fillers, &lex.fillers],
            ));
            // A question the FAQ answers confidently ("会员卡买了能退吗") is about the
            // topic, not a request for the card; the product stays in context.
            let faq_answers = matches!(heard.faq.outcome, crate::matcher::Outcome::Answer(_));
            if rest <= 3 && !(heard.question && faq_answers) {
                self.show_product(t, &id);
                return true;
            }
            return false;
        }
        if attribute.is_some() || price.is_some() {
            let about_product = pronoun || category.is_some() || leftover <= 2;
            if about_product {
                let attr = attribute.map(|a| a.0);
                let in_focus = self
                    .context
                    .product
                    .as_ref()
                    .and_then(|f| catalogue.product(&f.id))
                    .map(|(i, _)| i);
                let fits = |p: CatalogueIdx| {
                    category.is_none_or(|c| catalogue.products[p as usize].category == c)
                };
                if let Some(p) = in_focus.filter(|&p| fits(p)) {
                    self.context.product = Some(Focus {
                        id: catalogue.products[p as usize].id.clone(),
                        turn: self.turns,
                    });
                    self.answer_attribute(t, p, attr);
                    return true;
                }
                let candidates: Vec<CatalogueIdx> = match category {
                    Some(c) => catalogue.in_category(c),
                    None if pronoun => (0..catalogue.products.len() as CatalogueIdx).collect(),
                    None => Vec::new(),
                };
                if candidates.len() == 1 {
                    self.answer_attribute(t, candidates[0], attr);
                    return true;
                }
                if !candidates.is_empty() && candidates.len() <= 8 {
                    self.context.pending_attribute = attr
                        .map(|a| catalogue.attributes[a as usize].name.clone())
                        .or_else(|| Some(PRICE_ATTRIBUTE.to_string()));
                    let choices = candidates
                        .iter()
                        .map(|&p| {
                            let product = &catalogue.products[p as usize];
                            QuickReply {
                                label: product.name.clone(),
                                choice: Choice::Product(product.id.clone()),
                            }
                        })
                        .collect();
                    t.push(Message::Clarify {
                        prompt: t.pack.texts.product_choose.clone(),
                        choices,
                    });
                    return true;
                }
            }
        }
        // While narrowing a wish down, a budget, a facet or the category said on its own
        // refines it; a longer sentence naming the category ("T恤质量太差了") is not a wish.
        let category_only = category.is_some() && leftover <= 2;
        let gives_detail = category_only || budget.is_some() || !facets.is_empty();
        let shopping = self.shopping.is_some() && heard.emotion.kind.is_none();
        if wish
            || (category.is_some() && (budget.is_some() || !facets.is_empty()))
            || (shopping && gives_detail)
        {
            let mut s = self.shopping.take().unwrap_or_default();
            if let Some(c) = category {
                let name = catalogue.categories[c as usize].name.clone();
                if s.category.as_ref().is_some_and(|old| *old != name) {
                    // A wish for fruit does not carry over to meat.
                    s = super::state::Shopping::default();
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
            self.shopping = Some(s);
            self.recommend(t);
            return true;
        }
        false
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

    /// "哪个便宜" / "which is cheaper" right after a comparison: that product.
    fn cheaper_of_compared(&mut self, t: &mut Turn<'_>, heard: &Heard) -> bool {
        let recent = self
            .context
            .compared
            .first()
            .is_some_and(|f| self.turns.saturating_sub(f.turn) <= 2);
        if !recent {
            return false;
        }
        let cheaper = lexicon::any(&heard.norm, &words(CHEAPER));
        let dearer = !cheaper && lexicon::any(&heard.norm, &words(DEARER));
        if !cheaper && !dearer {
            return false;
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
        let Some((p, product)) = pick else {
            return false;
        };
        let text = fill(
            &t.pack.texts.product_price,
            &[
                ("product", &product.name),
                ("price", &t.price(product.price)),
            ],
        );
        t.say(text);
        let id = product.id.clone();
        self.context.product = Some(Focus {
            id: id.clone(),
            turn: self.turns,
        });
        self.streak.unrecognised = 0;
        if let Some(card) = catalogue.card(p, Vec::new(), &t.cfg.locales.money) {
            t.push(Message::Products { cards: vec![card] });
        }
        true
    }

    /// "X1 和 X1 Pro 哪个拍照好": the named products side by side.
    fn compare_named(
        &mut self,
        t: &mut Turn<'_>,
        products: &[CatalogueIdx],
        attribute: Option<CatalogueIdx>,
    ) {
        let catalogue = &t.cfg.catalogue;
        let comparison = compare_products(catalogue, products, attribute.as_slice(), t.speech());
        t.push(Message::Comparison(comparison));
        self.note_compared(t, products);
        if let Some(a) = attribute {
            for &p in products {
                if let Some(text) = catalogue.attribute_text(p, a, &t.labels().attribute) {
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
                &[("product", &p.name), ("price", &t.price(p.price))],
            ),
            Some(a) => catalogue
                .attribute_text(product, a, &t.labels().attribute)
                .unwrap_or_else(|| {
                    let attr = catalogue
                        .attributes
                        .get(a as usize)
                        .map_or("", |d| d.name.as_str());
                    fill(
                        &t.pack.texts.product_attribute_unknown,
                        &[("product", &p.name), ("attribute", attr)],
                    )
                }),
        };
        t.say(text);
        let others: Vec<QuickReply> = p
            .attributes
            .iter()
            .filter(|pa| Some(pa.attribute) != attribute)
            .filter_map(|pa| catalogue.attributes.get(pa.attribute as usize))
            .take(3)
            .map(|definition| QuickReply {
                label: definition.name.clone(),
                choice: Choice::Say(fill(
                    &t.labels().ask_about,
                    &[("product", &definition.name)],
                )),
            })
            .collect();
        let title = t.pack.texts.follow_ups_title.clone();
        t.quick_replies(&title, others);
    }

    /// A product's card (or the attribute asked while choosing it).
    pub(super) fn show_product(&mut self, t: &mut Turn<'_>, id: &str) {
        let catalogue = &t.cfg.catalogue;
        let Some((p, _)) = catalogue.product(id) else {
            let text = t.kb.settings.texts.fallback.clone();
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
        if let Some(card) = catalogue.card(p, Vec::new(), &t.cfg.locales.money) {
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
        match recommend(&cfg.catalogue, &wish, t.speech()) {
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
                        cfg.catalogue.card(*p, matched.clone(), &cfg.locales.money)
                    })
                    .collect();
                t.push(Message::Products { cards });
                if let Some(c) = comparison {
                    t.push(Message::Comparison(c));
                    let ids: Vec<CatalogueIdx> = picks.iter().map(|(p, _)| *p).collect();
                    self.note_compared(t, &ids);
                }
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
