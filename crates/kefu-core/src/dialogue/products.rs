//! The product catalogue: products with a category, a price and attributes (电池容量, 拍照,
//! 面料 …, each with a value and a short text), and facets customers shop by (季节, 场景,
//! 需求). Finding them in what a customer wrote is done on normalised text with spaces
//! removed, longest name first.

use serde::{Deserialize, Serialize};

use super::lexicon;
use super::locale::MoneyFormat;
use super::reply::ProductCard;
use super::translations::{TextKey, Tr};

/// Index of a product, attribute, facet or category in its list.
pub type CatalogueIdx = u16;

/// Everything the shop sells that the bot can talk about.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Catalogue {
    pub attributes: Vec<AttributeDef>,
    pub facets: Vec<Facet>,
    pub categories: Vec<ProductCategory>,
    pub products: Vec<Product>,
    /// Words asking for the price ("多少钱", "price"), normalised.
    pub price_words: Vec<String>,
}

/// An attribute products may have.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AttributeDef {
    pub name: String,
    /// Normalised names customers use, the name included.
    pub aliases: Vec<String>,
    /// A service with a price of its own (a repair): a price question right after it was
    /// asked about is answered with its text, not with the product's price (format 3).
    pub priced: bool,
}

/// A dimension customers shop by, e.g. 季节 with values 春季, 夏季 ….
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Facet {
    pub name: String,
    /// Asked when the customer's wish is too vague ("您打算在什么场合穿呢？").
    pub ask: String,
    pub values: Vec<FacetValue>,
}

/// One value of a facet.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FacetValue {
    pub value: String,
    /// Normalised words meaning it, the value included.
    pub aliases: Vec<String>,
    /// Attributes worth comparing when a customer wants this ("透气" → 面料).
    pub attributes: Vec<CatalogueIdx>,
}

/// A product category (T恤, 手机).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ProductCategory {
    pub name: String,
    pub aliases: Vec<String>,
    /// Attributes shown in comparisons.
    pub compare: Vec<CatalogueIdx>,
    /// What to ask, in order, when a wish is vague: `budget` or a facet name.
    pub ask: Vec<String>,
    /// Quick replies offered with the budget question ("100以内").
    pub budget_options: Vec<String>,
}

/// One product.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Product {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub category: CatalogueIdx,
    /// In cents.
    pub price: u64,
    pub summary: String,
    pub image: String,
    pub url: String,
    pub attributes: Vec<ProductAttribute>,
    /// (facet, value) pairs the product fits.
    pub facets: Vec<(CatalogueIdx, CatalogueIdx)>,
}

/// A product's value of an attribute.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ProductAttribute {
    pub attribute: CatalogueIdx,
    /// Short, for comparisons ("5000mAh").
    pub value: String,
    /// A sentence answering a question about it.
    pub text: String,
}

/// Normalised text with the spaces next to Chinese characters removed ("小麦手机 x1 pro" →
/// "小麦手机x1 pro"): the form catalogue names are matched in. Names are stored in this form
/// and with all spaces removed, so "x1pro" and "x1 pro" both match.
pub fn tight(norm: &str) -> String {
    let chars: Vec<char> = norm.chars().collect();
    let han = |i: usize| chars.get(i).is_some_and(|&c| crate::text::is_han(c));
    chars
        .iter()
        .enumerate()
        .filter(|&(i, &c)| c != ' ' || !(i > 0 && han(i - 1) || han(i + 1)))
        .map(|(_, &c)| c)
        .collect()
}

/// [`tight`] text with every space removed.
pub fn compact(norm: &str) -> String {
    norm.chars().filter(|c| *c != ' ').collect()
}

/// The forms of a customer's text that catalogue names are looked up in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Names {
    pub tight: String,
    pub compact: String,
}

impl Names {
    pub fn of(norm: &str) -> Names {
        Names {
            tight: tight(norm),
            compact: compact(norm),
        }
    }

    fn longest<'a>(&self, aliases: &'a [String]) -> Option<&'a str> {
        let a = lexicon::longest(&self.tight, aliases);
        let b = lexicon::longest(&self.compact, aliases);
        match (a, b) {
            (Some(a), Some(b)) => Some(if b.len() > a.len() { b } else { a }),
            (a, b) => a.or(b),
        }
    }
}

/// The products and the attribute a message names (see [`Catalogue::named`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Named {
    /// [`Catalogue::find_product`].
    pub product: Option<CatalogueIdx>,
    /// [`Catalogue::find_products`].
    pub products: Vec<CatalogueIdx>,
    /// [`Catalogue::find_attribute`], with the alias that named it.
    pub attribute: Option<(CatalogueIdx, String)>,
}

fn best<'a, I>(text: &Names, candidates: I) -> Option<(CatalogueIdx, usize)>
where
    I: Iterator<Item = (CatalogueIdx, &'a Vec<String>)>,
{
    let mut found: Option<(CatalogueIdx, usize)> = None;
    for (i, aliases) in candidates {
        if let Some(alias) = text.longest(aliases) {
            if alias.len() > found.map_or(0, |f| f.1) {
                found = Some((i, alias.len()));
            }
        }
    }
    found
}

impl Default for Catalogue {
    fn default() -> Catalogue {
        Catalogue {
            attributes: Vec::new(),
            facets: Vec::new(),
            categories: Vec::new(),
            products: Vec::new(),
            price_words: default_price_words(),
        }
    }
}

impl Catalogue {
    /// Checks that every index points inside the catalogue.
    pub fn check(&self) -> Result<(), String> {
        let attribute = |a: &CatalogueIdx| (*a as usize) < self.attributes.len();
        let facet = |&(f, v): &(CatalogueIdx, CatalogueIdx)| {
            self.facets
                .get(f as usize)
                .is_some_and(|x| (v as usize) < x.values.len())
        };
        let values_ok = self
            .facets
            .iter()
            .flat_map(|f| &f.values)
            .all(|v| v.attributes.iter().all(attribute));
        let categories_ok = self
            .categories
            .iter()
            .all(|c| c.compare.iter().all(attribute));
        let products_ok = self.products.iter().all(|p| {
            (p.category as usize) < self.categories.len()
                && p.attributes.iter().all(|a| attribute(&a.attribute))
                && p.facets.iter().all(facet)
        });
        if values_ok && categories_ok && products_ok {
            Ok(())
        } else {
            Err("catalogue reference out of range".into())
        }
    }

    pub fn is_empty(&self) -> bool {
        self.products.is_empty()
    }

    /// The product by id.
    pub fn product(&self, id: &str) -> Option<(CatalogueIdx, &Product)> {
        self.products
            .iter()
            .enumerate()
            .find(|(_, p)| p.id == id)
            .map(|(i, p)| (i as CatalogueIdx, p))
    }

    /// The products and the attribute named in `text`, for reading a message once.
    pub fn named(&self, text: &Names) -> Named {
        if self.is_empty() {
            return Named::default();
        }
        Named {
            product: self.find_product(text),
            products: self.find_products(text),
            attribute: self
                .find_attribute(text)
                .map(|(a, alias)| (a, alias.to_string())),
        }
    }

    /// The product named in `text`, longest name first.
    pub fn find_product(&self, text: &Names) -> Option<CatalogueIdx> {
        best(
            text,
            self.products
                .iter()
                .enumerate()
                .map(|(i, p)| (i as CatalogueIdx, &p.aliases)),
        )
        .map(|f| f.0)
    }

    /// Every product named in `text`, in order of mention; overlapping names count once,
    /// the longest winning ("x1 pro" is not also "x1").
    pub fn find_products(&self, text: &Names) -> Vec<CatalogueIdx> {
        let mut spans: Vec<(usize, usize, CatalogueIdx)> = Vec::new();
        for (i, p) in self.products.iter().enumerate() {
            for alias in &p.aliases {
                for at in lexicon::occurrences(&text.tight, alias) {
                    spans.push((at, at + alias.len(), i as CatalogueIdx));
                }
            }
        }
        crate::sort::sort_by_key(&mut spans, |&(start, end, _)| {
            (std::cmp::Reverse(end - start), start)
        });
        let mut kept: Vec<(usize, usize, CatalogueIdx)> = Vec::new();
        for span in spans {
            if kept.iter().all(|k| span.1 <= k.0 || k.1 <= span.0) {
                kept.push(span);
            }
        }
        crate::sort::sort_by_key(&mut kept, |k| k.0);
        let mut out: Vec<CatalogueIdx> = Vec::new();
        for (_, _, p) in kept {
            if !out.contains(&p) {
                out.push(p);
            }
        }
        out
    }

    /// The category named in `text`.
    pub fn find_category(&self, text: &Names) -> Option<CatalogueIdx> {
        best(
            text,
            self.categories
                .iter()
                .enumerate()
                .map(|(i, c)| (i as CatalogueIdx, &c.aliases)),
        )
        .map(|f| f.0)
    }

    /// The attribute asked about in `text`, and the alias that named it.
    pub fn find_attribute<'a>(&'a self, text: &Names) -> Option<(CatalogueIdx, &'a str)> {
        let (i, _) = best(
            text,
            self.attributes
                .iter()
                .enumerate()
                .map(|(i, a)| (i as CatalogueIdx, &a.aliases)),
        )?;
        let alias = text.longest(&self.attributes[i as usize].aliases)?;
        Some((i, alias))
    }

    /// Does `text` ask for the price?
    pub fn asks_price(&self, text: &Names) -> Option<&str> {
        text.longest(&self.price_words)
    }

    /// Can a product have two values of facet `f` (a T-shirt for 春季 and 夏季), or are its
    /// values exclusive (a tea is 浓郁 or 清淡)? Read from the catalogue itself.
    pub fn facet_combines(&self, f: CatalogueIdx) -> bool {
        self.products
            .iter()
            .any(|p| p.facets.iter().filter(|(pf, _)| *pf == f).count() > 1)
    }

    /// Every (facet, value) wanted in `text`, and the words that named them. A refused
    /// value ("不要太浓的") is never set; when the facet has only two values the refusal asks
    /// for the other one (浓郁 refused → 清淡). An exclusive facet ([`Self::facet_combines`])
    /// gets at most one value: when two are named, the longer-named one wins, or none on a
    /// tie.
    pub fn find_facets(&self, text: &Names) -> Vec<(CatalogueIdx, CatalogueIdx, String)> {
        let mut out = Vec::new();
        for (f, facet) in self.facets.iter().enumerate() {
            let mut wanted: Vec<(usize, &str)> = Vec::new();
            let mut refused: Vec<usize> = Vec::new();
            for (v, value) in facet.values.iter().enumerate() {
                for alias in &value.aliases {
                    let mut seen = false;
                    for form in [&text.tight, &text.compact] {
                        for at in lexicon::occurrences(form, alias) {
                            seen = true;
                            if refuses(&form[..at]) {
                                refused.push(v);
                            } else {
                                wanted.push((v, alias));
                            }
                        }
                        if seen {
                            break;
                        }
                    }
                }
            }
            wanted.retain(|(v, _)| !refused.contains(v));
            if self.facet_combines(f as CatalogueIdx) && !wanted.is_empty() {
                let mut done: Vec<usize> = Vec::new();
                for (v, alias) in wanted {
                    if !done.contains(&v) {
                        done.push(v);
                        out.push((f as CatalogueIdx, v as CatalogueIdx, alias.to_string()));
                    }
                }
                continue;
            }
            crate::sort::sort_by_key(&mut wanted, |(_, a)| std::cmp::Reverse(a.len()));
            let mut values: Vec<usize> = wanted.iter().map(|w| w.0).collect();
            values.dedup();
            let pick = match wanted.as_slice() {
                [] => None,
                [only, ..] if values.len() == 1 => Some((only.0, only.1.to_string())),
                [first, second, ..] => {
                    let tie = first.1.len() == second.1.len() && first.0 != second.0;
                    (!tie).then(|| (first.0, first.1.to_string()))
                }
                [first] => Some((first.0, first.1.to_string())),
            };
            let pick = pick.or_else(|| {
                let mut r = refused.clone();
                r.dedup();
                (facet.values.len() == 2 && r.len() == 1).then(|| {
                    let other = 1 - r[0];
                    (other, facet.values[other].value.clone())
                })
            });
            if let Some((v, words)) = pick {
                out.push((f as CatalogueIdx, v as CatalogueIdx, words));
            }
        }
        out
    }

    /// The facet and value by their names.
    pub fn facet_value(&self, facet: &str, value: &str) -> Option<(CatalogueIdx, CatalogueIdx)> {
        let f = self.facets.iter().position(|x| x.name == facet)?;
        let v = self.facets[f]
            .values
            .iter()
            .position(|x| x.value == value)?;
        Some((f as CatalogueIdx, v as CatalogueIdx))
    }

    /// The category by name.
    pub fn category(&self, name: &str) -> Option<CatalogueIdx> {
        self.categories
            .iter()
            .position(|c| c.name == name)
            .map(|i| i as CatalogueIdx)
    }

    /// Products of a category.
    pub fn in_category(&self, category: CatalogueIdx) -> Vec<CatalogueIdx> {
        (0..self.products.len())
            .filter(|&i| self.products[i].category == category)
            .map(|i| i as CatalogueIdx)
            .collect()
    }

    /// What `product` says about `attribute`, as a sentence (`template` with `{product}`,
    /// `{attribute}`, `{value}` when the catalogue gives only a value), in `tr`'s language.
    pub fn attribute_text(
        &self,
        product: CatalogueIdx,
        attribute: CatalogueIdx,
        template: &str,
        tr: Tr<'_>,
    ) -> Option<String> {
        let p = self.products.get(product as usize)?;
        let i = p.attributes.iter().position(|a| a.attribute == attribute)?;
        let a = &p.attributes[i];
        self.attributes.get(attribute as usize)?;
        let at = |attribute: usize| (product, attribute as u16);
        Some(if a.text.is_empty() {
            let (product, attribute) = at(i);
            let value = tr.text(TextKey::ProductValue { product, attribute }, &a.value);
            super::template::fill(
                template,
                &[
                    ("product", self.product_name(tr, product)),
                    ("attribute", self.attribute_name(tr, a.attribute)),
                    ("value", value),
                ],
            )
        } else {
            let (product, attribute) = at(i);
            tr.text(TextKey::ProductText { product, attribute }, &a.text)
                .to_string()
        })
    }

    /// A product's value of an attribute, as the shop wrote it.
    /// The attribute telling a product's sizes: its name or an alias says size (尺码, 尺寸,
    /// frame size).
    pub fn size_attribute(&self) -> Option<CatalogueIdx> {
        self.attributes
            .iter()
            .position(|a| {
                std::iter::once(&a.name).chain(&a.aliases).any(|n| {
                    let n = n.to_lowercase();
                    n.contains("size")
                        || n.contains("尺码")
                        || n.contains("尺寸")
                        || n.contains("尺碼")
                })
            })
            .map(|a| a as CatalogueIdx)
    }

    pub fn attribute_value(&self, product: CatalogueIdx, attribute: CatalogueIdx) -> Option<&str> {
        self.attribute_value_in(product, attribute, Tr::own(&EMPTY))
    }

    /// A product's value of an attribute, for comparisons, in `tr`'s language.
    pub fn attribute_value_in<'a>(
        &'a self,
        product: CatalogueIdx,
        attribute: CatalogueIdx,
        tr: Tr<'a>,
    ) -> Option<&'a str> {
        let p = self.products.get(product as usize)?;
        let i = p.attributes.iter().position(|a| a.attribute == attribute)?;
        let key = TextKey::ProductValue {
            product,
            attribute: i as u16,
        };
        Some(tr.text(key, &p.attributes[i].value))
    }

    /// How a chip that says the shop's word `value` (a category name, a budget option or a
    /// facet value: what [`Choice::Say`](super::reply::Choice::Say) sends) was labelled in
    /// `tr`'s language; `None` when `value` is none of them.
    pub fn chip_label<'a>(&'a self, tr: Tr<'a>, value: &str) -> Option<&'a str> {
        for (c, cat) in self.categories.iter().enumerate() {
            let category = c as CatalogueIdx;
            if cat.name == value {
                return Some(self.category_name(tr, category));
            }
            if let Some(i) = cat.budget_options.iter().position(|o| o == value) {
                let key = TextKey::BudgetOption {
                    category,
                    option: i as u16,
                };
                return Some(tr.text(key, &cat.budget_options[i]));
            }
        }
        self.facets.iter().enumerate().find_map(|(f, facet)| {
            let v = facet.values.iter().position(|v| v.value == value)?;
            Some(self.facet_value_name(tr, f as CatalogueIdx, v as CatalogueIdx))
        })
    }

    /// A product's name in `tr`'s language.
    pub fn product_name<'a>(&'a self, tr: Tr<'a>, product: CatalogueIdx) -> &'a str {
        self.products
            .get(product as usize)
            .map_or("", |p| tr.text(TextKey::ProductName { product }, &p.name))
    }

    /// An attribute's name in `tr`'s language.
    pub fn attribute_name<'a>(&'a self, tr: Tr<'a>, attribute: CatalogueIdx) -> &'a str {
        self.attributes.get(attribute as usize).map_or("", |a| {
            tr.text(TextKey::AttributeName { attribute }, &a.name)
        })
    }

    /// A product category's name in `tr`'s language.
    pub fn category_name<'a>(&'a self, tr: Tr<'a>, category: CatalogueIdx) -> &'a str {
        self.categories
            .get(category as usize)
            .map_or("", |c| tr.text(TextKey::CategoryName { category }, &c.name))
    }

    /// A facet value in `tr`'s language.
    pub fn facet_value_name<'a>(
        &'a self,
        tr: Tr<'a>,
        facet: CatalogueIdx,
        value: CatalogueIdx,
    ) -> &'a str {
        self.facets
            .get(facet as usize)
            .and_then(|f| f.values.get(value as usize))
            .map_or("", |v| {
                tr.text(TextKey::FacetValue { facet, value }, &v.value)
            })
    }

    /// The card of a product, in `tr`'s language.
    pub fn card(
        &self,
        product: CatalogueIdx,
        matched: Vec<String>,
        money: &MoneyFormat,
        tr: Tr<'_>,
    ) -> Option<ProductCard> {
        let p = self.products.get(product as usize)?;
        Some(ProductCard {
            id: p.id.clone(),
            name: self.product_name(tr, product).to_string(),
            price: money.price(p.price),
            summary: tr
                .text(TextKey::ProductSummary { product }, &p.summary)
                .to_string(),
            image: p.image.clone(),
            url: p.url.clone(),
            matched,
        })
    }
}

/// No translations: [`Tr::own`] of it reads the shop's own words.
static EMPTY: super::translations::Translations = super::translations::Translations::EMPTY;

/// Words that refuse what follows them ("不要太浓的", "not too sweet").
const REFUSALS: &[&str] = &[
    "不要",
    "不想要",
    "不喜欢",
    "不需要",
    "不能",
    "不用",
    "别",
    "不",
    "讨厌",
    "受不了",
    "没有",
    "no",
    "not",
    "dont",
    "don't",
    "without",
    "never",
];
/// Words between a refusal and the value ("不要太浓的").
const DEGREE: &[&str] = &[
    "太", "很", "那么", "这么", "特别", "过于", "too", "very", "so",
];

/// Does the text just before a value refuse it?
fn refuses(before: &str) -> bool {
    let mut b = before.trim_end();
    for _ in 0..2 {
        match DEGREE.iter().find(|d| b.ends_with(*d)) {
            Some(d) => b = b[..b.len() - d.len()].trim_end(),
            None => break,
        }
    }
    REFUSALS.iter().any(|r| b.ends_with(r))
}

/// Default words for a price question.
pub fn default_price_words() -> Vec<String> {
    [
        "价格",
        "多少钱",
        "价钱",
        "售价",
        "多钱",
        "几块钱",
        "price",
        "how much",
        "cost",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}
