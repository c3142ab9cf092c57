//! The CCE LoadBalancer Ingress: listener port, certificates, cookie affinity, forward
//! actions for split routes, the CCE-only `property` of regex paths, and the class by
//! field or, on clusters before v1.22, by annotation (cce_10_0252, cce_10_0687,
//! cce_10_0695, cce_10_0736, cce_10_0949; seed 000).

use super::types::{
    ELB_ACTIONS, ELB_AFFINITY_MODE, ELB_AFFINITY_OPTION, ELB_CONDITIONS, ELB_LISTEN_PORTS,
    ELB_POOL_PROTOCOL, ELB_PORT, ELB_SLOWSTART, ELB_SSL_REDIRECT, ELB_TLS_CERTIFICATES,
    ELB_TLS_CIPHERS_POLICY, FIRST_CLASS_NAME_VERSION, ForwardAction, ForwardTarget,
    INGRESS_CLASS_ANNOTATION, URL_MATCH_MODE,
};
use super::{listener_settings, load_balancer, persistence_option};
use crate::diag::Diagnostic;
use crate::plan::{BackendPlan, Plan};
use crate::provider::{
    Annotations, Manifest, QueryForm, condition_blocks, conditions_key_name, ingress_path,
    ingress_rules, metadata, path_backend, split_shares,
};
use crate::spec::model::{BackendProtocol, PathMatch, StickyMode};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// The synthetic backend name of a forward action: the route's `action` when the spec
/// names one (the policies keep it unique, short enough and unlike any backend Service),
/// else one derived from the Ingress, unique per route and short enough that
/// `kubernetes.io/elb.actions.<name>` stays a valid annotation key (name part <= 63), and
/// `kubernetes.io/elb.conditions.<name>` too when the route has conditions.
fn action_name(plan: &Plan, route: usize) -> String {
    let given = plan.routes.get(route);
    if let Some(action) = given.and_then(|r| r.action.clone()) {
        return action;
    }
    default_action_name(&plan.name, route, given.is_some_and(|r| r.when.is_some()))
}

/// The action name lbgen gives route `route` of Ingress `ingress` when the spec names
/// none: `<ingress>-r<route>`, cut so that the annotation's name part stays within 63
/// characters (`elb.conditions.` when the route has conditions, else `elb.actions.`).
/// The import reads a name equal to it back as no name.
pub(super) fn default_action_name(ingress: &str, route: usize, conditions: bool) -> String {
    let suffix = format!("-r{route}");
    let key = if conditions {
        "elb.conditions."
    } else {
        "elb.actions."
    };
    let room = 63 - key.len() - suffix.len();
    let base: String = ingress.chars().take(room).collect();
    format!("{}{suffix}", base.trim_end_matches('-'))
}

/// `[{"type":"ForwardPool","forwardConfig":[...]}]` (cce_10_0949).
fn forward_action(backends: &[BackendPlan]) -> [ForwardAction<'_>; 1] {
    let forward_config = split_shares(
        backends,
        |name, port, weight| ForwardTarget::Service { name, port, weight },
        |id, weight| ForwardTarget::Pool { id, weight },
    );
    [ForwardAction {
        kind: "ForwardPool",
        forward_config,
    }]
}

/// The Ingress of a plan with `exposure: ingress`.
pub(super) fn ingress(plan: &Plan, diagnostics: &mut Vec<Diagnostic>) -> Manifest {
    let mut a = Annotations::default();
    load_balancer(plan, &mut a);
    let port = plan.ingress_listeners.first().map_or(80, |l| l.port);
    if plan.listener.redirect_http_to_https {
        // cce_10_0771 "Redirecting HTTP to HTTPS for a LoadBalancer Ingress": the HTTP
        // listener on 80 beside the routes' HTTPS listener, in elb.listen-ports (which
        // replaces elb.port), and elb.ssl-redirect "true". The policies put every route on
        // one TLS port other than 80 (common/redirect-routes-tls,
        // huawei/ingress-single-port), so the list holds two fixed protocol words and
        // two port numbers, never user text.
        let listen: [BTreeMap<&str, u16>; 2] = [
            BTreeMap::from([("HTTP", 80)]),
            BTreeMap::from([("HTTPS", port)]),
        ];
        a.set_json(ELB_LISTEN_PORTS, &listen);
        a.set(ELB_SSL_REDIRECT, "true");
    } else {
        // cce_10_0695: the listener port, a String.
        a.set(ELB_PORT, port.to_string());
    }
    listener_settings(plan, &mut a);
    if plan.listener.backend_protocol == Some(BackendProtocol::Https) {
        // cce_10_0695 "Interconnecting with HTTPS Backend Services": the one documented
        // value; http is CCE's default (nothing to write), grpc the policy refuses.
        a.set(ELB_POOL_PROTOCOL, "https");
    }
    if let Some(route) = plan.routes.iter().find(|r| r.certificate_id.is_some()) {
        // cce_10_0687 "Configuring an HTTPS Certificate for a LoadBalancer Ingress", "Using
        // kubectl to Configure a Certificate Created on the ELB Console": a comma-separated
        // list of ELB certificate ids, the server certificate first, then the SNI
        // certificates. The policies (huawei/ingress-certificate-id-format,
        // huawei/ingress-sni-certificate-id-format) admit only 32 hex digits, so an id can
        // never smuggle a ',' into the list; all routes carry the same list
        // (huawei/ingress-single-certificate).
        let ids: Vec<&str> = route
            .certificate_id
            .iter()
            .chain(&route.sni_certificate_ids)
            .map(String::as_str)
            .collect();
        a.set(ELB_TLS_CERTIFICATES, ids.join(","));
        // cce_10_0687/0695: the HTTPS listener's default security policy, one of CCE's
        // names (`huawei/tls-policy-values`).
        if let Some(policy) = &plan.listener.tls_policy {
            a.set(ELB_TLS_CIPHERS_POLICY, policy.clone());
        }
    }
    if let Some(s) = &plan.slow_start {
        // cce_10_0695, Configuring a Slow Start: seconds as a string ('30'); range, version,
        // dedicated LB and no stickiness are checked in `policies/huawei.yaml`.
        a.set(ELB_SLOWSTART, s.duration_seconds.to_string());
    }
    if let Some(s) = &plan.stickiness {
        // cce_10_0736 (session-affinity-mode HTTP_COOKIE on an Ingress; policy forbids
        // source-ip); APP_COOKIE on shared ELBs (CCE configuration reference; the policy
        // refuses it on dedicated ones).
        let mode = if s.mode == StickyMode::AppCookie {
            "APP_COOKIE"
        } else {
            "HTTP_COOKIE"
        };
        a.set(ELB_AFFINITY_MODE, mode);
        a.set_json(ELB_AFFINITY_OPTION, &persistence_option(s));
    }
    for (i, route) in plan.routes.iter().enumerate() {
        if route.split {
            let key = format!("{ELB_ACTIONS}{}", action_name(plan, i));
            a.set_json(&key, &forward_action(&route.backends));
        }
        // cce_10_0949 "Configuring Advanced Forwarding Rules": keyed by the path backend's
        // name; blocks AND-ed, values within a block OR-ed.
        let action = action_name(plan, i);
        if let (Some(name), Some(when)) = (conditions_key_name(route, &action), &route.when) {
            let blocks = condition_blocks(when, QueryForm::KeyAndValues);
            a.set_json(&format!("{ELB_CONDITIONS}{name}"), &blocks);
        }
    }
    let rules = ingress_rules(&plan.routes, |i, route| {
        let backend = path_backend(route, &action_name(plan, i));
        let mut path = ingress_path(route, backend);
        if route.path_match == PathMatch::Regex {
            // seed 000: the CCE-only `property` field carries the match mode.
            path["property"] = json!({URL_MATCH_MODE: "REGEX"});
        }
        path
    });
    // cce_10_0252: the class annotation only for clusters of v1.21 or earlier.
    let legacy_class = plan
        .cluster
        .version
        .as_ref()
        .is_some_and(|v| v.version() < FIRST_CLASS_NAME_VERSION);
    if legacy_class {
        a.set(INGRESS_CLASS_ANNOTATION, "cce");
    }
    let metadata = metadata(plan, a, diagnostics);
    Manifest {
        template: "huawei/ingress.yaml".into(),
        context: json!({
            "metadata": metadata,
            "ingressClassName": if legacy_class { Value::Null } else { json!("cce") },
            "rules": rules,
        }),
    }
}
