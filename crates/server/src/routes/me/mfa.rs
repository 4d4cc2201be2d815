//! Turning two-step verification on and off, and new recovery codes, for the signed-in person.
//! Each needs the current password again.

use crate::audit::{Caller, Resource, Unrecorded};
use crate::auth::RequestMeta;
use crate::auth::second_factor::{self, TotpEnrolment};
use crate::error::{AppError, ErrorBody};
use crate::json::ApiJson;
use crate::mail::messages;
use crate::routes::me::{own_account, reauthenticate};
use crate::state::AppState;
use attest_core::Permission;
use attest_store::audit::AuditAction;
use attest_store::sessions::{self, RevokeReason};
use attest_store::{mfa, organisations, outbox};
use axum::Json;
use axum::extract::State;
use http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::fmt;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Reauthentication {
    #[schema(format = Password)]
    current_password: String,
}

impl fmt::Debug for Reauthentication {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Reauthentication { .. }")
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Code {
    code: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RecoveryCodes {
    /// Ten single-use codes, shown this once. Keep them somewhere safe.
    recovery_codes: Vec<String>,
}

/// Starts setting up an authenticator app.
#[utoipa::path(
    post, path = "/api/v1/me/mfa/totp", tag = "me", request_body = Reauthentication,
    responses((status = 200, body = TotpEnrolment), (status = 409, body = ErrorBody, description = "`mfa_already_enabled`"), (status = 422, body = ErrorBody)),
    security(("bearer" = []))
)]
pub(crate) async fn start(
    State(state): State<AppState>,
    caller: Caller,
    meta: RequestMeta,
    ApiJson(body): ApiJson<Reauthentication>,
) -> Result<Json<TotpEnrolment>, AppError> {
    caller.require(Permission::OrgRead)?;
    reauthenticate(
        &state,
        &caller,
        &meta,
        "mfa_enrolment",
        body.current_password,
    )
    .await?;
    let mut tx = caller.write(&state).await?;
    let account = own_account(&mut tx, &caller).await?;
    let enrolment = second_factor::start(&state, &mut tx, caller.org_id, &account).await?;
    tx.commit_unrecorded(Unrecorded::Pending).await?;
    Ok(Json(enrolment))
}

/// Confirms the authenticator with its first code; returns the recovery codes.
#[utoipa::path(
    post, path = "/api/v1/me/mfa/totp/confirm", tag = "me", request_body = Code,
    responses((status = 200, body = RecoveryCodes), (status = 422, body = ErrorBody)),
    security(("bearer" = []))
)]
pub(crate) async fn confirm(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<Code>,
) -> Result<Json<RecoveryCodes>, AppError> {
    caller.require(Permission::OrgRead)?;
    let mut tx = caller.write(&state).await?;
    let account = own_account(&mut tx, &caller).await?;
    let recovery_codes =
        second_factor::confirm(&state, &mut tx, caller.org_id, &account, &body.code).await?;
    let now = state.clock.now();
    // A new second factor: every other session of the account ends.
    let ended = sessions::revoke_all(
        &mut tx,
        account.user_id,
        RevokeReason::MfaChanged,
        now,
        Some(caller.session_id),
    )
    .await?;
    tx.record(
        AuditAction::AuthMfaEnrolled,
        Resource::account(account.user_id),
        Some(account.user_id),
        json!({ "method": "totp", "other_sessions_ended": ended }),
    )
    .await?;
    outbox::enqueue(
        &mut tx,
        caller.org_id,
        &messages::mfa_changed(&account.email, &account.display_name, "turned on"),
        now,
    )
    .await?;
    tx.commit().await?;
    state.mail_queued.notify_one();
    Ok(Json(RecoveryCodes { recovery_codes }))
}

/// Turns two-step verification off (not allowed where the organisation requires it).
#[utoipa::path(
    post, path = "/api/v1/me/mfa/disable", tag = "me", request_body = Reauthentication,
    responses((status = 204), (status = 409, body = ErrorBody, description = "`mfa_required_by_organisation`"), (status = 422, body = ErrorBody)),
    security(("bearer" = []))
)]
pub(crate) async fn disable(
    State(state): State<AppState>,
    caller: Caller,
    meta: RequestMeta,
    ApiJson(body): ApiJson<Reauthentication>,
) -> Result<StatusCode, AppError> {
    caller.require(Permission::OrgRead)?;
    reauthenticate(&state, &caller, &meta, "mfa_disable", body.current_password).await?;
    let mut tx = caller.write(&state).await?;
    let account = own_account(&mut tx, &caller).await?;
    if organisations::policy(&mut tx).await?.mfa_required {
        return Err(AppError::client(
            StatusCode::CONFLICT,
            "mfa_required_by_organisation",
            "Your organisation requires two-step verification, so it cannot be turned off.",
        ));
    }
    if !mfa::remove(&mut tx, account.user_id).await? {
        return Err(AppError::client(
            StatusCode::CONFLICT,
            "mfa_not_enabled",
            "Two-step verification is not on.",
        ));
    }
    let now = state.clock.now();
    // One factor fewer: every other session of the account ends.
    let ended = sessions::revoke_all(
        &mut tx,
        account.user_id,
        RevokeReason::MfaChanged,
        now,
        Some(caller.session_id),
    )
    .await?;
    tx.record(
        AuditAction::AuthMfaDisabled,
        Resource::account(account.user_id),
        Some(account.user_id),
        json!({ "other_sessions_ended": ended }),
    )
    .await?;
    outbox::enqueue(
        &mut tx,
        caller.org_id,
        &messages::mfa_changed(&account.email, &account.display_name, "turned off"),
        now,
    )
    .await?;
    tx.commit().await?;
    state.mail_queued.notify_one();
    Ok(StatusCode::NO_CONTENT)
}

/// Replaces the recovery codes with ten new ones.
#[utoipa::path(
    post, path = "/api/v1/me/mfa/recovery-codes", tag = "me", request_body = Reauthentication,
    responses((status = 200, body = RecoveryCodes), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = []))
)]
pub(crate) async fn new_recovery_codes(
    State(state): State<AppState>,
    caller: Caller,
    meta: RequestMeta,
    ApiJson(body): ApiJson<Reauthentication>,
) -> Result<Json<RecoveryCodes>, AppError> {
    caller.require(Permission::OrgRead)?;
    reauthenticate(
        &state,
        &caller,
        &meta,
        "recovery_codes",
        body.current_password,
    )
    .await?;
    let mut tx = caller.write(&state).await?;
    let account = own_account(&mut tx, &caller).await?;
    if !account.mfa_enabled {
        return Err(AppError::client(
            StatusCode::CONFLICT,
            "mfa_not_enabled",
            "Turn on two-step verification first.",
        ));
    }
    let recovery_codes =
        second_factor::new_recovery_codes(&state, &mut tx, caller.org_id, &account, false).await?;
    tx.record(
        AuditAction::AuthMfaRecoveryCodesRenewed,
        Resource::account(account.user_id),
        Some(account.user_id),
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(RecoveryCodes { recovery_codes }))
}
