//! The trust bundle a gate downloads for one organisation: its badge keys that may still vouch
//! for an unexpired badge, its status list token (signed now), its credential type names, all
//! signed by the platform's bundle key.

use super::{public_keys, signer, status_list};
use crate::Conflict;
use crate::{StoreError, Tx, credential_types};
use attest_badge::{BundleKey, TrustBundle, TypeName, sign_bundle, sign_status_list};
use attest_core::OrgId;
use attest_crypto::KeyEncryptionKey;
use ed25519_dalek::SigningKey;
use time::OffsetDateTime;

/// How long a worker's badge is valid: the worker app refreshes it well before.
pub const BADGE_LIFETIME_SECS: i64 = 24 * 3600;
/// How long a gate may rely on a bundle without connecting.
pub const BUNDLE_MAX_OFFLINE_AGE_SECS: i64 = 24 * 3600;
/// How often a gate should fetch a fresh status list when it can.
pub const STATUS_LIST_TTL_SECS: i64 = 300;
/// Bundles (and their status list tokens) are dated to the minute, so that one made twice in a
/// minute from the same data is byte for byte the same (Ed25519 signatures are deterministic).
pub const BUNDLE_GRANULARITY_SECS: i64 = 60;

/// The URI naming an organisation's status list (in badges and in the list token).
pub fn status_list_uri(org_slug: &str) -> String {
    format!("attest:sl:{org_slug}")
}

/// The organisation's trust bundle as of `now`, signed by `platform`. Makes the organisation's
/// badge key if it has none yet (so a gate set up before any badge exists can verify the first).
pub async fn trust_bundle(
    tx: &mut Tx,
    kek: &dyn KeyEncryptionKey,
    org_id: OrgId,
    org_slug: &str,
    platform: &SigningKey,
    now: OffsetDateTime,
) -> Result<Vec<u8>, StoreError> {
    let live = signer(tx, kek, org_id, now).await?;
    let now = now.unix_timestamp();
    let issued_at = now - now.rem_euclid(BUNDLE_GRANULARITY_SECS);
    let retired_since = OffsetDateTime::from_unix_timestamp(now - BADGE_LIFETIME_SECS)
        .map_err(|_| StoreError::Conflict(Conflict::Clock))?;
    let keys = public_keys(tx, kek, org_id, retired_since)
        .await?
        .into_iter()
        .map(|k| BundleKey {
            org: org_slug.to_owned(),
            kid: k.kid,
            public_key: k.public_key,
            valid_from: k.valid_from.unix_timestamp(),
            valid_until: k.valid_until.map(OffsetDateTime::unix_timestamp),
        })
        .collect();
    let state = status_list(tx, org_id).await?;
    let token = sign_status_list(
        &state.list,
        &status_list_uri(org_slug),
        issued_at,
        issued_at + BUNDLE_MAX_OFFLINE_AGE_SECS,
        STATUS_LIST_TTL_SECS,
        &live.kid,
        &live.key,
    )
    .map_err(sign_error)?;
    let type_names = credential_types::list(tx)
        .await?
        .into_iter()
        .map(|t| TypeName {
            org: org_slug.to_owned(),
            code: t.code,
            name: t.name,
        })
        .collect();
    let bundle = TrustBundle {
        issued_at,
        max_offline_age: BUNDLE_MAX_OFFLINE_AGE_SECS,
        keys,
        status_lists: vec![token],
        type_names,
    };
    sign_bundle(&bundle, platform).map_err(sign_error)
}

/// Signing fails only if the claims cannot be encoded: a bug, not a conflict with stored data.
pub(super) fn sign_error(e: attest_badge::SignError) -> StoreError {
    StoreError::Inconsistent(format!("badge encoding: {e}"))
}
