//! `POST /api/v1/imports/credentials`: workers' credentials (see `attest_store::credentials::import_credentials`).

use super::{ImportLine, ImportQuery, Upload, progress, status, stream};
use crate::audit::Caller;
use crate::audit::Resource;
use crate::concurrency::Costly;
use crate::error::{AppError, ErrorBody};
use crate::json::ApiQuery;
use crate::state::AppState;
use attest_core::Permission;
use attest_store::audit::AuditAction;
use attest_store::credentials::import_credentials;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use serde_json::json;

/// Imports credentials from a CSV or XLSX file (the raw file as the body). Columns: `email`,
/// `credential` (code or name), `issuer`, `issued_on`, and optionally `expires_on`, `number`,
/// `notes`.
#[utoipa::path(post, path = "/api/v1/imports/credentials", tag = "credentials", params(ImportQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, content_type = "application/x-ndjson", body = ImportLine), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub(crate) async fn credentials(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<ImportQuery>,
    body: Bytes,
) -> Result<Response, AppError> {
    caller.require(Permission::CredentialsManage)?;
    caller.require(Permission::PeopleReadOrg)?;
    let place = state
        .concurrency
        .enter(Costly::Import, Some(caller.user_id))?;
    let mut upload = Upload::read(&state.parsers, body, attest_import::credentials).await?;
    let tx = caller.write(&state).await?;
    Ok(stream(tx, place, move |mut tx, lines| async move {
        let apply = upload.start(&lines, query.dry_run).await;
        let mut progress = progress(&lines);
        let p = &caller;
        let mut report = import_credentials(
            &mut tx,
            state.kek.as_ref(),
            p.org_id,
            Some(p.user_id),
            &upload.rows,
            apply,
            &mut progress,
        )
        .await?;
        upload.complete(&mut report);
        let file_sha256 = &upload.file_sha256;
        if report.applied {
            let details = json!({ "kind": "credentials", "file_sha256": file_sha256, "rows": report.rows, "added": report.added, "renewed": report.renewed, "unchanged": report.unchanged });
            let resource = Resource {
                kind: "import",
                id: Some(file_sha256.clone()),
            };
            tx.record(AuditAction::CredentialsImported, resource, None, details)
                .await?;
            tx.commit().await?;
        } else {
            tx.rollback().await?;
        }
        Ok(ImportLine::Result {
            status: status(&report.problems, report.applied).into(),
            report: json!({
                "rows": report.rows, "added": report.added, "renewed": report.renewed, "unchanged": report.unchanged,
                "problems": report.problems, "applied": report.applied, "file_sha256": file_sha256,
            }),
        })
    }))
}
