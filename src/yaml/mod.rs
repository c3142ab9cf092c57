//! YAML as lbgen reads it: a spanned tree, the budgets that stop hostile input, scalar
//! resolution (YAML 1.2 core and the way Kubernetes reads YAML), and typed reads from the
//! tree with locations.
//!
//! Neutral on purpose: the spec loader, rule and test files, live objects, KRM lists and
//! rendered templates all read YAML through here, so none of them depends on `spec`.

pub mod de;
mod de_error;
pub mod limits;
pub mod node;
pub mod reader;
pub mod resolve;
mod syntax;
pub mod text;
pub mod token;
