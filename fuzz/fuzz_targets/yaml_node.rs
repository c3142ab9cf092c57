//! Fuzz target `yaml_node`: see `lbgen_fuzz::yaml_node` for what it checks.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| lbgen_fuzz::yaml_node(data));
