//! Images for the agent, offline-first: an image the customer chooses during a live
//! conversation (checked for type and size already) is shown at once as waiting
//! ([`Said::CustomerQueuedImage`](crate::session::Said::CustomerQueuedImage)), its picture is
//! kept on the device (in memory, and in Cache Storage so a reload does not lose it), and it
//! is uploaded when the network is there: at once, when the browser comes back online, or
//! after a reload. The uploaded image then becomes a message of the live conversation with the
//! client id it was given when chosen, kept in the outbox until the server acknowledges it —
//! so it reaches the agent exactly once. A refused upload says so and loses nothing else.

use std::collections::HashMap;

use kefu_protocol::ws::ClientFrame;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::Chat;
use crate::store;

/// The Cache Storage bucket of the pictures waiting to be uploaded.
const CACHE: &str = "kefu-uploads-v1";
/// Seconds between attempts while the server does not answer.
const RETRY_SECS: u64 = 10;

/// The pictures of this page's waiting images, by client id, and the uploads under way.
#[derive(Default)]
pub struct Uploads {
    blobs: HashMap<String, web_sys::Blob>,
    in_flight: Vec<String>,
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
    }

    /// Uploads the waiting image `id` unless offline or already on its way.
    fn upload(&self, id: String) {
        if !store::online() || self.uploads.with_value(|u| u.in_flight.contains(&id)) {
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
                s.live_image_failed(&id, "closed".to_string());
            });
            return;
        };
        self.uploads.update_value(|u| u.in_flight.push(id.clone()));
        let chat = *self;
        spawn_local(async move {
            let blob = match chat.uploads.with_value(|u| u.blobs.get(&id).cloned()) {
                Some(blob) => Some(blob),
                None => kept(&id).await,
            };
            let Some(blob) = blob else {
                // Neither in memory nor on the device (storage cleared): say so.
                chat.uploads
                    .update_value(|u| u.in_flight.retain(|i| *i != id));
                chat.session
                    .update(|s| s.live_image_failed(&id, "lost".to_string()));
                return;
            };
            let result = api
                .upload_image(&live.conversation, &live.token, &blob)
                .await;
            chat.uploads
                .update_value(|u| u.in_flight.retain(|i| *i != id));
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
                    chat.session
                        .update(|s| s.live_image_failed(&id, err.reason()));
                    chat.forget_image(&id).await;
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
            let needed = self
                .session
                .with_untracked(|s| s.queued_images().iter().any(|(id, _)| key(id) == url));
            if !needed {
                let _ = JsFuture::from(cache.delete_with_request(&request)).await;
            }
        }
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
    format!("https://kefu-upload.invalid/{id}")
}

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
