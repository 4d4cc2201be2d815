//! The daily expiry job's queries: organisations to visit, credentials that expired or are due a
//! reminder, who to tell, and the record of what was sent.

use crate::{StoreError, Tx};
use attest_core::{CredentialId, OrgId, UserId};
use sqlx::PgPool;
use time::Date;

/// An organisation and its reminder offsets (days before expiry).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub org_id: OrgId,
    pub offsets: Vec<i32>,
}

/// Every organisation in this database, with its reminder offsets.
pub async fn schedules(pool: &PgPool) -> Result<Vec<Schedule>, StoreError> {
    let mut tx = pool.begin().await?;
    sqlx::query!(r#"select set_config('attest.worker', 'scheduler', true) as "worker!""#)
        .fetch_one(&mut *tx)
        .await?;
    let rows = sqlx::query!(
        r#"select o.org_id, coalesce(s.reminder_offsets_days, '{30,7,0}') as "offsets!"
           from attest.organisations o
           left join attest.credential_settings s on s.org_id = o.org_id
           order by o.org_id"#
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(rows
        .into_iter()
        .map(|r| Schedule {
            org_id: r.org_id.into(),
            offsets: r.offsets,
        })
        .collect())
}

/// An active credential that expires within `horizon` days (or has expired).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expiring {
    pub credential_id: CredentialId,
    pub version: i32,
    pub user_id: UserId,
    pub type_name: String,
    pub expires_on: Date,
    /// Whether its expiry has been recorded (`credential.expired`) already.
    pub expiry_recorded: bool,
    /// Reminders already sent for this version: (kind, offset).
    pub sent: Vec<(String, i32)>,
}

/// Active credentials expiring on or before `until`, with what was sent about them.
pub async fn expiring(tx: &mut Tx, until: Date) -> Result<Vec<Expiring>, StoreError> {
    let rows = sqlx::query!(
        r#"select c.credential_id, c.version, c.user_id, t.name as type_name, c.expires_on as "expires_on!",
                  c.expiry_recorded_on is not distinct from c.expires_on as "expiry_recorded!",
                  coalesce(array_agg(r.kind order by r.kind, r.offset_days) filter (where r.kind is not null), '{}') as "kinds!",
                  coalesce(array_agg(r.offset_days order by r.kind, r.offset_days) filter (where r.kind is not null), '{}') as "offsets!"
           from attest.credentials c
           join attest.credential_types t on t.org_id = c.org_id and t.type_id = c.type_id
           left join attest.credential_reminders r
                  on r.org_id = c.org_id and r.credential_id = c.credential_id and r.version = c.version
           where c.org_id = attest.current_org_id() and c.state = 'active'
             and c.expires_on is not null and c.expires_on <= $1
           group by c.credential_id, c.version, c.user_id, t.name, c.expires_on, c.expiry_recorded_on
           order by c.expires_on, c.credential_id"#,
        until,
    )
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Expiring {
            credential_id: r.credential_id.into(),
            version: r.version,
            user_id: r.user_id.into(),
            type_name: r.type_name,
            expires_on: r.expires_on,
            expiry_recorded: r.expiry_recorded,
            sent: r.kinds.into_iter().zip(r.offsets).collect(),
        })
        .collect())
}

/// Records that the credential's current expiry date has been noted as expired.
pub async fn record_expiry(
    tx: &mut Tx,
    id: CredentialId,
    expires_on: Date,
) -> Result<(), StoreError> {
    sqlx::query!(
        "update attest.credentials set expiry_recorded_on = $2
         where org_id = attest.current_org_id() and credential_id = $1",
        id.as_uuid(),
        expires_on,
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A reminder about one version of a credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    pub credential_id: CredentialId,
    pub version: i32,
    /// `reminder` (before expiry) or `escalation` (after).
    pub kind: &'static str,
    pub offset_days: i32,
    pub recipients: i32,
}

/// Records a reminder as sent. Returns false if it had been (then nothing should be sent).
pub async fn record_reminder(
    tx: &mut Tx,
    org_id: OrgId,
    reminder: &Reminder,
    now: time::OffsetDateTime,
) -> Result<bool, StoreError> {
    let inserted = sqlx::query!(
        "insert into attest.credential_reminders (org_id, credential_id, version, kind, offset_days, sent_at, recipients)
         values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing",
        org_id.as_uuid(),
        reminder.credential_id.as_uuid(),
        reminder.version,
        reminder.kind,
        reminder.offset_days,
        now,
        reminder.recipients,
    )
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(inserted == 1)
}

/// Someone to tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub user_id: UserId,
    pub email: String,
    pub name: String,
}

/// The worker, the supervisors of their crews, and (with `managers`) everyone whose role may
/// manage credentials; active members only, each once.
pub async fn recipients(
    tx: &mut Tx,
    worker: UserId,
    managers: bool,
) -> Result<Vec<Recipient>, StoreError> {
    let rows = sqlx::query!(
        r#"select distinct u.user_id, u.email, u.display_name
           from attest.users u
           join attest.memberships m on m.org_id = u.org_id and m.user_id = u.user_id and m.status = 'active'
           where u.org_id = attest.current_org_id() and (
               u.user_id = $1
               or u.user_id in (select c.supervisor_id from attest.crews c
                                join attest.crew_members cm on cm.org_id = c.org_id and cm.crew_id = c.crew_id
                                where cm.org_id = u.org_id and cm.user_id = $1)
               or ($2 and exists (select 1 from attest.role_permissions rp
                                  where rp.org_id = m.org_id and rp.role_id = m.role_id
                                    and rp.permission = 'credentials.manage')))
           order by u.display_name"#,
        worker.as_uuid(),
        managers,
    )
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Recipient {
            user_id: r.user_id.into(),
            email: r.email,
            name: r.display_name,
        })
        .collect())
}
