//! A lexicon-based emotion detector for anger, anxiety and urgency, in Chinese and English.
//!
//! Each lexicon word scores points (strong anger words more); an intensifier just before a
//! word adds one; a negation just before it ("不着急", "not angry") cancels it. Runs of `!`
//! or `?`, shouting in capitals and complaints repeated over earlier turns add to the
//! strongest feeling. The score decides the level: calm, mild (soothe) or strong (soothe
//! and, for anger, escalate to a human).

use serde::{Deserialize, Serialize};

/// Which feeling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EmotionKind {
    Anger,
    Anxiety,
    Urgency,
}

/// How strong.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EmotionLevel {
    #[default]
    Calm,
    Mild,
    Strong,
}

/// What one message shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Emotion {
    pub kind: Option<EmotionKind>,
    pub level: EmotionLevel,
    pub score: u8,
}

impl EmotionKind {
    pub fn code(self) -> &'static str {
        match self {
            EmotionKind::Anger => "anger",
            EmotionKind::Anxiety => "anxiety",
            EmotionKind::Urgency => "urgency",
        }
    }
}

/// Words, thresholds and soothing texts (all configurable in `dialogue.toml`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct EmotionLexicon {
    /// Two points each.
    pub anger: Vec<String>,
    /// Three points each.
    pub anger_strong: Vec<String>,
    pub anxiety: Vec<String>,
    pub urgency: Vec<String>,
    pub intensifiers: Vec<String>,
    pub negations: Vec<String>,
    /// Score from which a feeling is mild.
    pub mild_at: u8,
    /// Score from which it is strong.
    pub strong_at: u8,
    pub comfort_anger: String,
    pub comfort_anger_strong: String,
    pub comfort_anxiety: String,
    pub comfort_urgency: String,
}

macro_rules! words {
    ($($w:expr),* $(,)?) => { vec![$($w.to_string()),*] };
}

impl Default for EmotionLexicon {
    fn default() -> EmotionLexicon {
        EmotionLexicon {
            anger: words![
                "生气",
                "太差",
                "很差",
                "真差",
                "差劲",
                "坑人",
                "坑爹",
                "骗人",
                "无语",
                "烂",
                "什么玩意",
                "搞什么",
                "投诉",
                "愤怒",
                "过分",
                "离谱",
                "不靠谱",
                "太慢",
                "差评",
                "破服务",
                "破东西",
                "angry",
                "terrible",
                "awful",
                "ridiculous",
                "useless",
                "horrible",
                "nonsense",
                "rubbish",
                "complain",
                "annoyed",
                "pathetic",
            ],
            anger_strong: words![
                "气死",
                "垃圾",
                "骗子",
                "滚",
                "智障",
                "废物",
                "恶心",
                "受够了",
                "忍无可忍",
                "什么破",
                "曝光你们",
                "worst",
                "scam",
                "furious",
                "wtf",
                "unacceptable",
                "hate",
                "disgusting",
                "fed up",
            ],
            anxiety: words![
                "着急",
                "急",
                "担心",
                "焦虑",
                "害怕",
                "慌",
                "不放心",
                "等不及",
                "心急",
                "worried",
                "anxious",
                "nervous",
                "afraid",
                "concerned",
            ],
            urgency: words![
                "马上",
                "立刻",
                "立即",
                "赶紧",
                "尽快",
                "快点",
                "急用",
                "急需",
                "加急",
                "等着用",
                "十万火急",
                "urgent",
                "urgently",
                "asap",
                "immediately",
                "right now",
                "hurry",
            ],
            intensifiers: words![
                "太",
                "非常",
                "真的",
                "真是",
                "特别",
                "超级",
                "极其",
                "简直",
                "十分",
                "好",
                "很",
                "一直",
                "总是",
                "very",
                "so",
                "really",
                "extremely",
                "totally",
                "absolutely",
                "super",
            ],
            negations: words![
                "不", "没", "别", "不用", "无需", "not", "no", "dont", "never"
            ],
            mild_at: 2,
            strong_at: 5,
            comfort_anger: "非常抱歉给您带来不好的体验，我来尽快帮您处理。".to_string(),
            comfort_anger_strong: "非常抱歉让您这么生气，这是我们做得不好。".to_string(),
            comfort_anxiety: "别着急，我马上帮您看看。".to_string(),
            comfort_urgency: "明白您很着急，我尽快帮您处理。".to_string(),
        }
    }
}

impl EmotionLexicon {
    /// The soothing opening for an emotion, if it deserves one.
    pub fn comfort(&self, emotion: &Emotion) -> Option<&str> {
        let kind = emotion.kind?;
        let text = match (kind, emotion.level) {
            (_, EmotionLevel::Calm) => return None,
            (EmotionKind::Anger, EmotionLevel::Strong) => &self.comfort_anger_strong,
            (EmotionKind::Anger, _) => &self.comfort_anger,
            (EmotionKind::Anxiety, _) => &self.comfort_anxiety,
            (EmotionKind::Urgency, _) => &self.comfort_urgency,
        };
        (!text.is_empty()).then_some(text.as_str())
    }
}

/// Reads the emotion of one message. `raw` is what the customer typed, `norm` its
/// normalised form; `earlier_complaints` counts earlier negative turns.
pub fn detect(lex: &EmotionLexicon, raw: &str, norm: &str, earlier_complaints: u8) -> Emotion {
    let anger = hits(lex, norm, &lex.anger, 2) + hits(lex, norm, &lex.anger_strong, 3);
    let anxiety = hits(lex, norm, &lex.anxiety, 2);
    let urgency = hits(lex, norm, &lex.urgency, 2);
    let mut scores = [
        (EmotionKind::Anger, anger),
        (EmotionKind::Urgency, urgency),
        (EmotionKind::Anxiety, anxiety),
    ];
    crate::sort::sort_by_key(&mut scores, |&(_, s)| std::cmp::Reverse(s));
    let (kind, mut score) = scores[0];
    let punctuation = punctuation_points(raw);
    let shouting = shouting_points(raw);
    if score > 0 {
        score += punctuation + shouting + u32::from(earlier_complaints.min(2));
    } else if punctuation + shouting >= 2 {
        // "???!!!" alone, or SHOUTING: impatience without words.
        return level(lex, Some(EmotionKind::Anger), punctuation + shouting);
    }
    if score == 0 {
        return Emotion::default();
    }
    level(lex, Some(kind), score)
}

fn level(lex: &EmotionLexicon, kind: Option<EmotionKind>, score: u32) -> Emotion {
    let score = score.min(u8::MAX as u32) as u8;
    let level = if score >= lex.strong_at {
        EmotionLevel::Strong
    } else if score >= lex.mild_at {
        EmotionLevel::Mild
    } else {
        EmotionLevel::Calm
    };
    Emotion {
        kind: if level == EmotionLevel::Calm {
            None
        } else {
            kind
        },
        level,
        score,
    }
}

/// Points for every occurrence of `words` in `norm`, skipping negated ones and adding one
/// for an intensifier just before.
fn hits(lex: &EmotionLexicon, norm: &str, words: &[String], points: u32) -> u32 {
    let mut total = 0;
    let mut covered: Vec<(usize, usize)> = Vec::new();
    let mut sorted: Vec<&String> = words.iter().collect();
    crate::sort::sort_by_key(&mut sorted, |w| std::cmp::Reverse(w.len()));
    for word in sorted {
        let mut from = 0;
        while let Some(found) = norm.get(from..).and_then(|rest| rest.find(word.as_str())) {
            let at = from + found;
            let end = at + word.len();
            from = end;
            if covered.iter().any(|&(a, b)| at < b && a < end) {
                continue;
            }
            if word.is_ascii() && !boundary(norm, at, end)
                || !super::lexicon::on_boundaries(norm, at, end)
            {
                continue;
            }
            covered.push((at, end));
            let before = &norm[..at];
            let tail: String = before
                .chars()
                .rev()
                .take(3)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let tail = tail.trim_end();
            if lex.negations.iter().any(|n| tail.ends_with(n.as_str())) {
                continue;
            }
            total += points;
            if lex.intensifiers.iter().any(|i| tail.ends_with(i.as_str())) {
                total += 1;
            }
        }
    }
    total
}

fn boundary(norm: &str, at: usize, end: usize) -> bool {
    let b = norm.as_bytes();
    (at == 0 || !b[at - 1].is_ascii_alphanumeric())
        && (end >= b.len() || !b[end].is_ascii_alphanumeric())
}

/// `!!` one point, `!!!` two; `???` one.
fn punctuation_points(raw: &str) -> u32 {
    let run = |set: &[char]| {
        let mut best = 0;
        let mut current = 0;
        for c in raw.chars() {
            if set.contains(&c) {
                current += 1;
                best = best.max(current);
            } else {
                current = 0;
            }
        }
        best
    };
    let bangs = run(&['!', '！']);
    let mixed = run(&['!', '！', '?', '？']);
    let bang_points = match bangs {
        0 | 1 => 0,
        2 => 1,
        _ => 2,
    };
    bang_points.max(u32::from(mixed >= 3))
}

/// Two or more English words of three letters or more in capitals.
fn shouting_points(raw: &str) -> u32 {
    let loud = raw
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 3 && w.chars().all(|c| c.is_ascii_uppercase()))
        .count();
    u32::from(loud >= 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(raw: &str) -> Emotion {
        let norm = raw
            .to_lowercase()
            .replace(['!', '！', '?', '？', '，', ','], " ");
        detect(&EmotionLexicon::default(), raw, &norm, 0)
    }

    #[test]
    fn levels() {
        assert_eq!(read("发票怎么开").level, EmotionLevel::Calm);
        let e = read("什么破服务，气死我了！！！");
        assert_eq!(
            (e.kind, e.level),
            (Some(EmotionKind::Anger), EmotionLevel::Strong)
        );
        let e = read("我很着急");
        assert_eq!(
            (e.kind, e.level),
            (Some(EmotionKind::Anxiety), EmotionLevel::Mild)
        );
        assert_eq!(read("不着急，慢慢来").level, EmotionLevel::Calm);
        let e = read("I need it ASAP");
        assert_eq!(e.kind, Some(EmotionKind::Urgency));
        let e = read("THIS IS UNACCEPTABLE, worst service!!!");
        assert_eq!(e.level, EmotionLevel::Strong);
    }

    #[test]
    fn repeated_complaints_escalate() {
        let lex = EmotionLexicon::default();
        assert_eq!(
            detect(&lex, "太差了！！", "太差了", 0).level,
            EmotionLevel::Mild
        );
        assert_eq!(
            detect(&lex, "太差了！！", "太差了", 2).level,
            EmotionLevel::Strong
        );
    }
}
