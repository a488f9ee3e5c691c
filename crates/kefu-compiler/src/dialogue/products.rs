//! `products.toml`: attributes, facets, product categories and products.

use std::collections::BTreeMap;

use kefu_core::dialogue::products::{
    default_price_words, AttributeDef, Catalogue, CatalogueIdx, Facet, FacetValue, Product,
    ProductAttribute, ProductCategory,
};
use serde::Deserialize;
use toml::Spanned;

use super::translate::{warn_partial, Collector, Extra, Found};
use super::{Context, SourceFile};
use kefu_core::dialogue::translations::{TextKey, Translation};
use kefu_core::dialogue::Locale;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProductsFile {
    price_words: Option<Vec<String>>,
    #[serde(default)]
    attribute: Vec<Spanned<SourceAttribute>>,
    #[serde(default)]
    facet: Vec<Spanned<SourceFacet>>,
    #[serde(default)]
    category: Vec<Spanned<SourceCategory>>,
    #[serde(default)]
    product: Vec<Spanned<SourceProduct>>,
}

// Unknown keys are refused in `extra` unless they are translations (`name_en`).
#[derive(Deserialize)]
struct SourceAttribute {
    #[serde(flatten)]
    extra: Extra,
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    /// A service with its own price (a repair): a price question after it asks its price.
    #[serde(default)]
    priced: bool,
}

// Unknown keys are refused in `extra` unless they are translations (`name_en`).
#[derive(Deserialize)]
struct SourceFacet {
    #[serde(flatten)]
    extra: Extra,
    name: String,
    ask: String,
    values: Vec<SourceFacetValue>,
}

// Unknown keys are refused in `extra` unless they are translations (`name_en`).
#[derive(Deserialize)]
struct SourceFacetValue {
    #[serde(flatten)]
    extra: Extra,
    value: String,
    #[serde(default)]
    aliases: Vec<String>,
    /// Attributes worth comparing when a customer wants this value.
    #[serde(default)]
    compare: Vec<String>,
}

// Unknown keys are refused in `extra` unless they are translations (`name_en`).
#[derive(Deserialize)]
struct SourceCategory {
    #[serde(flatten)]
    extra: Extra,
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    compare: Vec<String>,
    #[serde(default)]
    ask: Vec<String>,
    #[serde(default)]
    budget_options: Vec<String>,
}

// Unknown keys are refused in `extra` unless they are translations (`name_en`).
#[derive(Deserialize)]
struct SourceProduct {
    #[serde(flatten)]
    extra: Extra,
    id: String,
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    category: String,
    price: f64,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    image: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    facets: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    attributes: BTreeMap<String, AttributeValue>,
}

/// `"5000mAh"`, or `{ value = "5000mAh", text = "…" }`.
#[derive(Deserialize)]
#[serde(untagged)]
enum AttributeValue {
    Short(String),
    Full {
        value: String,
        #[serde(default)]
        text: String,
        #[serde(flatten)]
        extra: Extra,
    },
}

/// Reads `products.toml`, and its texts in other languages than the shop's (`shop`).
pub(super) fn read(
    file: &mut SourceFile<'_>,
    ctx: &Context<'_>,
    shop: Locale,
) -> (Catalogue, Vec<Translation>) {
    let mut catalogue = Catalogue::default();
    let mut out = Collector::default();
    let Some(source) = file.parse::<ProductsFile>() else {
        return (catalogue, out.texts);
    };
    if let Some(words) = source.price_words {
        catalogue.price_words = ctx.norm_list(&words);
    } else {
        catalogue.price_words = ctx.norm_list(&default_price_words());
    }
    for a in &source.attribute {
        let line = file.line(a.span());
        let a = a.get_ref();
        if catalogue.attributes.iter().any(|x| x.name == a.name) {
            file.error(
                Some(line),
                format!("attribute `{}` is defined twice", a.name),
            );
            continue;
        }
        let what = format!("attribute `{}`", a.name);
        let found = a.extra.read(file, line, &what, &["name"], shop);
        let translated = found.texts(file, line, "name");
        let mut names = vec![a.name.clone()];
        names.extend(a.aliases.iter().cloned());
        names.extend(translated.iter().map(|t| t.1.clone()));
        let attribute = catalogue.attributes.len() as CatalogueIdx;
        out.add(TextKey::AttributeName { attribute }, translated);
        catalogue.attributes.push(AttributeDef {
            name: a.name.clone(),
            aliases: ctx.compact_list(&names),
            priced: a.priced,
        });
    }
    let attribute = |name: &str, catalogue: &Catalogue| {
        catalogue
            .attributes
            .iter()
            .position(|a| a.name == name)
            .map(|i| i as CatalogueIdx)
    };
    for f in &source.facet {
        let line = file.line(f.span());
        let f = f.get_ref();
        if catalogue.facets.iter().any(|x| x.name == f.name) {
            file.error(Some(line), format!("facet `{}` is defined twice", f.name));
            continue;
        }
        let facet = catalogue.facets.len() as CatalogueIdx;
        let what = format!("facet `{}`", f.name);
        let found = f.extra.read(file, line, &what, &["ask"], shop);
        let mut shown = vec![("ask".to_string(), has_locales(&found, "ask"))];
        let mut locales = found.locales();
        out.add(TextKey::FacetAsk { facet }, found.texts(file, line, "ask"));
        let mut values = Vec::new();
        for v in &f.values {
            let found = v.extra.read(file, line, &what, &["value"], shop);
            locales.extend(found.locales());
            shown.push((format!("{}.value", v.value), has_locales(&found, "value")));
            let translated = found.texts(file, line, "value");
            let mut names = vec![v.value.clone()];
            names.extend(v.aliases.iter().cloned());
            names.extend(translated.iter().map(|t| t.1.clone()));
            let value = values.len() as CatalogueIdx;
            out.add(TextKey::FacetValue { facet, value }, translated);
            let mut attributes = Vec::new();
            for name in &v.compare {
                match attribute(name, &catalogue) {
                    Some(a) => attributes.push(a),
                    None => file.error(
                        Some(line),
                        format!(
                            "facet `{}` value `{}`: no attribute `{name}`",
                            f.name, v.value
                        ),
                    ),
                }
            }
            values.push(FacetValue {
                value: v.value.clone(),
                aliases: ctx.compact_list(&names),
                attributes,
            });
        }
        locales.sort();
        locales.dedup();
        warn_partial(file, line, &what, &locales, &shown);
        catalogue.facets.push(Facet {
            name: f.name.clone(),
            ask: f.ask.clone(),
            values,
        });
    }
    for c in &source.category {
        let line = file.line(c.span());
        let c = c.get_ref();
        if catalogue.categories.iter().any(|x| x.name == c.name) {
            file.error(
                Some(line),
                format!("product category `{}` is defined twice", c.name),
            );
            continue;
        }
        let mut compare = Vec::new();
        for name in &c.compare {
            match attribute(name, &catalogue) {
                Some(a) => compare.push(a),
                None => file.error(
                    Some(line),
                    format!(
                        "category `{}` compares `{name}`, which is no attribute",
                        c.name
                    ),
                ),
            }
        }
        for what in &c.ask {
            if what != "budget" && !catalogue.facets.iter().any(|f| &f.name == what) {
                file.error(
                    Some(line),
                    format!(
                        "category `{}` asks `{what}`: write `budget` or a facet name",
                        c.name
                    ),
                );
            }
        }
        let what = format!("product category `{}`", c.name);
        let found = c
            .extra
            .read(file, line, &what, &["name", "budget_options"], shop);
        let category = catalogue.categories.len() as CatalogueIdx;
        let translated = found.texts(file, line, "name");
        let mut names = vec![c.name.clone()];
        names.extend(c.aliases.iter().cloned());
        names.extend(translated.iter().map(|t| t.1.clone()));
        out.add(TextKey::CategoryName { category }, translated);
        let mut shown = vec![("name".to_string(), has_locales(&found, "name"))];
        if !c.budget_options.is_empty() {
            shown.push((
                "budget_options".to_string(),
                has_locales(&found, "budget_options"),
            ));
        }
        for (locale, list) in found.lists(file, line, "budget_options") {
            if list.len() != c.budget_options.len() {
                file.error(
                    Some(line),
                    format!(
                        "{what}: `budget_options_{}` has {} options, `budget_options` {}",
                        locale.code(),
                        list.len(),
                        c.budget_options.len()
                    ),
                );
                continue;
            }
            for (i, text) in list.into_iter().enumerate() {
                let key = TextKey::BudgetOption {
                    category,
                    option: i as u16,
                };
                out.add(key, vec![(locale, text)]);
            }
        }
        warn_partial(file, line, &what, &found.locales(), &shown);
        catalogue.categories.push(ProductCategory {
            name: c.name.clone(),
            aliases: ctx.compact_list(&names),
            compare,
            ask: c.ask.clone(),
            budget_options: c.budget_options.clone(),
        });
    }
    for p in &source.product {
        let line = file.line(p.span());
        let index = catalogue.products.len() as CatalogueIdx;
        if let Some((product, texts)) =
            product(file, ctx, &catalogue, p.get_ref(), line, shop, index)
        {
            if catalogue.products.iter().any(|x| x.id == product.id) {
                file.error(
                    Some(line),
                    format!("product id `{}` is used twice", product.id),
                );
                continue;
            }
            for alias in &product.aliases {
                if let Some(other) = catalogue
                    .products
                    .iter()
                    .find(|x| x.aliases.contains(alias))
                {
                    file.warning(
                        Some(line),
                        format!("`{alias}` names both `{}` and `{}`", other.id, product.id),
                    );
                }
            }
            catalogue.products.push(product);
            out.texts.extend(texts);
        }
    }
    (catalogue, out.texts)
}

/// The languages `key` is translated into.
fn has_locales(found: &Found, key: &str) -> Vec<Locale> {
    Locale::ALL
        .into_iter()
        .filter(|&l| found.has(key, l))
        .collect()
}

/// A product, to be number `index`, with its translations (`name_en`, `summary_en`, an
/// attribute's `value_en` and `text_en`); translated names are aliases too.
fn product(
    file: &mut SourceFile<'_>,
    ctx: &Context<'_>,
    catalogue: &Catalogue,
    p: &SourceProduct,
    line: usize,
    shop: Locale,
    index: CatalogueIdx,
) -> Option<(Product, Vec<Translation>)> {
    let at = |what: String| format!("product `{}`: {what}", p.id);
    if p.id.trim().is_empty() || p.name.trim().is_empty() {
        file.error(Some(line), "a product needs an id and a name");
        return None;
    }
    let Some(category) = catalogue
        .categories
        .iter()
        .position(|c| c.name == p.category)
    else {
        file.error(
            Some(line),
            at(format!(
                "no product category `{}` (add a [[category]])",
                p.category
            )),
        );
        return None;
    };
    if !(p.price.is_finite() && p.price >= 0.0 && p.price < 1e9) {
        file.error(Some(line), at(format!("price {} is not a price", p.price)));
        return None;
    }
    let what = format!("product `{}`", p.id);
    let found = p.extra.read(file, line, &what, &["name", "summary"], shop);
    let mut locales = found.locales();
    let mut shown = vec![("name".to_string(), has_locales(&found, "name"))];
    if !p.summary.is_empty() {
        shown.push(("summary".to_string(), has_locales(&found, "summary")));
    }
    let mut out = Collector::default();
    let product = index;
    let names_in = found.texts(file, line, "name");
    let translated_names: Vec<String> = names_in.iter().map(|t| t.1.clone()).collect();
    out.add(TextKey::ProductName { product }, names_in);
    let summary = found.texts(file, line, "summary");
    out.add(TextKey::ProductSummary { product }, summary);
    // Each attribute with its translated value and sentence, kept beside it through the sort.
    type Texts = Vec<(Locale, String)>;
    let mut attributes: Vec<(ProductAttribute, Texts, Texts)> = Vec::new();
    for (name, value) in &p.attributes {
        let Some(a) = catalogue.attributes.iter().position(|x| &x.name == name) else {
            file.error(
                Some(line),
                at(format!("no attribute `{name}` (add an [[attribute]])")),
            );
            continue;
        };
        let (value, text, values_in, texts_in) = match value {
            AttributeValue::Short(v) => {
                shown.push((format!("{name}.value"), Vec::new()));
                (v.clone(), String::new(), Vec::new(), Vec::new())
            }
            AttributeValue::Full { value, text, extra } => {
                let found = extra.read(file, line, &what, &["value", "text"], shop);
                locales.extend(found.locales());
                shown.push((format!("{name}.value"), has_locales(&found, "value")));
                if !text.is_empty() {
                    shown.push((format!("{name}.text"), has_locales(&found, "text")));
                }
                let values_in = found.texts(file, line, "value");
                let texts_in = found.texts(file, line, "text");
                (value.clone(), text.clone(), values_in, texts_in)
            }
        };
        let attribute = ProductAttribute {
            attribute: a as CatalogueIdx,
            value,
            text,
        };
        attributes.push((attribute, values_in, texts_in));
    }
    attributes.sort_by_key(|a| a.0.attribute);
    for (i, (_, values_in, texts_in)) in attributes.iter_mut().enumerate() {
        let attribute = i as u16;
        out.add(
            TextKey::ProductValue { product, attribute },
            std::mem::take(values_in),
        );
        out.add(
            TextKey::ProductText { product, attribute },
            std::mem::take(texts_in),
        );
    }
    let attributes: Vec<ProductAttribute> = attributes.into_iter().map(|a| a.0).collect();
    locales.sort();
    locales.dedup();
    warn_partial(file, line, &what, &locales, &shown);
    let mut facets = Vec::new();
    for (facet, values) in &p.facets {
        for value in values {
            match catalogue.facet_value(facet, value) {
                Some(fv) => facets.push(fv),
                None => file.error(
                    Some(line),
                    at(format!("no facet value `{facet}` = `{value}`")),
                ),
            }
        }
    }
    let mut names = vec![p.name.clone()];
    names.extend(p.aliases.iter().cloned());
    names.extend(translated_names);
    let product = Product {
        id: p.id.clone(),
        name: p.name.clone(),
        aliases: ctx.compact_list(&names),
        category: category as CatalogueIdx,
        price: (p.price * 100.0).round() as u64,
        summary: p.summary.clone(),
        image: p.image.clone(),
        url: p.url.clone(),
        attributes,
        facets,
    };
    Some((product, out.texts))
}
