use crate::audit::{Caller, Resource};
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;
use attest_core::Permission;
use attest_store::audit::AuditAction;
use attest_store::sessions::{self, RevokeReason, SessionView};
use axum::Json;
use axum::extract::{Path, State};
use http::StatusCode;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SessionItem {
    session_id: Uuid,
    #[schema(format = DateTime)]
    created_at: String,
    #[schema(format = DateTime)]
    last_active_at: String,
    #[schema(format = DateTime)]
    expires_at: String,
    user_agent: Option<String>,
    source_ip: Option<String>,
    mfa_verified: bool,
    /// The session making this request.
    current: bool,
}

fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

impl SessionItem {
    fn from(view: SessionView, current: Uuid) -> Self {
        Self {
            current: view.session_id == current,
            session_id: view.session_id,
            created_at: rfc3339(view.created_at),
            last_active_at: rfc3339(view.last_active_at),
            expires_at: rfc3339(view.expires_at),
            user_agent: view.user_agent,
            source_ip: view.source_ip,
            mfa_verified: view.mfa_verified,
        }
    }
}

/// One's live sessions, most recently active first.
#[utoipa::path(get, path = "/api/v1/me/sessions", operation_id = "list_sessions", tag = "me", responses((status = 200, body = [SessionItem])), security(("bearer" = [])))]
pub(crate) async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<SessionItem>>, AppError> {
    caller.require(Permission::OrgRead)?;
    let mut tx = caller.read(&state).await?;
    let views = sessions::list(&mut tx, caller.user_id, state.clock.now()).await?;
    tx.finish().await?;
    Ok(Json(
        views
            .into_iter()
            .map(|v| SessionItem::from(v, caller.session_id))
            .collect(),
    ))
}

/// Ends one of one's sessions (on another device, say).
#[utoipa::path(
    delete, path = "/api/v1/me/sessions/{session_id}", operation_id = "revoke_session", tag = "me",
    params(("session_id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)),
    security(("bearer" = []))
)]
pub(crate) async fn revoke(
    State(state): State<AppState>,
    caller: Caller,
    Path(session_id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    caller.require(Permission::OrgRead)?;
    let mut tx = caller.write(&state).await?;
    let live = sessions::list(&mut tx, caller.user_id, state.clock.now()).await?;
    if !live.iter().any(|s| s.session_id == session_id) {
        return Err(AppError::not_found());
    }
    let now = state.clock.now();
    sessions::revoke(&mut tx, session_id, RevokeReason::RevokedByUser, now).await?;
    tx.record(
        AuditAction::AuthSessionRevoked,
        Resource::session(session_id),
        Some(caller.user_id),
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
