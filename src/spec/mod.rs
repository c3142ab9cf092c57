//! The `lbgen.dev/v1alpha1` input: reading files and the typed model (YAML itself is
//! read by the neutral `crate::yaml`).
//!
//! Knows no provider and no Kubernetes object type: the `spec.<provider>` blocks are read
//! through the provider registry.

mod access;
mod bandwidth;
mod choices;
pub mod files;
mod listener;
pub mod load;
pub mod model;
mod objects;
pub mod routing;
pub mod schema;
mod screen;
mod settings;
mod stickiness;
mod typed;
pub mod values;
pub mod version;
