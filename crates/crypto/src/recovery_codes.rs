//! MFA recovery codes: ten random 80-bit codes, shown once, stored as SHA-256 hashes (enough for
//! secrets of this entropy), each usable once.

use crate::{CryptoError, random_bytes};
use ring::digest::{SHA256, digest};

const ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
pub const RECOVERY_CODE_COUNT: usize = 10;

/// Ten fresh codes, formatted `XXXX-XXXX-XXXX-XXXX`.
pub fn generate_recovery_codes() -> Result<Vec<String>, CryptoError> {
    (0..RECOVERY_CODE_COUNT)
        .map(|_| {
            let bytes = random_bytes::<10>()?;
            // 80 bits as 16 base32 characters.
            let mut bits: u128 = 0;
            for b in bytes {
                bits = (bits << 8) | u128::from(b);
            }
            let chars: String = (0..16)
                .map(|i| char::from(ALPHABET[((bits >> (75 - 5 * i)) & 0x1f) as usize]))
                .collect();
            Ok(format!(
                "{}-{}-{}-{}",
                &chars[0..4],
                &chars[4..8],
                &chars[8..12],
                &chars[12..16]
            ))
        })
        .collect()
}

/// The stored form of a code: SHA-256 of its normalised text (case and dashes ignored).
pub fn hash_recovery_code(code: &str) -> [u8; 32] {
    let normalised: String = code
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let mut out = [0u8; 32];
    out.copy_from_slice(digest(&SHA256, normalised.as_bytes()).as_ref());
    out
}

/// SHA-256 of `bytes` (for hashing high-entropy secrets such as refresh tokens).
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(digest(&SHA256, bytes).as_ref());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_distinct_well_formed_codes() {
        let codes = generate_recovery_codes().unwrap();
        assert_eq!(codes.len(), 10);
        let unique: std::collections::BTreeSet<_> = codes.iter().collect();
        assert_eq!(unique.len(), 10);
        for code in &codes {
            assert_eq!(code.len(), 19);
            assert!(
                code.split('-')
                    .all(|g| g.len() == 4 && g.bytes().all(|b| ALPHABET.contains(&b))),
                "{code}"
            );
        }
    }

    #[test]
    fn hashing_ignores_case_and_dashes() {
        assert_eq!(
            hash_recovery_code("ABCD-EFGH-JKLM-NPQR"),
            hash_recovery_code("abcdefghjklmnpqr")
        );
        assert_ne!(
            hash_recovery_code("ABCD-EFGH-JKLM-NPQR"),
            hash_recovery_code("ABCD-EFGH-JKLM-NPQS")
        );
    }
}
