//! People (accounts within an organisation) and their memberships.

use crate::Conflict;
use crate::error::on_constraint;
use crate::{StoreError, Tx};
use attest_core::{DisplayName, EmailAddress, MemberStatus, OrgId, RoleId, UserId};
use serde::Serialize;
use time::OffsetDateTime;

/// A person to add to an organisation with a role.
#[derive(Debug, Clone)]
pub struct NewPerson {
    pub user_id: UserId,
    pub email: EmailAddress,
    pub display_name: DisplayName,
    pub role_id: RoleId,
}

/// A member as others in the organisation may see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    pub user_id: UserId,
    pub email: String,
    pub display_name: String,
    pub role_key: String,
    pub role_name: String,
    pub status: MemberStatus,
}

/// Adds a person and their membership. Needs `people.manage` in the context. An invited person
/// has no password and an unverified email address until they accept the invitation.
pub async fn insert(tx: &mut Tx, org_id: OrgId, person: &NewPerson) -> Result<(), StoreError> {
    sqlx::query!(
        "insert into attest.users (org_id, user_id, email, display_name) values ($1, $2, $3, $4)",
        org_id.as_uuid(),
        person.user_id.as_uuid(),
        person.email.as_str(),
        person.display_name.as_str(),
    )
    .execute(&mut **tx)
    .await
    .map_err(on_constraint("users_email_key", StoreError::EmailTaken))?;
    sqlx::query!(
        "insert into attest.memberships (org_id, user_id, role_id) values ($1, $2, $3)",
        org_id.as_uuid(),
        person.user_id.as_uuid(),
        person.role_id.as_uuid(),
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Stores a new account's password hash (by the person themselves, or by `people.manage`).
/// A plain insert: an upsert would need to read the row, which only its owner may.
pub async fn insert_password_hash(
    tx: &mut Tx,
    org_id: OrgId,
    user_id: UserId,
    hash: &str,
) -> Result<(), StoreError> {
    sqlx::query!(
        "insert into attest.password_credentials (org_id, user_id, password_hash) values ($1, $2, $3)",
        org_id.as_uuid(),
        user_id.as_uuid(),
        hash,
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The id of the organisation's role with this key.
pub async fn role_id(tx: &mut Tx, key: &str) -> Result<RoleId, StoreError> {
    sqlx::query_scalar!(
        "select role_id from attest.roles where org_id = attest.current_org_id() and key = $1",
        key
    )
    .fetch_optional(&mut **tx)
    .await?
    .map(RoleId::from)
    .ok_or(StoreError::NotFound)
}

/// The members the context may see (self; crews for supervisors; everyone for
/// `people.read.org`), by name.
pub async fn list(tx: &mut Tx) -> Result<Vec<Person>, StoreError> {
    let rows = sqlx::query!(
        "select u.user_id, u.email, u.display_name, r.key as role_key, r.name as role_name, m.status
         from attest.users u
         join attest.memberships m on m.org_id = u.org_id and m.user_id = u.user_id
         join attest.roles r on r.org_id = m.org_id and r.role_id = m.role_id
         order by u.display_name, u.user_id"
    )
    .fetch_all(&mut **tx)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(Person {
                user_id: r.user_id.into(),
                email: r.email,
                display_name: r.display_name,
                role_key: r.role_key,
                role_name: r.role_name,
                status: member_status(&r.status)?,
            })
        })
        .collect()
}

/// A member as account managers see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Member {
    pub user_id: UserId,
    pub email: String,
    pub display_name: String,
    pub role_key: String,
    pub role_name: String,
    /// The membership's status.
    pub status: MemberStatus,
    /// False until the person verifies their address (for an invitation: accepts it).
    pub email_verified: bool,
    pub mfa_enabled: bool,
    /// Set while the account is locked after failed sign-ins (visible to `people.manage`).
    #[serde(with = "time::serde::rfc3339::option")]
    pub locked_until: Option<OffsetDateTime>,
}

/// The members the context may see, by name, with their status.
pub async fn members(tx: &mut Tx, now: OffsetDateTime) -> Result<Vec<Member>, StoreError> {
    let rows = sqlx::query!(
        r#"select u.user_id, u.email, u.display_name, r.key as role_key, r.name as role_name, m.status,
                  u.email_verified_at, u.mfa_enabled_at, s.locked_until as "locked_until?"
           from attest.users u
           join attest.memberships m on m.org_id = u.org_id and m.user_id = u.user_id
           join attest.roles r on r.org_id = m.org_id and r.role_id = m.role_id
           left join attest.sign_in_state s on s.org_id = u.org_id and s.user_id = u.user_id
           order by u.display_name, u.user_id"#
    )
    .fetch_all(&mut **tx)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(Member {
                user_id: r.user_id.into(),
                email: r.email,
                display_name: r.display_name,
                role_key: r.role_key,
                role_name: r.role_name,
                status: member_status(&r.status)?,
                email_verified: r.email_verified_at.is_some(),
                mfa_enabled: r.mfa_enabled_at.is_some(),
                locked_until: r.locked_until.filter(|until| *until > now),
            })
        })
        .collect()
}

/// One member, if the context may see them.
pub async fn member(tx: &mut Tx, user: UserId, now: OffsetDateTime) -> Result<Member, StoreError> {
    members(tx, now)
        .await?
        .into_iter()
        .find(|m| m.user_id == user)
        .ok_or(StoreError::NotFound)
}

/// Gives a member another role. Returns the previous role's key. Needs `people.manage`.
pub async fn change_role(tx: &mut Tx, user: UserId, role: RoleId) -> Result<String, StoreError> {
    let previous = sqlx::query_scalar!(
        "select r.key from attest.memberships m join attest.roles r on r.org_id = m.org_id and r.role_id = m.role_id
         where m.org_id = attest.current_org_id() and m.user_id = $1",
        user.as_uuid(),
    )
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(StoreError::NotFound)?;
    let updated = sqlx::query!(
        "update attest.memberships set role_id = $2 where org_id = attest.current_org_id() and user_id = $1",
        user.as_uuid(),
        role.as_uuid(),
    )
    .execute(&mut **tx)
    .await
    .map_err(last_admin)?
    .rows_affected();
    if updated == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(previous)
    }
}

/// The database refused to leave the organisation without an active administrator (migration
/// 0013's trigger, which also serialises such changes).
fn last_admin(error: sqlx::Error) -> StoreError {
    on_constraint(
        "memberships_last_admin",
        StoreError::Conflict(Conflict::LastAdmin),
    )(error)
}

/// A stored membership status, which the schema keeps to ours.
pub(crate) fn member_status(stored: &str) -> Result<MemberStatus, StoreError> {
    stored
        .parse()
        .map_err(|_| StoreError::Inconsistent(format!("membership status {stored:?}")))
}

/// Sets a membership's status. Needs `people.manage`.
pub async fn set_status(tx: &mut Tx, user: UserId, status: MemberStatus) -> Result<(), StoreError> {
    let updated = sqlx::query!(
        "update attest.memberships set status = $2 where org_id = attest.current_org_id() and user_id = $1",
        user.as_uuid(),
        status.as_str(),
    )
    .execute(&mut **tx)
    .await
    .map_err(last_admin)?
    .rows_affected();
    if updated == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

/// Marks the demo's people (and others created by an administrator with a password) as verified.
pub async fn mark_verified(
    tx: &mut Tx,
    user: UserId,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    crate::accounts::mark_email_verified(tx, user, now).await
}
