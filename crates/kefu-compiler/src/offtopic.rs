//! Off-topic chat no shop answers: small talk, general knowledge, requests a customer
//! service bot does not serve. The compiler asks each of them against the knowledge base
//! and sets the clarify threshold above what most of them reach, so such chat gets the
//! fallback with the hot questions instead of unrelated choices, and the answer floor
//! above all but a few of them, so such chat is rarely answered directly. Written for this purpose (not
//! taken from any evaluation set); a shop whose entries cover one of these topics still
//! matches its own questions, which score far above a stray probe.

/// The probes, Chinese and English.
pub const PROBES: &[&str] = &[
    "明天会下雨吗",
    "这周末天气好不好",
    "外面冷不冷",
    "给我唱首歌",
    "说个段子听听",
    "陪我聊聊天",
    "你叫什么",
    "你几岁了",
    "你是男的还是女的",
    "你喜欢吃什么",
    "你有男朋友吗",
    "我好无聊",
    "晚上吃什么好",
    "推荐一部好看的电影",
    "最近有什么好听的歌",
    "北京有什么好玩的地方",
    "帮我写一首诗",
    "一加一等于几",
    "现在几点了",
    "今天星期几",
    "世界上最高的山是哪座",
    "地球为什么是圆的",
    "怎么减肥最快",
    "股票明天会涨吗",
    "比特币还能买吗",
    "怎么学好英语",
    "高考志愿怎么选",
    "谁是世界首富",
    "哈哈哈哈",
    "早上好呀",
    "晚安",
    "我失恋了",
    "帮我翻译一下这句话",
    "足球比赛谁赢了",
    "猫为什么怕水",
    "如何做红烧肉",
    "怎么养多肉植物",
    "附近有什么好吃的餐厅",
    "what's the weather like tomorrow",
    "tell me something funny",
    "sing me a song",
    "how old are you",
    "what is your favourite colour",
    "who won the football game",
    "recommend a good movie",
    "what time is it",
    "what is the capital of france",
    "how do I lose weight fast",
    "can you write me a poem",
    "i am bored",
    "good night",
    "who is the richest person in the world",
    "how do I cook pasta",
];

/// Share of probes allowed at or above the clarify threshold.
pub const CLARIFY_BUDGET: f32 = 0.1;
/// Share of probes allowed at or above the answer floor (the same budget as the simulated
/// out-of-scope questions, [`kefu_core::model::FALSE_ANSWER_BUDGET`]).
pub const ANSWER_BUDGET: f32 = kefu_core::model::FALSE_ANSWER_BUDGET;
