//! The badge a worker carries and a gate verifies offline.
//!
//! A badge is a CWT claims set (integer keys) inside a COSE_Sign1 signed with EdDSA (Ed25519),
//! whose `kid` names the organisation's signing key; the signed bytes are Base45-encoded behind
//! the prefix `AT1:` and shown as a QR code in alphanumeric mode at error correction M. No
//! compression: for payloads this small it makes them larger. `docs/badge.md` specifies it.
//!
//! - [`Badge`]: what a badge says (name, credentials, validity, status-list index).
//! - [`sign`] makes the payload; [`verify`] checks one against the keys a gate trusts, at a time.
//! - [`qr_svg`], [`qr_version`]: the QR code of a payload.
//! - [`StatusList`]: revocation by index, published as a signed status list token.
//! - [`TrustBundle`]: what a gate downloads, signed by the platform; [`open_bundle`] gives the
//!   [`Gate`] that checks scanned badges offline.

mod bundle;
mod claims;
mod cose;
mod qr;
mod read;
mod status_list;
mod verify;

pub use bundle::{
    BundleError, BundleKey, Gate, GateCredential, GateResult, TrustBundle, TypeName, open_bundle,
    sign_bundle,
};
pub use claims::{Badge, BadgeCredential, BadgeStatus, StatusRef};
pub use qr::{QrError, qr_png, qr_svg, qr_version, read_qr_png};
pub use read::Signed;
pub use status_list::{
    STATUS_LIST_TYP, StatusList, VerifiedStatusList, sign_status_list, verify_status_list,
};
pub use verify::{Invalid, KeyId, TrustedKey, check_status, decode, verify};

use coset::{HeaderBuilder, iana};
use ed25519_dalek::SigningKey;

/// What every payload starts with (a format version: a new format gets a new prefix).
pub const PREFIX: &str = "AT1:";

/// Why a badge could not be made.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error("the claims could not be encoded: {0}")]
    Encoding(String),
}

/// Signs `badge` with the organisation's key `kid` and returns the payload (`AT1:` + Base45).
pub fn sign(badge: &Badge, kid: &KeyId, key: &SigningKey) -> Result<String, SignError> {
    let protected = HeaderBuilder::new()
        .algorithm(iana::Algorithm::EdDSA)
        .build();
    let bytes = cose::sign1(badge.to_cbor()?, protected, Some(kid), key)?;
    Ok(format!("{PREFIX}{}", base45::encode(bytes)))
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
