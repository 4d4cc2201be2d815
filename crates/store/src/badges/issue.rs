//! Issuing a worker's badge: their name and their credentials' codes, statuses and expiry dates,
//! under their pseudonym and current status-list index, signed by the organisation's badge key.

use super::bundle::{BADGE_LIFETIME_SECS, sign_error, status_list_uri};
use super::{own_holder, signer};
use crate::{StoreError, Tx, credentials, readiness};
use attest_badge::{Badge, BadgeCredential, BadgeStatus, StatusRef};
use attest_core::{CredentialStatus, OrgId, UserId};
use attest_crypto::KeyEncryptionKey;
use time::OffsetDateTime;

/// Badges are dated to ten minutes, so that fetching one again soon gives the same payload.
const ISSUE_GRANULARITY_SECS: i64 = 600;

/// A signed badge.
#[derive(Debug, Clone)]
pub struct IssuedBadge {
    pub payload: String,
    pub badge: Badge,
}

/// The caller's own badge as of `now`. Not found for a member who is not active.
pub async fn issue_own(
    tx: &mut Tx,
    kek: &dyn KeyEncryptionKey,
    org_id: OrgId,
    org_slug: &str,
    user: UserId,
    now: OffsetDateTime,
) -> Result<IssuedBadge, StoreError> {
    let person = readiness::person(tx, user).await?;
    let live = signer(tx, kek, org_id, now).await?;
    let holder = own_holder(tx, org_id, user).await?;
    let window = i64::from(readiness::expiring_window_days(tx).await?);
    let today = now.date();
    let mut held = credentials::for_worker(tx, user).await?;
    held.sort_by(|a, b| a.type_code.cmp(&b.type_code));
    let credentials = held
        .into_iter()
        .map(|c| BadgeCredential {
            status: badge_status(CredentialStatus::on(c.state, c.expires_on, today, window)),
            expires_day: c
                .expires_on
                .map(|d| i64::from(d.to_julian_day() - EPOCH_JULIAN_DAY)),
            code: c.type_code,
        })
        .collect();
    let now = now.unix_timestamp();
    // Never dated before the key that signs it existed.
    let issued_at =
        (now - now.rem_euclid(ISSUE_GRANULARITY_SECS)).max(live.created_at.unix_timestamp());
    let badge = Badge {
        issuer: org_slug.to_owned(),
        subject: holder.subject,
        issued_at,
        expires_at: issued_at + BADGE_LIFETIME_SECS,
        name: person.display_name,
        credentials,
        status: StatusRef {
            index: holder.status_index,
            uri: status_list_uri(org_slug),
        },
    };
    let payload = attest_badge::sign(&badge, &live.kid, &live.key).map_err(sign_error)?;
    Ok(IssuedBadge { payload, badge })
}

/// 1970-01-01 as a Julian day number.
const EPOCH_JULIAN_DAY: i32 = 2_440_588;

const fn badge_status(status: CredentialStatus) -> BadgeStatus {
    match status {
        CredentialStatus::Valid => BadgeStatus::Valid,
        CredentialStatus::Expiring => BadgeStatus::Expiring,
        CredentialStatus::Expired => BadgeStatus::Expired,
        CredentialStatus::Suspended => BadgeStatus::Suspended,
        CredentialStatus::Revoked => BadgeStatus::Revoked,
    }
}
