//! Fuzz target `live_snapshot`: see `lbgen_fuzz::live_snapshot` for what it checks.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| lbgen_fuzz::live_snapshot(data));
