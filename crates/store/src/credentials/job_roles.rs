//! Job roles (trades, positions) and which one each worker holds.

use crate::error::on_conflicts;
use crate::{Conflict, StoreError, Tx};
use attest_core::{DisplayName, JobRoleId, OrgId, UserId};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JobRole {
    pub job_role_id: JobRoleId,
    pub name: String,
}

/// The organisation's job roles, by name.
pub async fn list(tx: &mut Tx) -> Result<Vec<JobRole>, StoreError> {
    let rows = sqlx::query!(
        "select job_role_id, name from attest.job_roles where org_id = attest.current_org_id() order by lower(name)"
    )
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| JobRole {
            job_role_id: r.job_role_id.into(),
            name: r.name,
        })
        .collect())
}

/// Adds a job role. Needs `credentials.manage`.
pub async fn create(
    tx: &mut Tx,
    org_id: OrgId,
    name: &DisplayName,
) -> Result<JobRoleId, StoreError> {
    let id = JobRoleId::new();
    sqlx::query!(
        "insert into attest.job_roles (org_id, job_role_id, name) values ($1, $2, $3)",
        org_id.as_uuid(),
        id.as_uuid(),
        name.as_str(),
    )
    .execute(&mut **tx)
    .await
    .map_err(on_conflicts(&[(
        "job_roles_name_key",
        Conflict::JobRoleNameTaken,
    )]))?;
    Ok(id)
}

/// Gives a worker a job role, or takes theirs away (`None`). Needs `credentials.manage`.
pub async fn assign(
    tx: &mut Tx,
    org_id: OrgId,
    user: UserId,
    job_role: Option<JobRoleId>,
) -> Result<(), StoreError> {
    match job_role {
        Some(role) => {
            sqlx::query!(
                "insert into attest.worker_job_roles (org_id, user_id, job_role_id) values ($1, $2, $3)
                 on conflict (org_id, user_id) do update set job_role_id = excluded.job_role_id",
                org_id.as_uuid(),
                user.as_uuid(),
                role.as_uuid(),
            )
            .execute(&mut **tx)
            .await
            .map_err(on_conflicts(&[(
                "worker_job_roles_job_role_fkey",
                Conflict::UnknownJobRole,
            )]))?;
        }
        None => {
            sqlx::query!(
                "delete from attest.worker_job_roles where org_id = $1 and user_id = $2",
                org_id.as_uuid(),
                user.as_uuid(),
            )
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}
