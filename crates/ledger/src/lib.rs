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

const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

/// Lower-case hex, as every hash appears in our formats.
pub fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(HEX_DIGITS[usize::from(b >> 4)]));
        out.push(char::from(HEX_DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// Whether `text` is the hex of `bytes` (either case), without allocating.
pub fn hex_eq(bytes: &[u8], text: &str) -> bool {
    let text = text.as_bytes();
    text.len() == bytes.len() * 2
        && bytes.iter().zip(text.chunks_exact(2)).all(|(b, pair)| {
            pair[0].eq_ignore_ascii_case(&HEX_DIGITS[usize::from(b >> 4)])
                && pair[1].eq_ignore_ascii_case(&HEX_DIGITS[usize::from(b & 0x0f)])
        })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_compares_in_either_case() {
        let bytes = [0x00, 0x0f, 0xa5, 0xff];
        assert_eq!(hex(&bytes), "000fa5ff");
        assert_eq!(unhex("000FA5ff").as_deref(), Some(&bytes[..]));
        assert!(hex_eq(&bytes, "000fa5ff"));
        assert!(hex_eq(&bytes, "000FA5FF"));
        assert!(!hex_eq(&bytes, "000fa5fe"));
        assert!(!hex_eq(&bytes, "000fa5f"));
        assert!(!hex_eq(&bytes, "000fa5ffff"));
    }
}
