//! How much work one input may cause, derived from its size, and the environment
//! variables that raise the limits.
//!
//! Reading a spec must never cost much more than the spec is large: a YAML alias can repeat
//! a large subtree many times, so what aliases add is budgeted in nodes and in bytes of
//! scalar text, both scaled with the input's size (README.md, "Limits"). Inputs larger than
//! [`max_input_bytes`] are refused before they are read.

/// `LBGEN_MAX_INPUT_BYTES`: the largest input file (or standard input) read, in bytes.
pub const ENV_MAX_INPUT: &str = "LBGEN_MAX_INPUT_BYTES";
/// `LBGEN_YAML_ALIAS_NODES`: how many nodes alias expansions may add to one stream.
pub const ENV_ALIAS_NODES: &str = "LBGEN_YAML_ALIAS_NODES";
/// `LBGEN_YAML_ALIAS_BYTES`: how many bytes of scalar text alias expansions may add.
pub const ENV_ALIAS_BYTES: &str = "LBGEN_YAML_ALIAS_BYTES";
/// `LBGEN_YAML_MAX_NODES`: how many nodes one stream may hold, aliases aside.
pub const ENV_MAX_NODES: &str = "LBGEN_YAML_MAX_NODES";

/// The most nodes a stream of `input_len` bytes may hold, aliases aside: `max(250,000,
/// input/6)`, unless raised by `LBGEN_YAML_MAX_NODES`. Hand-written Kubernetes YAML has 10
/// to 16 bytes per node (measured over examples/ and tests/conformance/: 15.8 on average,
/// 10.2 at worst), but a monorepo's generated stream of flow-style specs is denser
/// (`scripts/gen-specs 10000`: 593,322 nodes in 4,864,570 bytes, 8.2 bytes a node), and a
/// 1 MiB ConfigMap of `KEY: v` lines has ~6. The floor costs at most 10 MB of tree. A node
/// costs 40 bytes in the tree (`node::Node`), so a 10 MB file of one-letter list items is
/// refused at about 8 times its size in all (tree, input and process), instead of 23 times.
pub fn max_nodes(input_len: usize) -> usize {
    env_u64(ENV_MAX_NODES)
        .map(|v| usize::try_from(v).unwrap_or(usize::MAX))
        .unwrap_or_else(|| (input_len / 6).max(250_000))
}

/// The default largest input: 32 MiB, far above any Kubernetes manifest (etcd refuses
/// objects over 1.5 MiB).
const DEFAULT_MAX_INPUT: u64 = 32 * 1024 * 1024;

/// A positive integer from the environment, if set and valid.
fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name)
        .ok()?
        .trim()
        .parse()
        .ok()
        .filter(|n| *n > 0)
}

/// The largest input read, in bytes (`LBGEN_MAX_INPUT_BYTES`, default 32 MiB).
pub fn max_input_bytes() -> u64 {
    env_u64(ENV_MAX_INPUT).unwrap_or(DEFAULT_MAX_INPUT)
}

/// The message for an input over [`max_input_bytes`].
pub fn too_large(what: &str, size: u64) -> String {
    format!(
        "`{what}` is {size} bytes, over the limit of {} bytes; split it into smaller files or raise the limit with {ENV_MAX_INPUT}",
        max_input_bytes()
    )
}

/// What alias expansions may add to one YAML stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AliasBudget {
    /// Nodes (every use of an alias counts its whole subtree).
    pub nodes: usize,
    /// Bytes of scalar text.
    pub bytes: usize,
}

impl AliasBudget {
    /// The budget for an input of `input_len` bytes: `max(10,000, input/64)` nodes and
    /// `max(1 MiB, input/8)` bytes, unless raised by `LBGEN_YAML_ALIAS_NODES` /
    /// `LBGEN_YAML_ALIAS_BYTES`. With it the parsed tree stays within a few times the input.
    pub fn for_input(input_len: usize) -> AliasBudget {
        let cap = |v: u64| usize::try_from(v).unwrap_or(usize::MAX);
        AliasBudget {
            nodes: env_u64(ENV_ALIAS_NODES)
                .map(cap)
                .unwrap_or_else(|| (input_len / 64).max(10_000)),
            bytes: env_u64(ENV_ALIAS_BYTES)
                .map(cap)
                .unwrap_or_else(|| (input_len / 8).max(1024 * 1024)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_node_budget_has_a_floor_then_grows_with_the_input() {
        assert_eq!(max_nodes(100), 250_000);
        assert_eq!(max_nodes(10_000_000), 1_666_666);
    }

    #[test]
    fn budgets_scale_with_the_input() {
        let small = AliasBudget::for_input(100);
        assert_eq!(small.nodes, 10_000);
        assert_eq!(small.bytes, 1024 * 1024);
        let big = AliasBudget::for_input(64 * 1024 * 1024);
        assert_eq!(big.nodes, 1024 * 1024);
        assert_eq!(big.bytes, 8 * 1024 * 1024);
    }
}
