//! Forgotten passwords: a single-use link by email; using it sets a new password and ends every
//! session.

use crate::audit::{Resource, Unrecorded, account_actor};
use crate::auth::RateLimited;
use crate::auth::RequestMeta;
use crate::auth::flows::{
    PasswordLink, account_from_password_link, after_answering, as_account, email_link,
    find_account, replace_password,
};
use crate::error::{AppError, ErrorBody};
use crate::json::ApiJson;
use crate::mail::messages;
use crate::routes::auth::email_links::{Accepted, AccountAddress, LinkOutcome, parse_address};
use crate::state::AppState;
use attest_core::MemberStatus;
use attest_store::audit::AuditAction;
use attest_store::email_tokens::{self, Purpose};
use attest_store::sessions::RevokeReason;
use attest_store::{accounts, outbox};
use axum::Json;
use axum::extract::State;
use http::StatusCode;
use serde::Deserialize;
use serde_json::json;
use std::fmt;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ResetPassword {
    token: String,
    #[schema(format = Password)]
    new_password: String,
}

impl fmt::Debug for ResetPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ResetPassword { .. }")
    }
}

/// Sends a password-reset link if the account exists. The answer is the same either way, and
/// so is its timing: the lookup and the mail happen after the answer is sent.
#[utoipa::path(
    post, path = "/api/v1/auth/forgot-password", tag = "auth", request_body = AccountAddress,
    responses((status = 202, body = Accepted), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody))
)]
pub(crate) async fn forgot_password(
    _limited: RateLimited,
    State(state): State<AppState>,
    meta: RequestMeta,
    ApiJson(body): ApiJson<AccountAddress>,
) -> Result<(StatusCode, Json<Accepted>), AppError> {
    let (slug, email) = parse_address(&body)?;
    after_answering(
        "a password-reset request",
        send_reset_link(state, meta, slug, email),
    );
    Ok((
        StatusCode::ACCEPTED,
        Json(Accepted {
            message: "If that account exists, a link to reset its password is on its way.",
        }),
    ))
}

/// Mails a reset link if the account exists, is active and has a password.
async fn send_reset_link(
    state: AppState,
    meta: RequestMeta,
    slug: attest_core::OrgSlug,
    email: attest_core::EmailAddress,
) -> Result<(), AppError> {
    let Some((organisation, user)) = find_account(&state, &slug, &email).await? else {
        return Ok(());
    };
    let mut tx = as_account(&state, (&organisation, user), &meta)
        .write(&state)
        .await?;
    if let Some(account) = accounts::load(&mut tx, user).await?
        && account.password_hash.is_some()
        && account.status == MemberStatus::Active
    {
        let now = state.clock.now();
        email_tokens::invalidate(&mut tx, user, Purpose::ResetPassword, now).await?;
        let link = email_link(
            &state,
            &mut tx,
            &organisation,
            user,
            Purpose::ResetPassword,
            None,
        )
        .await?;
        outbox::enqueue(
            &mut tx,
            organisation.org_id,
            &messages::password_reset(&account.email, &account.display_name, &link),
            now,
        )
        .await?;
        tx.record(
            AuditAction::AuthPasswordResetRequested,
            Resource::account(user),
            Some(user),
            json!({}),
        )
        .await?;
    }
    // An account that cannot reset its password (invited, suspended) is sent nothing.
    tx.commit_or(Unrecorded::NothingChanged).await?;
    state.mail_queued.notify_one();
    Ok(())
}

/// Sets a new password with a reset link. Every session of the account ends, and a lock from
/// failed sign-ins is lifted.
#[utoipa::path(
    post, path = "/api/v1/auth/reset-password", tag = "auth", request_body = ResetPassword,
    responses(
        (status = 200, body = LinkOutcome),
        (status = 400, body = ErrorBody, description = "`invalid_link`"),
        (status = 422, body = ErrorBody, description = "`validation_failed`: the new password"),
    )
)]
pub(crate) async fn reset_password(
    _limited: RateLimited,
    State(state): State<AppState>,
    meta: RequestMeta,
    ApiJson(body): ApiJson<ResetPassword>,
) -> Result<Json<LinkOutcome>, AppError> {
    let PasswordLink {
        mut tx,
        organisation,
        account,
        hash,
    } = account_from_password_link(
        &state,
        &meta,
        &body.token,
        Purpose::ResetPassword,
        "new_password",
        body.new_password,
    )
    .await?;
    let now = state.clock.now();
    let ended = replace_password(
        &state,
        &mut tx,
        &account,
        &organisation,
        &hash,
        RevokeReason::PasswordReset,
        None,
    )
    .await?;
    accounts::clear_failures(&mut tx, account.user_id, now).await?;
    accounts::mark_email_verified(&mut tx, account.user_id, now).await?;
    tx.record_as(
        account_actor(&account),
        AuditAction::AuthPasswordReset,
        Resource::account(account.user_id),
        Some(account.user_id),
        json!({ "sessions_ended": ended }),
    )
    .await?;
    tx.commit().await?;
    state.mail_queued.notify_one();
    Ok(Json(LinkOutcome {
        message: "Your password is changed and every session has been signed out. Sign in with the new password.".into(),
        organisation: organisation.slug,
        email: account.email,
    }))
}
