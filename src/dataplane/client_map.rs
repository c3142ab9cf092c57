//! A map from client keys to small per-client facts, for the simulator's hot loop.
//!
//! Simulated clients are numbered 0, 1, 2, ... so their facts live in a vector indexed
//! by the key (no hashing: with SipHash the maps were most of a simulated request's
//! cost); keys beyond `DENSE_LIMIT` (a live probe's or a test's own keys may be
//! anything) fall back to a `HashMap`. Nothing iterates it, so the layout cannot change
//! any output.

use std::collections::HashMap;

/// Keys below this are stored densely (1,000,000 clients is `check`'s maximum).
const DENSE_LIMIT: u64 = 1 << 21;

/// Client key -> `V`.
#[derive(Debug, Clone)]
pub(crate) struct ClientMap<V> {
    dense: Vec<Option<V>>,
    sparse: HashMap<u64, V>,
}

impl<V> Default for ClientMap<V> {
    fn default() -> Self {
        ClientMap {
            dense: Vec::new(),
            sparse: HashMap::new(),
        }
    }
}

impl<V: Copy> ClientMap<V> {
    /// The value of `key`.
    pub(crate) fn get(&self, key: u64) -> Option<V> {
        if key < DENSE_LIMIT {
            self.dense.get(key as usize).copied().flatten()
        } else {
            self.sparse.get(&key).copied()
        }
    }

    /// Sets `key` to `value` and returns the value it had.
    pub(crate) fn insert(&mut self, key: u64, value: V) -> Option<V> {
        if key < DENSE_LIMIT {
            let k = key as usize;
            if k >= self.dense.len() {
                self.dense.resize(k + 1, None);
            }
            self.dense[k].replace(value)
        } else {
            self.sparse.insert(key, value)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dense_and_sparse_keys_behave_alike() {
        let mut m = ClientMap::default();
        for key in [0, 5, DENSE_LIMIT - 1, DENSE_LIMIT, u64::MAX] {
            assert_eq!(m.get(key), None);
            assert_eq!(m.insert(key, 1u8), None);
            assert_eq!(m.insert(key, 2), Some(1));
            assert_eq!(m.get(key), Some(2));
        }
        assert_eq!(m.get(6), None);
    }
}
