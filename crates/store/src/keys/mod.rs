//! Keys: per-organisation and per-person data keys (envelope encryption under the
//! key-encryption key), each organisation's signing keys (audit checkpoints, badges), and the
//! platform's signing keys (access tokens, trust bundles). Private halves are always stored
//! wrapped by the key-encryption key.

pub mod data_keys;
pub mod org_keys;
pub mod signing_keys;
