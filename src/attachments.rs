//! Evidence (O1) and attachments (C1) chosen while drafting, kept until the intake has them.
//!
//! A file is checked when chosen, by the rules the intake applies
//! (`kaifang_core::filing::evidence::check`: size, type by the bytes, name), then kept in
//! IndexedDB (`files.rs`) and listed in localStorage under its owner: the draft's key while
//! drafting, the filing's idempotency key once submitted (`rekey`). When the intake has
//! accepted the filing (a receipt token exists) every waiting file is uploaded with
//! XMLHttpRequest so progress can be shown; each ends `done` (and leaves IndexedDB) or
//! `failed` with the reason and a retry. A file is never sent twice on purpose: `done` is
//! stored, uploads in flight are tracked, and the intake answers a repeat of the same
//! name + bytes with the stored file instead of storing it again.

use crate::files;
use crate::net::intake;
use crate::net::NetError;
use crate::store;
use kaifang_core::filing::evidence::{self, Refusal};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use wasm_bindgen::JsCast;

/// Where an attachment is on its way to the intake.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "stage", rename_all = "snake_case")]
pub enum Stage {
    /// Kept in this browser; sent once the filing is accepted.
    #[default]
    Waiting,
    Done {
        evidence_id: i64,
    },
    Failed {
        zh: String,
        en: String,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attachment {
    /// The IndexedDB key of the file.
    pub id: String,
    pub name: String,
    pub size: f64,
    pub media_type: String,
    #[serde(default)]
    pub stage: Stage,
}

/// A file refused when chosen, with the reason in both languages.
#[derive(Debug, Clone, PartialEq)]
pub struct Refused {
    pub name: String,
    pub zh: String,
    pub en: String,
}

fn key(owner: &str) -> String {
    format!("attachments.{owner}")
}

/// The lists by owner (read from storage on first use), live upload percentages by file id.
#[derive(Clone, Copy)]
pub struct Attachments {
    lists: RwSignal<HashMap<String, Vec<Attachment>>>,
    pub progress: RwSignal<HashMap<String, f64>>,
    in_flight: StoredValue<HashSet<String>>,
}

pub fn use_attachments() -> Attachments {
    expect_context::<Attachments>()
}

pub fn provide_attachments() -> Attachments {
    let a = Attachments {
        lists: RwSignal::new(HashMap::new()),
        progress: RwSignal::new(HashMap::new()),
        in_flight: StoredValue::new(HashSet::new()),
    };
    provide_context(a);
    a
}

impl Attachments {
    /// The files of `owner` (reactive).
    pub fn list(&self, owner: &str) -> Vec<Attachment> {
        if let Some(l) = self.lists.with(|m| m.get(owner).cloned()) {
            return l;
        }
        let l: Vec<Attachment> = store::get(&key(owner)).unwrap_or_default();
        self.lists.update_untracked(|m| {
            m.insert(owner.to_string(), l.clone());
        });
        l
    }

    fn save(&self, owner: &str, list: Vec<Attachment>) {
        if list.is_empty() {
            store::remove(&key(owner));
        } else {
            store::set(&key(owner), &list);
        }
        self.lists.update(|m| {
            m.insert(owner.to_string(), list);
        });
    }

    fn update(&self, owner: &str, f: impl FnOnce(&mut Vec<Attachment>)) {
        let mut l = self.list_untracked(owner);
        f(&mut l);
        self.save(owner, l);
    }

    fn list_untracked(&self, owner: &str) -> Vec<Attachment> {
        untrack(|| self.list(owner))
    }

    /// Checks `file` as the intake will and keeps it for `owner`; a refused file is not kept.
    pub async fn add(&self, owner: &str, file: web_sys::File) -> Result<(), Refused> {
        let name = file.name();
        let refuse = |r: Refusal| {
            let (zh, en) = r.messages();
            Refused { name: name.clone(), zh, en }
        };
        if self.list_untracked(owner).len() as i64 >= evidence::MAX_FILES {
            return Err(Refused {
                name: name.clone(),
                zh: format!("每件最多 {} 个文件。", evidence::MAX_FILES),
                en: format!("At most {} files per filing.", evidence::MAX_FILES),
            });
        }
        // The size first: a huge file is refused without reading it.
        if file.size() > evidence::MAX_BYTES as f64 {
            return Err(refuse(Refusal::TooLarge));
        }
        let bytes = match wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
            Ok(buf) => js_sys::Uint8Array::new(&buf).to_vec(),
            Err(_) => {
                return Err(Refused {
                    name, zh: "无法读取此文件。".into(), en: "This file cannot be read.".into()
                })
            }
        };
        let declared = if file.type_().is_empty() { "application/octet-stream".to_string() } else { file.type_() };
        evidence::check(&name, &declared, &bytes).map_err(refuse)?;
        let id = crate::queue::new_key();
        files::put(&id, &file).await.map_err(|e| Refused {
            name: name.clone(),
            zh: format!("无法在本浏览器中保存此文件（{e}）。"),
            en: format!("This browser could not keep the file ({e})."),
        })?;
        let a = Attachment { id, name: name.clone(), size: file.size(), media_type: declared, stage: Stage::Waiting };
        self.update(owner, |l| l.push(a));
        Ok(())
    }

    pub fn remove(&self, owner: &str, id: &str) {
        self.update(owner, |l| l.retain(|a| a.id != id));
        let id = id.to_string();
        leptos::task::spawn_local(async move { files::delete(&id).await });
    }

    /// Hands a draft's files to the submitted filing (its idempotency key).
    pub fn rekey(&self, from: &str, to: &str) {
        let l = self.list_untracked(from);
        if !l.is_empty() {
            self.save(to, l);
            self.save(from, vec![]);
        }
    }

    /// Uploads every waiting file of an accepted filing (`owner` = its idempotency key).
    pub fn upload_waiting(&self, owner: &str, base: &str, token: &str) {
        for a in self.list_untracked(owner).into_iter().filter(|a| a.stage == Stage::Waiting) {
            self.upload(owner.to_string(), a, base.to_string(), token.to_string());
        }
    }

    /// A failed file is tried again.
    pub fn retry(&self, owner: &str, id: &str, base: &str, token: &str) {
        self.update(owner, |l| {
            if let Some(a) = l.iter_mut().find(|a| a.id == id) {
                a.stage = Stage::Waiting;
            }
        });
        self.upload_waiting(owner, base, token);
    }

    fn set_stage(&self, owner: &str, id: &str, stage: Stage) {
        self.update(owner, |l| {
            if let Some(a) = l.iter_mut().find(|a| a.id == id) {
                a.stage = stage;
            }
        });
    }

    fn upload(&self, owner: String, a: Attachment, base: String, token: String) {
        let fresh = self.in_flight.try_update_value(|s| s.insert(a.id.clone())).unwrap_or(false);
        if !fresh {
            return;
        }
        let this = *self;
        leptos::task::spawn_local(async move {
            let Some(file) = files::get(&a.id).await else {
                this.set_stage(
                    &owner,
                    &a.id,
                    Stage::Failed {
                        zh: "此文件已不在本浏览器中，请在“我的申请”中重新添加。".into(),
                        en: "This browser no longer holds the file; add it again under “my filings”.".into(),
                    },
                );
                this.in_flight.update_value(|s| {
                    s.remove(&a.id);
                });
                return;
            };
            this.progress.update(|p| {
                p.insert(a.id.clone(), 0.0);
            });
            let (id1, id2) = (a.id.clone(), a.id.clone());
            crate::net::uploads::upload_evidence(
                &base,
                &token,
                file,
                move |sent, total| {
                    if total > 0.0 {
                        this.progress.update(|p| {
                            p.insert(id1.clone(), (sent / total * 100.0).min(100.0));
                        });
                    }
                },
                move |r: Result<intake::EvidenceMeta, NetError>| {
                    let stage = match r {
                        Ok(meta) => {
                            let id = id2.clone();
                            leptos::task::spawn_local(async move { files::delete(&id).await });
                            Stage::Done { evidence_id: meta.id }
                        }
                        Err(e) => {
                            Stage::Failed { zh: e.message(crate::i18n::Lang::Zh), en: e.message(crate::i18n::Lang::En) }
                        }
                    };
                    this.set_stage(&owner, &id2, stage);
                    this.progress.update(|p| {
                        p.remove(&id2);
                    });
                    this.in_flight.update_value(|s| {
                        s.remove(&id2);
                    });
                },
            );
        });
    }
}

/// The files of an `<input type=file>` change event.
pub fn chosen_files(ev: &leptos::ev::Event) -> Vec<web_sys::File> {
    let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return vec![] };
    let files = input.files().map(|l| (0..l.length()).filter_map(|i| l.get(i)).collect()).unwrap_or_default();
    input.set_value("");
    files
}
