//! Each organisation's Ed25519 signing keys, private halves wrapped by the key-encryption key
//! with the organisation, key id and purpose as associated data.
//!
//! A key's public half is trusted only when its wrapped private half opens under the KEK and
//! derives it ([`authentic`]): `attest_app` may insert key rows (an organisation's first badge or
//! checkpoint makes its key), so a row alone proves nothing. An injected row is refused and
//! logged. Only the owner updates key rows (rotation and re-wrapping are operator commands).

use crate::{StoreError, Tx};
use attest_core::OrgId;
use attest_crypto::{KeyEncryptionKey, WrappedKey};
use attest_ledger::{LogSigner, origin_for};
use uuid::Uuid;
use zeroize::Zeroizing;

/// What a key signs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Audit checkpoints.
    Audit,
    /// Workers' badges and the organisation's status list.
    Badge,
}

impl Purpose {
    pub(crate) const fn as_str(self) -> &'static str {
        match self {
            Purpose::Audit => "audit",
            Purpose::Badge => "badge",
        }
    }
}

fn aad(org_id: OrgId, key_id: Uuid, purpose: Purpose) -> Vec<u8> {
    let mut out = b"attest/org-key/v1\0".to_vec();
    out.extend_from_slice(org_id.as_uuid().as_bytes());
    out.extend_from_slice(key_id.as_bytes());
    out.extend_from_slice(purpose.as_str().as_bytes());
    out
}

/// The public half a key row's wrapped private half derives, if it opens under the KEK and is the
/// row's public half; `None` (logged) otherwise.
pub(crate) async fn authentic(
    kek: &dyn KeyEncryptionKey,
    org_id: OrgId,
    key_id: Uuid,
    purpose: Purpose,
    public_key: &[u8],
    wrapped: WrappedKey,
) -> Option<[u8; 32]> {
    let Ok(seed) = kek.unwrap(&wrapped, &aad(org_id, key_id, purpose)).await else {
        tracing::error!(%org_id, %key_id, purpose = purpose.as_str(), "an organisation key does not open under the key-encryption key: refused (was it written by someone else?)");
        return None;
    };
    let derived = ed25519_dalek::SigningKey::from_bytes(&seed)
        .verifying_key()
        .to_bytes();
    if derived.as_slice() != public_key {
        tracing::error!(%org_id, %key_id, purpose = purpose.as_str(), "an organisation key's public half is not its private half's: refused");
        return None;
    }
    Some(derived)
}

/// The organisation's live key seed for `purpose`, made on first use. Needs the organisation's
/// context. A live row that is not authentic is an error: nothing is signed with it. Requests
/// that make the first key at once agree on one: the insert that loses waits for the winner and
/// reads its key.
pub(crate) async fn seed(
    tx: &mut Tx,
    kek: &dyn KeyEncryptionKey,
    org_id: OrgId,
    purpose: Purpose,
    now: Option<time::OffsetDateTime>,
) -> Result<Zeroizing<[u8; 32]>, StoreError> {
    if let Some(seed) = live_seed(tx, kek, org_id, purpose).await? {
        return Ok(seed);
    }
    let key_id = Uuid::now_v7();
    let seed = Zeroizing::new(attest_crypto::random_bytes::<32>()?);
    let public = ed25519_dalek::SigningKey::from_bytes(&seed)
        .verifying_key()
        .to_bytes();
    let wrapped = kek.wrap(&seed, &aad(org_id, key_id, purpose)).await?;
    let inserted = sqlx::query_scalar!(
        "insert into attest.org_keys (org_id, key_id, purpose, public_key, private_wrapped, kek_version, created_at)
         values ($1, $2, $3, $4, $5, $6, coalesce($7, now()))
         on conflict (org_id, purpose) where retired_at is null do nothing
         returning key_id",
        org_id.as_uuid(),
        key_id,
        purpose.as_str(),
        public.as_slice(),
        wrapped.ciphertext,
        i32::try_from(wrapped.kek_version).unwrap_or(i32::MAX),
        now,
    )
    .fetch_optional(&mut **tx)
    .await?;
    if inserted.is_some() {
        return Ok(seed);
    }
    // Another request made it first (and has committed): use theirs.
    live_seed(tx, kek, org_id, purpose)
        .await?
        .ok_or_else(|| StoreError::Inconsistent("no live signing key after a conflict".into()))
}

/// The live key's seed, if there is a live key (an error if it is not authentic).
async fn live_seed(
    tx: &mut Tx,
    kek: &dyn KeyEncryptionKey,
    org_id: OrgId,
    purpose: Purpose,
) -> Result<Option<Zeroizing<[u8; 32]>>, StoreError> {
    let row = sqlx::query!(
        "select key_id, public_key, private_wrapped, kek_version from attest.org_keys
         where org_id = $1 and purpose = $2 and retired_at is null",
        org_id.as_uuid(),
        purpose.as_str(),
    )
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let wrapped = WrappedKey {
        kek_version: u32::try_from(row.kek_version).unwrap_or(0),
        ciphertext: row.private_wrapped,
    };
    authentic(
        kek,
        org_id,
        row.key_id,
        purpose,
        &row.public_key,
        wrapped.clone(),
    )
    .await
    .ok_or_else(|| StoreError::Inconsistent("the live signing key is not authentic".into()))?;
    Ok(Some(
        kek.unwrap(&wrapped, &aad(org_id, row.key_id, purpose))
            .await?,
    ))
}

/// The signer of the organisation's audit checkpoints.
pub async fn audit_signer(
    tx: &mut Tx,
    kek: &dyn KeyEncryptionKey,
    org_id: OrgId,
) -> Result<LogSigner, StoreError> {
    let seed = seed(tx, kek, org_id, Purpose::Audit, None).await?;
    Ok(LogSigner::new(origin_for(org_id.as_uuid()), &seed))
}

/// The verifier key (C2SP signed-note `vkey`) of the organisation's audit log, if it has an
/// authentic one.
pub async fn audit_vkey(
    tx: &mut Tx,
    kek: &dyn KeyEncryptionKey,
    org_id: OrgId,
) -> Result<Option<String>, StoreError> {
    let row = sqlx::query!(
        "select key_id, public_key, private_wrapped, kek_version from attest.org_keys
         where org_id = $1 and purpose = 'audit' and retired_at is null",
        org_id.as_uuid(),
    )
    .fetch_optional(&mut **tx)
    .await?;
    let Some(r) = row else {
        return Ok(None);
    };
    let wrapped = WrappedKey {
        kek_version: u32::try_from(r.kek_version).unwrap_or(0),
        ciphertext: r.private_wrapped,
    };
    let authentic = authentic(
        kek,
        org_id,
        r.key_id,
        Purpose::Audit,
        &r.public_key,
        wrapped,
    );
    let Some(bytes) = authentic.await else {
        return Ok(None);
    };
    Ok(ed25519_dalek::VerifyingKey::from_bytes(&bytes)
        .ok()
        .map(|key| attest_ledger::vkey_for(&origin_for(org_id.as_uuid()), &key)))
}

/// How many of the organisation's signing keys are still wrapped by another version than
/// `current`.
pub async fn behind(tx: &mut Tx, org_id: OrgId, current: u32) -> Result<i64, StoreError> {
    let current = i32::try_from(current).unwrap_or(i32::MAX);
    Ok(sqlx::query_scalar!(
        r#"select count(*) as "count!" from attest.org_keys where org_id = $1 and kek_version <> $2"#,
        org_id.as_uuid(),
        current,
    )
    .fetch_one(&mut **tx)
    .await?)
}

/// Re-wraps the organisation's signing keys with the KEK's current version (after a rotation).
/// Needs the owner role, in the organisation's context. Returns how many were re-wrapped.
pub async fn rewrap_all(
    tx: &mut Tx,
    kek: &dyn KeyEncryptionKey,
    org_id: OrgId,
) -> Result<u64, StoreError> {
    let current = i32::try_from(kek.current_version()).unwrap_or(i32::MAX);
    let rows = sqlx::query!(
        "select key_id, purpose, private_wrapped, kek_version from attest.org_keys
         where org_id = $1 and kek_version <> $2 for update",
        org_id.as_uuid(),
        current,
    )
    .fetch_all(&mut **tx)
    .await?;
    let mut count = 0;
    for row in rows {
        let purpose = match row.purpose.as_str() {
            "audit" => Purpose::Audit,
            "badge" => Purpose::Badge,
            _ => continue,
        };
        let context = aad(org_id, row.key_id, purpose);
        let wrapped = WrappedKey {
            kek_version: u32::try_from(row.kek_version).unwrap_or(0),
            ciphertext: row.private_wrapped,
        };
        let rewrapped = kek.rewrap(&wrapped, &context).await?;
        sqlx::query!(
            "update attest.org_keys set private_wrapped = $3, kek_version = $4 where org_id = $1 and key_id = $2",
            org_id.as_uuid(),
            row.key_id,
            rewrapped.ciphertext,
            i32::try_from(rewrapped.kek_version).unwrap_or(i32::MAX),
        )
        .execute(&mut **tx)
        .await?;
        count += 1;
    }
    Ok(count)
}
