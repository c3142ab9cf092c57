//! Fuzz target `render`: see `lbgen_fuzz::render` for what it checks.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| lbgen_fuzz::render(data));
