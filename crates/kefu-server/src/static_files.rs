//! The widget's files (Trunk's `dist/`) and the knowledge base, with ETags (`If-None-Match`
//! → 304), cache headers and, through the router's compression layer, gzip / brotli.
//!
//! Cache policy: files whose names carry Trunk's content hash (`kefu-widget-1a2b…_bg.wasm`)
//! are immutable for a year; everything else (`index.html`, `kb.bin`, …) is revalidated on
//! every use, which costs a 304 when nothing changed.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::state::AppState;

/// A folder served at `/`.
#[derive(Clone)]
pub struct StaticFiles {
    root: PathBuf,
    /// ETag per file, valid while its size and modification time stay the same.
    etags: Arc<Mutex<HashMap<PathBuf, Stamped>>>,
}

/// A file's size, modification time and ETag.
type Stamped = (u64, Option<SystemTime>, String);

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

impl StaticFiles {
    pub fn new(root: PathBuf) -> StaticFiles {
        StaticFiles {
            root,
            etags: Arc::default(),
        }
    }

    /// The file a URL path names, never outside the root.
    fn resolve(&self, path: &str) -> Option<PathBuf> {
        let mut out = self.root.clone();
        for part in Path::new(path.trim_start_matches('/')).components() {
            match part {
                Component::Normal(p) => out.push(p),
                Component::CurDir => {}
                _ => return None,
            }
        }
        if out.is_dir() {
            out.push("index.html");
        }
        Some(out)
    }

    async fn serve(&self, uri: &Uri, headers: &HeaderMap) -> Response {
        let Ok(decoded) = percent_decode(uri.path()) else {
            return StatusCode::BAD_REQUEST.into_response();
        };
        let Some(path) = self.resolve(&decoded) else {
            return StatusCode::NOT_FOUND.into_response();
        };
        let meta = match tokio::fs::metadata(&path).await {
            Ok(m) if m.is_file() => m,
            _ => return StatusCode::NOT_FOUND.into_response(),
        };
        let stamp = (meta.len(), meta.modified().ok());
        let cached = {
            let etags = self.etags.lock().expect("etag lock");
            etags
                .get(&path)
                .filter(|(len, modified, _)| (*len, *modified) == stamp)
                .map(|(_, _, etag)| etag.clone())
        };
        if let Some(etag) = &cached {
            if matches(headers, etag) {
                return not_modified(etag, cache_control(&path));
            }
        }
        let bytes = match tokio::fs::read(&path).await {
            Ok(b) => Bytes::from(b),
            Err(_) => return StatusCode::NOT_FOUND.into_response(),
        };
        let etag = cached.unwrap_or_else(|| {
            let etag = etag_of(&bytes);
            self.etags
                .lock()
                .expect("etag lock")
                .insert(path.clone(), (stamp.0, stamp.1, etag.clone()));
            etag
        });
        if matches(headers, &etag) {
            return not_modified(&etag, cache_control(&path));
        }
        file_response(bytes, &etag, content_type(&path), cache_control(&path))
    }
}

/// A weak ETag (the body may be compressed on the way) from the content's SHA-256.
pub fn etag_of(bytes: &[u8]) -> String {
    format!("W/\"{}\"", hex::encode(&Sha256::digest(bytes)[..12]))
}

/// Whether `If-None-Match` names `etag` (or `*`).
pub fn matches(headers: &HeaderMap, etag: &str) -> bool {
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_string();
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|t| t.trim() == "*" || bare(t) == bare(etag))
}

pub fn not_modified(etag: &str, cache: &'static str) -> Response {
    let mut r = StatusCode::NOT_MODIFIED.into_response();
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    r
}

pub fn file_response(
    bytes: Bytes,
    etag: &str,
    content_type: &'static str,
    cache: &'static str,
) -> Response {
    let mut r = Response::new(Body::from(bytes));
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if let Ok(v) = HeaderValue::from_str(etag) {
        h.insert(header::ETAG, v);
    }
    r
}

fn cache_control(path: &Path) -> &'static str {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if has_content_hash(name) {
        IMMUTABLE
    } else {
        REVALIDATE
    }
}

/// Trunk names its outputs `name-<16 hex digits>[_bg].ext`.
fn has_content_hash(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or("");
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() >= 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

fn percent_decode(path: &str) -> Result<String, ()> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3).ok_or(())?;
            let s = std::str::from_utf8(hex).map_err(|_| ())?;
            out.push(u8::from_str_radix(s, 16).map_err(|_| ())?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let s = String::from_utf8(out).map_err(|_| ())?;
    if s.contains('\0') || s.contains('\\') {
        return Err(());
    }
    Ok(s)
}

/// `GET /kb.bin`: the knowledge base the server itself runs (so the widget and the chat API
/// answer from the same build); falls through to the static folder without `--kb`. A split
/// knowledge base's first file is served here and its companion at `/<its name>` (see
/// [`static_fallback`]).
pub async fn kb_bin(State(state): State<AppState>, uri: Uri, headers: HeaderMap) -> Response {
    match state.kb.get() {
        Some(kb) => {
            let etag = format!("W/\"{}\"", kb.version);
            if matches(&headers, &etag) {
                return not_modified(&etag, REVALIDATE);
            }
            file_response(
                kb.bytes.clone(),
                &etag,
                "application/octet-stream",
                REVALIDATE,
            )
        }
        None => static_fallback(State(state), Method::GET, uri, headers).await,
    }
}

/// Everything that is no route: a file of the static folder, or 404.
pub async fn static_fallback(
    State(state): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    // The companion of a split knowledge base, beside `/kb.bin`, from the same build.
    if let Some(kb) = state.kb.get() {
        if let Some(c) = kb
            .companion
            .as_ref()
            .filter(|c| uri.path().strip_prefix('/') == Some(c.file.as_str()))
        {
            let etag = format!("W/\"{}\"", c.version);
            if matches(&headers, &etag) {
                return not_modified(&etag, REVALIDATE);
            }
            return file_response(
                c.bytes.clone(),
                &etag,
                "application/octet-stream",
                REVALIDATE,
            );
        }
    }
    match &state.static_files {
        Some(files) => files.serve(&uri, &headers).await,
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_root_and_hashed_names_are_immutable() {
        let files = StaticFiles::new(PathBuf::from("/srv/dist"));
        assert_eq!(
            files.resolve("/a/b.js"),
            Some(PathBuf::from("/srv/dist/a/b.js"))
        );
        assert_eq!(files.resolve("/../etc/passwd"), None);
        assert!(percent_decode("/%2e%2e/x").is_ok_and(|p| files.resolve(&p).is_none()));
        assert!(has_content_hash("kefu-widget-3f2a9c0d1e2b3c4d_bg.wasm"));
        assert!(has_content_hash("kefu-widget-3f2a9c0d1e2b3c4d.js"));
        assert!(!has_content_hash("index.html"));
        assert!(!has_content_hash("kb.bin"));
    }
}
