//! Requirements: the credential types a job role or a site requires.

use crate::Conflict;
use crate::error::on_conflicts;
use crate::{StoreError, Tx};
use attest_core::{CredentialTypeId, JobRoleId, OrgId, RequirementId, SiteId};
use serde::Serialize;

/// Who a requirement applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    JobRole(JobRoleId),
    Site(SiteId),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Requirement {
    pub requirement_id: RequirementId,
    pub type_id: CredentialTypeId,
    pub target: Target,
}

const CONFLICTS: &[(&str, Conflict)] = &[
    ("requirements_job_role_key", Conflict::RequirementExists),
    ("requirements_site_key", Conflict::RequirementExists),
    ("requirements_type_fkey", Conflict::UnknownCredentialType),
    ("requirements_job_role_fkey", Conflict::UnknownJobRole),
    ("requirements_site_fkey", Conflict::UnknownSite),
];

/// Every requirement of the organisation.
pub async fn list(tx: &mut Tx) -> Result<Vec<Requirement>, StoreError> {
    let rows = sqlx::query!(
        "select requirement_id, type_id, job_role_id, site_id from attest.requirements
         where org_id = attest.current_org_id() order by created_at, requirement_id"
    )
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let target = match (r.job_role_id, r.site_id) {
                (Some(role), _) => Target::JobRole(role.into()),
                (None, Some(site)) => Target::Site(site.into()),
                (None, None) => return None,
            };
            Some(Requirement {
                requirement_id: r.requirement_id.into(),
                type_id: r.type_id.into(),
                target,
            })
        })
        .collect())
}

/// Adds a requirement. Needs `credentials.manage`.
pub async fn add(
    tx: &mut Tx,
    org_id: OrgId,
    type_id: CredentialTypeId,
    target: Target,
) -> Result<RequirementId, StoreError> {
    let id = RequirementId::new();
    let (role, site) = match target {
        Target::JobRole(r) => (Some(r.as_uuid()), None),
        Target::Site(s) => (None, Some(s.as_uuid())),
    };
    sqlx::query!(
        "insert into attest.requirements (org_id, requirement_id, type_id, job_role_id, site_id)
         values ($1, $2, $3, $4, $5)",
        org_id.as_uuid(),
        id.as_uuid(),
        type_id.as_uuid(),
        role,
        site,
    )
    .execute(&mut **tx)
    .await
    .map_err(on_conflicts(CONFLICTS))?;
    Ok(id)
}

/// Removes a requirement and returns what it was. Needs `credentials.manage`.
pub async fn remove(tx: &mut Tx, id: RequirementId) -> Result<Requirement, StoreError> {
    let existing = list(tx)
        .await?
        .into_iter()
        .find(|r| r.requirement_id == id)
        .ok_or(StoreError::NotFound)?;
    let deleted = sqlx::query!(
        "delete from attest.requirements where org_id = attest.current_org_id() and requirement_id = $1",
        id.as_uuid(),
    )
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if deleted == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(existing)
}
