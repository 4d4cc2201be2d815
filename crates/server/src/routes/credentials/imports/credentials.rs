//! `POST /api/v1/imports/credentials`: workers' credentials (see `attest_store::credentials::import_credentials`).

use super::{ImportLine, ImportQuery, Upload, progress, status, stream};
use crate::audit::Caller;
use crate::audit::Resource;
use crate::auth::{Principal, RequestMeta};
use crate::concurrency::Costly;
use crate::error::{AppError, ErrorBody};
use crate::json::ApiQuery;
use crate::state::AppState;
use attest_core::Permission;
use attest_store::StoreError;
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
    principal: Principal,
    meta: RequestMeta,
    ApiQuery(query): ApiQuery<ImportQuery>,
    body: Bytes,
) -> Result<Response, AppError> {
    principal.require(Permission::CredentialsManage)?;
    principal.require(Permission::PeopleReadOrg)?;
    let place = state
        .concurrency
        .enter(Costly::Import, Some(principal.user_id))?;
    let mut upload = Upload::read(&state.parsers, body, attest_import::credentials).await?;
    let tx = principal.begin(&state).await?;
    Ok(stream(tx, place, move |mut tx, lines| async move {
        let apply = upload.start(&lines, query.dry_run).await;
        let mut progress = progress(&lines);
        let p = &principal;
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
            let caller = Caller::new(&state, p, &meta);
            let details = json!({ "kind": "credentials", "file_sha256": file_sha256, "rows": report.rows, "added": report.added, "renewed": report.renewed, "unchanged": report.unchanged });
            let resource = Resource {
                kind: "import",
                id: Some(file_sha256.clone()),
            };
            caller
                .record(&mut tx, "credentials.imported", resource, None, details)
                .await?;
            tx.commit().await.map_err(StoreError::from)?;
        } else {
            tx.rollback().await.map_err(StoreError::from)?;
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
