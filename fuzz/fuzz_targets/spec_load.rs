//! Fuzz target `spec_load`: see `lbgen_fuzz::spec_load` for what it checks.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| lbgen_fuzz::spec_load(data));
