//! `POST /api/v1/imports/workers`: workers (see `attest_store::workers_import`). New addresses
//! become members with the `worker` role and are sent an invitation, as if invited one by one.

use super::{ImportLine, ImportQuery, Upload, progress, status, stream};
use crate::audit::Caller;
use crate::audit::Resource;
use crate::concurrency::Costly;
use crate::error::{AppError, ErrorBody};
use crate::json::ApiQuery;
use crate::state::AppState;
use attest_core::Permission;
use attest_store::audit::AuditAction;
use attest_store::workers_import::import_workers;
use attest_store::{accounts, organisations};
use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use serde_json::json;

/// Imports workers from a CSV or XLSX file (the raw file as the body). Columns: `email`, `name`,
/// and optionally `crew` and `job_role` (existing ones, by name). Adding people needs
/// `people.manage`; putting them in crews `crews.manage`; giving job roles `credentials.manage`.
#[utoipa::path(post, path = "/api/v1/imports/workers", tag = "credentials", params(ImportQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, content_type = "application/x-ndjson", body = ImportLine), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub(crate) async fn workers(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<ImportQuery>,
    body: Bytes,
) -> Result<Response, AppError> {
    caller.require(Permission::PeopleReadOrg)?;
    caller.require_any(&[
        Permission::PeopleManage,
        Permission::CrewsManage,
        Permission::CredentialsManage,
    ])?;
    let place = state
        .concurrency
        .enter(Costly::Import, Some(caller.user_id))?;
    let mut upload = Upload::read(&state.parsers, body, attest_import::workers).await?;
    let tx = caller.write(&state).await?;
    Ok(stream(tx, place, move |mut tx, lines| async move {
        let apply = upload.start(&lines, query.dry_run).await;
        let mut progress = progress(&lines);
        let p = &caller;
        let (mut report, created) = import_workers(
            &mut tx,
            p.org_id,
            &p.permissions,
            &upload.rows,
            apply,
            &mut progress,
        )
        .await?;
        upload.complete(&mut report);
        let file_sha256 = &upload.file_sha256;
        if report.applied {
            let organisation = organisations::current(&mut tx).await?;
            let links = crate::Links {
                tokens: &state.tokens,
                public_url: &state.settings.public_url,
                now: state.clock.now(),
            };
            let inviter = accounts::load(&mut tx, p.user_id)
                .await?
                .map(|a| a.display_name)
                .unwrap_or_default();
            crate::invite_imported(&mut tx, &organisation, &links, &inviter, &created).await?;
            let details = json!({ "kind": "workers", "file_sha256": file_sha256, "rows": report.rows, "added": report.added, "updated": report.renewed, "unchanged": report.unchanged });
            let resource = Resource {
                kind: "import",
                id: Some(file_sha256.clone()),
            };
            tx.record(AuditAction::WorkersImported, resource, None, details)
                .await?;
            tx.commit().await?;
            if !created.is_empty() {
                state.mail_queued.notify_one();
            }
        } else {
            tx.rollback().await?;
        }
        Ok(ImportLine::Result {
            status: status(&report.problems, report.applied).into(),
            report: json!({
                "rows": report.rows, "added": report.added, "updated": report.renewed, "unchanged": report.unchanged,
                "problems": report.problems, "applied": report.applied, "file_sha256": file_sha256,
            }),
        })
    }))
}
