//! Every visible and ARIA string of the widget chrome, keyed, in zh-CN, zh-TW and English.
//!
//! The shop's own texts (welcome, fallback, answers, flow prompts) come from the knowledge
//! base and the conversation engine; this module only holds the widget's fixed strings:
//! labels, notices about the network and the server, forms. To add a language, add a [`Lang`]
//! variant, teach [`Lang::from_tag`] its tags and add one table.

use leptos::prelude::*;

/// A language of the widget chrome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Simplified Chinese, the default.
    #[default]
    ZhCn,
    /// Traditional Chinese.
    ZhTw,
    English,
}

impl Lang {
    /// The language for a BCP 47 tag such as `en-US`, `zh-CN` or `zh-Hant-TW`; unknown tags
    /// get `None`.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let tag = tag.trim().to_ascii_lowercase().replace('_', "-");
        if tag == "en" || tag.starts_with("en-") {
            Some(Lang::English)
        } else if tag.starts_with("zh-hant")
            || ["zh-tw", "zh-hk", "zh-mo"]
                .iter()
                .any(|t| tag.starts_with(t))
        {
            Some(Lang::ZhTw)
        } else if tag == "zh" || tag.starts_with("zh-") {
            Some(Lang::ZhCn)
        } else {
            None
        }
    }

    /// The first supported language of the browser's preferences, if any.
    pub fn from_browser() -> Option<Lang> {
        let navigator = web_sys::window()?.navigator();
        let languages = navigator.languages();
        languages
            .iter()
            .filter_map(|l| l.as_string())
            .chain(navigator.language())
            .find_map(|tag: String| Lang::from_tag(&tag))
    }

    /// The tag written into the widget's `lang` attribute and given to the engine.
    /// The widget language of the conversation engine's `locale`.
    pub fn of_locale(locale: kefu_core::dialogue::locale::Locale) -> Lang {
        use kefu_core::dialogue::locale::Locale;
        match locale {
            Locale::ZhCn => Lang::ZhCn,
            Locale::ZhTw => Lang::ZhTw,
            Locale::En => Lang::English,
        }
    }

    pub fn tag(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::ZhTw => "zh-TW",
            Lang::English => "en",
        }
    }
}

/// The name of one string of the widget chrome. `{name}` placeholders are filled by callers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    OpenChat,
    CloseChat,
    WindowLabel,
    Subtitle,
    SubtitleOffline,
    /// The header's line outside the shop's working hours: `{at}` is when agents are back.
    SubtitleAfterHours,
    /// `{at}` of [`Key::SubtitleAfterHours`] when agents are back the same day: `{time}`.
    TodayAt,
    /// `{at}` of [`Key::SubtitleAfterHours`] when agents are back the next day: `{time}`.
    TomorrowAt,
    /// `{at}` of [`Key::SubtitleAfterHours`] for a later day: `{moment}` (the engine's date).
    LaterAt,
    /// The header's line while the knowledge base could not be loaded.
    SubtitleError,
    MessagesLabel,
    InputPlaceholder,
    InputLabel,
    Send,
    SuggestionsLabel,
    HotQuestions,
    MoreDetail,
    FollowUps,
    Choices,
    Loading,
    LoadFailed,
    /// `{status}`, `{url}`.
    HttpFailed,
    /// `{url}`.
    NetworkFailed,
    Retry,
    CustomerSaid,
    BotSaid,
    AvatarAlt,
    NewConversation,
    SystemNotice,
    OrdersUnavailable,
    AgentsUnavailable,
    MessagesUnavailable,
    /// `{what}`.
    Queued,
    /// `{what}`.
    Sending,
    /// `{what}`.
    Sent,
    /// `{what}`, `{reason}`.
    SendFailed,
    WhatOrder,
    WhatHandoff,
    WhatMessage,
    Offline,
    BackOnline,
    /// The saved conversation did not read; its text is shown above.
    UnrestoredKept,
    /// The saved conversation did not read and nothing of it could be kept.
    UnrestoredLost,
    /// `{name}`, `{reason}`.
    ImageFailed,
    /// `{name}`.
    CustomerLiveImage,
    /// `{order}`.
    AskPhone,
    PhoneLabel,
    PhoneInvalid,
    Confirm,
    /// `{secs}`.
    TooManyTries,
    /// `{n}`, `{mins}`.
    HandoffQueued,
    HandoffWaiting,
    /// `{name}`.
    AgentSaid,
    AgentTyping,
    /// `{n}` (no estimate yet).
    HandoffPosition,
    /// `{name}`.
    AgentJoined,
    /// `{name}`.
    AgentLeft,
    LiveClosed,
    LiveConnecting,
    LiveConnected,
    /// `{secs}`.
    LiveReconnecting,
    LiveOffline,
    LivePending,
    /// An image for the agent waiting for the network.
    ImageQueued,
    /// An image for the agent the server acknowledged.
    ImageSent,
    /// `{name}`.
    AgentServing,
    AgentImage,
    OrderCardLabel,
    /// `{order}`, `{status}`: an order card shown just above again.
    OrderSameAsAbove,
    OrderNo,
    Carrier,
    Tracking,
    Eta,
    Items,
    StepOrdered,
    StepPaid,
    StepShipped,
    StepDelivered,
    ProductsLabel,
    ViewProduct,
    Matched,
    /// Between the items of a list ("、", ", ").
    ListSeparator,
    ComparisonLabel,
    Attribute,
    UploadPhoto,
    UploadHint,
    UploadBadType,
    /// `{size}`.
    UploadTooBig,
    /// `{name}`.
    CustomerImage,
    RatingLabel,
    LeaveMessageLabel,
    Contact,
    Question,
    SubmitMessage,
    FormIncomplete,
    FlowLabel,
    Voice,
    /// An image or photo on its way to the server.
    ImageSending,
    /// `{reason}`: a flow's photo the server did not take.
    PhotoFailed,
    /// A flow asked for a photo and no server is configured.
    PhotoUnavailable,
    /// A detailed answer of a split knowledge base whose second file could not be downloaded.
    DetailUnavailable,
    /// The bot's answer is on its way (a turn waits for a split knowledge base's companion).
    BotPreparing,
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
            Lang::ZhTw => zh_tw(key),
            Lang::English => english(key),
        }
    }

    /// The string for `key` with `{name}` placeholders replaced.
    pub fn fill(self, key: Key, args: &[(&str, &str)]) -> String {
        let mut text = self.t(key).to_string();
        for (name, value) in args {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }
}

fn zh_cn(key: Key) -> &'static str {
    match key {
        Key::OpenChat => "打开在线客服",
        Key::CloseChat => "关闭在线客服",
        Key::WindowLabel => "在线客服",
        Key::Subtitle => "智能客服 · 在线",
        Key::SubtitleOffline => "智能客服 · 离线",
        Key::SubtitleAfterHours => "智能客服 · 人工客服 {at} 上线",
        Key::TomorrowAt => "明天 {time}",
        Key::TodayAt => "{time}",
        Key::LaterAt => "{moment}",
        Key::SubtitleError => "智能客服 · 暂时无法使用",
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
        Key::NewConversation => "新对话",
        Key::SystemNotice => "系统提示",
        Key::OrdersUnavailable => {
            "订单查询暂不可用：本页面没有连接客服服务器。请到「我的订单」页面查看。"
        }
        Key::AgentsUnavailable => {
            "人工客服暂不可用：本页面没有连接客服服务器。您可以继续问我，或稍后再试。"
        }
        Key::MessagesUnavailable => "留言暂时无法提交：本页面没有连接客服服务器。",
        Key::Queued => "{what}：网络恢复后自动发送",
        Key::Sending => "{what}：正在发送…",
        Key::Sent => "{what}：已发送",
        Key::SendFailed => "{what}：发送失败（{reason}）",
        Key::WhatOrder => "查询订单",
        Key::WhatHandoff => "转人工客服",
        Key::WhatMessage => "留言",
        Key::Offline => "网络已断开：常见问题照常回答，需要联网的请求会在恢复后发送。",
        Key::BackOnline => "网络已恢复",
        Key::UnrestoredKept => "之前的对话无法完整恢复（可能来自旧版本），上面保留了对话文字；接下来的问题会重新开始回答。",
        Key::UnrestoredLost => "之前的对话无法恢复（保存的数据已损坏），已为您开始新的对话。",
        Key::ImageFailed => "图片 {name} 没有发送成功（{reason}），请重新选择。",
        Key::CustomerLiveImage => "[图片] {name}",
        Key::AskPhone => "为保护您的隐私，请输入订单 {order} 收货手机号的后 4 位：",
        Key::PhoneLabel => "手机号后 4 位",
        Key::PhoneInvalid => "请输入 4 位数字。",
        Key::Confirm => "确定",
        Key::TooManyTries => "尝试次数过多，请 {secs} 秒后再试。",
        Key::HandoffQueued => "已为您转接人工客服：您排在第 {n} 位，预计等待 {mins} 分钟。",
        Key::HandoffWaiting => "已为您转接人工客服，请稍候。",
        Key::AgentSaid => "客服 {name} 说",
        Key::AgentTyping => "客服正在输入…",
        Key::HandoffPosition => "已为您转接人工客服：您排在第 {n} 位，请稍候。",
        Key::AgentJoined => "客服 {name} 已接入，正在为您服务。",
        Key::AgentLeft => "客服 {name} 已离开，正在为您转接其他客服。",
        Key::LiveClosed => "人工客服对话已结束，接下来由智能客服为您服务。",
        Key::LiveConnecting => "正在连接人工客服…",
        Key::LiveConnected => "已连接人工客服",
        Key::LiveReconnecting => "连接中断，{secs} 秒后重新连接…",
        Key::LiveOffline => "网络已断开：消息会在恢复后发给客服。",
        Key::LivePending => "未送达",
        Key::ImageQueued => "待发送：联网后自动发送",
        Key::ImageSent => "已发送",
        Key::AgentServing => "人工客服 {name} 为您服务",
        Key::AgentImage => "[图片]",
        Key::OrderCardLabel => "订单详情",
        Key::OrderSameAsAbove => "订单 {order}：{status}（详情见上方）",
        Key::OrderNo => "订单号",
        Key::Carrier => "快递公司",
        Key::Tracking => "运单号",
        Key::Eta => "预计送达",
        Key::Items => "商品",
        Key::StepOrdered => "已下单",
        Key::StepPaid => "已付款",
        Key::StepShipped => "已发货",
        Key::StepDelivered => "已签收",
        Key::ProductsLabel => "为您推荐",
        Key::ViewProduct => "查看商品",
        Key::Matched => "符合：",
        Key::ListSeparator => "、",
        Key::ComparisonLabel => "商品对比",
        Key::Attribute => "对比项",
        Key::UploadPhoto => "上传图片",
        Key::UploadHint => "支持 JPG、PNG、WebP、GIF，不超过 5 MB",
        Key::UploadBadType => "只能上传 JPG、PNG、WebP 或 GIF 图片。",
        Key::UploadTooBig => "图片太大（{size}），请上传不超过 5 MB 的图片。",
        Key::CustomerImage => "[图片] {name}",
        Key::RatingLabel => "服务评价",
        Key::LeaveMessageLabel => "留言",
        Key::Contact => "联系方式（手机或邮箱）",
        Key::Question => "留言内容",
        Key::SubmitMessage => "提交留言",
        Key::FormIncomplete => "请填写联系方式和留言内容。",
        Key::FlowLabel => "办理步骤",
        Key::Voice => "语音输入",
        Key::ImageSending => "发送中…",
        Key::PhotoFailed => "照片没有发送成功（{reason}）。",
        Key::PhotoUnavailable => "照片现在无法发送：本页面没有连接客服服务器，照片没有提交。请稍后在店铺页面上传，或联系人工客服。",
        Key::DetailUnavailable => "详细说明还没有下载到本设备：请联网后再问一次。",
        Key::BotPreparing => "正在准备回答…",
    }
}

fn zh_tw(key: Key) -> &'static str {
    match key {
        Key::OpenChat => "開啟線上客服",
        Key::CloseChat => "關閉線上客服",
        Key::WindowLabel => "線上客服",
        Key::Subtitle => "智慧客服 · 線上",
        Key::SubtitleOffline => "智慧客服 · 離線",
        Key::SubtitleAfterHours => "智慧客服 · 真人客服 {at} 上線",
        Key::TomorrowAt => "明天 {time}",
        Key::TodayAt => "{time}",
        Key::LaterAt => "{moment}",
        Key::SubtitleError => "智慧客服 · 暫時無法使用",
        Key::MessagesLabel => "對話紀錄",
        Key::InputPlaceholder => "請輸入您的問題…",
        Key::InputLabel => "輸入您的問題",
        Key::Send => "傳送",
        Key::SuggestionsLabel => "猜您想問",
        Key::HotQuestions => "大家都在問",
        Key::MoreDetail => "詳細說說",
        Key::FollowUps => "您可能還想問",
        Key::Choices => "可選的問題",
        Key::Loading => "正在載入知識庫…",
        Key::LoadFailed => "客服暫時無法使用：知識庫載入失敗",
        Key::HttpFailed => "下載 {url} 失敗（HTTP {status}）：請確認 kb.bin 已發布在頁面旁邊。",
        Key::NetworkFailed => "無法下載 {url}：請檢查網路後重試。",
        Key::Retry => "重試",
        Key::CustomerSaid => "我說",
        Key::BotSaid => "客服說",
        Key::AvatarAlt => "客服頭像",
        Key::NewConversation => "新對話",
        Key::SystemNotice => "系統提示",
        Key::OrdersUnavailable => {
            "訂單查詢暫不可用：本頁面沒有連接客服伺服器。請到「我的訂單」頁面查看。"
        }
        Key::AgentsUnavailable => {
            "真人客服暫不可用：本頁面沒有連接客服伺服器。您可以繼續問我，或稍後再試。"
        }
        Key::MessagesUnavailable => "留言暫時無法送出：本頁面沒有連接客服伺服器。",
        Key::Queued => "{what}：網路恢復後自動傳送",
        Key::Sending => "{what}：正在傳送…",
        Key::Sent => "{what}：已傳送",
        Key::SendFailed => "{what}：傳送失敗（{reason}）",
        Key::WhatOrder => "查詢訂單",
        Key::WhatHandoff => "轉真人客服",
        Key::WhatMessage => "留言",
        Key::Offline => "網路已中斷：常見問題照常回答，需要連網的請求會在恢復後傳送。",
        Key::BackOnline => "網路已恢復",
        Key::UnrestoredKept => "之前的對話無法完整恢復（可能來自舊版本），上面保留了對話文字；接下來的問題會重新開始回答。",
        Key::UnrestoredLost => "之前的對話無法恢復（儲存的資料已損壞），已為您開始新的對話。",
        Key::ImageFailed => "圖片 {name} 沒有傳送成功（{reason}），請重新選擇。",
        Key::CustomerLiveImage => "[圖片] {name}",
        Key::AskPhone => "為保護您的隱私，請輸入訂單 {order} 收件手機號碼的後 4 碼：",
        Key::PhoneLabel => "手機號碼後 4 碼",
        Key::PhoneInvalid => "請輸入 4 位數字。",
        Key::Confirm => "確定",
        Key::TooManyTries => "嘗試次數過多，請 {secs} 秒後再試。",
        Key::HandoffQueued => "已為您轉接真人客服：您排在第 {n} 位，預計等待 {mins} 分鐘。",
        Key::HandoffWaiting => "已為您轉接真人客服，請稍候。",
        Key::AgentSaid => "客服 {name} 說",
        Key::AgentTyping => "客服正在輸入…",
        Key::HandoffPosition => "已為您轉接真人客服：您排在第 {n} 位，請稍候。",
        Key::AgentJoined => "客服 {name} 已接入，正在為您服務。",
        Key::AgentLeft => "客服 {name} 已離開，正在為您轉接其他客服。",
        Key::LiveClosed => "真人客服對話已結束，接下來由智能客服為您服務。",
        Key::LiveConnecting => "正在連線真人客服…",
        Key::LiveConnected => "已連線真人客服",
        Key::LiveReconnecting => "連線中斷，{secs} 秒後重新連線…",
        Key::LiveOffline => "網路已斷開：訊息會在恢復後傳給客服。",
        Key::LivePending => "未送達",
        Key::ImageQueued => "待傳送：連線後自動傳送",
        Key::ImageSent => "已傳送",
        Key::AgentServing => "真人客服 {name} 為您服務",
        Key::AgentImage => "[圖片]",
        Key::OrderCardLabel => "訂單詳情",
        Key::OrderSameAsAbove => "訂單 {order}：{status}（詳情見上方）",
        Key::OrderNo => "訂單編號",
        Key::Carrier => "物流公司",
        Key::Tracking => "貨運單號",
        Key::Eta => "預計送達",
        Key::Items => "商品",
        Key::StepOrdered => "已下單",
        Key::StepPaid => "已付款",
        Key::StepShipped => "已出貨",
        Key::StepDelivered => "已簽收",
        Key::ProductsLabel => "為您推薦",
        Key::ViewProduct => "查看商品",
        Key::Matched => "符合：",
        Key::ListSeparator => "、",
        Key::ComparisonLabel => "商品比較",
        Key::Attribute => "比較項目",
        Key::UploadPhoto => "上傳圖片",
        Key::UploadHint => "支援 JPG、PNG、WebP、GIF，不超過 5 MB",
        Key::UploadBadType => "只能上傳 JPG、PNG、WebP 或 GIF 圖片。",
        Key::UploadTooBig => "圖片太大（{size}），請上傳不超過 5 MB 的圖片。",
        Key::CustomerImage => "[圖片] {name}",
        Key::RatingLabel => "服務評價",
        Key::LeaveMessageLabel => "留言",
        Key::Contact => "聯絡方式（手機或電子郵件）",
        Key::Question => "留言內容",
        Key::SubmitMessage => "送出留言",
        Key::FormIncomplete => "請填寫聯絡方式和留言內容。",
        Key::FlowLabel => "辦理步驟",
        Key::Voice => "語音輸入",
        Key::ImageSending => "傳送中…",
        Key::PhotoFailed => "照片沒有傳送成功（{reason}）。",
        Key::PhotoUnavailable => "照片現在無法傳送：本頁面沒有連接客服伺服器，照片沒有提交。請稍後在商店頁面上傳，或聯絡真人客服。",
        Key::DetailUnavailable => "詳細說明還沒有下載到本裝置：請連上網路後再問一次。",
        Key::BotPreparing => "正在準備回答…",
    }
}

fn english(key: Key) -> &'static str {
    match key {
        Key::OpenChat => "Open customer service chat",
        Key::CloseChat => "Close customer service chat",
        Key::WindowLabel => "Customer service",
        Key::Subtitle => "Virtual assistant · online",
        Key::SubtitleOffline => "Virtual assistant · offline",
        Key::SubtitleAfterHours => "Virtual assistant · agents back {at}",
        Key::TomorrowAt => "tomorrow at {time}",
        Key::TodayAt => "at {time}",
        Key::LaterAt => "on {moment}",
        Key::SubtitleError => "Virtual assistant · unavailable",
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
        Key::NewConversation => "New conversation",
        Key::SystemNotice => "Notice",
        Key::OrdersUnavailable => "Order lookup is not available: this page is not connected to the service server. Please check “My orders”.",
        Key::AgentsUnavailable => "Human agents are not available: this page is not connected to the service server. You can keep asking me, or try again later.",
        Key::MessagesUnavailable => "Messages cannot be sent: this page is not connected to the service server.",
        Key::Queued => "{what}: will be sent when back online",
        Key::Sending => "{what}: sending…",
        Key::Sent => "{what}: sent",
        Key::SendFailed => "{what}: failed ({reason})",
        Key::WhatOrder => "Order lookup",
        Key::WhatHandoff => "Transfer to an agent",
        Key::WhatMessage => "Message",
        Key::Offline => "You are offline: common questions are still answered; requests that need the network are sent once you are back.",
        Key::BackOnline => "Back online",
        Key::UnrestoredKept => "The earlier conversation could not be fully restored (it may be from an older version); its text is kept above, and new questions start afresh.",
        Key::UnrestoredLost => "The earlier conversation could not be restored (the saved data is damaged); a new conversation has started.",
        Key::ImageFailed => "The image {name} was not sent ({reason}); please choose it again.",
        Key::CustomerLiveImage => "[Image] {name}",
        Key::AskPhone => "To protect your privacy, please enter the last 4 digits of the phone number on order {order}:",
        Key::PhoneLabel => "Last 4 digits of the phone number",
        Key::PhoneInvalid => "Please enter 4 digits.",
        Key::Confirm => "OK",
        Key::TooManyTries => "Too many attempts; please try again in {secs} seconds.",
        Key::HandoffQueued => "You are number {n} in the queue for an agent, about {mins} min.",
        Key::HandoffWaiting => "You are being transferred to an agent, please wait.",
        Key::AgentSaid => "Agent {name} said",
        Key::AgentTyping => "The agent is typing…",
        Key::HandoffPosition => "You are number {n} in the queue for an agent, please wait.",
        Key::AgentJoined => "{name} has joined and is helping you now.",
        Key::AgentLeft => "{name} has left; transferring you to another agent.",
        Key::LiveClosed => "The agent ended the chat; the assistant takes over again.",
        Key::LiveConnecting => "Connecting to an agent…",
        Key::LiveConnected => "Connected to an agent",
        Key::LiveReconnecting => "Connection lost, reconnecting in {secs} s…",
        Key::LiveOffline => "You are offline: your messages will reach the agent when you are back.",
        Key::LivePending => "not delivered yet",
        Key::ImageQueued => "waiting: sent once you are online",
        Key::ImageSent => "sent",
        Key::AgentServing => "{name} is helping you",
        Key::AgentImage => "[image]",
        Key::OrderCardLabel => "Order details",
        Key::OrderSameAsAbove => "Order {order}: {status} (details above)",
        Key::OrderNo => "Order no.",
        Key::Carrier => "Carrier",
        Key::Tracking => "Tracking no.",
        Key::Eta => "Expected",
        Key::Items => "Items",
        Key::StepOrdered => "Ordered",
        Key::StepPaid => "Paid",
        Key::StepShipped => "Shipped",
        Key::StepDelivered => "Delivered",
        Key::ProductsLabel => "Recommended for you",
        Key::ViewProduct => "View product",
        Key::Matched => "Matches: ",
        Key::ListSeparator => ", ",
        Key::ComparisonLabel => "Comparison",
        Key::Attribute => "Attribute",
        Key::UploadPhoto => "Upload a photo",
        Key::UploadHint => "JPG, PNG, WebP or GIF, up to 5 MB",
        Key::UploadBadType => "Only JPG, PNG, WebP or GIF images can be uploaded.",
        Key::UploadTooBig => "The image is too large ({size}); please upload one of at most 5 MB.",
        Key::CustomerImage => "[image] {name}",
        Key::RatingLabel => "Rate this chat",
        Key::LeaveMessageLabel => "Leave a message",
        Key::Contact => "Contact (phone or e-mail)",
        Key::Question => "Your message",
        Key::SubmitMessage => "Send message",
        Key::FormIncomplete => "Please fill in your contact and your message.",
        Key::FlowLabel => "Steps",
        Key::Voice => "Voice input",
        Key::ImageSending => "sending…",
        Key::PhotoFailed => "The photo was not sent ({reason}).",
        Key::PhotoUnavailable => "The photo cannot be sent now: this page is not connected to the shop's server, so it was not submitted. Please upload it later from the shop's page, or ask for an agent.",
        Key::DetailUnavailable => "The detailed answer has not been downloaded to this device yet: please ask again once online.",
        Key::BotPreparing => "Getting your answer ready…",
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
