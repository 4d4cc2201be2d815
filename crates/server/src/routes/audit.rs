//! The audit ledger over HTTP: the timeline, the signed checkpoint, proofs, exports (JSON Lines
//! with proofs, and CSV) and erasure of personal fields.

#![expect(
    unused_qualifications,
    reason = "utoipa's expansion of `params(...)` qualifies the parameter types"
)]

use crate::audit::{Resource, event};
use crate::auth::{Principal, RequestMeta};
use crate::concurrency::{Costly, Place};
use crate::error::{AppError, ErrorBody};
use crate::json::{ApiJson, ApiQuery};
use crate::state::AppState;
use crate::validation::Fields;
use attest_core::{Permission, UserId};
use attest_ledger::hex;
use attest_store::audit::{self, Filter, StoredEvent};
use attest_store::{StoreError, ledger};
use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use serde::{Deserialize, Serialize};
use serde_json::json;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// Events per page of an export (each page is its own short transaction).
const EXPORT_PAGE: i64 = 1000;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct EventQuery {
    /// Who acted (a user id).
    actor: Option<Uuid>,
    /// An action, or a prefix such as `auth`.
    action: Option<String>,
    resource_type: Option<String>,
    resource_id: Option<String>,
    /// Whom the event is about (a user id).
    subject: Option<Uuid>,
    /// From this time (RFC 3339), inclusive.
    from: Option<String>,
    /// To this time (RFC 3339), exclusive.
    to: Option<String>,
    /// Paging: the `next` of the previous page.
    before: Option<i64>,
    /// At most 200 (default 50).
    limit: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct EventView {
    /// The gap-free sequence number, once integrated into the log (moments after the change).
    seq: Option<i64>,
    event_id: Uuid,
    #[schema(format = DateTime)]
    occurred_at: String,
    actor_kind: String,
    actor_user_id: Option<Uuid>,
    actor_role: Option<String>,
    action: String,
    resource_type: String,
    resource_id: Option<String>,
    subject_user_id: Option<Uuid>,
    /// Absent once erased for a deletion request, and where someone else acted, unless the
    /// caller audits or manages accounts.
    source_ip: Option<String>,
    user_agent: Option<String>,
    request_id: Option<String>,
    #[schema(value_type = Object)]
    details: serde_json::Value,
}

impl From<StoredEvent> for EventView {
    fn from(e: StoredEvent) -> Self {
        Self {
            seq: e.seq,
            event_id: e.event_id,
            occurred_at: e.occurred_at.format(&Rfc3339).unwrap_or_default(),
            actor_kind: e.actor_kind,
            actor_user_id: e.actor_user_id,
            actor_role: e.actor_role,
            action: e.action,
            resource_type: e.resource_type,
            resource_id: e.resource_id,
            subject_user_id: e.subject_user_id,
            source_ip: e.source_ip,
            user_agent: e.user_agent,
            request_id: e.request_id,
            details: e.details,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct EventPage {
    events: Vec<EventView>,
    /// Pass as `before` for the next (older) page; absent on the last page.
    next: Option<i64>,
}

fn parse_time(fields: &mut Fields, name: &str, value: Option<&str>) -> Option<OffsetDateTime> {
    value.and_then(|v| {
        fields.check(
            name,
            OffsetDateTime::parse(v, &Rfc3339)
                .map_err(|_| "must be an RFC 3339 time, e.g. 2026-11-23T00:00:00Z"),
        )
    })
}

/// The audit timeline, newest first: the whole organisation's with `audit.read.org`, otherwise
/// the events one did or that are about oneself. Where someone else acted, their source address
/// and browser are personal to them: shown only to auditors (`audit.read.org`) and account
/// managers (`people.manage`), so a worker's own activity never shows the supervisor's or
/// manager's.
#[utoipa::path(
    get, path = "/api/v1/audit/events", tag = "audit", params(EventQuery),
    responses((status = 200, body = EventPage), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("bearer" = []))
)]
pub(crate) async fn events(
    State(state): State<AppState>,
    principal: Principal,
    ApiQuery(query): ApiQuery<EventQuery>,
) -> Result<Json<EventPage>, AppError> {
    if !principal.permissions.contains(Permission::AuditReadOrg) {
        principal.require(Permission::AuditReadSelf)?;
    }
    let mut fields = Fields::default();
    let from = parse_time(&mut fields, "from", query.from.as_deref());
    let to = parse_time(&mut fields, "to", query.to.as_deref());
    fields.finish()?;
    let limit = query.limit.unwrap_or(50).clamp(1, 200);
    let filter = Filter {
        actor: query.actor,
        action: query.action.filter(|a| !a.is_empty()),
        resource_type: query.resource_type.filter(|r| !r.is_empty()),
        resource_id: query.resource_id.filter(|r| !r.is_empty()),
        subject: query.subject,
        from,
        to,
        before_row: query.before,
    };
    let mut tx = principal.begin(&state).await?;
    let rows = audit::list(&mut tx, &filter, limit + 1).await?;
    tx.commit().await.map_err(StoreError::from)?;
    let more = rows.len() as i64 > limit;
    let rows: Vec<_> = rows.into_iter().take(limit as usize).collect();
    let next = if more {
        rows.last().map(|(row, _)| *row)
    } else {
        None
    };
    let sees_others = principal.permissions.contains(Permission::AuditReadOrg)
        || principal.permissions.contains(Permission::PeopleManage);
    let me = principal.user_id.as_uuid();
    Ok(Json(EventPage {
        events: rows
            .into_iter()
            .map(|(_, e)| {
                let mut view = EventView::from(e);
                if !sees_others && view.actor_user_id != Some(me) {
                    view.source_ip = None;
                    view.user_agent = None;
                }
                view
            })
            .collect(),
        next,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CheckpointView {
    /// `attest/<organisation id>`.
    origin: String,
    size: u64,
    /// Hex.
    root: String,
    /// The C2SP signed note.
    note: String,
    #[schema(format = DateTime)]
    signed_at: String,
    /// The verifier key to pin when checking exports (`attest audit verify --key`).
    vkey: String,
}

/// Brings the organisation's log up to date (integrates what is waiting), so that checkpoints
/// and exports include every committed event.
async fn integrate(state: &AppState, principal: &Principal) -> Result<(), AppError> {
    let pool = state.regions.pool(principal.region)?;
    while ledger::integrate(
        pool,
        state.kek.as_ref(),
        principal.org_id,
        crate::sequencer::BATCH,
    )
    .await?
    .is_some()
    {}
    Ok(())
}

/// The latest signed checkpoint of the organisation's log, and the key it is signed with.
#[utoipa::path(
    get, path = "/api/v1/audit/checkpoint", tag = "audit",
    responses((status = 200, body = CheckpointView), (status = 404, body = ErrorBody)),
    security(("bearer" = []))
)]
pub(crate) async fn checkpoint(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<CheckpointView>, AppError> {
    principal.require(Permission::AuditReadSelf)?;
    integrate(&state, &principal).await?;
    let mut tx = principal.begin(&state).await?;
    let latest = ledger::latest_checkpoint(&mut tx)
        .await?
        .ok_or_else(AppError::not_found)?;
    let vkey = attest_store::org_keys::audit_vkey(&mut tx, state.kek.as_ref(), principal.org_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(Json(CheckpointView {
        origin: attest_ledger::origin_for(principal.org_id.as_uuid()),
        size: latest.size,
        root: hex(&latest.root),
        note: latest.note,
        signed_at: latest.signed_at.format(&Rfc3339).unwrap_or_default(),
        vkey,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct InclusionQuery {
    /// The leaf index (sequence number − 1).
    index: u64,
    /// The tree size (a checkpoint's).
    size: u64,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConsistencyQuery {
    from: u64,
    to: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Proof {
    /// Hex hashes, in RFC 6962 order.
    proof: Vec<String>,
}

async fn checked_size(
    state: &AppState,
    principal: &Principal,
    size: u64,
) -> Result<attest_store::Tx, AppError> {
    let mut tx = principal.begin(state).await?;
    let latest = ledger::latest_checkpoint(&mut tx)
        .await?
        .map_or(0, |c| c.size);
    if size == 0 || size > latest {
        let mut fields = Fields::default();
        fields.check::<(), _>(
            "size",
            Err(format!(
                "must be between 1 and the latest checkpoint's size ({latest})"
            )),
        );
        fields.finish()?;
    }
    Ok(tx)
}

/// The proof that a leaf is in the tree of a given size (RFC 6962 audit path).
#[utoipa::path(
    get, path = "/api/v1/audit/proofs/inclusion", tag = "audit", params(InclusionQuery),
    responses((status = 200, body = Proof), (status = 422, body = ErrorBody)), security(("bearer" = []))
)]
pub(crate) async fn inclusion(
    State(state): State<AppState>,
    principal: Principal,
    ApiQuery(q): ApiQuery<InclusionQuery>,
) -> Result<Json<Proof>, AppError> {
    principal.require(Permission::AuditReadOrg)?;
    let mut tx = checked_size(&state, &principal, q.size).await?;
    if q.index >= q.size {
        let mut fields = Fields::default();
        fields.check::<(), _>("index", Err("must be less than size"));
        fields.finish()?;
    }
    let proof = ledger::inclusion_proof(&mut tx, principal.org_id, q.index, q.size).await?;
    Ok(Json(Proof {
        proof: proof.iter().map(|h| hex(&h.0)).collect(),
    }))
}

/// The proof that the tree of size `to` extends the tree of size `from` (RFC 6962 consistency).
#[utoipa::path(
    get, path = "/api/v1/audit/proofs/consistency", tag = "audit", params(ConsistencyQuery),
    responses((status = 200, body = Proof), (status = 422, body = ErrorBody)), security(("bearer" = []))
)]
pub(crate) async fn consistency(
    State(state): State<AppState>,
    principal: Principal,
    ApiQuery(q): ApiQuery<ConsistencyQuery>,
) -> Result<Json<Proof>, AppError> {
    principal.require(Permission::AuditReadOrg)?;
    let mut tx = checked_size(&state, &principal, q.to).await?;
    if q.from > q.to {
        let mut fields = Fields::default();
        fields.check::<(), _>("from", Err("must not exceed to"));
        fields.finish()?;
    }
    let proof = ledger::consistency_proof(&mut tx, principal.org_id, q.from, q.to).await?;
    Ok(Json(Proof {
        proof: proof.iter().map(|h| hex(&h.0)).collect(),
    }))
}

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
    principal: Principal,
    meta: RequestMeta,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> Result<Response, AppError> {
    principal.require(Permission::AuditExport)?;
    // Held until the last line is sent.
    let place = state
        .concurrency
        .enter(Costly::Export, Some(principal.user_id))?;
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
    integrate(&state, &principal).await?;
    let now = state.clock.now();
    let mut tx = principal.begin(&state).await?;
    let plan = ledger::plan_export(
        &mut tx,
        state.kek.as_ref(),
        principal.org_id,
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
    let e = event(
        now,
        &meta,
        principal.actor(),
        "audit.exported",
        Resource {
            kind: "audit_log",
            id: Some(principal.org_id.to_string()),
        },
        None,
        details,
    );
    audit::append(&mut tx, principal.org_id, &e).await?;
    tx.commit().await.map_err(StoreError::from)?;

    let name = format!("attest-audit-{}-{}", principal.org_id, header.tree_size);
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
        principal,
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

use futures_util::StreamExt as _;

/// The export's events, a page (one short transaction) at a time.
struct Pages {
    state: AppState,
    principal: Principal,
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
            let mut tx = self.principal.begin(&self.state).await?;
            let lines = ledger::export_page(&mut tx, self.next, self.end, EXPORT_PAGE).await?;
            tx.commit().await.map_err(StoreError::from)?;
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

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Erasure {
    /// The person whose personal fields (source IP, user agent) are erased from every event by or
    /// about them.
    user_id: Uuid,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Erased {
    events: u64,
}

/// Erases a person's personal fields from the log, for a deletion request. The events, the tree
/// and every proof stay valid (each leaf holds only a salted digest of those fields). The erasure
/// is itself an audited event. Nobody erases their own: an administrator's trail (where they
/// acted from) is erased by another administrator (`403 own_erasure`).
#[utoipa::path(
    post, path = "/api/v1/audit/erasures", tag = "audit", request_body = Erasure,
    responses((status = 200, body = Erased), (status = 403, body = ErrorBody, description = "`forbidden`, `own_erasure`"), (status = 404, body = ErrorBody)), security(("bearer" = []))
)]
pub(crate) async fn erase(
    State(state): State<AppState>,
    principal: Principal,
    meta: RequestMeta,
    ApiJson(body): ApiJson<Erasure>,
) -> Result<Json<Erased>, AppError> {
    principal.require(Permission::PeopleManage)?;
    principal.require(Permission::AuditReadOrg)?;
    let person = UserId::from(body.user_id);
    if person == principal.user_id {
        return Err(AppError::client(
            StatusCode::FORBIDDEN,
            "own_erasure",
            "You cannot erase your own records from the audit log; another administrator can.",
        ));
    }
    let mut tx = principal.begin(&state).await?;
    // Only members (past or present) of the organisation; anyone else is not found.
    attest_store::people::member(&mut tx, person, state.clock.now()).await?;
    let events = audit::erase_personal(&mut tx, person).await?;
    let e = event(
        state.clock.now(),
        &meta,
        principal.actor(),
        "audit.personal_erased",
        Resource::account(person),
        Some(person),
        json!({ "events": events }),
    );
    audit::append(&mut tx, principal.org_id, &e).await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(Json(Erased { events }))
}
