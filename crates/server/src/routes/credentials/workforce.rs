//! What requirements attach to: job roles (and which one each worker holds), sites and crews.

use super::views::parse_name;
use crate::audit::Caller;
use crate::audit::Resource;
use crate::error::{AppError, ErrorBody};
use crate::json::ApiJson;
use crate::state::AppState;
use crate::validation::Fields;
use attest_core::{JobRoleId, Permission, UserId};
use attest_store::audit::AuditAction;
use attest_store::{crews, job_roles, readiness, sites};
use axum::Json;
use axum::extract::{Path, State};
use http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct JobRoleView {
    job_role_id: Uuid,
    name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SiteView {
    site_id: Uuid,
    name: String,
    address: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CrewView {
    crew_id: Uuid,
    name: String,
    supervisor_id: Option<Uuid>,
    site_id: Option<Uuid>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewJobRole {
    name: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct JobRoleAssignment {
    /// None: the worker holds no job role.
    job_role_id: Option<Uuid>,
}

/// The organisation's job roles.
#[utoipa::path(get, path = "/api/v1/job-roles", tag = "credentials", responses((status = 200, body = [JobRoleView])), security(("bearer" = [])))]
pub(crate) async fn list_job_roles(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<JobRoleView>>, AppError> {
    caller.require(Permission::OrgRead)?;
    let mut tx = caller.read(&state).await?;
    let roles = job_roles::list(&mut tx).await?;
    tx.finish().await?;
    Ok(Json(
        roles
            .into_iter()
            .map(|r| JobRoleView {
                job_role_id: r.job_role_id.as_uuid(),
                name: r.name,
            })
            .collect(),
    ))
}

/// Adds a job role.
#[utoipa::path(post, path = "/api/v1/job-roles", tag = "credentials", request_body = NewJobRole,
    responses((status = 201, body = JobRoleView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub(crate) async fn create_job_role(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<NewJobRole>,
) -> Result<(StatusCode, Json<JobRoleView>), AppError> {
    caller.require(Permission::CredentialsManage)?;
    let mut fields = Fields::default();
    let name = parse_name(&mut fields, "name", &body.name);
    fields.finish()?;
    let Some(name) = name else {
        return Err(AppError::internal("validated name missing"));
    };
    let mut tx = caller.write(&state).await?;
    let id = job_roles::create(&mut tx, caller.org_id, &name).await?;
    let resource = Resource {
        kind: "job_role",
        id: Some(id.to_string()),
    };
    tx.record(
        AuditAction::JobRoleCreated,
        resource,
        None,
        json!({ "name": name.as_str() }),
    )
    .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(JobRoleView {
            job_role_id: id.as_uuid(),
            name: name.as_str().to_owned(),
        }),
    ))
}

/// Gives a worker a job role (or none).
#[utoipa::path(put, path = "/api/v1/workers/{worker_id}/job-role", tag = "credentials", request_body = JobRoleAssignment,
    params(("worker_id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub(crate) async fn assign_job_role(
    State(state): State<AppState>,
    caller: Caller,
    Path(worker_id): Path<Uuid>,
    ApiJson(body): ApiJson<JobRoleAssignment>,
) -> Result<StatusCode, AppError> {
    caller.require(Permission::CredentialsManage)?;
    let worker = UserId::from(worker_id);
    let job_role = body.job_role_id.map(JobRoleId::from);
    let mut tx = caller.write(&state).await?;
    readiness::person(&mut tx, worker).await?;
    job_roles::assign(&mut tx, caller.org_id, worker, job_role).await?;
    tx.record(
        AuditAction::WorkerJobRoleChanged,
        Resource::account(worker),
        Some(worker),
        json!({ "job_role_id": job_role.map(|j| j.to_string()) }),
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The organisation's sites.
#[utoipa::path(get, path = "/api/v1/sites", tag = "credentials", responses((status = 200, body = [SiteView])), security(("bearer" = [])))]
pub(crate) async fn list_sites(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<SiteView>>, AppError> {
    caller.require(Permission::SitesRead)?;
    let mut tx = caller.read(&state).await?;
    let list = sites::list(&mut tx).await?;
    tx.finish().await?;
    Ok(Json(
        list.into_iter()
            .map(|s| SiteView {
                site_id: s.site_id.as_uuid(),
                name: s.name,
                address: s.address,
            })
            .collect(),
    ))
}

/// The organisation's crews.
#[utoipa::path(get, path = "/api/v1/crews", tag = "credentials", responses((status = 200, body = [CrewView])), security(("bearer" = [])))]
pub(crate) async fn list_crews(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<CrewView>>, AppError> {
    caller.require(Permission::CrewsRead)?;
    let mut tx = caller.read(&state).await?;
    let list = crews::list(&mut tx).await?;
    tx.finish().await?;
    Ok(Json(
        list.into_iter()
            .map(|c| CrewView {
                crew_id: c.crew_id.as_uuid(),
                name: c.name,
                supervisor_id: c.supervisor_id.map(|s| s.as_uuid()),
                site_id: c.site_id.map(|s| s.as_uuid()),
            })
            .collect(),
    ))
}
