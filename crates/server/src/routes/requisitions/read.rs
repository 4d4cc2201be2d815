//! Reading requisitions: the list the caller may see, one requisition with its findings
//! (audited as a view), and its versions.

use super::views::{RequisitionDetail, RequisitionListItem, RequisitionVersionView};
use super::{READ_ANY, resource};
use crate::audit::Caller;
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;
use attest_core::{Permission, RequisitionId};
use attest_store::Tx;
use attest_store::audit::AuditAction;
use attest_store::requisitions;
use axum::Json;
use axum::extract::{Path, State};
use serde_json::json;
use uuid::Uuid;

/// The requisition as `principal` sees it, with its findings and what they may do with it.
pub(crate) async fn detail(
    tx: &mut Tx,
    caller: &Caller,
    id: RequisitionId,
) -> Result<RequisitionDetail, AppError> {
    let r = requisitions::get(tx, id).await?;
    let findings = requisitions::findings(tx, id, r.summary.current_version).await?;
    let p = &caller.permissions;
    let edit = r.summary.author_id == caller.user_id && p.contains(Permission::RequisitionsCreate);
    let review =
        p.contains(Permission::RequisitionsReview) && r.summary.author_id != caller.user_id;
    Ok(RequisitionDetail::new(r, findings, edit, review))
}

/// Every requisition the caller may see (their own, or the organisation's), most recently
/// changed first.
#[utoipa::path(get, path = "/api/v1/requisitions", operation_id = "list_requisitions", tag = "requisitions",
    responses((status = 200, body = Vec<RequisitionListItem>), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
pub(crate) async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<RequisitionListItem>>, AppError> {
    caller.require_any(READ_ANY)?;
    let mut tx = caller.read(&state).await?;
    let rows = requisitions::list(&mut tx).await?;
    tx.finish().await?;
    Ok(Json(
        rows.into_iter().map(RequisitionListItem::from).collect(),
    ))
}

/// One requisition at its current version: its text, fields, analysis and findings with
/// reviewers' decisions. Audited (`requisition.viewed`).
#[utoipa::path(get, path = "/api/v1/requisitions/{requisition_id}", operation_id = "get_requisition", tag = "requisitions",
    params(("requisition_id" = Uuid, Path)),
    responses((status = 200, body = RequisitionDetail), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub(crate) async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(requisition_id): Path<Uuid>,
) -> Result<Json<RequisitionDetail>, AppError> {
    caller.require_any(READ_ANY)?;
    let id = RequisitionId::from(requisition_id);
    let mut tx = caller.write(&state).await?;
    let detail = detail(&mut tx, &caller, id).await?;
    tx.record(
        AuditAction::RequisitionViewed,
        resource(id),
        None,
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(detail))
}

/// A requisition's versions, newest first, each with its analysis summary.
#[utoipa::path(get, path = "/api/v1/requisitions/{requisition_id}/versions", tag = "requisitions",
    params(("requisition_id" = Uuid, Path)),
    responses((status = 200, body = Vec<RequisitionVersionView>), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub(crate) async fn versions(
    State(state): State<AppState>,
    caller: Caller,
    Path(requisition_id): Path<Uuid>,
) -> Result<Json<Vec<RequisitionVersionView>>, AppError> {
    caller.require_any(READ_ANY)?;
    let id = RequisitionId::from(requisition_id);
    let mut tx = caller.read(&state).await?;
    let rows = requisitions::versions(&mut tx, id).await?;
    tx.finish().await?;
    if rows.is_empty() {
        return Err(AppError::not_found());
    }
    Ok(Json(
        rows.into_iter().map(RequisitionVersionView::from).collect(),
    ))
}
