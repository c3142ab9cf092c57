//! Facts the plan derives from the spec once, so that no policy or provider pack derives
//! them again: each backend's effective weight and the listeners an Ingress's routes need.

use super::{BackendPlan, IngressListener, RoutePlan};
use crate::spec::model::Backend;

impl RoutePlan {
    /// The listener the route is served on.
    pub fn listener(&self) -> IngressListener {
        IngressListener {
            port: self.port,
            tls: self.certificate_id.is_some(),
        }
    }
}

/// The (port, TLS) pairs the routes listen on, each once, in order of first appearance.
pub(super) fn ingress_listeners(routes: &[RoutePlan]) -> Vec<IngressListener> {
    let mut listeners: Vec<IngressListener> = Vec::new();
    for listener in routes.iter().map(RoutePlan::listener) {
        if !listeners.contains(&listener) {
            listeners.push(listener);
        }
    }
    listeners
}

/// Backends with their effective weights: explicit weights as given, unweighted backends
/// share what is left of 100 equally (all unweighted: equal shares).
pub(super) fn backends(list: &[Backend], route: usize) -> Vec<BackendPlan> {
    let explicit: u32 = list
        .iter()
        .filter_map(|b| b.weight)
        .map(|w| u32::from(w.0))
        .sum();
    let unweighted = list.iter().filter(|b| b.weight.is_none()).count() as u32;
    let share = 100u32
        .saturating_sub(explicit)
        .checked_div(unweighted)
        .map_or(0, |s| s.max(1));
    list.iter()
        .enumerate()
        .map(|(index, b)| BackendPlan {
            route,
            index,
            service: b.service.as_ref().map(|s| s.0.clone()),
            server_group: b.server_group.clone(),
            port: b.port.clone(),
            weight: b.weight.map(|w| w.0),
            effective_weight: b.weight.map(|w| w.0).unwrap_or(share.min(100) as u8),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::ingress_listeners;
    use crate::plan::{IngressListener, RoutePlan};
    use crate::spec::model::PathMatch;

    fn route(port: u16, certificate: Option<&str>) -> RoutePlan {
        RoutePlan {
            host: None,
            path: "/".into(),
            path_match: PathMatch::Prefix,
            port,
            certificate_id: certificate.map(String::from),
            sni_certificate_ids: Vec::new(),
            action: None,
            when: None,
            condition_values: 0,
            backends: Vec::new(),
            split: false,
        }
    }

    #[test]
    fn listeners_are_each_port_and_tls_pair_once_in_route_order() {
        let routes = [
            route(443, Some("a")),
            route(80, None),
            route(443, Some("b")),
            route(443, None),
            route(80, None),
        ];
        let listener = |port, tls| IngressListener { port, tls };
        assert_eq!(
            ingress_listeners(&routes),
            [
                listener(443, true),
                listener(80, false),
                listener(443, false)
            ]
        );
        assert!(ingress_listeners(&[]).is_empty());
    }
}
