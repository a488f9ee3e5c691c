//! `products.toml`: attributes, facets, product categories and products.

use std::collections::BTreeMap;

use kefu_core::dialogue::products::{
    default_price_words, AttributeDef, Catalogue, CatalogueIdx, Facet, FacetValue, Product,
    ProductAttribute, ProductCategory,
};
use serde::Deserialize;
use toml::Spanned;

use super::{Context, SourceFile};

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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceAttribute {
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    /// A service with its own price (a repair): a price question after it asks its price.
    #[serde(default)]
    priced: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceFacet {
    name: String,
    ask: String,
    values: Vec<SourceFacetValue>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceFacetValue {
    value: String,
    #[serde(default)]
    aliases: Vec<String>,
    /// Attributes worth comparing when a customer wants this value.
    #[serde(default)]
    compare: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceCategory {
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceProduct {
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
    },
}

/// Reads `products.toml`.
pub(super) fn read(file: &mut SourceFile<'_>, ctx: &Context<'_>) -> Catalogue {
    let mut catalogue = Catalogue::default();
    let Some(source) = file.parse::<ProductsFile>() else {
        return catalogue;
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
        let mut names = vec![a.name.clone()];
        names.extend(a.aliases.iter().cloned());
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
        let mut values = Vec::new();
        for v in &f.values {
            let mut names = vec![v.value.clone()];
            names.extend(v.aliases.iter().cloned());
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
        let mut names = vec![c.name.clone()];
        names.extend(c.aliases.iter().cloned());
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
        if let Some(product) = product(file, ctx, &catalogue, p.get_ref(), line) {
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
        }
    }
    catalogue
}

fn product(
    file: &mut SourceFile<'_>,
    ctx: &Context<'_>,
    catalogue: &Catalogue,
    p: &SourceProduct,
    line: usize,
) -> Option<Product> {
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
    let mut attributes = Vec::new();
    for (name, value) in &p.attributes {
        let Some(a) = catalogue.attributes.iter().position(|x| &x.name == name) else {
            file.error(
                Some(line),
                at(format!("no attribute `{name}` (add an [[attribute]])")),
            );
            continue;
        };
        let (value, text) = match value {
            AttributeValue::Short(v) => (v.clone(), String::new()),
            AttributeValue::Full { value, text } => (value.clone(), text.clone()),
        };
        attributes.push(ProductAttribute {
            attribute: a as CatalogueIdx,
            value,
            text,
        });
    }
    attributes.sort_by_key(|a| a.attribute);
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
    Some(Product {
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
    })
}
