//! The second step of signing in: a TOTP or recovery code, or — when the organisation requires a
//! second factor and the person has none — setting one up.

use crate::audit::{Resource, Unrecorded, Work, account_actor};
use crate::auth::RateLimited;
use crate::auth::attempts::Attempt;
use crate::auth::flows::as_account;
use crate::auth::second_factor::{self, TotpEnrolment};
use crate::auth::{MfaClaims, RequestMeta, SignedInBody, start_session};
use crate::error::{AppError, ErrorBody};
use crate::json::ApiJson;
use crate::mail::messages;
use crate::state::AppState;
use attest_core::MemberStatus;
use attest_crypto::Audience;
use attest_store::accounts::{self, Account};
use attest_store::audit::AuditAction;
use attest_store::organisations::{self, Organisation};
use attest_store::outbox;
use axum::Json;
use axum::extract::State;
use axum::response::{AppendHeaders, IntoResponse, Response};
use http::StatusCode;
use http::header::SET_COOKIE;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct MfaRequest {
    /// From the sign-in response.
    mfa_token: String,
    /// The six-digit code of the authenticator app…
    #[serde(default)]
    code: Option<String>,
    /// …or one of the recovery codes.
    #[serde(default)]
    recovery_code: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct EnrolmentRequest {
    mfa_token: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct EnrolmentConfirmation {
    mfa_token: String,
    /// The first code the authenticator app shows.
    code: String,
}

/// Signed in after enrolling: the session, and the recovery codes (shown this once).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct EnrolledAndSignedIn {
    pub(crate) recovery_codes: Vec<String>,
    #[serde(flatten)]
    pub(crate) signed_in: SignedInBody,
}

fn invalid_code() -> AppError {
    AppError::client(
        StatusCode::UNAUTHORIZED,
        "invalid_code",
        "That code is not right, or it was already used.",
    )
}

fn expired_step() -> AppError {
    AppError::client(
        StatusCode::UNAUTHORIZED,
        "mfa_token_invalid",
        "This sign-in has expired. Start again.",
    )
}

/// The account behind an MFA-step token, in its own transaction.
async fn account_for(
    state: &AppState,
    meta: &RequestMeta,
    token: &str,
    audience: Audience,
) -> Result<(Work, Organisation, Account), AppError> {
    let claims: MfaClaims = state
        .tokens
        .verify(token.trim(), audience, state.clock.now())
        .map_err(|_| expired_step())?;
    let caller = as_account(state, &claims, meta);
    let mut tx = caller.write(state).await?;
    let organisation = organisations::current(&mut tx).await?;
    let account = accounts::load(&mut tx, claims.sub.into())
        .await?
        .ok_or_else(expired_step)?;
    if account.status != MemberStatus::Active {
        return Err(expired_step());
    }
    Ok((tx, organisation, account))
}

/// Completes signing in with a TOTP code or a recovery code. Wrong codes count as failed
/// sign-ins (delays, then the lock).
#[utoipa::path(
    post,
    path = "/api/v1/auth/mfa", operation_id = "verify_mfa",
    tag = "auth",
    request_body = MfaRequest,
    responses(
        (status = 200, body = SignedInBody, description = "Signed in; the refresh cookie is set"),
        (status = 401, body = ErrorBody, description = "`invalid_code`, `mfa_token_invalid`"),
        (status = 429, body = ErrorBody, description = "`rate_limited`"),
    )
)]
pub(crate) async fn verify(
    _limited: RateLimited,
    State(state): State<AppState>,
    meta: RequestMeta,
    ApiJson(body): ApiJson<MfaRequest>,
) -> Result<Response, AppError> {
    let (mut tx, organisation, account) =
        account_for(&state, &meta, &body.mfa_token, Audience::MfaChallenge).await?;
    let now = state.clock.now();
    let attempt = Attempt::signing_in(&state, &organisation, &account, &meta);
    if !attempt.claim_in(&mut tx).await? {
        attempt.refused(&mut tx, "locked_or_delayed").await?;
        tx.commit().await?;
        return Err(invalid_code());
    }
    let method = match (&body.code, &body.recovery_code) {
        (Some(code), None) => {
            second_factor::check_code(&state, &mut tx, organisation.org_id, &account, code, true)
                .await?
                .then_some("totp")
        }
        (None, Some(code)) => second_factor::use_recovery_code(&state, &mut tx, &account, code)
            .await?
            .then_some("recovery_code"),
        _ => {
            return Err(AppError::client(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                "Send either `code` or `recovery_code`.",
            ));
        }
    };
    let Some(method) = method else {
        attempt
            .count_failure(&mut tx, "wrong_second_factor")
            .await?;
        tx.commit().await?;
        return Err(invalid_code());
    };
    accounts::clear_failures(&mut tx, account.user_id, now).await?;
    let signed_in = start_session(
        &state,
        &mut tx,
        &account,
        true,
        meta.user_agent.clone(),
        meta.ip,
    )
    .await?;
    let actor = account_actor(&account);
    tx.record_as(
        actor.clone(),
        AuditAction::AuthSignIn,
        Resource::account(account.user_id),
        Some(account.user_id),
        json!({ "second_factor": method }),
    )
    .await?;
    if method == "recovery_code" {
        tx.record_as(
            actor,
            AuditAction::AuthMfaRecoveryCodeUsed,
            Resource::account(account.user_id),
            Some(account.user_id),
            json!({}),
        )
        .await?;
        let mail = messages::mfa_changed(
            &account.email,
            &account.display_name,
            "used with a recovery code",
        );
        outbox::enqueue(&mut tx, organisation.org_id, &mail, now).await?;
    }
    tx.commit().await?;
    state.mail_queued.notify_one();
    Ok(signed_in.into_response())
}

/// When the organisation requires a second factor and the person has none: starts setting one up.
#[utoipa::path(
    post,
    path = "/api/v1/auth/mfa/enrolment",
    tag = "auth",
    request_body = EnrolmentRequest,
    responses((status = 200, body = TotpEnrolment), (status = 401, body = ErrorBody, description = "`mfa_token_invalid`"))
)]
pub(crate) async fn start_enrolment(
    _limited: RateLimited,
    State(state): State<AppState>,
    meta: RequestMeta,
    ApiJson(body): ApiJson<EnrolmentRequest>,
) -> Result<Json<TotpEnrolment>, AppError> {
    let (mut tx, organisation, account) =
        account_for(&state, &meta, &body.mfa_token, Audience::MfaEnrolment).await?;
    let enrolment = second_factor::start(&state, &mut tx, organisation.org_id, &account).await?;
    tx.commit_unrecorded(Unrecorded::Pending).await?;
    Ok(Json(enrolment))
}

/// Confirms the new second factor with its first code, and signs in.
#[utoipa::path(
    post,
    path = "/api/v1/auth/mfa/enrolment/confirm",
    tag = "auth",
    request_body = EnrolmentConfirmation,
    responses(
        (status = 200, body = EnrolledAndSignedIn),
        (status = 401, body = ErrorBody, description = "`mfa_token_invalid`"),
        (status = 422, body = ErrorBody, description = "`validation_failed`: the code is not right"),
    )
)]
pub(crate) async fn confirm_enrolment(
    _limited: RateLimited,
    State(state): State<AppState>,
    meta: RequestMeta,
    ApiJson(body): ApiJson<EnrolmentConfirmation>,
) -> Result<Response, AppError> {
    let (mut tx, organisation, account) =
        account_for(&state, &meta, &body.mfa_token, Audience::MfaEnrolment).await?;
    let recovery_codes =
        second_factor::confirm(&state, &mut tx, organisation.org_id, &account, &body.code).await?;
    let now = state.clock.now();
    let signed_in = start_session(
        &state,
        &mut tx,
        &account,
        true,
        meta.user_agent.clone(),
        meta.ip,
    )
    .await?;
    let actor = account_actor(&account);
    tx.record_as(
        actor.clone(),
        AuditAction::AuthMfaEnrolled,
        Resource::account(account.user_id),
        Some(account.user_id),
        json!({ "method": "totp" }),
    )
    .await?;
    tx.record_as(
        actor,
        AuditAction::AuthSignIn,
        Resource::account(account.user_id),
        Some(account.user_id),
        json!({ "second_factor": "totp" }),
    )
    .await?;
    let mail = messages::mfa_changed(&account.email, &account.display_name, "turned on");
    outbox::enqueue(&mut tx, organisation.org_id, &mail, now).await?;
    tx.commit().await?;
    state.mail_queued.notify_one();
    let cookies = AppendHeaders([
        (SET_COOKIE, signed_in.set_cookie),
        (SET_COOKIE, signed_in.hint),
    ]);
    Ok((
        cookies,
        Json(EnrolledAndSignedIn {
            recovery_codes,
            signed_in: signed_in.body,
        }),
    )
        .into_response())
}
