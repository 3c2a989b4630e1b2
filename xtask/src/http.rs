//! A minimal HTTP/1.1 client for the test stages (loopback only, one request per
//! connection): xtask has no HTTP library, and these requests are simple.

use crate::proc::Result;
use std::io::{Read, Write};
use std::time::Duration;

/// An answer: its status and body.
pub struct Answer {
    pub status: u16,
    pub body: String,
}

/// POSTs a JSON `body` to `http://{addr}{path}` with `headers`; answers status and body,
/// or the I/O error (a refused or reset connection).
pub fn post_json(addr: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Result<Answer> {
    let mut s = std::net::TcpStream::connect(addr).map_err(|e| format!("{addr}: {e}"))?;
    let _ = s.set_read_timeout(Some(Duration::from_secs(30)));
    let extra: String = headers.iter().map(|(k, v)| format!("{k}: {v}\r\n")).collect();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{extra}Connection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).and_then(|_| s.write_all(body.as_bytes())).map_err(|e| e.to_string())?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&raw);
    let status = text.get(9..12).and_then(|c| c.parse().ok()).ok_or_else(|| format!("not an HTTP answer: {text:?}"))?;
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    Ok(Answer { status, body })
}

/// The string value of `"key":"…"` in compact JSON (serde_json's output): receipts' tokens
/// and references are plain ASCII, no escapes.
pub fn json_str(json: &str, key: &str) -> Option<String> {
    let at = json.find(&format!("\"{key}\":\""))? + key.len() + 4;
    json[at..].split('"').next().map(String::from)
}
