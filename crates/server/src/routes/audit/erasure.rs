//! Erasing a person's personal fields from the log, for a deletion request.

use crate::audit::{Caller, Resource};
use crate::error::{AppError, ErrorBody};
use crate::json::ApiJson;
use crate::state::AppState;
use attest_core::{Permission, UserId};
use attest_store::audit::{self, AuditAction};
use axum::Json;
use axum::extract::State;
use http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

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
    caller: Caller,
    ApiJson(body): ApiJson<Erasure>,
) -> Result<Json<Erased>, AppError> {
    caller.require(Permission::PeopleManage)?;
    caller.require(Permission::AuditReadOrg)?;
    let person = UserId::from(body.user_id);
    if person == caller.user_id {
        return Err(AppError::client(
            StatusCode::FORBIDDEN,
            "own_erasure",
            "You cannot erase your own records from the audit log; another administrator can.",
        ));
    }
    let mut tx = caller.write(&state).await?;
    // Only members (past or present) of the organisation; anyone else is not found.
    attest_store::people::member(&mut tx, person, state.clock.now()).await?;
    let events = audit::erase_personal(&mut tx, person).await?;
    tx.record(
        AuditAction::AuditPersonalErased,
        Resource::account(person),
        Some(person),
        json!({ "events": events }),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(Erased { events }))
}
