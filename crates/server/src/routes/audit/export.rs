//! Streamed exports of a time range of the log: JSON Lines with the signed checkpoint and the
//! proofs, or CSV for people. The export is itself an audited event.

#![expect(
    unused_qualifications,
    reason = "utoipa's expansion of `params(...)` qualifies the parameter types"
)]

use super::checkpoint::integrate;
use super::parse_time;
use crate::audit::{Caller, Resource};
use crate::concurrency::{Costly, Place};
use crate::error::{AppError, ErrorBody};
use crate::json::ApiQuery;
use crate::state::AppState;
use crate::validation::Fields;
use attest_core::Permission;
use attest_ledger::hex;
use attest_store::audit::AuditAction;
use attest_store::ledger;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::IntoParams;

use futures_util::StreamExt as _;

/// Events per page of an export (each page is its own short transaction).
const EXPORT_PAGE: i64 = 1000;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct ExportQuery {
    /// From this time (RFC 3339).
    from: Option<String>,
    /// To this time (RFC 3339), exclusive.
    to: Option<String>,
    /// Include the proof that the log extends the tree of this size (an earlier checkpoint's).
    since_size: Option<u64>,
    /// `jsonl` (default: verifiable, with proofs) or `csv` (for people).
    format: Option<String>,
}

/// Exports a time range of the log, streamed: JSON Lines with the signed checkpoint and the
/// proofs (`attest audit verify` checks it offline), or CSV for reading. The export is itself
/// an audited event.
#[utoipa::path(
    get, path = "/api/v1/audit/export", tag = "audit", params(ExportQuery),
    responses(
        (status = 200, description = "`application/x-ndjson` (first line: the header with the checkpoint; then one event per line) or `text/csv`"),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody, description = "the log is empty"), (status = 422, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
pub(crate) async fn export(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> Result<Response, AppError> {
    caller.require(Permission::AuditExport)?;
    // Held until the last line is sent.
    let place = state
        .concurrency
        .enter(Costly::Export, Some(caller.user_id))?;
    let mut fields = Fields::default();
    let from = parse_time(&mut fields, "from", q.from.as_deref());
    let to = parse_time(&mut fields, "to", q.to.as_deref());
    let csv = match q.format.as_deref().unwrap_or("jsonl") {
        "jsonl" => false,
        "csv" => true,
        _ => {
            fields.check::<(), _>("format", Err("must be jsonl or csv"));
            false
        }
    };
    fields.finish()?;
    integrate(&state, &caller).await?;
    let now = state.clock.now();
    let mut tx = caller.write(&state).await?;
    let plan = ledger::plan_export(
        &mut tx,
        state.kek.as_ref(),
        caller.org_id,
        from,
        to,
        q.since_size,
        now,
    )
    .await?
    .ok_or_else(|| {
        AppError::client(
            StatusCode::NOT_FOUND,
            "empty_log",
            "The audit log has no events yet.",
        )
    })?;
    let header = plan.header;
    let details = json!({ "format": if csv { "csv" } else { "jsonl" }, "first": header.first, "end": header.end, "tree_size": header.tree_size });
    tx.record(
        AuditAction::AuditExported,
        Resource {
            kind: "audit_log",
            id: Some(caller.org_id.to_string()),
        },
        None,
        details,
    )
    .await?;
    tx.commit().await?;

    let name = format!("attest-audit-{}-{}", caller.org_id, header.tree_size);
    let (content_type, extension) = if csv {
        ("text/csv; charset=utf-8", "csv")
    } else {
        ("application/x-ndjson", "jsonl")
    };
    let first_chunk = if csv {
        csv_header()
    } else {
        json_line(&header)
    };
    let pages = Pages {
        state,
        caller,
        next: header.first,
        end: header.end,
        csv,
        _place: place,
    };
    let stream =
        futures_util::stream::once(
            async move { Ok::<Bytes, std::io::Error>(Bytes::from(first_chunk)) },
        )
        .chain(futures_util::stream::unfold(pages, Pages::next_chunk));
    Ok((
        [
            (CONTENT_TYPE, content_type.to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.{extension}\""),
            ),
            (
                http::header::HeaderName::from_static("x-export-events"),
                (header.end - header.first).to_string(),
            ),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}

/// The export's events, a page (one short transaction) at a time.
struct Pages {
    state: AppState,
    caller: Caller,
    next: u64,
    end: u64,
    csv: bool,
    _place: Place,
}

impl Pages {
    async fn next_chunk(mut self) -> Option<(Result<Bytes, std::io::Error>, Self)> {
        if self.next >= self.end {
            return None;
        }
        let lines = async {
            let mut tx = self.caller.read(&self.state).await?;
            let lines = ledger::export_page(&mut tx, self.next, self.end, EXPORT_PAGE).await?;
            tx.finish().await?;
            Ok::<_, AppError>(lines)
        }
        .await;
        let lines = match lines {
            Ok(lines) if !lines.is_empty() => lines,
            Ok(_) => return self.stop("the log changed during the export"),
            Err(error) => {
                tracing::error!(%error, "audit export failed part-way");
                return self.stop("the export failed");
            }
        };
        self.next = lines.last().map_or(self.end, |l| l.index + 1);
        let csv = self.csv;
        // Formatting a page is the export's CPU-bound part: it runs on the CPU pool.
        let chunk = self.state.cpu.run(move || {
            let mut chunk = Vec::new();
            for event in &lines {
                if csv {
                    chunk.extend(csv_row(event));
                } else {
                    chunk.extend(json_line(&event.line()));
                }
            }
            Bytes::from(chunk)
        });
        match chunk.await {
            Ok(chunk) => Some((Ok(chunk), self)),
            Err(error) => {
                tracing::error!(%error, "audit export failed part-way");
                self.stop("the export failed")
            }
        }
    }

    /// Ends the stream with an error (the client sees a cut-off download, never a quiet one).
    fn stop(self, message: &'static str) -> Option<(Result<Bytes, std::io::Error>, Self)> {
        Some((
            Err(std::io::Error::other(message)),
            Self {
                next: self.end,
                ..self
            },
        ))
    }
}

fn json_line<T: Serialize>(value: &T) -> Vec<u8> {
    let mut line = serde_json::to_vec(value).unwrap_or_default();
    line.push(b'\n');
    line
}

const CSV_COLUMNS: [&str; 14] = [
    "seq",
    "time",
    "actor_kind",
    "actor_user_id",
    "actor_role",
    "action",
    "resource_type",
    "resource_id",
    "subject_user_id",
    "source_ip",
    "user_agent",
    "request_id",
    "details",
    "leaf_hash",
];

fn csv_header() -> Vec<u8> {
    crate::csv_rows::row(&CSV_COLUMNS)
}

/// One CSV row. Cells that a spreadsheet would run as a formula are prefixed with `'`.
fn csv_row(event: &ledger::ExportedEvent) -> Vec<u8> {
    let e = &event.leaf;
    let text = |v: Option<String>| v.unwrap_or_default();
    let cells = [
        (event.index + 1).to_string(),
        e.time.clone(),
        e.actor.kind.clone(),
        text(e.actor.user.map(|u| u.to_string())),
        text(e.actor.role.clone()),
        e.action.clone(),
        e.resource.kind.clone(),
        text(e.resource.id.clone()),
        text(e.subject.map(|u| u.to_string())),
        text(event.personal.as_ref().and_then(|p| p.ip.clone())),
        text(event.personal.as_ref().and_then(|p| p.ua.clone())),
        text(e.request.clone()),
        e.details.to_string(),
        hex(&event.leaf_hash),
    ];
    crate::csv_rows::row(&cells)
}
