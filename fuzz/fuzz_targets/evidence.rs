#![no_main]
// The harness: kaifang_core::fuzzing::evidence.
libfuzzer_sys::fuzz_target!(|data: &[u8]| kaifang_core::fuzzing::evidence(data));
