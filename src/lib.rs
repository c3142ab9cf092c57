//! kubectl-lbgen as a library: one load-balancer spec in, provider-annotated Kubernetes
//! objects out.
//!
//! The pipeline runs one way (DESIGN.md): `spec` (load, with source spans) -> `plan`
//! (defaults, provider-neutral) -> `policy` (diagnostics; errors stop here) -> `provider`
//! + `render` (objects, checked against k8s-openapi types) -> `emit` (ordered output).
//!
//! The library never prints: it returns objects and diagnostics, and the binary decides
//! how to show them.
#![warn(clippy::print_stdout, clippy::print_stderr, missing_docs)]
// A `Diagnostic` is the error value of every input path: made once per bad input and
// returned straight to the reporter, so boxing it would only add noise.
#![allow(clippy::result_large_err)]

pub mod compile;
pub mod dataplane;
pub mod diag;
pub mod diff;
pub mod emit;
pub mod explain;
pub mod import;
pub mod krm;
pub mod live;
pub mod patch;
pub mod plan;
pub mod policy;
pub mod provider;
pub mod render;
pub mod rule_test;
pub mod shell;
pub mod spec;
pub mod suggest;
pub mod yaml;

pub use compile::{Compiled, CompiledSpec, Origin, compile, validate};
