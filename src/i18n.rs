//! Every visible and ARIA string of the widget chrome, keyed, per language.
//!
//! The shop's own texts (welcome, fallback, clarify, answers) come from the knowledge base;
//! this module only holds the widget's fixed strings. To add a language (zh-TW is next), add
//! a [`Lang`] variant, teach [`Lang::from_tag`] its tags and add one arm to [`I18n::t`].

use leptos::prelude::*;

/// A language of the widget chrome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Simplified Chinese, the default.
    #[default]
    ZhCn,
    English,
}

impl Lang {
    /// The language for a BCP 47 tag such as `en-US` or `zh-CN`; unknown tags get `None`.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let tag = tag.trim().to_ascii_lowercase();
        if tag == "en" || tag.starts_with("en-") {
            Some(Lang::English)
        } else if tag == "zh" || tag == "zh-cn" || tag == "zh-hans" || tag == "zh-sg" {
            Some(Lang::ZhCn)
        } else {
            None
        }
    }

    /// The tag written into the widget's `lang` attribute.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::English => "en",
        }
    }
}

/// The name of one string of the widget chrome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// ARIA label of the launcher when the window is closed.
    OpenChat,
    /// ARIA label of the launcher and the header button when the window is open.
    CloseChat,
    /// ARIA label of the chat window.
    WindowLabel,
    /// Line under the brand name in the header.
    Subtitle,
    /// ARIA label of the message list.
    MessagesLabel,
    /// Placeholder of the input box.
    InputPlaceholder,
    /// ARIA label of the input box.
    InputLabel,
    /// Text and label of the send button.
    Send,
    /// ARIA label of the typeahead list.
    SuggestionsLabel,
    /// Caption above the hot questions.
    HotQuestions,
    /// The chip that asks for the detailed answer.
    MoreDetail,
    /// Caption above follow-up quick replies.
    FollowUps,
    /// ARIA label of the clarify choices.
    Choices,
    /// Shown while the knowledge base downloads.
    Loading,
    /// Heading of the load-failure message.
    LoadFailed,
    /// Download failed with an HTTP status; `{status}` and `{url}` are replaced.
    HttpFailed,
    /// Download failed before any response; `{url}` is replaced.
    NetworkFailed,
    /// The retry button after a load failure.
    Retry,
    /// ARIA label of a customer's message.
    CustomerSaid,
    /// ARIA label of a bot message.
    BotSaid,
    /// Alternative text of the brand avatar.
    AvatarAlt,
}

/// The translation layer handed to every component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct I18n {
    pub lang: Lang,
}

impl I18n {
    /// The string for `key` in this language.
    pub fn t(self, key: Key) -> &'static str {
        match self.lang {
            Lang::ZhCn => zh_cn(key),
            Lang::English => english(key),
        }
    }
}

fn zh_cn(key: Key) -> &'static str {
    match key {
        Key::OpenChat => "打开在线客服",
        Key::CloseChat => "关闭在线客服",
        Key::WindowLabel => "在线客服",
        Key::Subtitle => "智能客服 · 在线",
        Key::MessagesLabel => "对话记录",
        Key::InputPlaceholder => "请输入您的问题…",
        Key::InputLabel => "输入您的问题",
        Key::Send => "发送",
        Key::SuggestionsLabel => "猜您想问",
        Key::HotQuestions => "大家都在问",
        Key::MoreDetail => "详细说说",
        Key::FollowUps => "您可能还想问",
        Key::Choices => "可选的问题",
        Key::Loading => "正在加载知识库…",
        Key::LoadFailed => "客服暂时无法使用：知识库加载失败",
        Key::HttpFailed => "下载 {url} 失败（HTTP {status}）：请确认 kb.bin 已发布在页面旁边。",
        Key::NetworkFailed => "无法下载 {url}：请检查网络后重试。",
        Key::Retry => "重试",
        Key::CustomerSaid => "我说",
        Key::BotSaid => "客服说",
        Key::AvatarAlt => "客服头像",
    }
}

fn english(key: Key) -> &'static str {
    match key {
        Key::OpenChat => "Open customer service chat",
        Key::CloseChat => "Close customer service chat",
        Key::WindowLabel => "Customer service",
        Key::Subtitle => "Virtual assistant · online",
        Key::MessagesLabel => "Conversation",
        Key::InputPlaceholder => "Type your question…",
        Key::InputLabel => "Your question",
        Key::Send => "Send",
        Key::SuggestionsLabel => "Suggested questions",
        Key::HotQuestions => "Popular questions",
        Key::MoreDetail => "Tell me more",
        Key::FollowUps => "You may also ask",
        Key::Choices => "Possible questions",
        Key::Loading => "Loading the knowledge base…",
        Key::LoadFailed => "Chat is unavailable: the knowledge base failed to load",
        Key::HttpFailed => "Downloading {url} failed (HTTP {status}): make sure kb.bin is published next to the page.",
        Key::NetworkFailed => "Could not download {url}: check the connection and retry.",
        Key::Retry => "Retry",
        Key::CustomerSaid => "You said",
        Key::BotSaid => "Assistant said",
        Key::AvatarAlt => "Assistant avatar",
    }
}

/// Makes the translation layer available to the components below.
pub fn provide_i18n_context(lang: Lang) {
    provide_context(I18n { lang });
}

/// The translation layer provided by [`provide_i18n_context`].
pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}
