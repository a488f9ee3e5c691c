//! The widget's components, one short file each.

pub mod app;
pub mod avatar;
pub mod bot_message;
pub mod cards;
pub mod chat_window;
pub mod composer;
pub mod forms;
pub mod header;
pub mod icons;
pub mod launcher;
pub mod load_error;
pub mod message_list;
pub mod notice;
pub mod rich_text;
pub mod suggestions;
pub mod voice;
