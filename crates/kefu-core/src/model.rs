//! The confidence model: a logistic regression over a handful of match signals, fitted by
//! the compiler on the knowledge base itself and stored in it.
//!
//! Training examples come for free from the similar questions. Holding one question out
//! and asking it gives a realistic in-scope query (label: did the right entry come first?);
//! holding a whole entry out and asking its questions gives a realistic question the
//! knowledge base cannot answer (label: never correct). The fitted probability is therefore
//! calibrated on this shop's own data: "0.8" means about 8 in 10 such answers were right.

use serde::{Deserialize, Serialize};

/// The signals the model reads, all about the best candidate of one query.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Signals {
    /// Similarity of the query and the best-matching question of the entry (0..1).
    pub similarity: f32,
    /// Share of the query's weight found in that question.
    pub query_coverage: f32,
    /// Share of that question's weight found in the query.
    pub question_coverage: f32,
    /// Share of the query's weight found anywhere in the entry's questions.
    pub entry_coverage: f32,
    /// Score of the best entry minus score of the runner-up.
    pub margin: f32,
    /// Share of the query's weight the knowledge base has never seen.
    pub unknown: f32,
    /// Total weight of the query (how much it says), log-scaled.
    pub content: f32,
    /// Like `similarity`, but every query word the knowledge base has never seen counts at
    /// its full weight against the query's coverage (a bigram as much as a known bigram):
    /// the share of what the customer said that the best question explains, not only of
    /// what the knowledge base happens to know.
    #[serde(default)]
    pub full_similarity: f32,
    /// Share of the query's weight, unknown words at their full weight, that the knowledge
    /// base has never seen: a question about a topic no entry mentions (借呗 in a 花呗 shop,
    /// 天气 anywhere) is mostly made of such words.
    #[serde(default)]
    pub full_unknown: f32,
}

impl Signals {
    pub const COUNT: usize = 10;
    /// Length of the vector of models fitted before `full_similarity` and `full_unknown`
    /// existed (files of format v3 and older); such a model reads the first seven signals.
    pub const LEGACY_COUNT: usize = 8;
    /// The signals' names, in the order of [`Signals::vector`] (the bias last).
    pub const NAMES: [&'static str; Self::COUNT] = [
        "similarity",
        "query_coverage",
        "question_coverage",
        "entry_coverage",
        "margin",
        "unknown",
        "content",
        "full_similarity",
        "full_unknown",
        "bias",
    ];

    /// The model's input vector (with a constant for the bias).
    pub fn vector(&self) -> [f32; Self::COUNT] {
        [
            self.similarity,
            self.query_coverage,
            self.question_coverage,
            self.entry_coverage,
            self.margin,
            self.unknown,
            self.content,
            self.full_similarity,
            self.full_unknown,
            1.0,
        ]
    }

    /// The input vector of a model fitted before the last two signals existed.
    fn legacy_vector(&self) -> [f32; Self::LEGACY_COUNT] {
        let v = self.vector();
        [v[0], v[1], v[2], v[3], v[4], v[5], v[6], 1.0]
    }
}

/// Logistic-regression weights, one per element of [`Signals::vector`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    pub weights: Vec<f32>,
    /// How many examples the weights were fitted on (0: the built-in prior).
    pub examples: u32,
    /// The lowest confidence at which the engine may answer directly, whatever the
    /// operator's threshold: set by the compiler so that at most [`FALSE_ANSWER_BUDGET`] of
    /// simulated out-of-scope questions (asked with their own entry removed) would be answered.
    pub answer_floor: f32,
}

/// Share of simulated out-of-scope questions the compiler lets through (see
/// [`Model::answer_floor`]).
pub const FALSE_ANSWER_BUDGET: f32 = 0.05;

/// Where a knowledge base's own fit starts (the hand-set prior of the first seven signals,
/// kept so that fitted shops decide as before).
const FIT_START: [f32; Signals::COUNT] = [4.0, 3.0, 1.0, 2.0, 4.0, -3.0, 0.2, 0.0, 0.0, -5.0];
/// L2 penalty of a knowledge base's own fit.
const FIT_PENALTY: f64 = 1e-3;

/// The built-in prior's weights, in the order of [`Signals::NAMES`]: fitted with
/// `kefu fit-prior` (see `docs/benchmarks.md`) on the development splits of five real
/// customer-question sets and the demo shop, each set weighing the same, the label being
/// "the question is in scope", four signals active (`--signals
/// margin,full_similarity,full_unknown,unknown --lambda 1e-3`). Confidence rises with the
/// similarity (also counting unknown words) and the margin over the runner-up, and falls
/// with words the knowledge base has never seen.
pub const PRIOR: [f32; Signals::COUNT] = [
    0.0, 0.0, 0.0, 0.0, 2.623, -0.186, 0.0, 1.833, -2.794, -0.417,
];

impl Default for Model {
    /// The prior for knowledge bases too small to fit on ([`PRIOR`]).
    fn default() -> Model {
        Model {
            weights: PRIOR.to_vec(),
            examples: 0,
            answer_floor: 0.0,
        }
    }
}

impl Model {
    /// Checks a decoded model: one finite weight per signal and finite thresholds in 0..=1.
    pub fn check(&self) -> Result<(), String> {
        if self.weights.len() != Signals::COUNT && self.weights.len() != Signals::LEGACY_COUNT {
            return Err(format!(
                "confidence model has {} weights, expected {} (or {} in files of format v3 and older)",
                self.weights.len(),
                Signals::COUNT,
                Signals::LEGACY_COUNT
            ));
        }
        if self.weights.iter().any(|w| !w.is_finite()) {
            return Err("confidence model has a weight that is not a finite number".into());
        }
        if !(0.0..=1.0).contains(&self.answer_floor) {
            return Err("confidence model's answer floor is outside 0..1".into());
        }
        Ok(())
    }

    /// The probability that the best candidate is the right answer.
    pub fn confidence(&self, signals: &Signals) -> f32 {
        let dot = |x: &[f32]| -> f32 { self.weights.iter().zip(x).map(|(w, x)| w * x).sum() };
        let z = if self.weights.len() == Signals::LEGACY_COUNT {
            dot(&signals.legacy_vector())
        } else {
            dot(&signals.vector())
        };
        sigmoid(z)
    }

    /// Fits weights to `(signals, was_correct)` examples by logistic regression on the
    /// first seven signals (started from [`FIT_START`], a light L2 penalty). With fewer than
    /// `min_examples` of either label, returns the prior ([`PRIOR`]).
    ///
    /// A knowledge base with similar questions to learn from keeps the signals and fit it
    /// had before [`PRIOR`] was fitted across sets; the two newer signals, weighed in the
    /// prior, stay at 0 here (weighing them in a shop's own fit changed decisions the
    /// conversation engine builds on without a measured gain).
    pub fn fit(examples: &[(Signals, bool)], min_examples: usize) -> Model {
        let positives = examples.iter().filter(|e| e.1).count();
        let negatives = examples.len() - positives;
        if positives < min_examples || negatives < min_examples {
            return Model::default();
        }
        let mut active = [true; Signals::COUNT];
        active[7] = false;
        active[8] = false;
        Model::fit_toward(
            examples,
            &FIT_START,
            &[0.0; Signals::COUNT],
            FIT_PENALTY,
            &active,
        )
    }

    /// Fits weights by L2-regularised logistic regression (the two labels balanced) by
    /// gradient descent from `start`, the penalty `lambda · |w − center|²` on every weight
    /// but the bias; weights whose `active` flag is false stay 0. Used by [`Model::fit`] and
    /// `kefu fit-prior`.
    pub fn fit_toward(
        examples: &[(Signals, bool)],
        start: &[f32; Signals::COUNT],
        center: &[f32; Signals::COUNT],
        lambda: f64,
        active: &[bool; Signals::COUNT],
    ) -> Model {
        let positives = examples.iter().filter(|e| e.1).count().max(1);
        let negatives = (examples.len() - positives).max(1);
        let n = Signals::COUNT;
        let center: Vec<f64> = center
            .iter()
            .zip(active)
            .map(|(&c, &a)| if a { c as f64 } else { 0.0 })
            .collect();
        let mut w: Vec<f64> = start
            .iter()
            .zip(active)
            .map(|(&c, &a)| if a { c as f64 } else { 0.0 })
            .collect();
        let xs: Vec<[f32; Signals::COUNT]> = examples.iter().map(|e| e.0.vector()).collect();
        // Balance the two labels so the fitted probability does not lean on their ratio.
        let weight_pos = examples.len() as f64 / (2.0 * positives as f64);
        let weight_neg = examples.len() as f64 / (2.0 * negatives as f64);
        let mut rate = 1.0;
        let mut last_loss = f64::INFINITY;
        for _ in 0..2000 {
            let mut grad = vec![0.0f64; n];
            let mut loss = 0.0;
            for (x, (_, label)) in xs.iter().zip(examples) {
                let z: f64 = w.iter().zip(x).map(|(w, &x)| w * x as f64).sum();
                let p = 1.0 / (1.0 + (-z).exp());
                let (y, cw) = if *label {
                    (1.0, weight_pos)
                } else {
                    (0.0, weight_neg)
                };
                loss -= cw * (y * p.max(1e-12).ln() + (1.0 - y) * (1.0 - p).max(1e-12).ln());
                for k in 0..n {
                    grad[k] += cw * (p - y) * x[k] as f64;
                }
            }
            let m = examples.len().max(1) as f64;
            loss = loss / m
                + lambda
                    * w[..n - 1]
                        .iter()
                        .zip(&center)
                        .map(|(w, c)| (w - c) * (w - c))
                        .sum::<f64>();
            if loss > last_loss {
                rate *= 0.5;
            }
            last_loss = loss;
            for k in 0..n {
                if !active[k] {
                    continue;
                }
                let reg = if k + 1 < n {
                    2.0 * lambda * (w[k] - center[k])
                } else {
                    0.0
                };
                w[k] -= rate * (grad[k] / m + reg);
            }
        }
        Model {
            weights: w.iter().map(|&x| x as f32).collect(),
            examples: examples.len() as u32,
            answer_floor: 0.0,
        }
    }

    /// Sets [`Model::answer_floor`] from the signals of simulated out-of-scope questions.
    pub fn with_floor(mut self, out_of_scope: &[Signals]) -> Model {
        let mut confidences: Vec<f32> = out_of_scope.iter().map(|s| self.confidence(s)).collect();
        confidences.sort_by(f32::total_cmp);
        self.answer_floor = match confidences.len() {
            0 => 0.0,
            n => {
                let keep = ((n as f32) * (1.0 - FALSE_ANSWER_BUDGET)).floor() as usize;
                confidences[keep.min(n - 1)] + 1e-4
            }
        };
        self
    }
}

fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signals(similarity: f32) -> Signals {
        Signals {
            similarity,
            query_coverage: similarity,
            entry_coverage: similarity,
            full_similarity: similarity,
            ..Signals::default()
        }
    }

    #[test]
    fn unknown_words_lower_the_prior() {
        let m = Model::default();
        let plain = signals(0.7);
        let unknown = Signals {
            full_unknown: 0.4,
            ..plain
        };
        assert!(m.confidence(&unknown) < m.confidence(&plain));
    }

    #[test]
    fn a_model_of_an_older_file_reads_the_first_seven_signals() {
        let old = Model {
            weights: vec![4.0, 3.0, 1.0, 2.0, 4.0, -3.0, 0.2, -5.0],
            examples: 0,
            answer_floor: 0.0,
        };
        assert!(old.check().is_ok());
        let s = signals(0.8);
        let z: f32 = 4.0 * 0.8 + 3.0 * 0.8 + 2.0 * 0.8 - 5.0;
        assert!((old.confidence(&s) - 1.0 / (1.0 + (-z).exp())).abs() < 1e-6);
        // the new signals do not reach it
        let more = Signals {
            full_unknown: 1.0,
            ..s
        };
        assert_eq!(old.confidence(&more), old.confidence(&s));
        let bad = Model {
            weights: vec![1.0; 9],
            ..old
        };
        assert!(bad.check().is_err());
    }

    #[test]
    fn prior_orders_by_similarity() {
        let m = Model::default();
        assert!(m.confidence(&signals(0.9)) > m.confidence(&signals(0.3)));
    }

    #[test]
    fn fit_separates_and_calibrates() {
        let mut examples = Vec::new();
        for i in 0..200 {
            let s = i as f32 / 200.0;
            examples.push((signals(s), s > 0.5));
        }
        let m = Model::fit(&examples, 10);
        assert!(m.examples == 200);
        assert!(m.confidence(&signals(0.9)) > 0.8);
        assert!(m.confidence(&signals(0.1)) < 0.2);
    }

    #[test]
    fn floor_lets_through_at_most_the_budget() {
        let negatives: Vec<Signals> = (0..100).map(|i| signals(i as f32 / 100.0)).collect();
        let m = Model::default().with_floor(&negatives);
        let answered = negatives
            .iter()
            .filter(|s| m.confidence(s) >= m.answer_floor)
            .count();
        assert!(answered <= 5, "{answered} answered");
        assert!(answered >= 4, "{answered} answered: floor too strict");
    }

    #[test]
    fn too_few_examples_keep_the_prior() {
        let examples = vec![(signals(0.9), true)];
        assert_eq!(Model::fit(&examples, 10), Model::default());
    }
}
