//! Anonymous statistics: `POST /api/v1/events` (batches from the widget; texts masked
//! again here) and the console dashboard's figures
//! (`GET /api/v1/console/stats?days=N`, `GET /api/v1/console/stats.csv`).
//!
//! Definitions (per visit, the widget's random `visit` id): a *conversation* is a visit with
//! any event; it is *resolved by the AI* when it had an answer and no handoff; the
//! *handoff rate* is visits with a handoff over conversations; *satisfaction* is good
//! ratings over ratings. Unanswered questions (fallbacks) of the last 7 days are grouped
//! greedily by the knowledge base's own `Engine::similarity` (≥ [`GROUP_SIMILARITY`]).

use std::collections::{BTreeMap, HashMap};

use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use kefu_core::dialogue::privacy::{mask, mask_digits};
use kefu_protocol::events::{EventBatch, EventKind};
use kefu_protocol::limits;
use serde::Deserialize;
use serde_json::{json, Value};
use sqlx::Row as _;

use crate::console::auth::Agent;
use crate::db::{now, Db};
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::state::AppState;

/// Two unanswered questions at least this similar are one group.
pub const GROUP_SIMILARITY: f32 = 0.5;
const MAX_EVENT_TEXT: usize = 500;
const DAY: i64 = 86_400;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/events", post(ingest))
        .route("/console/stats", get(figures))
        .route("/console/stats.csv", get(csv))
}

/// Masks what still looks personal: the engine's masking (phones, e-mails, ID and order
/// numbers), then any other run of five or more digits, also inside letters
/// (`SF1234567890`).
pub fn remask(text: &str) -> String {
    crate::logging::mask_digit_runs(&mask(text), 5, mask_digits)
}

fn short(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

/// `POST /api/v1/events`: 204, or 400 with nothing stored.
async fn ingest(
    State(state): State<AppState>,
    parts: axum::http::request::Parts,
    ApiJson(batch): ApiJson<EventBatch>,
) -> ApiResult<StatusCode> {
    crate::live::take(&state, &state.live.event_batches, &parts)?;
    if batch.events.len() > limits::MAX_EVENTS_PER_BATCH {
        return Err(ApiError::invalid("at most 100 events per batch"));
    }
    let visit = batch.visit.filter(|v| !v.is_empty());
    if visit
        .as_deref()
        .is_some_and(|v| v.len() > limits::MAX_ID_BYTES)
    {
        return Err(ApiError::invalid("visit: at most 128 bytes"));
    }
    let t = now();
    let mut rows = Vec::with_capacity(batch.events.len());
    for e in &batch.events {
        // The device's clock, unless it is far off.
        let at = if e.at > t + 300 || e.at < t - 7 * DAY {
            t
        } else {
            e.at
        };
        let check_id = |id: &str| {
            if id.is_empty() || id.len() > limits::MAX_ID_BYTES {
                Err(ApiError::invalid("entry ids: 1-128 bytes"))
            } else {
                Ok(())
            }
        };
        let (kind, entry, text, reason, satisfied): (
            &str,
            Option<String>,
            Option<String>,
            Option<&str>,
            Option<i64>,
        ) = match &e.kind {
            EventKind::Opened => ("opened", None, None, None, None),
            EventKind::Answered { entry } => {
                check_id(entry)?;
                ("answered", Some(entry.clone()), None, None, None)
            }
            EventKind::Clarify { entries } => {
                for x in entries {
                    check_id(x)?;
                }
                ("clarify", entries.first().cloned(), None, None, None)
            }
            EventKind::Fallback { text } => {
                if text.trim().is_empty() {
                    continue;
                }
                (
                    "fallback",
                    None,
                    Some(remask(&short(text.trim(), MAX_EVENT_TEXT))),
                    None,
                    None,
                )
            }
            EventKind::Handoff { reason } => ("handoff", None, None, Some(reason.code()), None),
            EventKind::Rating { satisfied, reason } => (
                "rating",
                None,
                reason.as_deref().map(|r| remask(&short(r, MAX_EVENT_TEXT))),
                None,
                Some(*satisfied as i64),
            ),
        };
        rows.push((at, kind, entry, text, reason, satisfied));
    }
    let mut tx = state.db.pool.begin().await?;
    for (at, kind, entry, text, reason, satisfied) in rows {
        sqlx::query(
            "INSERT INTO stat_events (at, day, visit, kind, entry, text, reason, satisfied) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(at)
        .bind(at.div_euclid(DAY))
        .bind(visit.as_deref())
        .bind(kind)
        .bind(entry)
        .bind(text)
        .bind(reason)
        .bind(satisfied)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A console suggestion was sent to a customer.
pub async fn record_suggestion(db: &Db, entry: &str) -> ApiResult<()> {
    let t = now();
    sqlx::query("INSERT INTO stat_events (at, day, kind, entry) VALUES ($1, $2, 'suggestion', $3)")
        .bind(t)
        .bind(t.div_euclid(DAY))
        .bind(entry)
        .execute(&db.pool)
        .await?;
    Ok(())
}

#[derive(Deserialize)]
struct DaysQuery {
    #[serde(default)]
    days: Option<i64>,
}

/// One group of similar unanswered questions.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Group {
    pub question: String,
    pub count: i64,
    pub examples: Vec<(String, i64)>,
}

/// Groups `(text, count)` pairs, most frequent first, by `similar`.
pub fn group(texts: Vec<(String, i64)>, similar: impl Fn(&str, &str) -> bool) -> Vec<Group> {
    let mut texts = texts;
    texts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut groups: Vec<Group> = vec![];
    for (text, n) in texts {
        match groups.iter_mut().find(|g| similar(&g.question, &text)) {
            Some(g) => {
                g.count += n;
                g.examples.push((text, n));
            }
            None => groups.push(Group {
                question: text.clone(),
                count: n,
                examples: vec![(text, n)],
            }),
        }
    }
    groups.sort_by_key(|g| std::cmp::Reverse(g.count));
    groups
}

async fn unanswered(state: &AppState, since_day: i64) -> ApiResult<Vec<Group>> {
    let rows = sqlx::query(
        "SELECT text, COUNT(*) AS n FROM stat_events WHERE kind = 'fallback' AND day >= $1 AND text IS NOT NULL \
         GROUP BY text ORDER BY n DESC LIMIT 500",
    )
    .bind(since_day)
    .fetch_all(&state.db.pool)
    .await?;
    let texts = rows
        .iter()
        .map(|r| Ok((r.try_get::<String, _>("text")?, r.try_get::<i64, _>("n")?)))
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let kb = state.kb.get();
    Ok(group(texts, |a, b| match &kb {
        Some(kb) => kb.engine.similarity(a, b) >= GROUP_SIMILARITY,
        None => a == b,
    }))
}

/// `GET /api/v1/console/stats?days=N` (1–90, default 7).
async fn figures(
    State(state): State<AppState>,
    _agent: Agent,
    Query(q): Query<DaysQuery>,
) -> ApiResult<Json<Value>> {
    let days = q.days.unwrap_or(7).clamp(1, 90);
    let today = now().div_euclid(DAY);
    let since = today - days + 1;
    let db = &state.db;
    let rows = sqlx::query(
        "SELECT day, kind, COUNT(*) AS n, CAST(SUM(COALESCE(satisfied, 0)) AS BIGINT) AS good FROM stat_events \
         WHERE day >= $1 GROUP BY day, kind",
    )
    .bind(since)
    .fetch_all(&db.pool)
    .await?;
    let mut per_day: BTreeMap<i64, HashMap<String, i64>> =
        (since..=today).map(|d| (d, HashMap::new())).collect();
    let mut totals: HashMap<String, i64> = HashMap::new();
    for r in &rows {
        let day: i64 = r.try_get("day")?;
        let kind: String = r.try_get("kind")?;
        let n: i64 = r.try_get("n")?;
        let good: i64 = r.try_get::<Option<i64>, _>("good")?.unwrap_or(0);
        let slot = per_day.entry(day).or_default();
        *slot.entry(kind.clone()).or_default() += n;
        *totals.entry(kind.clone()).or_default() += n;
        if kind == "rating" {
            *slot.entry("rating_good".into()).or_default() += good;
            *totals.entry("rating_good".into()).or_default() += good;
        }
    }
    // Per visit: answered? handed off?
    let visits = sqlx::query(
        "SELECT visit, CAST(SUM(CASE WHEN kind = 'answered' THEN 1 ELSE 0 END) AS BIGINT) AS answered, \
         CAST(SUM(CASE WHEN kind = 'handoff' THEN 1 ELSE 0 END) AS BIGINT) AS handoffs, MIN(day) AS day \
         FROM stat_events WHERE day >= $1 AND visit IS NOT NULL GROUP BY visit",
    )
    .bind(since)
    .fetch_all(&db.pool)
    .await?;
    let (mut conversations, mut resolved, mut handed) = (0i64, 0i64, 0i64);
    let mut day_conv: HashMap<i64, (i64, i64, i64)> = HashMap::new();
    for v in &visits {
        let a: i64 = v.try_get("answered")?;
        let h: i64 = v.try_get("handoffs")?;
        let d: i64 = v.try_get("day")?;
        conversations += 1;
        let slot = day_conv.entry(d).or_default();
        slot.0 += 1;
        if h > 0 {
            handed += 1;
            slot.2 += 1;
        } else if a > 0 {
            resolved += 1;
            slot.1 += 1;
        }
    }
    let rate = |a: i64, b: i64| {
        if b > 0 {
            Some(a as f64 / b as f64)
        } else {
            None
        }
    };
    let reasons = sqlx::query(
        "SELECT reason, COUNT(*) AS n FROM stat_events WHERE kind = 'handoff' AND day >= $1 GROUP BY reason ORDER BY n DESC",
    )
    .bind(since)
    .fetch_all(&db.pool)
    .await?;
    let reasons: Vec<Value> = reasons
        .iter()
        .map(|r| Ok(json!({ "reason": r.try_get::<Option<String>, _>("reason")?, "count": r.try_get::<i64, _>("n")? })))
        .collect::<Result<_, sqlx::Error>>()?;
    let kb = state.kb.get();
    let question_of = |id: &str| {
        kb.as_ref().and_then(|kb| {
            kb.engine
                .kb()
                .entries
                .iter()
                .find(|e| e.id == id)
                .map(|e| e.question.clone())
        })
    };
    let top = |kind: &'static str| {
        let db = db.clone();
        async move {
            let rows = sqlx::query(
                "SELECT entry, COUNT(*) AS n FROM stat_events WHERE kind = $1 AND day >= $2 AND entry IS NOT NULL \
                 GROUP BY entry ORDER BY n DESC, entry LIMIT 10",
            )
            .bind(kind)
            .bind(since)
            .fetch_all(&db.pool)
            .await?;
            rows.iter()
                .map(|r| Ok((r.try_get::<String, _>("entry")?, r.try_get::<i64, _>("n")?)))
                .collect::<Result<Vec<_>, sqlx::Error>>()
        }
    };
    let answered = top("answered").await?;
    let suggested = top("suggestion").await?;
    let entries = |list: Vec<(String, i64)>| -> Vec<Value> {
        list.into_iter()
            .map(|(e, n)| json!({ "entry": e, "question": question_of(&e), "count": n }))
            .collect()
    };
    let week = unanswered(&state, today - 6).await?;
    let series: Vec<Value> = per_day
        .iter()
        .map(|(d, k)| {
            let (c, r, h) = day_conv.get(d).copied().unwrap_or_default();
            let (y, m, dd) = kefu_core::dialogue::calendar::civil_from_days(*d);
            json!({
                "day": format!("{y:04}-{m:02}-{dd:02}"),
                "conversations": c, "resolved": r, "handoffs": h,
                "answered": k.get("answered").copied().unwrap_or(0),
                "fallbacks": k.get("fallback").copied().unwrap_or(0),
                "ratings": k.get("rating").copied().unwrap_or(0),
                "good_ratings": k.get("rating_good").copied().unwrap_or(0),
                "suggestions": k.get("suggestion").copied().unwrap_or(0),
            })
        })
        .collect();
    let t = |k: &str| totals.get(k).copied().unwrap_or(0);
    Ok(Json(json!({
        "days": days,
        "conversations": conversations,
        "ai_resolution_rate": rate(resolved, conversations),
        "handoff_rate": rate(handed, conversations),
        "handoff_reasons": reasons,
        "ratings": t("rating"),
        "satisfaction": rate(t("rating_good"), t("rating")),
        "answered": t("answered"),
        "fallbacks": t("fallback"),
        "suggestions_sent": t("suggestion"),
        "top_answered": entries(answered),
        "top_suggested": entries(suggested),
        "unanswered_week": week.iter().take(20).collect::<Vec<_>>(),
        "per_day": series,
    })))
}

fn csv_field(s: &str) -> String {
    // Formula characters are neutralised for spreadsheets.
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// `GET /api/v1/console/stats.csv`: this week's unanswered questions with their group, for
/// turning into new similar questions.
async fn csv(State(state): State<AppState>, _agent: Agent) -> ApiResult<Response> {
    let today = now().div_euclid(DAY);
    let groups = unanswered(&state, today - 6).await?;
    let mut out = String::from("group,group_count,question,count\n");
    for (i, g) in groups.iter().enumerate() {
        for (text, n) in &g.examples {
            out.push_str(&format!(
                "{},{},{},{}\n",
                i + 1,
                g.count,
                csv_field(text),
                n
            ));
        }
    }
    let mut r = (StatusCode::OK, out).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"unanswered-week.csv\""),
    );
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_data_is_masked_again() {
        let m = remask("我的电话13812345678，邮箱li.ming@example.com，运单SF1234567890");
        assert!(!m.contains("13812345678"), "{m}");
        assert!(!m.contains("li.ming"), "{m}");
        assert!(!m.contains("1234567890"), "{m}");
        assert!(!remask("身份证11010519491231002X").contains("1949123100"));
        assert_eq!(remask("怎么退货"), "怎么退货");
    }

    #[test]
    fn similar_questions_group_together() {
        let g = group(
            vec![("a1".into(), 2), ("b".into(), 5), ("a2".into(), 1)],
            |x, y| x.starts_with('a') && y.starts_with('a'),
        );
        assert_eq!(g[0].question, "b");
        assert_eq!(g[1].count, 3);
        assert_eq!(g[1].examples.len(), 2);
        assert_eq!(csv_field("=cmd"), "'=cmd");
        assert_eq!(csv_field("a,\"b\""), "\"a,\"\"b\"\"\"");
    }
}
