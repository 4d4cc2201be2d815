use crate::audit::{Caller, Resource};
use crate::auth::RequestMeta;
use crate::auth::flows::{check_new_password, replace_password};
use crate::error::{AppError, ErrorBody};
use crate::json::ApiJson;
use crate::routes::me::{own_account, reauthenticate};
use crate::state::AppState;
use crate::validation::Fields;
use attest_core::Permission;
use attest_store::audit::AuditAction;
use attest_store::organisations;
use attest_store::sessions::RevokeReason;
use axum::extract::State;
use http::StatusCode;
use serde::Deserialize;
use serde_json::json;
use std::fmt;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ChangePassword {
    #[schema(format = Password)]
    current_password: String,
    #[schema(format = Password)]
    new_password: String,
}

impl fmt::Debug for ChangePassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ChangePassword { .. }")
    }
}

/// Changes one's password: needs the current one; signs out every other session and sends a
/// notification email.
#[utoipa::path(
    post, path = "/api/v1/me/password", operation_id = "change_password", tag = "me", request_body = ChangePassword,
    responses((status = 204), (status = 422, body = ErrorBody, description = "`validation_failed`")),
    security(("bearer" = []))
)]
pub(crate) async fn change(
    State(state): State<AppState>,
    caller: Caller,
    meta: RequestMeta,
    ApiJson(body): ApiJson<ChangePassword>,
) -> Result<StatusCode, AppError> {
    caller.require(Permission::OrgRead)?;
    let mut tx = caller.read(&state).await?;
    let account = own_account(&mut tx, &caller).await?;
    let organisation = organisations::current(&mut tx).await?;
    tx.finish().await?;
    check_new_password("new_password", &body.new_password, &account, &organisation)?;
    if body.new_password == body.current_password {
        let mut fields = Fields::default();
        fields.check::<(), _>("new_password", Err("must differ from the current password"));
        fields.finish()?;
    }
    reauthenticate(
        &state,
        &caller,
        &meta,
        "password_change",
        body.current_password,
    )
    .await?;
    // Hashed before the transaction: no connection waits on argon2.
    let hash = state
        .passwords
        .hash(secrecy::SecretString::from(body.new_password))
        .await?;
    let _now = state.clock.now();
    let mut tx = caller.write(&state).await?;
    let ended = replace_password(
        &state,
        &mut tx,
        &account,
        &organisation,
        &hash,
        RevokeReason::PasswordChanged,
        Some(caller.session_id),
    )
    .await?;
    tx.record(
        AuditAction::AuthPasswordChanged,
        Resource::account(account.user_id),
        Some(account.user_id),
        json!({ "other_sessions_ended": ended }),
    )
    .await?;
    tx.commit().await?;
    state.mail_queued.notify_one();
    Ok(StatusCode::NO_CONTENT)
}
