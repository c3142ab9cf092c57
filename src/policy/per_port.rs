//! Ports with their own health check (`spec.ports[].healthCheck`): the health rules are
//! written once, against `lb.healthCheck`, so such a port is judged by a second pass in
//! which its merged check is `lb.healthCheck` and it is the only listener; the other ports
//! keep the Service's check. A finding is blamed at the port's own field when the port sets
//! it, else at the Service's field it inherited.

use crate::diag::Diagnostic;
use crate::plan::{Listener, Plan};

/// Whether a finding is about the health check (`spec.healthCheck[.field]`).
fn about_health(d: &Diagnostic) -> bool {
    d.field
        .as_deref()
        .is_some_and(|f| f == "spec.healthCheck" || f.starts_with("spec.healthCheck."))
}

/// `spec.healthCheck.X` of port `index` when the port sets `X` (or the whole block is
/// blamed), else the Service's field unchanged.
fn at_port(field: &str, index: usize, given: &[&str]) -> String {
    let rest = field.trim_start_matches("spec.healthCheck");
    let name = rest
        .trim_start_matches('.')
        .split(['.', '['])
        .next()
        .unwrap_or("");
    if name.is_empty() || given.contains(&name) {
        format!("spec.ports[{index}].healthCheck{rest}")
    } else {
        field.to_string()
    }
}

/// Judges `plan` with `judge`, each port with its own health check on its own.
pub(super) fn evaluate(plan: &Plan, judge: impl Fn(&Plan) -> Vec<Diagnostic>) -> Vec<Diagnostic> {
    if plan.listeners.iter().all(|l| l.health_check.is_none()) {
        return judge(plan);
    }
    let mut out: Vec<Diagnostic> = judge(plan)
        .into_iter()
        .filter(|d| !about_health(d))
        .collect();
    let shared: Vec<Listener> = plan
        .listeners
        .iter()
        .filter(|l| l.health_check.is_none())
        .cloned()
        .collect();
    if plan.health_check.is_some() && !shared.is_empty() {
        let variant = Plan {
            listeners: shared,
            ..plan.clone()
        };
        out.extend(judge(&variant).into_iter().filter(about_health));
    }
    for (index, listener) in plan.listeners.iter().enumerate() {
        let Some(own) = &listener.health_check else {
            continue;
        };
        let variant = Plan {
            health_check: Some(own.clone()),
            listeners: vec![listener.clone()],
            ..plan.clone()
        };
        for mut d in judge(&variant).into_iter().filter(about_health) {
            d.field = d
                .field
                .map(|f| at_port(&f, index, &listener.health_check_fields));
            let seen = out
                .iter()
                .any(|o| o.rule == d.rule && o.field == d.field && o.message == d.message);
            if !seen {
                out.push(d);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::at_port;

    #[test]
    fn a_finding_is_blamed_where_the_value_was_written() {
        let given = ["interval"];
        assert_eq!(
            at_port("spec.healthCheck.interval", 1, &given),
            "spec.ports[1].healthCheck.interval"
        );
        assert_eq!(
            at_port("spec.healthCheck.timeout", 1, &given),
            "spec.healthCheck.timeout"
        );
        assert_eq!(
            at_port("spec.healthCheck", 0, &given),
            "spec.ports[0].healthCheck"
        );
    }
}
