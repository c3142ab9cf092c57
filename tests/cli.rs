//! CLI behaviour as data: each `tests/cmd/*.toml` gives arguments, stdin, the exit code
//! and the exact stdout and stderr (trycmd).

#[test]
fn cli_cases() {
    trycmd::TestCases::new().case("tests/cmd/*.toml");
}
