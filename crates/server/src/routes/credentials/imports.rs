//! `POST /api/v1/imports/credentials`: a CSV or XLSX file of credentials, checked row by row
//! and (unless `dry_run`) imported all or nothing. The file itself is refused at once (422) if it
//! cannot be read or has the wrong columns; otherwise the response streams progress as JSON
//! lines and ends with the result: `imported`, `checked` (a dry run with no problems) or
//! `refused` (every problem, by row and column; nothing written).

#![expect(
    unused_qualifications,
    reason = "utoipa's expansion of `params(...)` qualifies the parameter types"
)]

use super::Caller;
use crate::audit_event::Resource;
use crate::auth::{Principal, RequestMeta};
use crate::error::{AppError, ErrorBody};
use crate::json::ApiQuery;
use crate::state::AppState;
use attest_core::Permission;
use attest_import::{Limits, Problem, Table};
use attest_store::credentials::{ImportReport, import_credentials};
use attest_store::{StoreError, Tx};
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use http::header::CONTENT_TYPE;
use serde::{Deserialize, Serialize};
use serde_json::json;
use tokio::sync::mpsc;
use utoipa::{IntoParams, ToSchema};

/// The largest file accepted, in bytes.
pub(crate) const MAX_IMPORT_BYTES: usize = 20 * 1024 * 1024;

#[derive(Debug, Deserialize, IntoParams)]
pub(crate) struct ImportQuery {
    /// Check every row and write nothing.
    #[serde(default)]
    dry_run: bool,
}

/// One line of the response.
#[derive(Debug, Serialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(crate) enum ImportLine {
    Progress {
        stage: String,
        done: usize,
        total: usize,
    },
    Result {
        status: String,
        report: ReportView,
    },
    Error {
        code: String,
        message: String,
    },
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ReportView {
    rows: usize,
    added: usize,
    renewed: usize,
    unchanged: usize,
    /// Every problem, by row (as a spreadsheet numbers it) and column.
    #[schema(value_type = Vec<Object>)]
    problems: Vec<Problem>,
    applied: bool,
    file_sha256: String,
}

/// Imports credentials from a CSV or XLSX file (the raw file as the body).
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
    let file_sha256 = hex(&attest_crypto::sha256(&body));
    let parsed = tokio::task::spawn_blocking(move || {
        let table = Table::read(&body, Limits::default())?;
        attest_import::credentials(&table)
    })
    .await
    .map_err(AppError::internal)?
    .map_err(|e| {
        AppError::client(
            StatusCode::UNPROCESSABLE_ENTITY,
            "import_file_refused",
            format!("The file was not imported: {e}."),
        )
    })?;
    let tx = principal.begin(&state).await?;
    let (lines, receiver) = mpsc::channel::<ImportLine>(64);
    let job = Job {
        state,
        principal,
        meta,
        dry_run: query.dry_run,
        file_sha256,
    };
    tokio::spawn(async move {
        let last = match job.run(tx, parsed, lines.clone()).await {
            Ok(line) => line,
            Err(error) => {
                tracing::error!(%error, "credential import failed");
                ImportLine::Error { code: "internal_error".into(), message: "The import failed on our side; nothing was imported. It has been logged; please try again.".into() }
            }
        };
        let _ = lines.send(last).await;
    });
    let stream = futures_util::stream::unfold(receiver, |mut receiver| async move {
        let line = receiver.recv().await?;
        let mut text = serde_json::to_vec(&line).unwrap_or_default();
        text.push(b'\n');
        Some((Ok::<Bytes, std::io::Error>(Bytes::from(text)), receiver))
    });
    Ok((
        [(CONTENT_TYPE, "application/x-ndjson")],
        Body::from_stream(stream),
    )
        .into_response())
}

struct Job {
    state: AppState,
    principal: Principal,
    meta: RequestMeta,
    dry_run: bool,
    file_sha256: String,
}

impl Job {
    async fn run(
        &self,
        mut tx: Tx,
        parsed: attest_import::Parsed<attest_import::CredentialRow>,
        lines: mpsc::Sender<ImportLine>,
    ) -> Result<ImportLine, AppError> {
        let total = parsed.rows.len() + count_rows(&parsed.problems);
        let _ = lines
            .send(ImportLine::Progress {
                stage: "read".into(),
                done: total,
                total,
            })
            .await;
        let apply = !self.dry_run && parsed.problems.is_empty();
        let mut progress = |stage: &'static str, done: usize, total: usize| {
            let _ = lines.try_send(ImportLine::Progress {
                stage: stage.into(),
                done,
                total,
            });
        };
        let p = &self.principal;
        let mut report: ImportReport = import_credentials(
            &mut tx,
            self.state.kek.as_ref(),
            p.org_id,
            Some(p.user_id),
            &parsed.rows,
            apply,
            &mut progress,
        )
        .await?;
        report.rows = total;
        report.problems.extend(parsed.problems);
        report.problems.sort_by_key(|x| x.row);
        let status = if !report.problems.is_empty() {
            "refused"
        } else if report.applied {
            "imported"
        } else {
            "checked"
        };
        if report.applied {
            let caller = Caller {
                state: &self.state,
                principal: p,
                meta: &self.meta,
            };
            let details = json!({ "kind": "credentials", "file_sha256": self.file_sha256, "rows": report.rows, "added": report.added, "renewed": report.renewed, "unchanged": report.unchanged });
            caller
                .record(
                    &mut tx,
                    "credentials.imported",
                    Resource {
                        kind: "import",
                        id: Some(self.file_sha256.clone()),
                    },
                    None,
                    details,
                )
                .await?;
            tx.commit().await.map_err(StoreError::from)?;
        } else {
            tx.rollback().await.map_err(StoreError::from)?;
        }
        Ok(ImportLine::Result {
            status: status.into(),
            report: ReportView {
                rows: report.rows,
                added: report.added,
                renewed: report.renewed,
                unchanged: report.unchanged,
                problems: report.problems,
                applied: report.applied,
                file_sha256: self.file_sha256.clone(),
            },
        })
    }
}

/// Rows with at least one problem.
fn count_rows(problems: &[Problem]) -> usize {
    let mut rows: Vec<usize> = problems.iter().map(|p| p.row).collect();
    rows.dedup();
    rows.len()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
