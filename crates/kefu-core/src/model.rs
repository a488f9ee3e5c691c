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
}

impl Signals {
    pub const COUNT: usize = 8;

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
            1.0,
        ]
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

impl Default for Model {
    /// A prior for knowledge bases too small to fit on: confidence rises with similarity,
    /// coverage of the query and the margin over the runner-up, and falls with unknown words.
    fn default() -> Model {
        Model {
            weights: vec![4.0, 3.0, 1.0, 2.0, 4.0, -3.0, 0.2, -5.0],
            examples: 0,
            answer_floor: 0.0,
        }
    }
}

impl Model {
    /// Checks a decoded model: one finite weight per signal and finite thresholds in 0..=1.
    pub fn check(&self) -> Result<(), String> {
        if self.weights.len() != Signals::COUNT {
            return Err(format!(
                "confidence model has {} weights, expected {}",
                self.weights.len(),
                Signals::COUNT
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
        let z: f32 = self
            .weights
            .iter()
            .zip(signals.vector())
            .map(|(w, x)| w * x)
            .sum();
        sigmoid(z)
    }

    /// Fits weights to `(signals, was_correct)` examples by L2-regularised gradient descent.
    /// With fewer than `min_examples` of either label, returns the prior.
    pub fn fit(examples: &[(Signals, bool)], min_examples: usize) -> Model {
        let positives = examples.iter().filter(|e| e.1).count();
        let negatives = examples.len() - positives;
        if positives < min_examples || negatives < min_examples {
            return Model::default();
        }
        let n = Signals::COUNT;
        let prior = Model::default();
        let mut w: Vec<f64> = prior.weights.iter().map(|&x| x as f64).collect();
        let xs: Vec<[f32; Signals::COUNT]> = examples.iter().map(|e| e.0.vector()).collect();
        // Balance the two labels so the fitted probability does not lean on their ratio.
        let weight_pos = examples.len() as f64 / (2.0 * positives as f64);
        let weight_neg = examples.len() as f64 / (2.0 * negatives as f64);
        let lambda = 1e-3;
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
            let m = examples.len() as f64;
            loss = loss / m + lambda * w[..n - 1].iter().map(|w| w * w).sum::<f64>();
            if loss > last_loss {
                rate *= 0.5;
            }
            last_loss = loss;
            for k in 0..n {
                let reg = if k + 1 < n { 2.0 * lambda * w[k] } else { 0.0 };
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
            ..Signals::default()
        }
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
