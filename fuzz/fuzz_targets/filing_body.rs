#![no_main]
// The harness: kaifang_core::fuzzing::filing_body.
libfuzzer_sys::fuzz_target!(|data: &[u8]| kaifang_core::fuzzing::filing_body(data));
