//! The `lbgen.dev/v1alpha1` input: reading files and the typed model (YAML itself is
//! read by the neutral `crate::yaml`).
//!
//! Knows no provider and no Kubernetes object type.

mod choices;
pub mod files;
pub mod load;
pub mod model;
pub mod schema;
mod screen;
mod typed;
pub mod values;
pub mod version;
