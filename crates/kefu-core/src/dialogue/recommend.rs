//! Recommendations: a customer's wish (category, budget, facets such as season, scene and
//! needs) → up to three products with a side-by-side comparison of the attributes that
//! matter, or the one question that would make the wish precise enough.

use super::locale::Speech;
use super::products::{Catalogue, CatalogueIdx};
use super::reply::{Choice, Comparison, ComparisonRow, QuickReply};
use super::state::Shopping;
use super::translations::{TextKey, Tr};

/// Products shown at most.
pub const MAX_PICKS: usize = 3;
/// Rows of a comparison at most (price included).
pub const MAX_ROWS: usize = 6;

/// What to do with a wish.
#[derive(Debug, Clone, PartialEq)]
pub enum Recommendation {
    /// Ask this first (`category`, `budget` or a facet name).
    Ask {
        what: String,
        prompt: String,
        options: Vec<QuickReply>,
    },
    /// These products, each with the wishes it meets; `partial` when none meets any of the
    /// wishes beyond category and budget (the closest choices are shown).
    Picks {
        criteria: String,
        picks: Vec<(CatalogueIdx, Vec<String>)>,
        comparison: Option<Comparison>,
        partial: bool,
    },
    /// Nothing fits.
    Nothing { criteria: String },
}

/// Decides what to recommend for `wish`.
/// `tr`: the catalogue's texts in the conversation's language.
pub fn recommend(
    catalogue: &Catalogue,
    wish: &Shopping,
    speech: Speech<'_>,
    tr: Tr<'_>,
) -> Recommendation {
    let category = wish.category.as_deref().and_then(|c| catalogue.category(c));
    let facets: Vec<(CatalogueIdx, CatalogueIdx)> = wish
        .facets
        .iter()
        .filter_map(|(f, v)| catalogue.facet_value(f, v))
        .collect();
    if let Some(ask) = question(catalogue, wish, category, &facets, speech, tr) {
        return ask;
    }
    let criteria = describe(catalogue, wish, speech, tr);
    let in_scope: Vec<CatalogueIdx> = (0..catalogue.products.len() as CatalogueIdx)
        .filter(|&p| {
            let product = &catalogue.products[p as usize];
            category.is_none_or(|c| product.category == c)
                && wish.budget.is_none_or(|b| b.contains(product.price))
        })
        .collect();
    let mut scored: Vec<(CatalogueIdx, Vec<String>)> = in_scope
        .iter()
        .map(|&p| {
            let product = &catalogue.products[p as usize];
            let matched = facets
                .iter()
                .filter(|fv| product.facets.contains(fv))
                .map(|&(f, v)| catalogue.facet_value_name(tr, f, v).to_string())
                .collect();
            (p, matched)
        })
        .collect();
    let partial = !facets.is_empty() && scored.iter().all(|(_, m)| m.is_empty());
    if !partial {
        scored.retain(|(_, m)| facets.is_empty() || !m.is_empty());
    }
    let price = |p: CatalogueIdx| catalogue.products[p as usize].price;
    crate::sort::sort_by(&mut scored, |a, b| {
        b.1.len()
            .cmp(&a.1.len())
            .then_with(|| price(a.0).cmp(&price(b.0)))
            .then_with(|| a.0.cmp(&b.0))
    });
    scored.truncate(MAX_PICKS);
    if scored.is_empty() {
        return Recommendation::Nothing { criteria };
    }
    let comparison =
        (scored.len() >= 2).then(|| compare(catalogue, &scored, category, &facets, speech, tr));
    Recommendation::Picks {
        criteria,
        picks: scored,
        comparison,
        partial,
    }
}

/// Products side by side on `attributes` (the price first), for "X1 和 X1 Pro 哪个拍照好".
pub fn compare_products(
    catalogue: &Catalogue,
    products: &[CatalogueIdx],
    attributes: &[CatalogueIdx],
    speech: Speech<'_>,
    tr: Tr<'_>,
) -> Comparison {
    let picks: Vec<(CatalogueIdx, Vec<String>)> =
        products.iter().map(|&p| (p, Vec::new())).collect();
    let mut wanted = attributes.to_vec();
    if wanted.is_empty() {
        let category = catalogue
            .products
            .get(products[0] as usize)
            .map(|p| p.category);
        wanted = category
            .and_then(|c| catalogue.categories.get(c as usize))
            .map(|c| c.compare.clone())
            .unwrap_or_default();
    }
    table(catalogue, &picks, wanted, speech, tr)
}

/// The question to ask first when the wish is too vague, if any.
fn question(
    catalogue: &Catalogue,
    wish: &Shopping,
    category: Option<CatalogueIdx>,
    facets: &[(CatalogueIdx, CatalogueIdx)],
    speech: Speech<'_>,
    tr: Tr<'_>,
) -> Option<Recommendation> {
    let texts = &speech.pack.texts;
    let asked = |what: &str| wish.asked.iter().any(|a| a == what);
    let Some(category) = category else {
        if catalogue.categories.len() > 1 && !asked("category") {
            let options = (0..catalogue.categories.len() as CatalogueIdx)
                .map(|c| QuickReply {
                    label: catalogue.category_name(tr, c).to_string(),
                    choice: Choice::Say(catalogue.categories[c as usize].name.clone()),
                })
                .collect();
            return Some(Recommendation::Ask {
                what: "category".into(),
                prompt: texts.recommend_ask_category.clone(),
                options,
            });
        }
        return None;
    };
    if wish.budget.is_some() || !facets.is_empty() {
        return None;
    }
    let cat = &catalogue.categories[category as usize];
    let next = cat.ask.iter().find(|what| !asked(what))?;
    if next == "budget" {
        let options = cat
            .budget_options
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let key = TextKey::BudgetOption {
                    category,
                    option: i as u16,
                };
                QuickReply {
                    label: tr.text(key, o).to_string(),
                    choice: Choice::Say(o.clone()),
                }
            })
            .collect();
        return Some(Recommendation::Ask {
            what: next.clone(),
            prompt: texts.recommend_ask_budget.clone(),
            options,
        });
    }
    let f = catalogue.facets.iter().position(|f| &f.name == next)?;
    let facet = &catalogue.facets[f];
    let f = f as CatalogueIdx;
    let options = (0..facet.values.len() as CatalogueIdx)
        .map(|v| QuickReply {
            label: catalogue.facet_value_name(tr, f, v).to_string(),
            choice: Choice::Say(facet.values[v as usize].value.clone()),
        })
        .collect();
    Some(Recommendation::Ask {
        what: next.clone(),
        prompt: tr
            .text(TextKey::FacetAsk { facet: f }, &facet.ask)
            .to_string(),
        options,
    })
}

/// "T恤、夏季、透气、200元以内".
pub fn describe(catalogue: &Catalogue, wish: &Shopping, speech: Speech<'_>, tr: Tr<'_>) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(c) = &wish.category {
        parts.push(match catalogue.category(c) {
            Some(c) => catalogue.category_name(tr, c).to_string(),
            None => c.clone(),
        });
    }
    parts.extend(
        wish.facets
            .iter()
            .map(|(f, v)| match catalogue.facet_value(f, v) {
                Some((f, v)) => catalogue.facet_value_name(tr, f, v).to_string(),
                None => v.clone(),
            }),
    );
    if let Some(b) = &wish.budget {
        parts.push(speech.budget(b));
    }
    parts.join(&speech.pack.labels.list_separator)
}

fn compare(
    catalogue: &Catalogue,
    picks: &[(CatalogueIdx, Vec<String>)],
    category: Option<CatalogueIdx>,
    facets: &[(CatalogueIdx, CatalogueIdx)],
    speech: Speech<'_>,
    tr: Tr<'_>,
) -> Comparison {
    let mut attributes: Vec<CatalogueIdx> = Vec::new();
    for &(f, v) in facets {
        attributes.extend(&catalogue.facets[f as usize].values[v as usize].attributes);
    }
    let category = category.unwrap_or(catalogue.products[picks[0].0 as usize].category);
    if let Some(c) = catalogue.categories.get(category as usize) {
        attributes.extend(&c.compare);
    }
    let mut seen = Vec::new();
    attributes.retain(|a| {
        let new = !seen.contains(a);
        seen.push(*a);
        new
    });
    table(catalogue, picks, attributes, speech, tr)
}

/// The comparison of `picks` on the price and `attributes`.
fn table(
    catalogue: &Catalogue,
    picks: &[(CatalogueIdx, Vec<String>)],
    attributes: Vec<CatalogueIdx>,
    speech: Speech<'_>,
    tr: Tr<'_>,
) -> Comparison {
    let mut rows = vec![ComparisonRow {
        attribute: speech.pack.labels.price_row.clone(),
        values: picks
            .iter()
            .map(|(p, _)| speech.price(catalogue.products[*p as usize].price))
            .collect(),
    }];
    for a in attributes {
        if rows.len() >= MAX_ROWS {
            break;
        }
        if catalogue.attributes.get(a as usize).is_none() {
            continue;
        }
        let values: Vec<Option<&str>> = picks
            .iter()
            .map(|(p, _)| catalogue.attribute_value_in(*p, a, tr))
            .collect();
        if values.iter().all(Option::is_none) {
            continue;
        }
        rows.push(ComparisonRow {
            attribute: catalogue.attribute_name(tr, a).to_string(),
            values: values
                .into_iter()
                .map(|v| v.unwrap_or("—").to_string())
                .collect(),
        });
    }
    Comparison {
        products: picks
            .iter()
            .map(|(p, _)| catalogue.product_name(tr, *p).to_string())
            .collect(),
        rows,
    }
}
