//! Request URLs, built from validated parts only, each percent-encoded, plus the bound on
//! LIST pagination.
//!
//! Every path segment comes from a `Scope` (validated kind, group, version, namespace) or a
//! validated `ObjectId` name, and is percent-encoded anyway; every query value (a server's
//! `continue` token included) is percent-encoded, so no input can add a path segment, a
//! query parameter or cut one off (`x?fieldManager=evil#` once dropped `dryRun=All`).

use super::Scope;
use crate::emit::ObjectId;
use std::collections::HashSet;

/// Objects asked for per LIST page.
pub(crate) const PAGE_SIZE: usize = 500;
/// At most this many pages per scope: a server that keeps paging is an error, not a hang.
pub(crate) const MAX_PAGES: usize = 200;
/// At most this many objects per scope (memory stays bounded whatever the server sends).
pub(crate) const MAX_ITEMS: usize = 50_000;

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub(crate) fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `/api/v1[/namespaces/NS]/PLURAL` or `/apis/GROUP/VERSION[/namespaces/NS]/PLURAL`.
pub(crate) fn collection(scope: &Scope, plural: &str) -> String {
    let mut url = if scope.api().group().is_empty() {
        format!("/api/{}", encode(scope.api().version()))
    } else {
        format!(
            "/apis/{}/{}",
            encode(scope.api().group()),
            encode(scope.api().version())
        )
    };
    if let Some(ns) = scope.namespace() {
        url.push_str(&format!("/namespaces/{}", encode(ns)));
    }
    url.push('/');
    url.push_str(&encode(plural));
    url
}

fn query(pairs: &[(&str, &str)]) -> String {
    let parts: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    format!("?{}", parts.join("&"))
}

/// One LIST page of a scope.
pub(crate) fn list(scope: &Scope, plural: &str, token: Option<&str>) -> String {
    let limit = PAGE_SIZE.to_string();
    let mut pairs = vec![("limit", limit.as_str())];
    if let Some(t) = token {
        pairs.push(("continue", t));
    }
    format!("{}{}", collection(scope, plural), query(&pairs))
}

/// The server-side apply dry run of one object (never persisted).
pub(crate) fn dry_run_apply(scope: &Scope, plural: &str, id: &ObjectId) -> String {
    format!(
        "{}/{}{}",
        collection(scope, plural),
        encode(id.name()),
        query(&[
            ("dryRun", "All"),
            ("fieldManager", "kubectl-lbgen"),
            ("force", "true"),
        ])
    )
}

/// Follows `continue` tokens within the bounds.
#[derive(Debug, Default)]
pub(crate) struct Pager {
    pages: usize,
    items: usize,
    tokens: HashSet<String>,
}

impl Pager {
    /// Counts one page of `items` objects and its `continue` token; the next token to
    /// ask with, `None` when done, or why the server's paging is refused.
    pub(crate) fn next(
        &mut self,
        items: usize,
        token: Option<String>,
    ) -> Result<Option<String>, String> {
        self.pages += 1;
        self.items += items;
        if self.items > MAX_ITEMS {
            return Err(format!(
                "more than {MAX_ITEMS} objects in one scope; lbgen reads at most that many (narrow the namespace)"
            ));
        }
        let Some(token) = token.filter(|t| !t.is_empty()) else {
            return Ok(None);
        };
        if self.pages >= MAX_PAGES {
            return Err(format!(
                "the server is still paging after {MAX_PAGES} pages of at most {PAGE_SIZE}; refusing to follow more `continue` tokens"
            ));
        }
        if !self.tokens.insert(token.clone()) {
            return Err("the server sent the same `continue` token twice (a paging loop)".into());
        }
        Ok(Some(token))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn scope(api: &str, kind: &str, ns: Option<&str>) -> (Scope, ObjectId) {
        let id = ObjectId::of(&json!({"apiVersion": api, "kind": kind,
            "metadata": {"name": "shop.v2", "namespace": ns}}))
        .expect("valid");
        (Scope::of(&id).expect("not a secret"), id)
    }

    #[test]
    fn urls_are_made_of_encoded_parts() {
        let (s, id) = scope("networking.k8s.io/v1", "Ingress", Some("web"));
        assert_eq!(
            list(&s, "ingresses", None),
            "/apis/networking.k8s.io/v1/namespaces/web/ingresses?limit=500"
        );
        assert_eq!(
            dry_run_apply(&s, "ingresses", &id),
            "/apis/networking.k8s.io/v1/namespaces/web/ingresses/shop.v2?dryRun=All&fieldManager=kubectl-lbgen&force=true"
        );
        let (core, _) = scope("v1", "Namespace", None);
        assert_eq!(
            list(&core, "namespaces", None),
            "/api/v1/namespaces?limit=500"
        );
    }

    #[test]
    fn a_continue_token_is_percent_encoded() {
        let (s, _) = scope("v1", "Service", Some("web"));
        let url = list(&s, "services", Some("a b&c=d/../secrets?#%"));
        assert_eq!(
            url,
            "/api/v1/namespaces/web/services?limit=500&continue=a%20b%26c%3Dd%2F..%2Fsecrets%3F%23%25"
        );
    }

    #[test]
    fn paging_is_bounded_in_pages_items_and_loops() {
        let mut p = Pager::default();
        assert_eq!(p.next(3, Some("t1".into())), Ok(Some("t1".into())));
        assert_eq!(p.next(3, Some(String::new())), Ok(None));
        let mut looping = Pager::default();
        looping.next(1, Some("same".into())).expect("first");
        assert!(
            looping
                .next(1, Some("same".into()))
                .expect_err("loop")
                .contains("twice")
        );
        let mut endless = Pager::default();
        let mut failed = None;
        for i in 0..MAX_PAGES + 5 {
            if let Err(e) = endless.next(1, Some(format!("t{i}"))) {
                failed = Some((i, e));
                break;
            }
        }
        let (at, message) = failed.expect("bounded");
        assert_eq!(at + 1, MAX_PAGES);
        assert!(message.contains("still paging"), "{message}");
        let mut huge = Pager::default();
        assert!(huge.next(MAX_ITEMS + 1, None).is_err());
    }
}
