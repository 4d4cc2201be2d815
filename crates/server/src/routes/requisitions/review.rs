//! Reviewers' decisions: a compliance reviewer accepts or dismisses a finding of the current
//! version, with a note (required to dismiss). The decision is keyed by the finding's
//! fingerprint, so it holds when the same words are flagged again after an edit elsewhere.

use super::resource;
use super::views::RequisitionDetail;
use crate::audit::Caller;
use crate::error::{AppError, ErrorBody};
use crate::json::ApiJson;
use crate::state::AppState;
use crate::validation::Fields;
use attest_core::{Permission, RequisitionId};
use attest_store::StoreError;
use attest_store::audit::AuditAction;
use attest_store::requisitions::{self, ReviewDecision};
use axum::Json;
use axum::extract::{Path, State};
use http::StatusCode;
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReviewBody {
    /// `accepted` (the concern stands: the text should change) or `dismissed` (it does not
    /// apply here).
    decision: String,
    /// Why; required to dismiss. At most 2,000 characters.
    #[serde(default)]
    note: Option<String>,
}

/// Accepts or dismisses a finding (`requisitions.review`); answers with the requisition.
/// Deciding again replaces the decision; the audit ledger keeps each one.
#[utoipa::path(put, path = "/api/v1/requisitions/{requisition_id}/findings/{fingerprint}/review", tag = "requisitions",
    request_body = ReviewBody,
    params(("requisition_id" = Uuid, Path), ("fingerprint" = String, Path)),
    responses((status = 200, body = RequisitionDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub(crate) async fn review(
    State(state): State<AppState>,
    caller: Caller,
    Path((requisition_id, fingerprint)): Path<(Uuid, String)>,
    ApiJson(body): ApiJson<ReviewBody>,
) -> Result<Json<RequisitionDetail>, AppError> {
    caller.require(Permission::RequisitionsReview)?;
    let id = RequisitionId::from(requisition_id);
    let mut problems = Fields::default();
    let decision = problems.check(
        "decision",
        ReviewDecision::parse(&body.decision).ok_or("must be accepted or dismissed"),
    );
    let note = body.note.as_deref().map(str::trim).unwrap_or_default();
    if note.chars().count() > 2000 {
        problems.check::<(), _>("note", Err("must be at most 2000 characters long"));
    } else if note.chars().any(|c| c.is_control() && c != '\n') {
        problems.check::<(), _>("note", Err("must not contain control characters"));
    } else if note.is_empty() && decision == Some(ReviewDecision::Dismissed) {
        problems.check::<(), _>(
            "note",
            Err("is required to dismiss a finding: say why it does not apply"),
        );
    }
    problems.finish()?;
    let Some(decision) = decision else {
        return Err(AppError::internal("validated fields missing"));
    };
    let mut tx = caller.write(&state).await?;
    // Not visible: 404 as for any other unknown requisition.
    let current = requisitions::get(&mut tx, id).await?;
    if current.summary.author_id == caller.user_id {
        return Err(AppError::client(
            StatusCode::FORBIDDEN,
            "own_requisition",
            "No one reviews their own requisition: another reviewer decides on its findings.",
        ));
    }
    let rule_id = requisitions::review(
        &mut tx,
        caller.org_id,
        id,
        &fingerprint,
        caller.user_id,
        decision,
        note,
    )
    .await
    .map_err(|e| match e {
        StoreError::NotFound => AppError::client(
            StatusCode::NOT_FOUND,
            "unknown_finding",
            "The requisition's current version has no finding with this fingerprint.",
        ),
        other => other.into(),
    })?;
    tx.record(AuditAction::RequisitionFindingReviewed,
            resource(id),
            None,
            json!({ "fingerprint": fingerprint, "rule_id": rule_id, "decision": decision.as_str(), "note": note }),
        )
        .await?;
    let detail = super::read::detail(&mut tx, &caller, id).await?;
    tx.commit().await?;
    Ok(Json(detail))
}
