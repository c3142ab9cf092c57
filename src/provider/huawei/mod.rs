//! Huawei Cloud CCE (ELB): the annotation dialect CCE's closed-source controller reads.
//!
//! Every key, spelling, unit and JSON type comes from Huawei's CCE user guide: "LoadBalancer"
//! (tables 1-5), "Configuring IP Addresses as Backend Servers for a LoadBalancer Ingress",
//! "Configuring Passthrough Networking for a LoadBalancer Service", and the pages
//! cce_10_0385, cce_10_0684, cce_10_0687, cce_10_0695 and cce_10_0949 on
//! support.huaweicloud.com; the page is cited beside the code. Never the
//! `cloud-provider-huaweicloud` dialect (`elb.class: shared|dedicated`, numeric JSON):
//! CCE ignores it. Checks live in `policies/huawei.yaml`; this module assumes they passed.
//!
//! The pack's shape is every pack's: `service` and `ingress` map a plan, `types` holds the
//! keys and typed JSON values, `changes` what `diff` must know; this file the entry point
//! and what a Service and an Ingress share.

pub(crate) mod changes;
mod import;
mod ingress;
mod keys;
mod kinds;
pub(super) mod pack;
mod service;
mod types;

use super::{Annotations, Mapped, key_value_list, settings};
use crate::plan::{Plan, StickinessPlan};
use crate::spec::model::{
    AccessMode, ChargeMode, Exposure, ForwardedHeader, IpVersion, Network, StickyMode, Tier,
};
pub(crate) use changes::{CHANGE_RULES, OWNED_PREFIXES, REWRITTEN_BY_CCE};
use types::{
    Autocreate, ELB_ACL_ID, ELB_ACL_STATUS, ELB_ACL_TYPE, ELB_AUTOCREATE, ELB_CLASS,
    ELB_CLIENT_TIMEOUT, ELB_CUSTOM_EIP_ID, ELB_HTTP2, ELB_ID, ELB_IP_TARGET, ELB_KEEPALIVE_TIMEOUT,
    ELB_MEMBER_TIMEOUT, ELB_TAGS, ELB_X_FORWARDED_FOR_PORT, ELB_X_FORWARDED_HOST,
    ELB_X_FORWARDED_PORT, HuaweiSettings, PersistenceOption,
};

/// Maps a plan to a CCE Service or Ingress.
pub(super) fn map(plan: &Plan) -> Mapped {
    let mut diagnostics = Vec::new();
    let manifest = match plan.exposure {
        Exposure::Service => service::service(plan, &mut diagnostics),
        Exposure::Ingress => ingress::ingress(plan, &mut diagnostics),
    };
    Mapped {
        manifests: vec![manifest],
        diagnostics,
        patches: Vec::new(),
    }
}

/// `elb.id` or `elb.autocreate`, `elb.class`, `elb.ip-target-enabled`: the same on a
/// Service and an Ingress (seed 001 tables 1 and 5; seed 000).
fn load_balancer(plan: &Plan, a: &mut Annotations) {
    let lb = &plan.load_balancer;
    // seed 001 table 1: union = shared (default), performance = dedicated.
    a.set(
        ELB_CLASS,
        match lb.tier {
            Tier::Shared => "union",
            Tier::Dedicated => "performance",
        },
    );
    if let Some(id) = &lb.id {
        a.set(ELB_ID, id.clone());
    } else if let Some(create) = &lb.create {
        let bandwidth = create.bandwidth.as_ref();
        let ipv6_network_id = settings::of::<HuaweiSettings>(plan).ipv6_network_id;
        let autocreate = Autocreate {
            name: create.name.as_deref(),
            network: match plan.network {
                Network::Public => "public",
                Network::Internal => "inner",
            },
            bandwidth_name: bandwidth.and_then(|bw| bw.name.as_deref()),
            bandwidth_chargemode: bandwidth.map(|bw| {
                match bw.charge_mode.unwrap_or(ChargeMode::Bandwidth) {
                    ChargeMode::Bandwidth => "bandwidth",
                    ChargeMode::Traffic => "traffic",
                }
            }),
            bandwidth_size: bandwidth.and_then(|bw| bw.size),
            bandwidth_sharetype: bandwidth.and_then(|bw| bw.share_type.as_deref()),
            eip_type: create.eip_type.as_deref(),
            vip_subnet_cidr_id: create.subnet_id.as_deref(),
            vip_address: create.address.as_ref().map(|ip| ip.0.as_str()),
            available_zone: &create.zones,
            l4_flavor_name: create.l4_flavor.as_deref(),
            l7_flavor_name: create.l7_flavor.as_deref(),
            elb_virsubnet_ids: &create.backend_subnet_ids,
            // Only for dual stack; `huawei/dual-stack-network-id` requires it then.
            ipv6_vip_virsubnet_id: ipv6_network_id
                .as_deref()
                .filter(|_| create.ip_version == Some(IpVersion::DualStack)),
        };
        a.set_json(ELB_AUTOCREATE, &autocreate);
        if let Some(eip) = create.eip_ids.first() {
            // cce_10_0924 / cce_10_0925: the id of an unbound EIP that replaces the one CCE
            // created with the LB (a UUID, `huawei/eip-id-format`; one, `huawei/eip-ids-one`).
            a.set(ELB_CUSTOM_EIP_ID, eip.clone());
        }
        if !lb.tags.is_empty() {
            // "key=value,key=value" (cce_10_0385 "Resource Tags"), in key order; the
            // policies refuse ',' and '=' in keys and values (common/tag-text).
            a.set(ELB_TAGS, key_value_list(&lb.tags));
        }
    }
    if plan.ip_targets {
        // seed 000 table 1: only "true" is supported.
        a.set(ELB_IP_TARGET, "true");
    }
    if let Some(acl) = &plan.access_control {
        // cce_10_0385 / cce_10_0695 "Blocklist/Trustlist": IP address group ids separated
        // by commas (the policy admits only UUIDs, so no id carries a ','), the status
        // on, and white (trustlist) or black (blocklist).
        a.set(ELB_ACL_ID, acl.acl_ids.join(","));
        a.set(ELB_ACL_STATUS, "on");
        a.set(
            ELB_ACL_TYPE,
            match acl.mode {
                AccessMode::Allow => "white",
                AccessMode::Deny => "black",
            },
        );
    }
}

/// `{"persistence_timeout":"<minutes>"}`: a String of minutes, default 60 (seed 001 table 2);
/// with `app-cookie` `{"app_cookie_name":"<name>"}` instead (CCE configuration reference:
/// persistence_timeout for HTTP_COOKIE, app_cookie_name for APP_COOKIE). The name is an
/// HTTP token (`spec::stickiness::CookieName`) and serde_json writes it, so it cannot
/// change the object's shape.
fn persistence_option(s: &StickinessPlan) -> PersistenceOption<'_> {
    if s.mode == StickyMode::AppCookie {
        return PersistenceOption {
            persistence_timeout: None,
            app_cookie_name: s.cookie_name.as_deref(),
        };
    }
    let minutes = s.timeout_seconds.map_or(60, |t| t / 60);
    PersistenceOption {
        persistence_timeout: Some(minutes.to_string()),
        app_cookie_name: None,
    }
}

/// `elb.keepalive_timeout`, `elb.client_timeout`, `elb.member_timeout` (Strings of whole
/// seconds; cce_10_0385 "Timeout", cce_10_0729, cce_10_0730) and `elb.http2-enable`
/// (cce_10_0385 "HTTP/2"): the same keys on a Service and an Ingress. Ranges, listener
/// protocols and version gates are the policies'.
fn listener_settings(plan: &Plan, a: &mut Annotations) {
    let l = &plan.listener;
    // cce_10_0865 (Service) and cce_10_0867 (Ingress): the header switches of the HTTP/HTTPS
    // listeners, "true" as cce_10_0954 and Huawei's CCI page spell them; X-Forwarded-Proto
    // has none (`huawei/forwarded-headers-*` rules).
    for header in &l.forwarded_headers {
        let key = match header {
            ForwardedHeader::ListenerPort => ELB_X_FORWARDED_PORT,
            ForwardedHeader::ClientPort => ELB_X_FORWARDED_FOR_PORT,
            ForwardedHeader::Host => ELB_X_FORWARDED_HOST,
            ForwardedHeader::Protocol => continue,
        };
        a.set(key, "true");
    }
    if let Some(http2) = l.http2 {
        a.set(ELB_HTTP2, http2.to_string());
    }
    for (key, seconds) in [
        (ELB_KEEPALIVE_TIMEOUT, l.idle_timeout_seconds),
        (ELB_CLIENT_TIMEOUT, l.client_timeout_seconds),
        (ELB_MEMBER_TIMEOUT, l.backend_timeout_seconds),
    ] {
        if let Some(seconds) = seconds {
            a.set(key, seconds.to_string());
        }
    }
}
