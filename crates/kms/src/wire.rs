//! The Transit API's requests and answers, and how its failures map to [`CryptoError`].

use attest_crypto::CryptoError;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Every answer's envelope.
#[derive(Debug, Deserialize)]
pub(crate) struct Answer<T> {
    pub(crate) data: Option<T>,
    pub(crate) auth: Option<Auth>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Auth {
    pub(crate) client_token: String,
    /// Seconds the token lives (0: it does not expire).
    pub(crate) lease_duration: u64,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Encrypted {
    pub(crate) ciphertext: String,
    pub(crate) key_version: u32,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Decrypted {
    pub(crate) plaintext: String,
}

#[derive(Debug, Deserialize)]
pub(crate) struct KeyInfo {
    #[serde(rename = "type")]
    pub(crate) kind: String,
    pub(crate) latest_version: u32,
    pub(crate) min_decryption_version: u32,
    /// Version → when it was made (Unix seconds).
    pub(crate) keys: BTreeMap<String, i64>,
    #[serde(default)]
    pub(crate) auto_rotate_period: u64,
}

#[derive(Debug, Deserialize)]
struct Errors {
    #[serde(default)]
    errors: Vec<String>,
}

/// What a failed answer means. A server error (5xx, including a sealed server's 503) or no
/// answer at all is unavailability: nothing happened and the call may be retried. A refused
/// decryption is an inauthentic ciphertext (altered, or bound to other associated data), or one
/// of a retired version.
pub(crate) fn failure(status: u16, body: &str, version: Option<u32>) -> CryptoError {
    let errors = serde_json::from_str::<Errors>(body)
        .map(|e| e.errors.join("; "))
        .unwrap_or_default();
    match status {
        500..=599 => CryptoError::KmsUnavailable(format!("HTTP {status}: {errors}")),
        400 if errors.contains("message authentication failed")
            || errors.contains("invalid ciphertext") =>
        {
            CryptoError::Unauthentic
        }
        400 if errors.contains("disallowed by policy") => {
            CryptoError::UnknownKekVersion(version.unwrap_or(0))
        }
        _ => CryptoError::KmsRefused(format!("HTTP {status}: {errors}")),
    }
}

/// The version a Transit ciphertext (`vault:v<N>:…`) names.
pub(crate) fn ciphertext_version(ciphertext: &str) -> Option<u32> {
    ciphertext
        .strip_prefix("vault:v")?
        .split(':')
        .next()?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_is_read_from_the_ciphertext() {
        assert_eq!(ciphertext_version("vault:v3:abc"), Some(3));
        assert_eq!(ciphertext_version("vault:v12:"), Some(12));
        assert_eq!(ciphertext_version("vault:x3:abc"), None);
        assert_eq!(ciphertext_version("v3:abc"), None);
    }

    #[test]
    fn failures_mean_what_they_say() {
        let body = |e: &str| format!("{{\"errors\":[\"{e}\"]}}");
        assert!(matches!(
            failure(503, &body("Vault is sealed"), None),
            CryptoError::KmsUnavailable(_)
        ));
        assert!(matches!(
            failure(400, &body("cipher: message authentication failed"), None),
            CryptoError::Unauthentic
        ));
        assert!(matches!(
            failure(
                400,
                &body("ciphertext or signature version is disallowed by policy (too old)"),
                Some(1)
            ),
            CryptoError::UnknownKekVersion(1)
        ));
        assert!(matches!(
            failure(403, &body("permission denied"), None),
            CryptoError::KmsRefused(_)
        ));
        assert!(matches!(
            failure(404, "not json", None),
            CryptoError::KmsRefused(_)
        ));
    }
}
