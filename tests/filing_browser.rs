//! Browser tests of the filing client's local rules (run by wasm-bindgen-test in Chromium).
#![cfg(target_arch = "wasm32")]

use kaifang_core::filing::check::IdDocument;
use kaifang_core::filing::forms::{Objection, Person};
use kaifang_core::filing::Filing;
use kaifang_web::queue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A chosen file survives in IndexedDB with its name, type and bytes, and leaves it on delete.
#[wasm_bindgen_test]
async fn chosen_files_are_kept_in_indexeddb() {
    use kaifang_web::files;
    use wasm_bindgen::JsValue;
    let bytes = js_sys::Uint8Array::from("站点,经度\n人民广场,102.7\n".as_bytes());
    let parts = js_sys::Array::of1(&JsValue::from(bytes));
    let opts = web_sys::FilePropertyBag::new();
    opts.set_type("text/csv");
    let file = web_sys::File::new_with_u8_array_sequence_and_options(&parts, "证据.csv", &opts).unwrap();
    files::put("test-evidence-1", &file).await.unwrap();
    let back = files::get("test-evidence-1").await.expect("kept");
    assert_eq!((back.name(), back.type_(), back.size()), ("证据.csv".to_string(), "text/csv".to_string(), file.size()));
    let buf = wasm_bindgen_futures::JsFuture::from(back.array_buffer()).await.unwrap();
    assert_eq!(js_sys::Uint8Array::new(&buf).to_vec(), "站点,经度\n人民广场,102.7\n".as_bytes());
    files::delete("test-evidence-1").await;
    assert!(files::get("test-evidence-1").await.is_none());
}

#[wasm_bindgen_test]
fn only_a_masked_identity_number_is_kept_after_filing() {
    let f = Filing::Objection(Objection {
        requester: Person {
            name: "张三".into(),
            id_document: Some(IdDocument {
                kind: "resident_id".into(),
                number: "110102199101010078".into(),
                description: None,
            }),
            ..Default::default()
        },
        ..Default::default()
    });
    let kept = queue::masked_id(&f).expect("a number is given");
    assert_eq!(kept, "1101**********0078");
    assert!(!kept.contains("199101010"));
}

#[wasm_bindgen_test]
fn idempotency_keys_are_fresh_and_accepted_by_the_intake() {
    let (a, b) = (queue::new_key(), queue::new_key());
    assert_ne!(a, b);
    assert!(kaifang_core::filing::outbox::valid_key(&a), "{a}");
}
