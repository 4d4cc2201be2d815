//! Second factors: a TOTP secret (sealed with the person's data key) and recovery codes (hashed).

use crate::{StoreError, Tx};
use attest_core::{OrgId, UserId};
use time::OffsetDateTime;

/// The stored TOTP set-up.
#[derive(Debug, Clone)]
pub struct TotpRecord {
    pub secret_sealed: Vec<u8>,
    pub confirmed: bool,
    pub last_used_step: Option<u64>,
}

/// The person's TOTP set-up, if any. Needs their own context.
pub async fn totp(tx: &mut Tx, user: UserId) -> Result<Option<TotpRecord>, StoreError> {
    let row = sqlx::query!(
        "select secret_sealed, confirmed_at, last_used_step from attest.mfa_totp
         where org_id = attest.current_org_id() and user_id = $1",
        user.as_uuid(),
    )
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|r| TotpRecord {
        secret_sealed: r.secret_sealed,
        confirmed: r.confirmed_at.is_some(),
        last_used_step: r.last_used_step.and_then(|s| u64::try_from(s).ok()),
    }))
}

/// Starts (or restarts) enrolment with a new sealed secret. Refused once a secret is confirmed:
/// it must be removed first (which needs re-authentication).
pub async fn start_enrolment(
    tx: &mut Tx,
    org_id: OrgId,
    user: UserId,
    secret_sealed: &[u8],
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    let written = sqlx::query!(
        "insert into attest.mfa_totp (org_id, user_id, secret_sealed, created_at) values ($1, $2, $3, $4)
         on conflict (org_id, user_id) do update set secret_sealed = excluded.secret_sealed, created_at = excluded.created_at,
             last_used_step = null
         where attest.mfa_totp.confirmed_at is null",
        org_id.as_uuid(),
        user.as_uuid(),
        secret_sealed,
        now,
    )
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(written == 1)
}

/// Accepts a TOTP time step once: succeeds only if it is later than the last accepted step.
pub async fn accept_step(tx: &mut Tx, user: UserId, step: u64) -> Result<bool, StoreError> {
    let step = i64::try_from(step).unwrap_or(i64::MAX);
    let updated = sqlx::query!(
        "update attest.mfa_totp set last_used_step = $2
         where org_id = attest.current_org_id() and user_id = $1 and (last_used_step is null or last_used_step < $2)",
        user.as_uuid(),
        step,
    )
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(updated == 1)
}

/// Confirms enrolment and stores the recovery codes' hashes (replacing any).
pub async fn confirm(
    tx: &mut Tx,
    org_id: OrgId,
    user: UserId,
    recovery_code_hashes: &[[u8; 32]],
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    sqlx::query!(
        "update attest.mfa_totp set confirmed_at = $2 where org_id = attest.current_org_id() and user_id = $1",
        user.as_uuid(),
        now,
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query!(
        "update attest.users set mfa_enabled_at = $2 where org_id = attest.current_org_id() and user_id = $1",
        user.as_uuid(),
        now,
    )
    .execute(&mut **tx)
    .await?;
    replace_recovery_codes(tx, org_id, user, recovery_code_hashes).await
}

/// Replaces the person's recovery codes.
pub async fn replace_recovery_codes(
    tx: &mut Tx,
    org_id: OrgId,
    user: UserId,
    hashes: &[[u8; 32]],
) -> Result<(), StoreError> {
    sqlx::query!(
        "delete from attest.mfa_recovery_codes where org_id = attest.current_org_id() and user_id = $1",
        user.as_uuid(),
    )
    .execute(&mut **tx)
    .await?;
    let hashes: Vec<Vec<u8>> = hashes.iter().map(|h| h.to_vec()).collect();
    sqlx::query!(
        "insert into attest.mfa_recovery_codes (org_id, user_id, code_hash) select $1, $2, unnest($3::bytea[])",
        org_id.as_uuid(),
        user.as_uuid(),
        &hashes,
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Uses a recovery code once. Returns whether it was valid and unused.
pub async fn use_recovery_code(
    tx: &mut Tx,
    user: UserId,
    hash: &[u8; 32],
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    let used = sqlx::query!(
        "update attest.mfa_recovery_codes set used_at = $3
         where org_id = attest.current_org_id() and user_id = $1 and code_hash = $2 and used_at is null",
        user.as_uuid(),
        hash.as_slice(),
        now,
    )
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(used == 1)
}

/// How many unused recovery codes the person has left.
pub async fn recovery_codes_left(tx: &mut Tx, user: UserId) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar!(
        r#"select count(*) as "n!" from attest.mfa_recovery_codes
           where org_id = attest.current_org_id() and user_id = $1 and used_at is null"#,
        user.as_uuid(),
    )
    .fetch_one(&mut **tx)
    .await?)
}

/// Removes the person's second factor and recovery codes (by themselves after
/// re-authentication, or by an account manager resetting it).
pub async fn remove(tx: &mut Tx, user: UserId) -> Result<bool, StoreError> {
    let removed = sqlx::query!(
        "delete from attest.mfa_totp where org_id = attest.current_org_id() and user_id = $1",
        user.as_uuid(),
    )
    .execute(&mut **tx)
    .await?
    .rows_affected();
    sqlx::query!(
        "delete from attest.mfa_recovery_codes where org_id = attest.current_org_id() and user_id = $1",
        user.as_uuid(),
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query!(
        "update attest.users set mfa_enabled_at = null where org_id = attest.current_org_id() and user_id = $1",
        user.as_uuid(),
    )
    .execute(&mut **tx)
    .await?;
    Ok(removed > 0)
}
