//! Reads the conversation settings from the sources: `dialogue.toml` (lexicons, texts,
//! handoff policy, emotion words, the order-number pattern), `products.toml` (the
//! catalogue) and `flows/*.toml` (guided flows). Every file is optional; what is missing
//! keeps the engine's built-in default. Problems are reported with `file:line`.

mod flows;
mod products;
mod settings;

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use kefu_core::dialogue::products as catalogue;
use kefu_core::dialogue::DialogueConfig;
use kefu_core::tables::Tables;
use kefu_core::text::normalize;
use serde::Deserialize;

use crate::diagnostics::{line_of, Diagnostics, Origin};

/// Reads `products.toml`, `flows/` and `dialogue.toml` when `root` is a directory.
pub fn load(
    root: &Path,
    entry_ids: &HashMap<String, u32>,
    diags: &mut Diagnostics,
) -> DialogueConfig {
    let mut config = DialogueConfig::default();
    if !root.is_dir() {
        return config;
    }
    let tables = crate::chartables::build().expand();
    let ctx = Context {
        tables: &tables,
        entry_ids,
    };
    let path = root.join("dialogue.toml");
    if let Some(mut file) = SourceFile::open(&path, diags) {
        settings::read(&mut file, &ctx, &mut config);
    }
    let path = root.join("products.toml");
    if let Some(mut file) = SourceFile::open(&path, diags) {
        config.catalogue = products::read(&mut file, &ctx);
    }
    let dir = root.join("flows");
    if dir.is_dir() {
        let mut paths: Vec<PathBuf> = match std::fs::read_dir(&dir) {
            Ok(list) => list.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => {
                diags.error(&Origin::new(&dir, None), format!("cannot list flows: {e}"));
                Vec::new()
            }
        };
        paths.retain(|p| p.extension().and_then(|e| e.to_str()) == Some("toml"));
        paths.sort();
        for path in paths {
            if let Some(mut file) = SourceFile::open(&path, diags) {
                if let Some(flow) = flows::read(&mut file, &ctx, &config) {
                    if config.flows.iter().any(|f| f.id == flow.id) {
                        file.error(
                            Some(1),
                            format!("flow id `{}` is used by another flow", flow.id),
                        );
                    } else {
                        config.flows.push(flow);
                    }
                }
            }
        }
    }
    config
}

/// What every reader needs besides its file.
struct Context<'a> {
    tables: &'a Tables,
    entry_ids: &'a HashMap<String, u32>,
}

impl Context<'_> {
    /// The normalised form of a phrase, as the engine sees customer text.
    fn norm(&self, phrase: &str) -> String {
        normalize(self.tables, phrase)
    }

    /// Normalised phrases, without empties and duplicates.
    fn norm_list(&self, phrases: &[String]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for p in phrases {
            let n = self.norm(p);
            if !n.is_empty() && !out.contains(&n) {
                out.push(n);
            }
        }
        out
    }

    /// Catalogue names in the forms the engine matches them in: spaces next to Chinese
    /// characters removed, and all spaces removed ("x1 pro", "x1pro").
    fn compact_list(&self, phrases: &[String]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for p in phrases {
            let n = self.norm(p);
            for form in [catalogue::tight(&n), catalogue::compact(&n)] {
                if !form.is_empty() && !out.contains(&form) {
                    out.push(form);
                }
            }
        }
        out
    }
}

/// A source file being read, with its diagnostics.
struct SourceFile<'d> {
    path: PathBuf,
    text: String,
    diags: &'d mut Diagnostics,
}

impl<'d> SourceFile<'d> {
    /// Opens `path` if it exists.
    fn open(path: &Path, diags: &'d mut Diagnostics) -> Option<SourceFile<'d>> {
        if !path.exists() {
            return None;
        }
        match std::fs::read_to_string(path) {
            Ok(text) => Some(SourceFile {
                path: path.to_path_buf(),
                text,
                diags,
            }),
            Err(e) => {
                diags.error(&Origin::new(path, None), format!("cannot read: {e}"));
                None
            }
        }
    }

    /// Parses the whole file as `T`.
    fn parse<T: for<'de> Deserialize<'de>>(&mut self) -> Option<T> {
        match toml::from_str(&self.text) {
            Ok(v) => Some(v),
            Err(e) => {
                let line = e.span().map(|s| line_of(&self.text, s.start));
                self.error(line, e.message().to_string());
                None
            }
        }
    }

    fn line(&self, span: Range<usize>) -> usize {
        line_of(&self.text, span.start)
    }

    fn error(&mut self, line: Option<usize>, message: impl Into<String>) {
        self.diags.error(&Origin::new(&self.path, line), message);
    }

    fn warning(&mut self, line: Option<usize>, message: impl Into<String>) {
        self.diags.warning(&Origin::new(&self.path, line), message);
    }

    /// Resolves entry ids; unknown ids are errors at `line`.
    fn entries(&mut self, ctx: &Context<'_>, ids: &[String], line: usize, what: &str) -> Vec<u32> {
        let mut out = Vec::new();
        for id in ids {
            match ctx.entry_ids.get(id) {
                Some(&e) => out.push(e),
                None => self.error(Some(line), format!("{what}: no entry has the id `{id}`")),
            }
        }
        out
    }
}
