//! Attest's audit ledger, as a format anyone can check without trusting Attest's servers.
//!
//! - [`Leaf`]: what one audit event commits to. Its canonical bytes are the RFC 8785 (JCS)
//!   serialisation; its leaf hash is `SHA-256(0x00 ‖ bytes)` (RFC 6962). Personal fields (source
//!   IP, user agent) are committed through a salted digest, so they can be erased later for a
//!   deletion request while the leaf — and every proof — stays valid.
//! - [`tree`]: the RFC 6962 Merkle tree through `tlog_tiles` (the Go `sumdb/tlog` port): stored
//!   hashes, roots, inclusion and consistency proofs; and compact ranges.
//! - [`checkpoint`]: C2SP `tlog-checkpoint` notes signed with the organisation's Ed25519 key
//!   (C2SP `signed-note`).
//! - [`export`]: the export format (JSON Lines) and [`export::verify`], which checks one offline.
//!
//! `docs/audit.md` specifies all of it for people who want to build their own verifier.

pub mod checkpoint;
pub mod event;
pub mod export;
pub mod tree;

pub use checkpoint::{LogSigner, SignedCheckpoint, origin_for, vkey_for};
pub use event::{Actor, Leaf, Personal, Resource};
pub use tree::Hash;

/// Lower-case hex, as every hash appears in our formats.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Parses lower- or upper-case hex.
pub fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// A 32-byte hash from hex.
pub fn hash_from_hex(text: &str) -> Option<Hash> {
    let bytes: [u8; 32] = unhex(text)?.try_into().ok()?;
    Some(Hash(bytes))
}
