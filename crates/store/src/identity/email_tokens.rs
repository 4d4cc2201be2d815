//! Single-use, expiring tokens sent by email. The link carries a signed token naming
//! `token_id`; the row here makes it single-use and records its purpose and expiry.

use crate::{StoreError, Tx};
use attest_core::{OrgId, UserId};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// What an email token is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    VerifyEmail,
    ResetPassword,
    Invitation,
    ChangeEmail,
}

impl Purpose {
    pub const fn as_str(self) -> &'static str {
        match self {
            Purpose::VerifyEmail => "verify_email",
            Purpose::ResetPassword => "reset_password",
            Purpose::Invitation => "invitation",
            Purpose::ChangeEmail => "change_email",
        }
    }
}

/// Records a new token for `user`; returns its id.
pub async fn create(
    tx: &mut Tx,
    org_id: OrgId,
    user: UserId,
    purpose: Purpose,
    new_email: Option<&str>,
    now: OffsetDateTime,
    ttl: Duration,
) -> Result<Uuid, StoreError> {
    let token_id = Uuid::new_v4();
    sqlx::query!(
        "insert into attest.email_tokens (org_id, token_id, user_id, purpose, new_email, created_at, expires_at)
         values ($1, $2, $3, $4, $5, $6, $7)",
        org_id.as_uuid(),
        token_id,
        user.as_uuid(),
        purpose.as_str(),
        new_email,
        now,
        now + ttl,
    )
    .execute(&mut **tx)
    .await?;
    Ok(token_id)
}

/// What consuming a token found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Consumed {
    /// Valid: now used. Carries the new address for an email change.
    Valid { new_email: Option<String> },
    /// Already used, expired, for another purpose or another person, or unknown.
    Invalid,
}

/// Uses the token once. Needs the token owner's context.
pub async fn consume(
    tx: &mut Tx,
    user: UserId,
    token_id: Uuid,
    purpose: Purpose,
    now: OffsetDateTime,
) -> Result<Consumed, StoreError> {
    let row = sqlx::query!(
        "update attest.email_tokens set used_at = $4
         where org_id = attest.current_org_id() and token_id = $1 and user_id = $2 and purpose = $3
           and used_at is null and expires_at > $4
         returning new_email",
        token_id,
        user.as_uuid(),
        purpose.as_str(),
        now,
    )
    .fetch_optional(&mut **tx)
    .await?;
    Ok(match row {
        Some(r) => Consumed::Valid {
            new_email: r.new_email,
        },
        None => Consumed::Invalid,
    })
}

/// Invalidates the person's unused tokens for `purpose` (a new reset link replaces older ones).
pub async fn invalidate(
    tx: &mut Tx,
    user: UserId,
    purpose: Purpose,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    sqlx::query!(
        "update attest.email_tokens set used_at = $3
         where org_id = attest.current_org_id() and user_id = $1 and purpose = $2 and used_at is null",
        user.as_uuid(),
        purpose.as_str(),
        now,
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}
