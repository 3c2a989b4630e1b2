#![no_main]
// The harness: kaifang_core::fuzzing::catalog_record.
libfuzzer_sys::fuzz_target!(|data: &[u8]| kaifang_core::fuzzing::catalog_record(data));
