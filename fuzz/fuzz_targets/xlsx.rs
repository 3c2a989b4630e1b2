#![no_main]
// The harness: kaifang_core::fuzzing::xlsx.
libfuzzer_sys::fuzz_target!(|data: &[u8]| kaifang_core::fuzzing::xlsx(data));
