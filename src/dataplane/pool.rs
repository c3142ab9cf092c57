//! Which backends a check is about, and their weights, taken from the plan.
//!
//! An ingress route's backends carry their effective weights (`--route N` picks the
//! route, 0-based as in `spec.routes[N]`). A Service balances over the pods its selector
//! picks, which the spec does not list, so the check assumes `--pods N` of them (default
//! 3), named `pod-1`..`pod-N`, plus the extra `spec.backends`. An extra backend's weight
//! is its share out of 100, as for route backends; the pods, like unweighted extras,
//! share what is left equally. Weights are scaled to integers so that no share is
//! rounded: an explicit weight `w` becomes `w * u` (u = number of unweighted members)
//! and each unweighted member gets `100 - sum(explicit)` (1 when nothing is left, as the
//! plan does for unweighted backends).

use crate::plan::{BackendPlan, Plan};
use crate::spec::model::{Algorithm, Exposure, StickyMode};
use serde::Serialize;

/// One backend the check is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Backend {
    /// Service name, server group id or `pod-N`.
    pub name: String,
    /// Relative weight; 0 drains.
    pub weight: u32,
}

/// Stickiness as the data plane applies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Stickiness {
    /// Source IP or cookie.
    pub mode: StickyMode,
    /// Idle timeout; `None` = never expires.
    pub timeout_seconds: Option<u64>,
}

/// The backends of one listener or route and how traffic is spread over them.
#[derive(Debug, Clone, Serialize)]
pub struct Pool {
    /// In spec order.
    pub backends: Vec<Backend>,
    /// The scheduling algorithm.
    pub algorithm: Algorithm,
    /// Session stickiness, when the spec asks for it.
    pub stickiness: Option<Stickiness>,
}

/// What to check, when the spec has several choices.
#[derive(Debug, Clone, Copy)]
pub struct Selection {
    /// Ingress: the route index.
    pub route: usize,
    /// Service: how many selected pods to assume.
    pub pods: u32,
}

/// Why a plan gives nothing to check.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PoolError {
    /// `--route` beyond the spec's routes.
    #[error("--route {route} does not exist: the spec has {count} route(s), numbered from 0")]
    NoSuchRoute {
        /// Asked for.
        route: usize,
        /// Available.
        count: usize,
    },
    /// A Service with no pods and no extra backends.
    #[error("nothing to check: --pods is 0 and spec.backends is empty; pass --pods 1 or more")]
    NoBackends,
    /// Every backend has weight 0.
    #[error("every backend has weight 0, so no backend takes traffic; give one a weight above 0")]
    AllDrained,
    /// Two backends with one name could not be told apart in the results.
    #[error(
        "backend `{0}` appears twice; the check names backends by service, server group or pod"
    )]
    Duplicate(String),
}

impl Pool {
    /// The pool a plan promises for `selection`.
    pub fn from_plan(plan: &Plan, selection: Selection) -> Result<Pool, PoolError> {
        let backends = match plan.exposure {
            Exposure::Ingress => {
                let route = plan
                    .routes
                    .get(selection.route)
                    .ok_or(PoolError::NoSuchRoute {
                        route: selection.route,
                        count: plan.routes.len(),
                    })?;
                route
                    .backends
                    .iter()
                    .map(|b| Backend {
                        name: name_of(b),
                        weight: u32::from(b.effective_weight),
                    })
                    .collect()
            }
            Exposure::Service => service_backends(&plan.backends, selection.pods),
        };
        if backends.is_empty() {
            return Err(PoolError::NoBackends);
        }
        if backends.iter().all(|b| b.weight == 0) {
            return Err(PoolError::AllDrained);
        }
        let mut names: Vec<&str> = backends.iter().map(|b| b.name.as_str()).collect();
        names.sort_unstable();
        if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
            return Err(PoolError::Duplicate(w[0].to_string()));
        }
        Ok(Pool {
            backends,
            algorithm: plan.algorithm,
            stickiness: plan.stickiness.as_ref().map(|s| Stickiness {
                mode: s.mode,
                timeout_seconds: s.timeout_seconds,
            }),
        })
    }

    /// Backend names, in order.
    pub fn names(&self) -> Vec<&str> {
        self.backends.iter().map(|b| b.name.as_str()).collect()
    }

    /// Backend weights, in order.
    pub fn weights(&self) -> Vec<u32> {
        self.backends.iter().map(|b| b.weight).collect()
    }

    /// The index of the backend called `name`.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.backends.iter().position(|b| b.name == name)
    }
}

fn name_of(b: &BackendPlan) -> String {
    b.service
        .clone()
        .or_else(|| b.server_group.clone())
        .unwrap_or_else(|| format!("backend-{}", b.index))
}

/// Pods plus extra backends, weights scaled as the module doc says.
fn service_backends(extra: &[BackendPlan], pods: u32) -> Vec<Backend> {
    let explicit: u32 = extra.iter().filter_map(|b| b.weight).map(u32::from).sum();
    let unweighted = pods + extra.iter().filter(|b| b.weight.is_none()).count() as u32;
    let share = 100u32.saturating_sub(explicit).max(1);
    let scale = unweighted.max(1);
    let pods = (1..=pods).map(|i| Backend {
        name: format!("pod-{i}"),
        weight: share,
    });
    let extras = extra.iter().map(|b| Backend {
        name: name_of(b),
        weight: b.weight.map_or(share, |w| u32::from(w) * scale),
    });
    pods.chain(extras).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn extra(weight: Option<u8>, group: &str) -> BackendPlan {
        BackendPlan {
            route: 0,
            index: 0,
            service: None,
            server_group: Some(group.into()),
            port: None,
            weight,
            effective_weight: weight.unwrap_or(100),
        }
    }

    fn shares(b: &[Backend]) -> Vec<f64> {
        let total: u32 = b.iter().map(|b| b.weight).sum();
        b.iter()
            .map(|b| f64::from(b.weight) / f64::from(total))
            .collect()
    }

    #[test]
    fn pods_share_what_the_weighted_groups_leave() {
        let b = service_backends(&[extra(Some(50), "sg")], 2);
        assert_eq!(b.len(), 3);
        assert_eq!(shares(&b), vec![0.25, 0.25, 0.5]);
    }

    #[test]
    fn pods_alone_are_equal() {
        let b = service_backends(&[], 3);
        assert_eq!(b.iter().map(|b| b.weight).collect::<Vec<_>>(), [100; 3]);
        assert_eq!(b[2].name, "pod-3");
    }
}
