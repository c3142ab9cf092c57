//! The `lbgen.dev/v1alpha1` input: reading files, the spanned YAML tree, the typed model.
//!
//! Knows no provider and no Kubernetes object type.

pub mod de;
pub mod limits;
pub mod load;
pub mod model;
pub mod node;
pub mod reader;
pub mod resolve;
pub mod schema;
mod screen;
pub mod text;
pub mod values;
