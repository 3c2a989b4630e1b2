#![no_main]
// The harness: kaifang_core::fuzzing::json_table.
libfuzzer_sys::fuzz_target!(|data: &[u8]| kaifang_core::fuzzing::json_table(data));
