//! Workers: the list with each one's readiness, and one worker's page (their credentials, and
//! where they are cleared to work and why not).

use super::readiness::{GapView, compute};
use super::views::CredentialView;
use super::{READ_ANY, READ_OTHERS};
use crate::audit::Caller;
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;
use attest_core::{CredentialStatus, CrewId, JobRoleId, UserId};
use attest_store::readiness::Names;
use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use std::collections::HashMap;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Default, Serialize, ToSchema)]
pub(crate) struct StatusCounts {
    valid: u32,
    expiring: u32,
    expired: u32,
    suspended: u32,
    revoked: u32,
}

impl StatusCounts {
    fn count(&mut self, status: CredentialStatus) {
        match status {
            CredentialStatus::Valid => self.valid += 1,
            CredentialStatus::Expiring => self.expiring += 1,
            CredentialStatus::Expired => self.expired += 1,
            CredentialStatus::Suspended => self.suspended += 1,
            CredentialStatus::Revoked => self.revoked += 1,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct NamedRef {
    id: Uuid,
    name: String,
}

/// A worker's job role and crews, by name.
fn placement(
    names: &Names,
    job_role: Option<JobRoleId>,
    crews: &[CrewId],
) -> (Option<NamedRef>, Vec<NamedRef>) {
    let role = job_role.map(|j| NamedRef {
        id: j.as_uuid(),
        name: names.job_roles.get(&j).cloned().unwrap_or_default(),
    });
    let crews = crews
        .iter()
        .map(|c| NamedRef {
            id: c.as_uuid(),
            name: names.crews.get(c).map(|c| c.0.clone()).unwrap_or_default(),
        })
        .collect();
    (role, crews)
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct WorkerSummary {
    worker_id: Uuid,
    name: String,
    job_role: Option<NamedRef>,
    crews: Vec<NamedRef>,
    /// Cleared for their job role and every site their crews work at.
    cleared: bool,
    credentials: StatusCounts,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SiteClearanceView {
    site_id: Uuid,
    name: String,
    /// One of the worker's crews works here.
    assigned: bool,
    cleared: bool,
    gaps: Vec<GapView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct WorkerDetail {
    worker_id: Uuid,
    name: String,
    job_role: Option<NamedRef>,
    crews: Vec<NamedRef>,
    cleared: bool,
    job_role_gaps: Vec<GapView>,
    sites: Vec<SiteClearanceView>,
    credentials: Vec<CredentialView>,
}

/// The workforce the caller may see (a supervisor: their crews), by name.
#[utoipa::path(get, path = "/api/v1/workers", operation_id = "list_workers", tag = "credentials", responses((status = 200, body = [WorkerSummary]), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
pub(crate) async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<WorkerSummary>>, AppError> {
    caller.require_any(READ_OTHERS)?;
    let mut tx = caller.read(&state).await?;
    let (data, result, _) = compute(&mut tx, &state, None).await?;
    tx.finish().await?;
    let cleared: HashMap<_, _> = result
        .workers
        .iter()
        .map(|w| (w.user_id, w.cleared))
        .collect();
    let mut counts: HashMap<UserId, StatusCounts> = HashMap::new();
    for w in &data.input.workers {
        let c = counts.entry(w.user_id).or_default();
        for held in &w.credentials {
            c.count(held.status);
        }
    }
    let names = &data.names;
    Ok(Json(
        names
            .workers
            .iter()
            .map(|w| {
                let (job_role, crews) = placement(names, w.job_role, &w.crews);
                WorkerSummary {
                    worker_id: w.user_id.as_uuid(),
                    name: w.display_name.clone(),
                    job_role,
                    crews,
                    cleared: cleared.get(&w.user_id).copied().unwrap_or(false),
                    credentials: counts.remove(&w.user_id).unwrap_or_default(),
                }
            })
            .collect(),
    ))
}

/// One worker: their credentials, and where they are cleared to work (and why not). Workers
/// see their own; supervisors their crews'; managers everyone's.
#[utoipa::path(get, path = "/api/v1/workers/{worker_id}", tag = "credentials",
    params(("worker_id" = Uuid, Path)),
    responses((status = 200, body = WorkerDetail), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub(crate) async fn detail(
    State(state): State<AppState>,
    caller: Caller,
    Path(worker_id): Path<Uuid>,
) -> Result<Json<WorkerDetail>, AppError> {
    caller.require_any(READ_ANY)?;
    let worker = UserId::from(worker_id);
    let mut tx = caller.read(&state).await?;
    // This one worker's readiness (whether or not they are in a crew or hold a job role).
    let (data, result, types) = compute(&mut tx, &state, Some(worker)).await?;
    tx.finish().await?;
    let (Some(person), Some(r)) = (data.names.workers.first(), result.workers.first()) else {
        return Err(AppError::not_found());
    };
    let names = &data.names;
    let today = data.input.today;
    let (job_role, crews) = placement(names, person.job_role, &person.crews);
    Ok(Json(WorkerDetail {
        worker_id,
        name: person.display_name.clone(),
        job_role,
        crews,
        cleared: r.cleared,
        job_role_gaps: r.job_role_gaps.iter().map(|g| types.gap(g)).collect(),
        sites: r
            .sites
            .iter()
            .map(|s| SiteClearanceView {
                site_id: s.site_id.as_uuid(),
                name: names.sites.get(&s.site_id).cloned().unwrap_or_default(),
                assigned: s.assigned,
                cleared: s.cleared,
                gaps: s.gaps.iter().map(|g| types.gap(g)).collect(),
            })
            .collect(),
        credentials: data
            .credentials
            .iter()
            .map(|c| CredentialView::new(c, today, data.expiring_window_days))
            .collect(),
    }))
}
