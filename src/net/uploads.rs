//! Evidence uploads (`POST /filing/evidence`) through XMLHttpRequest, the one browser API
//! that reports upload progress; the outcome is a [`NetError`] like every other call's.

use super::intake::{ErrorBody, EvidenceMeta};
use super::NetError;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Uploads one evidence file with XMLHttpRequest so upload progress can be shown;
/// `progress` gets (sent, total) bytes; `done` gets the outcome.
pub fn upload_evidence(
    base: &str,
    token: &str,
    file: web_sys::File,
    progress: impl Fn(f64, f64) + 'static,
    done: impl FnOnce(Result<EvidenceMeta, NetError>) + 'static,
) {
    let Ok(xhr) = web_sys::XmlHttpRequest::new() else {
        done(Err(NetError::Unreachable("XMLHttpRequest".into())));
        return;
    };
    let name = file.name();
    let url = format!("{base}/filing/evidence?name={}", String::from(js_sys::encode_uri_component(&name)));
    if xhr.open("POST", &url).is_err() {
        done(Err(NetError::Unreachable("open".into())));
        return;
    }
    let _ = xhr.set_request_header("Authorization", &format!("Bearer {token}"));
    let media = if file.type_().is_empty() { "application/octet-stream".to_string() } else { file.type_() };
    let _ = xhr.set_request_header("Content-Type", &media);
    if let Ok(upload) = xhr.upload() {
        let on_progress = Closure::<dyn Fn(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
            progress(e.loaded(), e.total());
        });
        upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
        on_progress.forget();
    }
    let done = std::cell::RefCell::new(Some(done));
    let x = xhr.clone();
    let on_end = Closure::<dyn Fn()>::new(move || {
        let Some(done) = done.borrow_mut().take() else { return };
        let status = x.status().unwrap_or(0);
        let text = x.response_text().ok().flatten().unwrap_or_default();
        if status == 0 {
            done(Err(NetError::Unreachable("network".into())));
        } else if (200..=299).contains(&status) {
            done(serde_json::from_str(&text).map_err(|e| NetError::BadData(e.to_string())));
        } else {
            let error = serde_json::from_str::<ErrorBody>(&text).ok().map(|b| b.error);
            done(Err(NetError::Http { status, error, retry_after: None }));
        }
    });
    xhr.set_onloadend(Some(on_end.as_ref().unchecked_ref()));
    on_end.forget();
    if xhr.send_with_opt_blob(Some(&file)).is_err() {
        // onloadend still fires on a failed send.
    }
}
