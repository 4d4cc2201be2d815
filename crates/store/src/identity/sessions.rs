//! Sessions and their rotating refresh tokens.
//!
//! A session is a family of refresh tokens, one generation after another. Each refresh marks the
//! presented token rotated and issues the next. Presenting a token that was already rotated means
//! it was copied: the whole session is revoked. Sessions also end when idle longer than the
//! organisation allows, and at their absolute lifetime.

use crate::{StoreError, Tx};
use attest_core::{OrgId, UserId};
use serde::Serialize;
use std::net::IpAddr;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// Why a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevokeReason {
    SignOut,
    RevokedByUser,
    RevokedByAdmin,
    ReuseDetected,
    IdleTimeout,
    Expired,
    PasswordChanged,
    PasswordReset,
    MfaChanged,
}

impl RevokeReason {
    pub const fn as_str(self) -> &'static str {
        match self {
            RevokeReason::SignOut => "sign_out",
            RevokeReason::RevokedByUser => "revoked_by_user",
            RevokeReason::RevokedByAdmin => "revoked_by_admin",
            RevokeReason::ReuseDetected => "reuse_detected",
            RevokeReason::IdleTimeout => "idle_timeout",
            RevokeReason::Expired => "expired",
            RevokeReason::PasswordChanged => "password_changed",
            RevokeReason::PasswordReset => "password_reset",
            RevokeReason::MfaChanged => "mfa_changed",
        }
    }
}

/// A new session and its first refresh token (by hash).
#[derive(Debug, Clone)]
pub struct NewSession {
    pub session_id: Uuid,
    pub user_id: UserId,
    pub now: OffsetDateTime,
    pub lifetime: Duration,
    pub mfa_verified: bool,
    pub user_agent: Option<String>,
    pub source_ip: Option<IpAddr>,
    pub token_hash: [u8; 32],
}

pub async fn create(tx: &mut Tx, org_id: OrgId, new: &NewSession) -> Result<(), StoreError> {
    sqlx::query!(
        "insert into attest.sessions (org_id, session_id, user_id, created_at, last_active_at, absolute_expires_at,
             mfa_verified, user_agent, source_ip)
         values ($1, $2, $3, $4, $4, $5, $6, $7, $8::text::inet)",
        org_id.as_uuid(),
        new.session_id,
        new.user_id.as_uuid(),
        new.now,
        new.now + new.lifetime,
        new.mfa_verified,
        new.user_agent.as_deref().map(|ua| ua.chars().take(512).collect::<String>()),
        new.source_ip.map(|ip| ip.to_string()),
    )
    .execute(&mut **tx)
    .await?;
    insert_token(
        tx,
        org_id,
        new.session_id,
        new.user_id,
        1,
        &new.token_hash,
        new.now,
    )
    .await
}

async fn insert_token(
    tx: &mut Tx,
    org_id: OrgId,
    session_id: Uuid,
    user: UserId,
    generation: i32,
    hash: &[u8; 32],
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    sqlx::query!(
        "insert into attest.refresh_tokens (org_id, token_hash, session_id, user_id, generation, created_at)
         values ($1, $2, $3, $4, $5, $6)",
        org_id.as_uuid(),
        hash.as_slice(),
        session_id,
        user.as_uuid(),
        generation,
        now,
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// What presenting a refresh token led to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refresh {
    /// Rotated: the session continues with the new token.
    Rotated {
        session_id: Uuid,
        mfa_verified: bool,
    },
    /// The token had already been rotated: the session is now revoked.
    ReuseDetected { session_id: Uuid },
    /// The session was idle too long, or reached its lifetime: now revoked.
    Ended {
        session_id: Uuid,
        reason: RevokeReason,
    },
    /// Unknown token, or a session already revoked.
    Refused,
}

/// Rotates the refresh token `presented` (hash) for `new_hash`, enforcing reuse detection, the
/// idle timeout and the absolute lifetime. Needs the token owner's context. Both the session
/// and the token row are locked: a concurrent refresh with the same token waits, then reads the
/// token as rotated (PostgreSQL re-reads locked rows, and only those, once the lock is free) and
/// is reuse, so two refreshes never both rotate one token.
pub async fn refresh(
    tx: &mut Tx,
    org_id: OrgId,
    user: UserId,
    presented: &[u8; 32],
    new_hash: &[u8; 32],
    now: OffsetDateTime,
    idle_timeout: Duration,
) -> Result<Refresh, StoreError> {
    let row = sqlx::query!(
        "select t.session_id, t.generation, t.rotated_at, s.last_active_at, s.absolute_expires_at, s.revoked_at, s.mfa_verified
         from attest.refresh_tokens t
         join attest.sessions s on s.org_id = t.org_id and s.session_id = t.session_id
         where t.org_id = $1 and t.user_id = $2 and t.token_hash = $3
         for update of s, t",
        org_id.as_uuid(),
        user.as_uuid(),
        presented.as_slice(),
    )
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = row else {
        return Ok(Refresh::Refused);
    };
    if row.revoked_at.is_some() {
        return Ok(Refresh::Refused);
    }
    if row.rotated_at.is_some() {
        revoke(tx, row.session_id, RevokeReason::ReuseDetected, now).await?;
        return Ok(Refresh::ReuseDetected {
            session_id: row.session_id,
        });
    }
    let ended = if now >= row.absolute_expires_at {
        Some(RevokeReason::Expired)
    } else if now - row.last_active_at > idle_timeout {
        Some(RevokeReason::IdleTimeout)
    } else {
        None
    };
    if let Some(reason) = ended {
        revoke(tx, row.session_id, reason, now).await?;
        return Ok(Refresh::Ended {
            session_id: row.session_id,
            reason,
        });
    }
    sqlx::query!(
        "update attest.refresh_tokens set rotated_at = $3 where org_id = $1 and token_hash = $2",
        org_id.as_uuid(),
        presented.as_slice(),
        now,
    )
    .execute(&mut **tx)
    .await?;
    insert_token(
        tx,
        org_id,
        row.session_id,
        user,
        row.generation + 1,
        new_hash,
        now,
    )
    .await?;
    sqlx::query!(
        "update attest.sessions set last_active_at = $3 where org_id = $1 and session_id = $2",
        org_id.as_uuid(),
        row.session_id,
        now,
    )
    .execute(&mut **tx)
    .await?;
    Ok(Refresh::Rotated {
        session_id: row.session_id,
        mfa_verified: row.mfa_verified,
    })
}

/// Revokes one session. Returns whether it was live.
pub async fn revoke(
    tx: &mut Tx,
    session_id: Uuid,
    reason: RevokeReason,
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    let revoked = sqlx::query!(
        "update attest.sessions set revoked_at = $2, revoked_reason = $3
         where org_id = attest.current_org_id() and session_id = $1 and revoked_at is null",
        session_id,
        now,
        reason.as_str(),
    )
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(revoked > 0)
}

/// Revokes every live session of `user` except `keep`. Returns how many.
pub async fn revoke_all(
    tx: &mut Tx,
    user: UserId,
    reason: RevokeReason,
    now: OffsetDateTime,
    keep: Option<Uuid>,
) -> Result<u64, StoreError> {
    Ok(sqlx::query!(
        "update attest.sessions set revoked_at = $2, revoked_reason = $3
         where org_id = attest.current_org_id() and user_id = $1 and revoked_at is null
           and session_id is distinct from $4",
        user.as_uuid(),
        now,
        reason.as_str(),
        keep,
    )
    .execute(&mut **tx)
    .await?
    .rows_affected())
}

/// A session as its owner sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionView {
    pub session_id: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub last_active_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    pub user_agent: Option<String>,
    pub source_ip: Option<String>,
    pub mfa_verified: bool,
}

/// The live sessions of `user`, most recently active first.
pub async fn list(
    tx: &mut Tx,
    user: UserId,
    now: OffsetDateTime,
) -> Result<Vec<SessionView>, StoreError> {
    Ok(sqlx::query_as!(
        SessionView,
        r#"select session_id, created_at, last_active_at, absolute_expires_at as expires_at, user_agent,
                  host(source_ip) as source_ip, mfa_verified
           from attest.sessions
           where org_id = attest.current_org_id() and user_id = $1 and revoked_at is null and absolute_expires_at > $2
           order by last_active_at desc"#,
        user.as_uuid(),
        now,
    )
    .fetch_all(&mut **tx)
    .await?)
}

/// Whether `session_id` of `user` is live (not revoked, not past its lifetime).
pub async fn is_live(
    tx: &mut Tx,
    user: UserId,
    session_id: Uuid,
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    Ok(sqlx::query_scalar!(
        r#"select exists (select 1 from attest.sessions
           where org_id = attest.current_org_id() and user_id = $1 and session_id = $2
             and revoked_at is null and absolute_expires_at > $3) as "live!""#,
        user.as_uuid(),
        session_id,
        now,
    )
    .fetch_one(&mut **tx)
    .await?)
}

/// The session a refresh token (by hash) belongs to, whether or not it was rotated.
pub async fn session_of_token(
    tx: &mut Tx,
    user: UserId,
    hash: &[u8; 32],
) -> Result<Option<Uuid>, StoreError> {
    Ok(sqlx::query_scalar!(
        "select session_id from attest.refresh_tokens
         where org_id = attest.current_org_id() and user_id = $1 and token_hash = $2",
        user.as_uuid(),
        hash.as_slice(),
    )
    .fetch_optional(&mut **tx)
    .await?)
}
