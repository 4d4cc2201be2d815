//! Requirements: which credential types a job role or a site requires.

use crate::audit::Caller;
use crate::audit::Resource;
use crate::error::{AppError, ErrorBody};
use crate::json::ApiJson;
use crate::state::AppState;
use crate::validation::Fields;
use attest_core::{CredentialTypeId, JobRoleId, Permission, RequirementId, SiteId};
use attest_store::audit::AuditAction;
use attest_store::requirements::{self, Requirement, Target};
use axum::Json;
use axum::extract::{Path, State};
use http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RequirementView {
    requirement_id: Uuid,
    type_id: Uuid,
    /// Exactly one of `job_role_id` and `site_id`.
    job_role_id: Option<Uuid>,
    site_id: Option<Uuid>,
}

impl From<Requirement> for RequirementView {
    fn from(r: Requirement) -> Self {
        let (job_role_id, site_id) = match r.target {
            Target::JobRole(j) => (Some(j.as_uuid()), None),
            Target::Site(s) => (None, Some(s.as_uuid())),
        };
        Self {
            requirement_id: r.requirement_id.as_uuid(),
            type_id: r.type_id.as_uuid(),
            job_role_id,
            site_id,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewRequirement {
    type_id: Uuid,
    #[serde(default)]
    job_role_id: Option<Uuid>,
    #[serde(default)]
    site_id: Option<Uuid>,
}

/// Every requirement in the organisation (every member sees them).
#[utoipa::path(get, path = "/api/v1/requirements", operation_id = "list_requirements", tag = "credentials", responses((status = 200, body = [RequirementView])), security(("bearer" = [])))]
pub(crate) async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<RequirementView>>, AppError> {
    caller.require(Permission::OrgRead)?;
    let mut tx = caller.read(&state).await?;
    let list = requirements::list(&mut tx).await?;
    tx.finish().await?;
    Ok(Json(list.into_iter().map(RequirementView::from).collect()))
}

/// Requires a credential type of a job role or a site.
#[utoipa::path(post, path = "/api/v1/requirements", operation_id = "add_requirement", tag = "credentials", request_body = NewRequirement,
    responses((status = 201, body = RequirementView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub(crate) async fn add(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<NewRequirement>,
) -> Result<(StatusCode, Json<RequirementView>), AppError> {
    caller.require(Permission::CredentialsManage)?;
    let target = match (body.job_role_id, body.site_id) {
        (Some(j), None) => Target::JobRole(JobRoleId::from(j)),
        (None, Some(s)) => Target::Site(SiteId::from(s)),
        _ => {
            let mut fields = Fields::default();
            fields.check::<(), _>(
                "job_role_id",
                Err("give exactly one of job_role_id and site_id"),
            );
            return Err(fields.finish().err().unwrap_or_else(AppError::not_found));
        }
    };
    let type_id = CredentialTypeId::from(body.type_id);
    let mut tx = caller.write(&state).await?;
    let id = requirements::add(&mut tx, caller.org_id, type_id, target).await?;
    let requirement = Requirement {
        requirement_id: id,
        type_id,
        target,
    };
    tx.record(
        AuditAction::RequirementAdded,
        resource(id),
        None,
        details(&requirement),
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(requirement.into())))
}

/// Drops a requirement.
#[utoipa::path(delete, path = "/api/v1/requirements/{requirement_id}", tag = "credentials",
    params(("requirement_id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub(crate) async fn remove(
    State(state): State<AppState>,
    caller: Caller,
    Path(requirement_id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    caller.require(Permission::CredentialsManage)?;
    let id = RequirementId::from(requirement_id);
    let mut tx = caller.write(&state).await?;
    let removed = requirements::remove(&mut tx, id).await?;
    tx.record(
        AuditAction::RequirementRemoved,
        resource(id),
        None,
        details(&removed),
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

fn resource(id: RequirementId) -> Resource {
    Resource {
        kind: "requirement",
        id: Some(id.to_string()),
    }
}

fn details(r: &Requirement) -> serde_json::Value {
    match r.target {
        Target::JobRole(j) => {
            json!({ "type_id": r.type_id.to_string(), "job_role_id": j.to_string() })
        }
        Target::Site(s) => json!({ "type_id": r.type_id.to_string(), "site_id": s.to_string() }),
    }
}
