//! Badges: the organisation's badge signing keys (rotation keeps the old key verifying what it
//! signed), each worker's pseudonym and status-list index, the status list, and gate scans.
//! Everything here needs the organisation's context.

mod bundle;
mod issue;

pub use bundle::{
    BADGE_LIFETIME_SECS, BUNDLE_GRANULARITY_SECS, BUNDLE_MAX_OFFLINE_AGE_SECS,
    STATUS_LIST_TTL_SECS, status_list_uri, trust_bundle,
};
pub use issue::{IssuedBadge, issue_own};

use crate::Conflict;
use crate::org_keys::{self, Purpose};
use crate::{StoreError, Tx};
use attest_badge::{KeyId, StatusList};
use attest_core::{OrgId, UserId};
use attest_crypto::KeyEncryptionKey;
use ed25519_dalek::SigningKey;
use time::OffsetDateTime;
use uuid::Uuid;

/// A badge key's id: the first 8 bytes of the SHA-256 of its public key.
pub fn key_id(public_key: &[u8; 32]) -> KeyId {
    let digest = attest_crypto::sha256(public_key);
    let mut kid = [0u8; 8];
    kid.copy_from_slice(&digest[..8]);
    KeyId(kid)
}

/// The organisation's live badge key, made on first use.
#[derive(Debug)]
pub struct BadgeSigner {
    pub kid: KeyId,
    pub key: SigningKey,
    pub created_at: OffsetDateTime,
}

/// The organisation's live badge signing key (made `now` if it has none).
pub async fn signer(
    tx: &mut Tx,
    kek: &dyn KeyEncryptionKey,
    org_id: OrgId,
    now: OffsetDateTime,
) -> Result<BadgeSigner, StoreError> {
    let seed = org_keys::seed(tx, kek, org_id, Purpose::Badge, Some(now)).await?;
    let key = SigningKey::from_bytes(&seed);
    let created_at = sqlx::query_scalar!(
        "select created_at from attest.org_keys where org_id = $1 and purpose = 'badge' and retired_at is null",
        org_id.as_uuid(),
    )
    .fetch_one(&mut **tx)
    .await?;
    Ok(BadgeSigner {
        kid: key_id(&key.verifying_key().to_bytes()),
        key,
        created_at,
    })
}

/// A badge key as gates learn it: when it may have signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicBadgeKey {
    pub kid: KeyId,
    pub public_key: [u8; 32],
    pub valid_from: OffsetDateTime,
    pub valid_until: Option<OffsetDateTime>,
}

/// The organisation's badge keys that may still vouch for an unexpired badge: the live one and
/// those retired after `retired_since`, each authenticated by its wrapped private half (a row
/// that is not is left out, and logged).
pub async fn public_keys(
    tx: &mut Tx,
    kek: &dyn KeyEncryptionKey,
    org_id: OrgId,
    retired_since: OffsetDateTime,
) -> Result<Vec<PublicBadgeKey>, StoreError> {
    let rows = sqlx::query!(
        "select key_id, public_key, private_wrapped, kek_version, created_at, retired_at from attest.org_keys
         where org_id = $1 and purpose = 'badge' and (retired_at is null or retired_at > $2)
         order by created_at",
        org_id.as_uuid(),
        retired_since,
    )
    .fetch_all(&mut **tx)
    .await?;
    let mut keys = Vec::with_capacity(rows.len());
    for r in rows {
        let wrapped = attest_crypto::WrappedKey {
            kek_version: u32::try_from(r.kek_version).unwrap_or(0),
            ciphertext: r.private_wrapped,
        };
        let authentic = org_keys::authentic(
            kek,
            org_id,
            r.key_id,
            Purpose::Badge,
            &r.public_key,
            wrapped,
        );
        if let Some(public_key) = authentic.await {
            keys.push(PublicBadgeKey {
                kid: key_id(&public_key),
                public_key,
                valid_from: r.created_at,
                valid_until: r.retired_at,
            });
        }
    }
    Ok(keys)
}

/// Retires the live badge key at `now` (the next badge is signed by a new one). The retired key
/// keeps verifying the badges it signed until they expire. Returns the new key's id.
pub async fn rotate_key(
    tx: &mut Tx,
    kek: &dyn KeyEncryptionKey,
    org_id: OrgId,
    now: OffsetDateTime,
) -> Result<KeyId, StoreError> {
    sqlx::query!(
        "update attest.org_keys set retired_at = $2
         where org_id = $1 and purpose = 'badge' and retired_at is null",
        org_id.as_uuid(),
        now,
    )
    .execute(&mut **tx)
    .await?;
    Ok(signer(tx, kek, org_id, now).await?.kid)
}

/// A worker as their badges name them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    /// The pseudonym on the badge.
    pub subject: String,
    /// The status-list index the worker's current badges carry.
    pub status_index: u32,
}

/// The caller's badge pseudonym and current status-list index: made on first use, and a fresh
/// index when the current one was revoked (so new badges pass while the old ones do not).
pub async fn own_holder(tx: &mut Tx, org_id: OrgId, user: UserId) -> Result<Holder, StoreError> {
    let row = sqlx::query!(
        r#"select h.subject, h.status_index,
                  exists (select 1 from attest.badge_revocations r
                          where r.org_id = h.org_id and r.status_index = h.status_index) as "revoked!"
           from attest.badge_holders h where h.org_id = $1 and h.user_id = $2"#,
        org_id.as_uuid(),
        user.as_uuid(),
    )
    .fetch_optional(&mut **tx)
    .await?;
    match row {
        Some(r) if !r.revoked => Ok(Holder {
            subject: r.subject,
            status_index: index(r.status_index)?,
        }),
        Some(r) => {
            let fresh = allocate_index(tx, org_id).await?;
            sqlx::query!(
                "update attest.badge_holders set status_index = $3 where org_id = $1 and user_id = $2",
                org_id.as_uuid(),
                user.as_uuid(),
                fresh,
            )
            .execute(&mut **tx)
            .await?;
            Ok(Holder {
                subject: r.subject,
                status_index: index(fresh)?,
            })
        }
        None => {
            let fresh = allocate_index(tx, org_id).await?;
            let subject = attest_crypto::random_token()?[..12].to_owned();
            let inserted = sqlx::query!(
                "insert into attest.badge_holders (org_id, user_id, subject, status_index) values ($1, $2, $3, $4)
                 on conflict (org_id, user_id) do nothing",
                org_id.as_uuid(),
                user.as_uuid(),
                subject,
                fresh,
            )
            .execute(&mut **tx)
            .await?
            .rows_affected();
            if inserted == 0 {
                // Another request of the worker's made them a holder first: theirs stands.
                return Box::pin(own_holder(tx, org_id, user)).await;
            }
            Ok(Holder {
                subject,
                status_index: index(fresh)?,
            })
        }
    }
}

fn index(value: i32) -> Result<u32, StoreError> {
    u32::try_from(value).map_err(|_| StoreError::Conflict(Conflict::StatusIndex))
}

async fn allocate_index(tx: &mut Tx, org_id: OrgId) -> Result<i32, StoreError> {
    Ok(sqlx::query_scalar!(
        r#"insert into attest.badge_status_lists (org_id, next_index) values ($1, 1)
           on conflict (org_id) do update set next_index = attest.badge_status_lists.next_index + 1
           returning next_index - 1 as "index!""#,
        org_id.as_uuid(),
    )
    .fetch_one(&mut **tx)
    .await?)
}

/// The worker a badge pseudonym stands for, if the caller may know it.
pub async fn holder_of(tx: &mut Tx, subject: &str) -> Result<Option<UserId>, StoreError> {
    Ok(sqlx::query_scalar!(
        "select user_id from attest.badge_holders where org_id = attest.current_org_id() and subject = $1",
        subject,
    )
    .fetch_optional(&mut **tx)
    .await?
    .map(UserId::from))
}

/// The organisation's status list as it stands.
#[derive(Debug, Clone)]
pub struct ListState {
    pub list: StatusList,
    /// When a bit was last set (or the list first made).
    pub changed_at: Option<OffsetDateTime>,
}

/// The organisation's status list: one bit per index handed out, set for revoked ones.
pub async fn status_list(tx: &mut Tx, org_id: OrgId) -> Result<ListState, StoreError> {
    let head = sqlx::query!(
        "select next_index, changed_at from attest.badge_status_lists where org_id = $1",
        org_id.as_uuid(),
    )
    .fetch_optional(&mut **tx)
    .await?;
    let revoked = sqlx::query_scalar!(
        "select status_index from attest.badge_revocations where org_id = $1",
        org_id.as_uuid(),
    )
    .fetch_all(&mut **tx)
    .await?;
    let len = head
        .as_ref()
        .map_or(0, |h| usize::try_from(h.next_index).unwrap_or(0));
    let mut list = StatusList::new(len);
    for i in revoked {
        if let Ok(i) = u32::try_from(i) {
            list.revoke(i);
        }
    }
    Ok(ListState {
        list,
        changed_at: head.map(|h| h.changed_at),
    })
}

/// A badge checked at a gate and sent to the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scan {
    /// The scanning device's idempotency key.
    pub scan_id: Uuid,
    pub scanned_by: UserId,
    pub scanned_at: OffsetDateTime,
    pub valid: bool,
    pub reason: Option<String>,
    pub subject_user: Option<UserId>,
}

/// Whether a scan was new.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recorded {
    New,
    /// Sent before (by this caller): what was recorded then.
    Duplicate(Scan),
}

/// Records a scan once per idempotency key. A key another user already used is a conflict.
pub async fn record_scan(tx: &mut Tx, org_id: OrgId, scan: &Scan) -> Result<Recorded, StoreError> {
    let inserted = sqlx::query_scalar!(
        "insert into attest.badge_scans (org_id, scan_id, scanned_by, scanned_at, valid, reason, subject_user_id)
         values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing returning scan_id",
        org_id.as_uuid(),
        scan.scan_id,
        scan.scanned_by.as_uuid(),
        scan.scanned_at,
        scan.valid,
        scan.reason,
        scan.subject_user.map(|u| u.as_uuid()),
    )
    .fetch_optional(&mut **tx)
    .await?;
    if inserted.is_some() {
        return Ok(Recorded::New);
    }
    let earlier = sqlx::query!(
        "select scanned_by, scanned_at, valid, reason, subject_user_id from attest.badge_scans
         where org_id = $1 and scan_id = $2 and scanned_by = $3",
        org_id.as_uuid(),
        scan.scan_id,
        scan.scanned_by.as_uuid(),
    )
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(StoreError::Conflict(Conflict::ScanIdTaken))?;
    Ok(Recorded::Duplicate(Scan {
        scan_id: scan.scan_id,
        scanned_by: earlier.scanned_by.into(),
        scanned_at: earlier.scanned_at,
        valid: earlier.valid,
        reason: earlier.reason,
        subject_user: earlier.subject_user_id.map(UserId::from),
    }))
}
