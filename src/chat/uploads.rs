//! Images for the agent, offline-first: an image the customer chooses during a live
//! conversation (checked for type and size already) is shown at once as waiting
//! ([`Said::CustomerQueuedImage`](crate::session::Said::CustomerQueuedImage)), its picture is
//! kept on the device (in memory, and in Cache Storage so a reload does not lose it), and it
//! is uploaded when the network is there: at once, when the browser comes back online, or
//! after a reload. The uploaded image then becomes a message of the live conversation with the
//! client id it was given when chosen, kept in the outbox until the server acknowledges it —
//! so it reaches the agent exactly once. A refused upload says so and loses nothing else.
//!
//! A flow's photo (the return flow's photo step, before any agent) travels the same way but
//! to `PUT /api/v1/uploads/{id}`, under the reference its step's slot holds
//! ([`Said::CustomerPhoto`](crate::session::Said::CustomerPhoto)): shown as waiting, sending,
//! sent or failed (with a retry), kept on the device until the server has it; the server
//! stores one photo per reference, so a resend after a lost answer is harmless. With no
//! server configured the widget says the photo cannot be sent and the step is not answered.

use std::collections::HashMap;

use kefu_protocol::ws::ClientFrame;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::Chat;
use crate::session::{Notice, PhotoState};
use crate::store;

/// The Cache Storage bucket of the pictures waiting to be uploaded.
const CACHE: &str = "kefu-uploads-v1";
/// Seconds between attempts while the server does not answer.
const RETRY_SECS: u64 = 10;

/// The pictures of this page's waiting images, by client id (the uploads under way are
/// [`Chat::sending`], a signal: the bubbles show them).
#[derive(Default)]
pub struct Uploads {
    blobs: HashMap<String, web_sys::Blob>,
}

/// A new photo reference: `upl-` and 26 random lowercase letters (about 122 bits; letters
/// only, so no masking of numbers touches it). Reading a photo back needs an agent's
/// session, so the reference need not be secret, only unique.
fn photo_reference() -> String {
    let mut id = String::from("upl-");
    for _ in 0..26 {
        id.push(char::from(
            b'a' + (js_sys::Math::random() * 26.0) as u8 % 26,
        ));
    }
    id
}

impl Chat {
    /// An image for the agent (checked for type and size already): shown as waiting, kept,
    /// and uploaded now if the network is there.
    pub(crate) fn image_for_agent(&self, file: web_sys::File) {
        let name = file.name();
        let Some(id) = self
            .session
            .try_update(|s| s.live_queue_image(&name))
            .flatten()
        else {
            return;
        };
        let blob: web_sys::Blob = file.into();
        self.uploads
            .update_value(|u| _ = u.blobs.insert(id.clone(), blob.clone()));
        let chat = *self;
        spawn_local(async move {
            keep(&id, &blob).await;
            chat.upload(id);
        });
    }

    /// The photo a flow's step asks for (checked for type and size already): without a
    /// server, says it cannot be sent and leaves the step unanswered; else shown as waiting,
    /// kept, given to the engine as its reference, and uploaded now if the network is there.
    pub(crate) fn flow_photo(&self, file: web_sys::File) {
        if !self.has_api() {
            self.notice(Notice::PhotoUnavailable);
            return;
        }
        let id = photo_reference();
        let blob: web_sys::Blob = file.clone().into();
        self.uploads
            .update_value(|u| _ = u.blobs.insert(id.clone(), blob.clone()));
        let name = file.name();
        self.turn(super::Turn::Photo {
            id: id.clone(),
            name: name.clone(),
        });
        self.bridge.with_value(|b| b.customer(&name));
        let chat = *self;
        spawn_local(async move {
            keep(&id, &blob).await;
            chat.upload_photo(id);
        });
    }

    /// Sends the failed image or photo `id` again.
    pub fn retry_upload(&self, id: &str) {
        if self
            .session
            .try_update(|s| s.live_image_retry(id))
            .unwrap_or(false)
        {
            self.upload(id.to_string());
        } else {
            self.retry_photo(id);
        }
    }

    /// Sends the failed photo `id` again.
    fn retry_photo(&self, id: &str) {
        self.session
            .update(|s| _ = s.set_photo_state(id, PhotoState::Waiting));
        self.upload_photo(id.to_string());
    }

    /// Whether image or photo `id` is being uploaded right now (tracked).
    pub fn is_sending(&self, id: &str) -> bool {
        self.sending.with(|s| s.iter().any(|i| i == id))
    }

    fn start_sending(&self, id: &str) -> bool {
        if self.sending.with_untracked(|s| s.iter().any(|i| i == id)) {
            return false;
        }
        self.sending.update(|s| s.push(id.to_string()));
        true
    }

    fn done_sending(&self, id: &str) {
        self.sending.update(|s| s.retain(|i| i != id));
    }

    /// The kept picture of `id`: in memory, or on the device after a reload.
    async fn picture(&self, id: &str) -> Option<web_sys::Blob> {
        match self.uploads.with_value(|u| u.blobs.get(id).cloned()) {
            Some(blob) => Some(blob),
            None => kept(id).await,
        }
    }

    /// Uploads the waiting photo `id` unless offline or already on its way.
    fn upload_photo(&self, id: String) {
        let waiting = self
            .session
            .with_untracked(|s| s.waiting_photos().iter().any(|(i, _)| *i == id));
        let Some(api) = self.api.get_value() else {
            return;
        };
        if !waiting || !store::online() || !self.start_sending(&id) {
            return;
        }
        let chat = *self;
        spawn_local(async move {
            let Some(blob) = chat.picture(&id).await else {
                chat.done_sending(&id);
                chat.session
                    .update(|s| _ = s.set_photo_state(&id, PhotoState::Failed("lost".into())));
                return;
            };
            let result = api.put_photo(&id, &blob).await;
            chat.done_sending(&id);
            match result {
                Ok(()) => {
                    chat.session
                        .update(|s| _ = s.set_photo_state(&id, PhotoState::Sent));
                    chat.forget_image(&id).await;
                }
                Err(err) if err.is_transient() => {
                    set_timeout(
                        move || chat.upload_photo(id),
                        std::time::Duration::from_secs(RETRY_SECS),
                    );
                }
                // Kept: the customer may send it again.
                Err(err) => chat
                    .session
                    .update(|s| _ = s.set_photo_state(&id, PhotoState::Failed(err.reason()))),
            }
        });
    }

    /// At start: forgets kept pictures no waiting image needs any more (a new conversation
    /// was started while one waited). Only then, when the session was just read from storage:
    /// another tab's newer image is in it.
    pub(crate) fn forget_unneeded_images(&self) {
        let chat = *self;
        spawn_local(async move { chat.sweep().await });
    }

    /// Uploads every waiting image (back online, or at start).
    pub(crate) fn flush_images(&self) {
        let waiting = self.session.with_untracked(|s| s.queued_images());
        for (id, _) in waiting {
            self.upload(id);
        }
        let photos = self.session.with_untracked(|s| s.waiting_photos());
        for (id, _) in photos {
            self.upload_photo(id);
        }
    }

    /// Uploads the waiting image `id` unless offline or already on its way.
    fn upload(&self, id: String) {
        if !store::online() || self.is_sending_untracked(&id) {
            return;
        }
        let waiting = self
            .session
            .with_untracked(|s| s.queued_images().into_iter().find(|(i, _)| *i == id));
        let Some((_, name)) = waiting else {
            return;
        };
        let (Some(live), Some(api)) = (
            self.session.with_untracked(|s| s.live.clone()),
            self.api.get_value(),
        ) else {
            // The live conversation ended before the image could go.
            self.session.update(|s| {
                s.live_image_failed(&id, "closed".to_string(), false);
            });
            return;
        };
        self.start_sending(&id);
        let chat = *self;
        spawn_local(async move {
            let Some(blob) = chat.picture(&id).await else {
                // Neither in memory nor on the device (storage cleared): say so.
                chat.done_sending(&id);
                chat.session
                    .update(|s| s.live_image_failed(&id, "lost".to_string(), false));
                return;
            };
            let result = api
                .upload_image(&live.conversation, &live.token, &blob)
                .await;
            chat.done_sending(&id);
            match result {
                Ok(image) => {
                    let out = chat
                        .session
                        .try_update(|s| s.live_image_uploaded(&id, image))
                        .flatten();
                    if let Some(out) = out {
                        chat.send_frame(&ClientFrame::Send {
                            id: out.id.clone(),
                            content: out.content(),
                        });
                    }
                    chat.forget_image(&id).await;
                }
                Err(err) if err.is_transient() => {
                    set_timeout(
                        move || chat.upload(id),
                        std::time::Duration::from_secs(RETRY_SECS),
                    );
                }
                Err(err) => {
                    leptos::logging::warn!("kefu: the image {name} was refused ({})", err.reason());
                    // Kept: the customer may send it again.
                    chat.session
                        .update(|s| s.live_image_failed(&id, err.reason(), true));
                }
            }
        });
    }

    /// Deletes the kept pictures of images that no longer wait (checked right before each
    /// delete, so an image chosen meanwhile keeps its own).
    async fn sweep(&self) {
        let Some(cache) = cache().await else { return };
        let Ok(requests) = JsFuture::from(cache.keys()).await else {
            return;
        };
        for request in js_sys::Array::from(&requests).iter() {
            let Ok(request) = request.dyn_into::<web_sys::Request>() else {
                continue;
            };
            let url = request.url();
            let needed = self.session.with_untracked(|s| {
                url.strip_prefix(KEY_PREFIX)
                    .is_some_and(|id| s.needs_picture(id))
            });
            if !needed {
                let _ = JsFuture::from(cache.delete_with_request(&request)).await;
            }
        }
    }

    fn is_sending_untracked(&self, id: &str) -> bool {
        self.sending.with_untracked(|s| s.iter().any(|i| i == id))
    }

    async fn forget_image(&self, id: &str) {
        self.uploads.update_value(|u| _ = u.blobs.remove(id));
        if let Some(cache) = cache().await {
            let _ = JsFuture::from(cache.delete_with_str(&key(id))).await;
        }
    }
}

/// The Cache Storage key of waiting image `id` (never fetched: only a name in the bucket).
fn key(id: &str) -> String {
    format!("{KEY_PREFIX}{id}")
}

const KEY_PREFIX: &str = "https://kefu-upload.invalid/";

async fn cache() -> Option<web_sys::Cache> {
    crate::loader::open_cache(CACHE).await
}

/// Keeps the picture so a reload before it is sent does not lose it.
async fn keep(id: &str, blob: &web_sys::Blob) {
    let Some(cache) = cache().await else { return };
    let Ok(response) = web_sys::Response::new_with_opt_blob(Some(blob)) else {
        return;
    };
    let _ = JsFuture::from(cache.put_with_str(&key(id), &response)).await;
}

/// The kept picture of waiting image `id`.
async fn kept(id: &str) -> Option<web_sys::Blob> {
    let cache = cache().await?;
    let response: web_sys::Response = JsFuture::from(cache.match_with_str(&key(id)))
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    JsFuture::from(response.blob().ok()?)
        .await
        .ok()?
        .dyn_into()
        .ok()
}
