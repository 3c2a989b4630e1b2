//! Browser-local storage: JSON values under `kaifang.`-prefixed keys in localStorage.
//! Everything the app keeps about a user lives here, so "clear all local data" is one call.
//! [`session`] holds what is kept in sessionStorage instead (this tab only): the desk's
//! department token, and the pages of results a phone's search list had loaded (`pages::search::more`).

use serde::{de::DeserializeOwned, Serialize};

const PREFIX: &str = "kaifang.";

fn storage() -> Option<web_sys::Storage> {
    crate::browser::window()?.local_storage().ok().flatten()
}

/// Reads `key`; `None` when absent, unreadable or not of type `T`.
pub fn get<T: DeserializeOwned>(key: &str) -> Option<T> {
    read(storage(), &format!("{PREFIX}{key}"))
}

/// Writes `key`; returns false when storage is unavailable or full.
pub fn set<T: Serialize + ?Sized>(key: &str, value: &T) -> bool {
    write(storage(), &format!("{PREFIX}{key}"), value)
}

/// A JSON value from `storage` (local or session).
fn read<T: DeserializeOwned>(storage: Option<web_sys::Storage>, key: &str) -> Option<T> {
    serde_json::from_str(&storage?.get_item(key).ok().flatten()?).ok()
}

/// A JSON value into `storage`; false when it is unavailable or full.
fn write<T: Serialize + ?Sized>(storage: Option<web_sys::Storage>, key: &str, value: &T) -> bool {
    let Ok(text) = serde_json::to_string(value) else { return false };
    storage.is_some_and(|s| s.set_item(key, &text).is_ok())
}

pub fn remove(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(&format!("{PREFIX}{key}"));
    }
}

/// Removes every key this app wrote (MISSION X3), and nothing else.
pub fn clear_all() -> usize {
    let Some(s) = storage() else { return 0 };
    let len = s.length().unwrap_or(0);
    let keys: Vec<String> =
        (0..len).filter_map(|i| s.key(i).ok().flatten()).filter(|k| k.starts_with(PREFIX)).collect();
    for k in &keys {
        let _ = s.remove_item(k);
    }
    keys.len()
}

/// This tab's sessionStorage. The desk's department token (`/desk`, "sign in with a
/// department token") is kept here only, never localStorage, so it is gone when the tab closes and is
/// never written where "my data" or a later visitor of the same browser could read it.
pub mod session {
    const KEY: &str = "kaifang.desk.token";

    fn storage() -> Option<web_sys::Storage> {
        crate::browser::window()?.session_storage().ok().flatten()
    }
    pub fn token() -> Option<String> {
        storage()?.get_item(KEY).ok().flatten().filter(|t| !t.is_empty())
    }
    pub fn set_token(token: &str) -> bool {
        storage().is_some_and(|s| s.set_item(KEY, token).is_ok())
    }
    pub fn clear() {
        if let Some(s) = storage() {
            let _ = s.remove_item(KEY);
        }
    }

    /// A value kept for this tab only (JSON), e.g. the list a reader returns to with Back.
    pub fn get<T: serde::de::DeserializeOwned>(key: &str) -> Option<T> {
        super::read(storage(), key)
    }
    pub fn set<T: serde::Serialize + ?Sized>(key: &str, value: &T) -> bool {
        super::write(storage(), key, value)
    }
}
