//! The audit timeline: a page of events, newest first, filtered.

#![expect(
    unused_qualifications,
    reason = "utoipa's expansion of `params(...)` qualifies the parameter types"
)]

use super::parse_time;
use crate::audit::Caller;
use crate::error::{AppError, ErrorBody};
use crate::json::ApiQuery;
use crate::state::AppState;
use crate::validation::Fields;
use attest_core::Permission;
use attest_store::audit::{self, Filter, StoredEvent};
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

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
    caller: Caller,
    ApiQuery(query): ApiQuery<EventQuery>,
) -> Result<Json<EventPage>, AppError> {
    if !caller.permissions.contains(Permission::AuditReadOrg) {
        caller.require(Permission::AuditReadSelf)?;
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
    let mut tx = caller.read(&state).await?;
    let rows = audit::list(&mut tx, &filter, limit + 1).await?;
    tx.finish().await?;
    let more = rows.len() as i64 > limit;
    let rows: Vec<_> = rows.into_iter().take(limit as usize).collect();
    let next = if more {
        rows.last().map(|(row, _)| *row)
    } else {
        None
    };
    let sees_others = caller.permissions.contains(Permission::AuditReadOrg)
        || caller.permissions.contains(Permission::PeopleManage);
    let me = caller.user_id.as_uuid();
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
