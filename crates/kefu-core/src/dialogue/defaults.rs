//! Built-in defaults of the conversation settings: the lexicons, policies and texts a
//! Chinese shop that also reads English starts with. Every value can be overridden in
//! `dialogue.toml` (see docs/dialogue.md). Flat tables, kept compact on purpose.

use super::config::{ContextPolicy, DialogueConfig, DialogueTexts, HandoffPolicy, Lexicon};
use super::emotion::EmotionLexicon;
use super::pattern::Pattern;
use super::products::Catalogue;

macro_rules! words {
    ($($w:expr),* $(,)?) => { vec![$($w.to_string()),*] };
}

impl Default for DialogueConfig {
    fn default() -> DialogueConfig {
        DialogueConfig {
            order_number: Pattern::parse(r"\d{6,20}").expect("built-in pattern"),
            lexicon: Lexicon::default(),
            texts: DialogueTexts::default(),
            handoff: HandoffPolicy::default(),
            emotion: EmotionLexicon::default(),
            context: ContextPolicy::default(),
            catalogue: Catalogue::default(),
            flows: Vec::new(),
            order_entries: Vec::new(),
            rating_reasons: words!["答案没有帮助", "没听懂我的问题", "等待太久", "转人工太难",],
            locales: super::locale::Locales::default(),
            compounds: compounds(),
            translations: Default::default(),
        }
    }
}

#[rustfmt::skip]
impl Default for Lexicon {
    fn default() -> Lexicon {
        Lexicon {
            human_requests: words![
                "转人工", "找人工", "要人工", "接人工", "转接人工", "找真人", "找客服", "找活人",
                "叫人工", "换人工", "talk to a human", "speak to a human", "human agent", "real person",
                "live agent", "talk to an agent", "speak to an agent", "customer service agent",
                "representative",
            ],
            human_words: words![
                "人工", "人工客服", "真人", "真人客服", "活人", "客服", "human", "agent", "operator", "rengong",
            ],
            fillers: words![
                "我要", "我想", "给我", "帮我", "我", "要", "想", "请", "麻烦", "一下", "转", "接", "找", "叫", "换",
                "个", "1个", "快", "点", "吧", "呀", "啊", "的", "你", "您", "们", "呢", "吗", "了", "哦", "嗯",
                "啦", "哈", "好", "这个", "那个", "订单", "订单号", "单号", "申请", "办理", "马上", "赶紧", "i", "want",
                "to", "a", "an", "the", "please", "talk", "speak", "with", "me", "need", "my",
                "order", "can", "you", "let", "now", "get", "some", "would", "like",
            ],
            cancel: words![
                "取消", "算了", "不用了", "不要了", "退出", "不办了", "先不了", "不弄了", "不退了", "不改了", "cancel",
                "never mind", "nevermind", "stop", "quit", "forget it",
            ],
            detail: words![
                "详细说说", "详细点", "详细一点", "详细些", "具体点", "具体一点", "具体说说", "具体些", "还有呢", "展开说说", "说详细",
                "多说点", "然后呢", "详情", "tell me more", "more details", "more detail", "details",
                "explain more",
            ],
            greeting: words![
                "你好", "您好", "在吗", "在不在", "哈喽", "嗨", "hello", "hi", "hey", "有人吗",
            ],
            thanks: words![
                "谢谢", "多谢", "感谢", "谢啦", "明白了", "知道了", "懂了", "解决了", "好的", "好滴", "ok", "okay",
                "thanks", "thank you", "thx", "got it", "唔该", "唔该晒", "多谢晒", "明白晒",
            ],
            goodbye: words![
                "再见", "拜拜", "没有了", "冇嘢喇", "冇其他嘢", "没问题了", "就这样", "bye", "goodbye", "that is all",
            ],
            yes: words![
                "是的", "是", "对的", "对", "好的", "好", "可以", "嗯", "没错", "确认", "确定", "需要", "要", "yes",
                // Cantonese: 係 / 係呀 / 啱 (written simplified: the lexicon is normalised)
                "系", "系呀", "系啊", "系的", "啱", "啱呀", "冇错",
                "yeah", "yep", "y", "ok", "sure", "confirm",
            ],
            no: words![
                "不是", "不对", "否", "没有", "不用", "不要", "不需要", "不", "no",
                // Cantonese: 唔係 / 唔使 / 唔要 / 冇
                "唔系", "唔系呀", "唔使", "唔使喇", "唔要", "唔需要", "冇", "唔啱", "nope", "n", "not",
            ],
            order_status: words![
                "发货了吗", "发货没", "发了吗", "到哪了", "到哪里了", "在哪了", "查订单", "查一下订单", "查下订单", "帮我查下订单", "查查订单", "查一下我的订单", "订单状态", "我的订单", "我的快递",
                "我的包裹", "我买的", "还没到", "还没收到", "还没发货", "物流到哪", "where is my order", "order status",
                "track my order", "has my order shipped", "my order", "my package",
            ],
            order_words: words![
                "订单", "单号", "订单号", "order",
            ],
            eta: words![
                "什么时候到", "什么时候能到", "几天到", "几天能到", "多久到", "多久能到", "啥时候到", "哪天到", "哪天能到", "几点到", "几点能到", "几点能送到", "几点送到", "什么时候送到", "什么时候送达", "预计送达",
                "when will it arrive", "when will my order arrive", "arrive", "eta", "what time will it arrive", "when will it be delivered",
            ],
            tracking: words![
                "快递单号", "物流单号", "运单号", "tracking number", "哪家快递", "什么快递",
            ],
            recommend: words![
                "想买", "推荐", "买1件", "买1个", "买件", "买个", "有没有适合", "帮我挑", "求推荐", "买什么", "哪款好", "选哪个",
                "recommend", "looking for", "want to buy", "suggest",
            ],
            pronouns: words![
                "这款", "这个", "这台", "那款", "这件", "这罐", "这盒", "这瓶", "这袋", "这套", "这只", "这支", "这双", "这把", "这本", "这份", "那个", "它", "该商品", "this one", "it",
            ],
            question_fillers: words![
                "那", "的", "呢", "吗", "怎么样", "如何", "多大", "多少", "好不好", "好吗", "效果", "有几种", "几种", "有",
                "是", "什么", "哪些", "能", "可以", "大", "怎样", "这款", "这个", "它", "how", "is", "the", "what",
                "about", "does", "have", "it", "s",
            ],
            satisfied: words![
                "满意", "非常满意", "挺好", "很好", "好评", "satisfied", "good", "great",
            ],
            unsatisfied: words![
                "不满意", "差评", "不好", "没用", "没帮助", "unsatisfied", "dissatisfied", "not satisfied",
                "bad",
            ],
            question_markers: words![
                "吗", "怎么", "如何", "什么", "多少", "多久", "哪", "能不能", "可不可以", "是否", "为什么", "几", "呢",
                "how", "what", "when", "where", "why", "can", "could", "do", "does", "is",
            ],
        }
    }
}

#[rustfmt::skip]
impl Default for HandoffPolicy {
    fn default() -> HandoffPolicy {
        HandoffPolicy {
            on_request: true,
            human_entries: Vec::new(),
            unrecognised_limit: 3,
            repeated_question: true,
            strong_emotion: true,
            sensitive_entries: true,
            sensitive_words: words![
                "隐私泄露", "信息泄露", "泄露我的", "盗刷", "报警", "起诉", "律师", "消协",
            ],
            flagged: Vec::new(),
            flagged_below: 0.7,
        }
    }
}

impl Default for ContextPolicy {
    fn default() -> ContextPolicy {
        ContextPolicy {
            max_turns: 5,
            idle_seconds: 1800,
            // Empty: derived from the knowledge base (see `faq::keep_topic`), never ids of
            // one shop.
            product_topics: Vec::new(),
            order_topics: Vec::new(),
        }
    }
}

#[rustfmt::skip]
impl Default for DialogueTexts {
    fn default() -> DialogueTexts {
        let s = |t: &str| t.to_string();
        DialogueTexts {
            hot_questions_title: s("大家都在问："),
            greeting: s("您好，请问有什么可以帮您？"),
            thanks: s("不客气，很高兴能帮到您！"),
            goodbye: s("感谢您的咨询，祝您生活愉快，再见！"),
            cancelled: s("好的，还有其他问题可以随时问我。"),
            detail_none: s("关于这个问题，刚才已经是全部内容了。还有疑问可以换个问法，或输入「人工」联系客服。"),
            detail_unknown: s("您想详细了解哪个问题呢？可以先把问题告诉我。"),
            follow_ups_title: s("您可能还想问："),
            image_received: s("图片已收到。如需人工客服查看，请输入「人工」。"),
            ask_order_number: s("请提供您的订单号，我来帮您查询。"),
            looking_up_order: s("正在为您查询订单 {order_no}……"),
            order_status: s("订单 {order_no} 当前状态：{status}。"),
            order_not_found: s("没有查到订单 {order_no}，请核对订单号后再发给我。"),
            order_lookup_failed: s("订单查询暂时失败，请稍后再试，或输入「人工」联系客服。"),
            eta_known: s("订单 {order_no} 预计 {eta} 送达。"),
            eta_delivered: s("订单 {order_no} 已于 {delivered_at} 签收。"),
            eta_unshipped: s("订单 {order_no} 还未发货，发货后可查看预计送达时间。"),
            eta_unknown: s("暂时没有订单 {order_no} 的预计送达时间，可以用快递单号在快递公司官网查询。"),
            tracking: s("订单 {order_no} 由{carrier}配送，快递单号 {tracking_no}。"),
            tracking_unknown: s("订单 {order_no} 还没有快递单号，发货后会短信通知您。"),
            handoff: s("正在为您转接人工客服，请稍候。刚才的对话和信息会一并转给客服，您无需重复说明。"),
            handoff_sensitive: s("这个问题涉及资金或隐私，需要人工客服为您核实确认，正在为您转接。"),
            handoff_repeated: s("看来刚才的回答没能解决您的问题，正在为您转接人工客服。"),
            handoff_unrecognised: s("抱歉，小助手没能理解您的问题，正在为您转接人工客服。"),
            handoff_emotion: s("非常抱歉给您带来不好的体验，马上为您转接人工客服处理。"),
            handoff_low_confidence: s("这个问题需要人工客服为您确认，正在为您转接。"),
            handoff_flow: s("正在为您转接人工客服，您已提供的信息会一并转交。"),
            leave_message: s("现在是非工作时间，人工客服将于 {opens_at} 上线。请留下联系方式和问题，我们会在上线后尽快回复您。"),
            leave_message_need_contact: s("请留下手机号或邮箱，方便客服联系您。"),
            leave_message_sent: s("留言已提交，客服会在 {opens_at} 后尽快联系您（{contact}）。"),
            flow_cancelled: s("好的，已退出「{flow}」。还有其他问题可以继续问我。"),
            flow_resume: s("我们继续「{flow}」："),
            flow_invalid: s("没能识别您的回答，请再试一次。"),
            flow_offer_label: s("帮我办理「{flow}」"),
            detail_button: s("详细说说"),
            rating_prompt: s("请问本次服务您满意吗？"),
            rating_reason_prompt: s("抱歉没能让您满意，可以告诉我们原因吗？（可跳过）"),
            rating_thanks: s("感谢您的评价，祝您购物愉快！"),
            rating_thanks_unsatisfied: s("感谢您的反馈，我们会继续改进。"),
            product_choose: s("您问的是哪一款呢？"),
            product_price: s("{product} 的价格是 {price}。"),
            product_attribute_unknown: s("暂时没有{product}「{attribute}」的资料，可以输入「人工」咨询客服。"),
            recommend_intro: s("根据您的需求（{criteria}），为您推荐以下商品："),
            recommend_none: s("抱歉，暂时没有符合条件（{criteria}）的商品，可以放宽预算或换个要求试试。"),
            recommend_ask_category: s("您想买哪类商品呢？"),
            recommend_ask_budget: s("您的预算大概是多少？"),
        }
    }
}

/// Compound words that contain a shorter phrase of the built-in lists but mean something
/// else: 到账 (not "arrive"), 滚筒 (not "get lost"), 其它 (not "it"), 这个月 (not "this one").
#[rustfmt::skip]
pub fn compounds() -> Vec<String> {
    words![
        "到账", "到帐", "滚筒", "滚动", "滚轮", "翻滚", "打滚", "滚烫", "其它", "急诊", "急救",
        "烂尾", "差价", "差额", "色差", "温差", "时差", "落差", "误差", "不好意思", "要是", "只要",
        "主要", "重要", "要求", "个月", "个星期", "个礼拜", "个小时",
    ]
}
