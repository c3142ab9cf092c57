//! Fuzz target `krm`: see `lbgen_fuzz::krm` for what it checks.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| lbgen_fuzz::krm(data));
