//! The offline verifier: prefix, Base45, COSE_Sign1 with EdDSA, a known `kid` whose key was
//! valid at the time, the signature, then the validity window.

use crate::PREFIX;
use crate::claims::Badge;
use crate::read::{Signed, read_claims, read_sign1};
use ed25519_dalek::VerifyingKey;

/// An organisation signing key's id, as carried in the COSE `kid` header.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct KeyId(pub [u8; 8]);

/// A key a gate trusts, with when it may have signed (its overlap window on rotation).
#[derive(Clone, Debug)]
pub struct TrustedKey {
    pub kid: KeyId,
    pub key: VerifyingKey,
    pub valid_from: i64,
    /// `None`: still current.
    pub valid_until: Option<i64>,
}

/// Why a badge does not pass. The gate shows the reason; nothing else about the badge is trusted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Invalid {
    #[error("not an Attest badge (wrong prefix)")]
    WrongPrefix,
    #[error("the badge is damaged or incomplete")]
    Malformed,
    #[error("signed by a key this gate does not know")]
    UnknownKey,
    #[error("the signature does not match: the badge was altered or forged")]
    BadSignature,
    #[error("signed with a key that was not valid then")]
    KeyNotValid,
    #[error("the badge has expired; refresh it in the worker app")]
    Expired,
    #[error("the badge is not valid yet (check the device clock)")]
    NotYetValid,
    #[error("the badge has been revoked")]
    Revoked,
    #[error("this gate has no current status list for the badge's organisation")]
    NoStatusList,
    #[error("this gate's data is too old to rely on; connect to refresh it")]
    DataTooOld,
}

impl Invalid {
    /// A stable machine-readable code for the reason.
    pub const fn code(&self) -> &'static str {
        match self {
            Invalid::WrongPrefix => "wrong_prefix",
            Invalid::Malformed => "malformed",
            Invalid::UnknownKey => "unknown_key",
            Invalid::BadSignature => "bad_signature",
            Invalid::KeyNotValid => "key_not_valid",
            Invalid::Expired => "expired",
            Invalid::NotYetValid => "not_yet_valid",
            Invalid::Revoked => "revoked",
            Invalid::NoStatusList => "no_status_list",
            Invalid::DataTooOld => "data_too_old",
        }
    }
}

/// A payload's key id, claims and signed parts, without checking the signature (for display of
/// a refusal only; never trust them).
pub fn decode(payload: &str) -> Result<(KeyId, Badge, Signed), Invalid> {
    let encoded = payload
        .trim()
        .strip_prefix(PREFIX)
        .ok_or(Invalid::WrongPrefix)?;
    let bytes = base45::decode(encoded).map_err(|_| Invalid::Malformed)?;
    let (kid, signed) = read_sign1(bytes).ok_or(Invalid::Malformed)?;
    let claims = read_claims(signed.payload()).ok_or(Invalid::Malformed)?;
    Ok((kid, claims, signed))
}

/// Verifies `payload` against `keys` at `now` (seconds since the epoch).
pub fn verify(payload: &str, keys: &[TrustedKey], now: i64) -> Result<Badge, Invalid> {
    verify_decoded(decode(payload)?, keys, now)
}

/// Verifies a decoded payload (from [`decode`]) against `keys` at `now`.
pub(crate) fn verify_decoded(
    (kid, badge, signed): (KeyId, Badge, Signed),
    keys: &[TrustedKey],
    now: i64,
) -> Result<Badge, Invalid> {
    let trusted = keys
        .iter()
        .find(|k| k.kid == kid)
        .ok_or(Invalid::UnknownKey)?;
    if !crate::cose::signature_valid(
        signed.protected(),
        signed.payload(),
        signed.signature(),
        &trusted.key,
    ) {
        return Err(Invalid::BadSignature);
    }
    if badge.issued_at < trusted.valid_from
        || trusted
            .valid_until
            .is_some_and(|until| badge.issued_at > until)
    {
        return Err(Invalid::KeyNotValid);
    }
    if now >= badge.expires_at {
        return Err(Invalid::Expired);
    }
    if now < badge.issued_at {
        return Err(Invalid::NotYetValid);
    }
    Ok(badge)
}

/// Checks a verified badge against the status lists the gate holds (verified, current).
pub fn check_status(badge: &Badge, lists: &[crate::VerifiedStatusList]) -> Result<(), Invalid> {
    check_status_of(badge, &lists.iter().collect::<Vec<_>>())
}

/// [`check_status`] over borrowed lists.
pub(crate) fn check_status_of(
    badge: &Badge,
    lists: &[&crate::VerifiedStatusList],
) -> Result<(), Invalid> {
    let list = lists
        .iter()
        .find(|l| l.uri == badge.status.uri)
        .ok_or(Invalid::NoStatusList)?;
    if list.list.is_revoked(badge.status.index) {
        Err(Invalid::Revoked)
    } else {
        Ok(())
    }
}
