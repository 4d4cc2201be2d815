//! The report of a requisition's current version, for people outside Attest: CSV (one row per
//! finding, with the decision on it) and PDF. Each export is audited (`requisition.exported`).

use super::{READ_ANY, resource};
use crate::audit::Caller;
use crate::concurrency::Costly;
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;
use attest_core::RequisitionId;
use attest_store::audit::AuditAction;
use attest_store::requisitions::{self, FindingRecord, Requisition};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use serde_json::json;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

const CSV_COLUMNS: [&str; 15] = [
    "severity",
    "category",
    "rule_id",
    "start",
    "end",
    "excerpt",
    "message",
    "citation",
    "suggestion",
    "fingerprint",
    "decision",
    "note",
    "reviewer",
    "reviewed_at",
    "disclaimer",
];

/// Reads the requisition and its findings, and records the export, in one transaction.
async fn exported(
    state: &AppState,
    caller: &Caller,
    id: RequisitionId,
    format: &'static str,
) -> Result<(Requisition, Vec<FindingRecord>), AppError> {
    let mut tx = caller.write(state).await?;
    let r = requisitions::get(&mut tx, id).await?;
    let findings = requisitions::findings(&mut tx, id, r.summary.current_version).await?;
    tx.record(
            AuditAction::RequisitionExported,
            resource(id),
            None,
            json!({ "format": format, "version": r.summary.current_version, "findings": findings.len() }),
        )
        .await?;
    tx.commit().await?;
    Ok((r, findings))
}

fn attachment(content_type: &'static str, name: String, body: Vec<u8>) -> Response {
    (
        [
            (CONTENT_TYPE, content_type.to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

/// The findings of the current version as CSV, one row each with the decision on it (and the
/// disclaimer, so that the file says what it is wherever it goes).
#[utoipa::path(get, path = "/api/v1/requisitions/{requisition_id}/report.csv", tag = "requisitions",
    params(("requisition_id" = Uuid, Path)),
    responses((status = 200, content_type = "text/csv"), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub(crate) async fn csv(
    State(state): State<AppState>,
    caller: Caller,
    Path(requisition_id): Path<Uuid>,
) -> Result<Response, AppError> {
    caller.require_any(READ_ANY)?;
    let _place = state
        .concurrency
        .enter(Costly::Report, Some(caller.user_id))?;
    let id = RequisitionId::from(requisition_id);
    let (r, findings) = exported(&state, &caller, id, "csv").await?;
    let mut out = crate::csv_rows::row(&CSV_COLUMNS);
    for f in findings {
        let review = f.review.as_ref();
        let cells = [
            f.severity.clone(),
            f.category.clone(),
            f.rule_id.clone(),
            f.start.to_string(),
            f.end.to_string(),
            f.excerpt.clone(),
            f.message.clone(),
            f.citation.clone(),
            f.suggestion.clone().unwrap_or_default(),
            f.fingerprint.clone(),
            review
                .map(|r| r.decision.as_str().to_owned())
                .unwrap_or_default(),
            review.map(|r| r.note.clone()).unwrap_or_default(),
            review.map(|r| r.reviewer_name.clone()).unwrap_or_default(),
            review
                .and_then(|r| r.reviewed_at.format(&Rfc3339).ok())
                .unwrap_or_default(),
            // Results say wherever they go that they are not legal advice.
            attest_reqiq::DISCLAIMER.to_owned(),
        ];
        out.extend(crate::csv_rows::row(&cells));
    }
    let name = format!("requisition-{}-v{}.csv", id, r.summary.current_version);
    Ok(attachment("text/csv; charset=utf-8", name, out))
}

/// The report of the current version as a PDF: summary, disclaimer, every finding with its
/// reason, citation, suggestion and decision, and the text analysed.
#[utoipa::path(get, path = "/api/v1/requisitions/{requisition_id}/report.pdf", tag = "requisitions",
    params(("requisition_id" = Uuid, Path)),
    responses((status = 200, content_type = "application/pdf"), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub(crate) async fn pdf(
    State(state): State<AppState>,
    caller: Caller,
    Path(requisition_id): Path<Uuid>,
) -> Result<Response, AppError> {
    caller.require_any(READ_ANY)?;
    let _place = state
        .concurrency
        .enter(Costly::Report, Some(caller.user_id))?;
    let id = RequisitionId::from(requisition_id);
    let (r, findings) = exported(&state, &caller, id, "pdf").await?;
    let generated = state.clock.now();
    let version = r.summary.current_version;
    let bytes = state
        .cpu
        .run(move || super::report::write(&r, &findings, generated))
        .await?;
    let name = format!("requisition-{id}-v{version}.pdf");
    Ok(attachment("application/pdf", name, bytes))
}
