//! Accounts at sign-in: finding one by email, its password, its failed-attempt state, its email
//! verification.

use crate::{StoreError, Tx};
use attest_core::{MemberStatus, OrgId, Permission, PermissionSet, UserId};
use sqlx::PgPool;
use time::{Duration, OffsetDateTime};

/// What signing in needs to know about an account.
#[derive(Debug, Clone)]
pub struct Account {
    pub user_id: UserId,
    pub email: String,
    pub display_name: String,
    pub email_verified: bool,
    pub mfa_enabled: bool,
    /// The membership's status.
    pub status: MemberStatus,
    pub role_key: String,
    pub permissions: PermissionSet,
    pub password_hash: Option<String>,
    pub failures: i32,
    pub next_attempt_at: Option<OffsetDateTime>,
    pub locked_until: Option<OffsetDateTime>,
}

impl Account {
    /// Whether a sign-in attempt at `now` must be refused without looking at the password.
    pub fn is_blocked(&self, now: OffsetDateTime) -> bool {
        self.locked_until.is_some_and(|until| until > now)
            || self.next_attempt_at.is_some_and(|at| at > now)
    }
}

/// How failed sign-ins are slowed down and then locked.
#[derive(Debug, Clone, Copy)]
pub struct LockPolicy {
    /// Failures after which the account is locked.
    pub lock_after: i32,
    /// How long a lock lasts.
    pub lock_for: Duration,
}

impl Default for LockPolicy {
    /// 1 s, 2 s, 4 s and 8 s delays after the first four failures, a 15-minute lock at the fifth.
    fn default() -> Self {
        Self {
            lock_after: 5,
            lock_for: Duration::minutes(15),
        }
    }
}

impl LockPolicy {
    /// The delay before the next attempt after `failures` failures (1 s, doubling).
    pub fn delay_after(&self, failures: i32) -> Duration {
        Duration::seconds(1i64 << (failures.clamp(1, 10) - 1))
    }
}

/// The outcome of recording a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// Slowed down: no attempt before this moment.
    Delayed(OffsetDateTime),
    /// Locked until this moment (this failure locked it).
    Locked(OffsetDateTime),
}

/// Finds the account with this email in the organisation. The lookup transaction's context holds
/// the organisation and the email only, which reveals that one account's id.
pub async fn find_by_email(
    pool: &PgPool,
    org_id: OrgId,
    email: &str,
) -> Result<Option<UserId>, StoreError> {
    let mut tx = pool.begin().await?;
    sqlx::query!(
        r#"select set_config('attest.org_id', $1, true) as "org!", set_config('attest.lookup_email', $2, true) as "email!""#,
        org_id.to_string(),
        email,
    )
    .fetch_one(&mut *tx)
    .await?;
    let user = sqlx::query_scalar!(
        "select user_id from attest.users where org_id = $1 and attest.email_key(email) = attest.email_key($2)",
        org_id.as_uuid(),
        email,
    )
    .fetch_optional(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(user.map(UserId::from))
}

/// The account, in a transaction whose context is that account (organisation and user).
pub async fn load(tx: &mut Tx, user: UserId) -> Result<Option<Account>, StoreError> {
    let row = sqlx::query!(
        r#"select u.user_id, u.email, u.display_name, u.email_verified_at, u.mfa_enabled_at, m.status, r.key as role_key,
                  coalesce((select array_agg(p.permission) from attest.role_permissions p
                            where p.org_id = r.org_id and p.role_id = r.role_id), '{}') as "permissions!",
                  pc.password_hash as "password_hash?",
                  coalesce(s.failures, 0) as "failures!", s.next_attempt_at as "next_attempt_at?", s.locked_until as "locked_until?"
           from attest.users u
           join attest.memberships m on m.org_id = u.org_id and m.user_id = u.user_id
           join attest.roles r on r.org_id = m.org_id and r.role_id = m.role_id
           left join attest.password_credentials pc on pc.org_id = u.org_id and pc.user_id = u.user_id
           left join attest.sign_in_state s on s.org_id = u.org_id and s.user_id = u.user_id
           where u.org_id = attest.current_org_id() and u.user_id = $1"#,
        user.as_uuid(),
    )
    .fetch_optional(&mut **tx)
    .await?;
    let Some(r) = row else {
        return Ok(None);
    };
    Ok(Some(Account {
        user_id: r.user_id.into(),
        email: r.email,
        display_name: r.display_name,
        email_verified: r.email_verified_at.is_some(),
        mfa_enabled: r.mfa_enabled_at.is_some(),
        status: crate::identity::people::member_status(&r.status)?,
        role_key: r.role_key,
        permissions: r
            .permissions
            .iter()
            .filter_map(|p| p.parse::<Permission>().ok())
            .collect(),
        password_hash: r.password_hash,
        failures: r.failures,
        next_attempt_at: r.next_attempt_at,
        locked_until: r.locked_until,
    }))
}

/// How long a claimed password check may take before another attempt may claim it anyway (a
/// server that died mid-check leaves its claim behind).
pub const CHECK_LEASE: Duration = Duration::seconds(30);

/// Claims the account's single password check, in one statement that also tests the lock and
/// the delay: `false` when the account is locked, delayed after a failure, or another check of
/// it is under way. The claim ends with [`record_failure`] or [`clear_failures`], or after
/// [`CHECK_LEASE`]. Needs the account's own context.
pub async fn claim_password_check(
    tx: &mut Tx,
    org_id: OrgId,
    user: UserId,
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    let claimed = sqlx::query_scalar!(
        r#"insert into attest.sign_in_state as s (org_id, user_id, failures, attempt_until)
           values ($1, $2, 0, $4)
           on conflict (org_id, user_id) do update set attempt_until = $4
           where (s.locked_until is null or s.locked_until <= $3)
             and (s.next_attempt_at is null or s.next_attempt_at <= $3)
             and (s.attempt_until is null or s.attempt_until <= $3)
           returning true as "claimed!""#,
        org_id.as_uuid(),
        user.as_uuid(),
        now,
        now + CHECK_LEASE,
    )
    .fetch_optional(&mut **tx)
    .await?;
    Ok(claimed.is_some())
}

/// Whether the only thing between the account and a claim is another check under way (no lock,
/// no delay): an attempt that finds this waits for that check's outcome instead of being
/// refused. Needs the account's own context.
pub async fn check_under_way(
    tx: &mut Tx,
    user: UserId,
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    let under_way = sqlx::query_scalar!(
        r#"select exists (
             select 1 from attest.sign_in_state
              where org_id = attest.current_org_id() and user_id = $1
                and attempt_until > $2
                and (locked_until is null or locked_until <= $2)
                and (next_attempt_at is null or next_attempt_at <= $2)
           ) as "under_way!""#,
        user.as_uuid(),
        now,
    )
    .fetch_one(&mut **tx)
    .await?;
    Ok(under_way)
}

/// Gives a claimed check back without a verdict (the check could not be made).
pub async fn release_password_check(tx: &mut Tx, user: UserId) -> Result<(), StoreError> {
    sqlx::query!(
        "update attest.sign_in_state set attempt_until = null
         where org_id = attest.current_org_id() and user_id = $1",
        user.as_uuid(),
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Records a failed attempt: the next one is delayed, and at `policy.lock_after` failures the
/// account is locked (and the count starts again for after the lock). Ends the check's claim.
pub async fn record_failure(
    tx: &mut Tx,
    org_id: OrgId,
    user: UserId,
    now: OffsetDateTime,
    policy: LockPolicy,
) -> Result<Failure, StoreError> {
    let failures = sqlx::query_scalar!(
        "insert into attest.sign_in_state (org_id, user_id, failures, last_failure_at) values ($1, $2, 1, $3)
         on conflict (org_id, user_id) do update set failures = attest.sign_in_state.failures + 1, last_failure_at = $3
         returning failures",
        org_id.as_uuid(),
        user.as_uuid(),
        now,
    )
    .fetch_one(&mut **tx)
    .await?;
    let outcome = if failures >= policy.lock_after {
        Failure::Locked(now + policy.lock_for)
    } else {
        Failure::Delayed(now + policy.delay_after(failures))
    };
    let (failures, next_attempt_at, locked_until) = match outcome {
        Failure::Locked(until) => (0, None, Some(until)),
        Failure::Delayed(at) => (failures, Some(at), None),
    };
    sqlx::query!(
        "update attest.sign_in_state set failures = $3, next_attempt_at = $4, locked_until = coalesce($5, locked_until),
                attempt_until = null
         where org_id = $1 and user_id = $2",
        org_id.as_uuid(),
        user.as_uuid(),
        failures,
        next_attempt_at,
        locked_until,
    )
    .execute(&mut **tx)
    .await?;
    Ok(outcome)
}

/// Forgets failed attempts (a successful sign-in, a password reset, an admin's unlock) and ends
/// any claimed check. Returns whether the account was locked.
pub async fn clear_failures(
    tx: &mut Tx,
    user: UserId,
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    let locked_until = sqlx::query_scalar!(
        "select locked_until from attest.sign_in_state where org_id = attest.current_org_id() and user_id = $1",
        user.as_uuid(),
    )
    .fetch_optional(&mut **tx)
    .await?
    .flatten();
    sqlx::query!(
        "update attest.sign_in_state set failures = 0, next_attempt_at = null, locked_until = null,
                attempt_until = null
         where org_id = attest.current_org_id() and user_id = $1",
        user.as_uuid(),
    )
    .execute(&mut **tx)
    .await?;
    Ok(locked_until.is_some_and(|until| until > now))
}

/// Replaces the account's password hash (an upgrade at sign-in, a change, a reset). Needs the
/// account's own context.
pub async fn set_password_hash(
    tx: &mut Tx,
    user: UserId,
    hash: &str,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    let updated = sqlx::query!(
        "update attest.password_credentials set password_hash = $2, updated_at = $3
         where org_id = attest.current_org_id() and user_id = $1",
        user.as_uuid(),
        hash,
        now,
    )
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if updated == 0 {
        sqlx::query!(
            "insert into attest.password_credentials (org_id, user_id, password_hash, updated_at)
             values (attest.current_org_id(), $1, $2, $3)",
            user.as_uuid(),
            hash,
            now,
        )
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Marks the email address verified (idempotent).
pub async fn mark_email_verified(
    tx: &mut Tx,
    user: UserId,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    sqlx::query!(
        "update attest.users set email_verified_at = coalesce(email_verified_at, $2)
         where org_id = attest.current_org_id() and user_id = $1",
        user.as_uuid(),
        now,
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Changes the account's email address (already verified by the link sent to it).
pub async fn change_email(
    tx: &mut Tx,
    user: UserId,
    email: &str,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    sqlx::query!(
        "update attest.users set email = $2, email_verified_at = $3 where org_id = attest.current_org_id() and user_id = $1",
        user.as_uuid(),
        email,
        now,
    )
    .execute(&mut **tx)
    .await
    .map_err(crate::error::on_constraint("users_email_key", StoreError::EmailTaken))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_from_one_second() {
        let p = LockPolicy::default();
        let delays: Vec<i64> = (1..=4).map(|f| p.delay_after(f).whole_seconds()).collect();
        assert_eq!(delays, [1, 2, 4, 8]);
        assert_eq!(p.lock_after, 5);
        assert_eq!(p.lock_for, Duration::minutes(15));
    }
}
