//! Quoting for the shell commands lbgen's messages suggest running (`kubectl create secret
//! ...`, `kubectl patch ...`). Users paste these; a value taken from a spec (a certificate
//! id, a name, a JSON patch) must reach the command as one argument and never as shell
//! syntax, whatever characters it holds.

use std::borrow::Cow;

/// Characters that are never special to a POSIX shell, in any position of a word.
fn is_plain(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, '-' | '_' | '.' | '/' | ':' | '=' | '@' | '%' | '+' | ',')
}

/// One shell word for `value`: as it is when every character is plain (so ordinary
/// commands stay readable), else in single quotes, each `'` written as `'\''`. An empty
/// value is `''`. The result is safe for `sh`, `bash` and `zsh`.
pub fn quote(value: &str) -> Cow<'_, str> {
    if !value.is_empty() && value.chars().all(is_plain) {
        return Cow::Borrowed(value);
    }
    Cow::Owned(format!("'{}'", value.replace('\'', r"'\''")))
}

/// A command line from its words, each quoted.
pub fn command<'a>(words: impl IntoIterator<Item = &'a str>) -> String {
    words.into_iter().map(quote).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::{command, quote};
    use std::process::Command;

    /// Runs `printf '%s\n' <word>` through `sh -c` and returns what the shell passed on.
    fn through_sh(word: &str) -> String {
        let out = Command::new("sh")
            .arg("-c")
            .arg(format!("printf '%s' {}", quote(word)))
            .output()
            .expect("sh runs");
        assert!(out.status.success());
        String::from_utf8(out.stdout).expect("utf-8")
    }

    #[test]
    fn plain_words_stay_readable() {
        assert_eq!(quote("cert-abc123"), "cert-abc123");
        assert_eq!(quote("cert_id=Xxxxxxxx"), "cert_id=Xxxxxxxx");
        assert_eq!(quote(""), "''");
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("it's"), r"'it'\''s'");
    }

    #[test]
    fn hostile_strings_reach_the_command_as_one_argument() {
        let hostile = [
            "x;touch /tmp/pwned;#",
            "$(touch /tmp/pwned)",
            "`touch /tmp/pwned`",
            "a'b\"c",
            "'; rm -rf / #",
            "line\nbreak",
            "tab\there",
            "*",
            "~root",
            "${HOME}",
            "a|b&c>d<e",
            "!event",
            "\\",
            "{\"spec\":{\"a\":\"b c\"}}",
            "",
            "-n",
            "ünïcödé",
        ];
        for word in hostile {
            assert_eq!(through_sh(word), word, "word {word:?} as {}", quote(word));
        }
        assert!(!std::path::Path::new("/tmp/pwned").exists());
    }

    #[test]
    fn commands_quote_every_word() {
        assert_eq!(
            command(["kubectl", "create", "secret", "generic", "a b", "-n", "x;y"]),
            "kubectl create secret generic 'a b' -n 'x;y'"
        );
    }
}
