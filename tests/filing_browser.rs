//! Browser tests of the filing client's local rules (run by wasm-bindgen-test in Chromium).
#![cfg(target_arch = "wasm32")]

use kaifang_core::filing::check::IdDocument;
use kaifang_core::filing::forms::{Objection, Person};
use kaifang_core::filing::Filing;
use kaifang_web::{intake, queue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn evidence_is_checked_against_the_intake_limits_before_upload() {
    assert_eq!(intake::evidence_refusal(1024.0, "application/pdf", "证据.pdf"), None);
    assert_eq!(intake::evidence_refusal(1024.0, "", "合同.csv"), None);
    assert_eq!(intake::evidence_refusal(0.0, "text/plain", "a.txt"), Some("filing.evidence.empty"));
    assert_eq!(intake::evidence_refusal(10.0 * 1024.0 * 1024.0 + 1.0, "image/png", "a.png"), Some("filing.evidence.too_large"));
    assert_eq!(intake::evidence_refusal(10.0, "application/zip", "a.zip"), Some("filing.evidence.bad_type"));
    assert_eq!(intake::evidence_refusal(10.0, "", "a.exe"), Some("filing.evidence.bad_type"));
}

#[wasm_bindgen_test]
fn only_a_masked_identity_number_is_kept_after_filing() {
    let f = Filing::Objection(Objection {
        requester: Person {
            name: "张三".into(),
            id_document: Some(IdDocument { kind: "resident_id".into(), number: "110102199101010078".into(), description: None }),
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
