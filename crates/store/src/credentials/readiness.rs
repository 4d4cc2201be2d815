//! What readiness is computed from, as the caller may see it (row-level security): the
//! workforce (active members in a crew or with a job role), crews, sites, job roles,
//! requirements and credentials. The computation itself is `attest_core::readiness`.

use crate::requirements::{self, Target};
use crate::{StoreError, Tx, credentials};
use attest_core::readiness::{
    CrewInput, HeldCredential, JobRoleInput, ReadinessInput, SiteInput, WorkerInput,
};
use attest_core::{CredentialStatus, CrewId, JobRoleId, SiteId, UserId};
use std::collections::HashMap;
use time::OffsetDateTime;

/// A worker as the readiness views name them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerName {
    pub user_id: UserId,
    pub display_name: String,
    pub job_role: Option<JobRoleId>,
    pub crews: Vec<CrewId>,
}

/// Names for what the input refers to by id.
#[derive(Debug, Clone, Default)]
pub struct Names {
    pub workers: Vec<WorkerName>,
    pub sites: HashMap<SiteId, String>,
    pub crews: HashMap<CrewId, (String, Option<SiteId>)>,
    pub job_roles: HashMap<JobRoleId, String>,
}

/// The readiness input and the names that go with it.
#[derive(Debug, Clone)]
pub struct ReadinessData {
    pub input: ReadinessInput,
    pub names: Names,
    /// Every visible credential (current version), for lists such as "expiring soon".
    pub credentials: Vec<credentials::Credential>,
    pub expiring_window_days: i32,
}

/// The organisation's "expiring" window in days.
pub async fn expiring_window_days(tx: &mut Tx) -> Result<i32, StoreError> {
    Ok(crate::credential_settings::get(tx)
        .await?
        .expiring_window_days)
}

/// Loads everything readiness needs, as of `now` (the organisation's dates are UTC days): for
/// the workforce the caller may see, or (`only`) for that one person, whether or not they are in
/// the workforce (not found if the caller may not see them).
pub async fn load(
    tx: &mut Tx,
    now: OffsetDateTime,
    only: Option<UserId>,
) -> Result<ReadinessData, StoreError> {
    let window = expiring_window_days(tx).await?;
    let today = now.date();
    let workers = people(tx, only).await?;
    if only.is_some() && workers.is_empty() {
        return Err(StoreError::NotFound);
    }
    let crews = sqlx::query!(
        "select crew_id, name, site_id from attest.crews where org_id = attest.current_org_id() order by name"
    )
    .fetch_all(&mut **tx)
    .await?;
    let sites = sqlx::query!(
        "select site_id, name from attest.sites where org_id = attest.current_org_id() order by name"
    )
    .fetch_all(&mut **tx)
    .await?;
    let job_roles = crate::job_roles::list(tx).await?;
    let reqs = requirements::list(tx).await?;
    let creds = match only {
        Some(user) => credentials::for_worker(tx, user).await?,
        None => credentials::visible(tx).await?,
    };

    let mut held: HashMap<UserId, Vec<HeldCredential>> = HashMap::new();
    for c in &creds {
        held.entry(c.user_id).or_default().push(HeldCredential {
            credential_id: c.credential_id,
            type_id: c.type_id,
            status: CredentialStatus::on(c.state, c.expires_on, today, i64::from(window)),
            expires_on: c.expires_on,
        });
    }
    let mut site_needs: HashMap<SiteId, Vec<_>> = HashMap::new();
    let mut role_needs: HashMap<JobRoleId, Vec<_>> = HashMap::new();
    for r in &reqs {
        match r.target {
            Target::Site(s) => site_needs.entry(s).or_default().push(r.type_id),
            Target::JobRole(j) => role_needs.entry(j).or_default().push(r.type_id),
        }
    }
    let input = ReadinessInput {
        today,
        workers: workers
            .iter()
            .map(|w| WorkerInput {
                user_id: w.user_id,
                job_role: w.job_role,
                crews: w.crews.clone(),
                credentials: held.remove(&w.user_id).unwrap_or_default(),
            })
            .collect(),
        sites: sites
            .iter()
            .map(|s| SiteInput {
                site_id: s.site_id.into(),
                requires: site_needs.remove(&s.site_id.into()).unwrap_or_default(),
            })
            .collect(),
        crews: crews
            .iter()
            .map(|c| CrewInput {
                crew_id: c.crew_id.into(),
                site_id: c.site_id.map(SiteId::from),
            })
            .collect(),
        job_roles: job_roles
            .iter()
            .map(|j| JobRoleInput {
                job_role_id: j.job_role_id,
                requires: role_needs.remove(&j.job_role_id).unwrap_or_default(),
            })
            .collect(),
    };
    let names = Names {
        workers,
        sites: sites
            .into_iter()
            .map(|s| (s.site_id.into(), s.name))
            .collect(),
        crews: crews
            .into_iter()
            .map(|c| (c.crew_id.into(), (c.name, c.site_id.map(SiteId::from))))
            .collect(),
        job_roles: job_roles
            .into_iter()
            .map(|j| (j.job_role_id, j.name))
            .collect(),
    };
    Ok(ReadinessData {
        input,
        names,
        credentials: creds,
        expiring_window_days: window,
    })
}

/// The workforce the caller may see: active members who belong to a crew or hold a job role,
/// by name.
pub async fn workforce(tx: &mut Tx) -> Result<Vec<WorkerName>, StoreError> {
    people(tx, None).await
}

/// One person the caller may see (in the workforce or not), with their job role and crews.
pub async fn person(tx: &mut Tx, user: UserId) -> Result<WorkerName, StoreError> {
    people(tx, Some(user))
        .await?
        .into_iter()
        .next()
        .ok_or(StoreError::NotFound)
}

/// The workforce, or (with `only`) that one person whether or not they are in it.
async fn people(tx: &mut Tx, only: Option<UserId>) -> Result<Vec<WorkerName>, StoreError> {
    crate::context::plan_for_given_values(tx).await?;
    let rows = sqlx::query!(
        r#"select u.user_id, u.display_name, j.job_role_id as "job_role_id?",
                  coalesce(array_agg(cm.crew_id order by cm.crew_id) filter (where cm.crew_id is not null), '{}') as "crews!"
           from attest.users u
           join attest.memberships m on m.org_id = u.org_id and m.user_id = u.user_id and m.status = 'active'
           left join attest.worker_job_roles j on j.org_id = u.org_id and j.user_id = u.user_id
           left join attest.crew_members cm on cm.org_id = u.org_id and cm.user_id = u.user_id
           where u.org_id = attest.current_org_id() and ($1::uuid is null or u.user_id = $1)
           group by u.user_id, u.display_name, j.job_role_id
           having $1::uuid is not null or j.job_role_id is not null or count(cm.crew_id) > 0
           order by u.display_name, u.user_id"#,
        only.map(|u| u.as_uuid()),
    )
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| WorkerName {
            user_id: r.user_id.into(),
            display_name: r.display_name,
            job_role: r.job_role_id.map(JobRoleId::from),
            crews: r.crews.into_iter().map(CrewId::from).collect(),
        })
        .collect())
}
