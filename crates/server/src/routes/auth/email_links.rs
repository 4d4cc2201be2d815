//! Links sent by email: verifying an address, accepting an invitation, confirming an address
//! change; and asking for a new verification link.

use crate::audit::{Resource, Unrecorded, account_actor};
use crate::auth::RateLimited;
use crate::auth::RequestMeta;
use crate::auth::flows::{
    PasswordLink, account_from_password_link, after_answering, as_account, consume_link,
    email_link, find_account, verify_link,
};
use crate::error::{AppError, ErrorBody};
use crate::json::ApiJson;
use crate::mail::messages;
use crate::state::AppState;
use crate::validation::Fields;
use attest_core::{EmailAddress, OrgSlug};
use attest_store::audit::AuditAction;
use attest_store::email_tokens::Purpose;
use attest_store::{accounts, organisations, outbox};
use axum::Json;
use axum::extract::State;
use http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::fmt;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct LinkToken {
    /// The token from the link (after `#token=`).
    token: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AcceptInvitation {
    token: String,
    /// The password to choose: at least 12 characters, not common or easily guessed.
    #[schema(format = Password)]
    password: String,
}

impl fmt::Debug for AcceptInvitation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AcceptInvitation { .. }")
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AccountAddress {
    organisation: String,
    email: String,
}

/// Done: the page can send the person on to sign in.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct LinkOutcome {
    pub(crate) message: String,
    pub(crate) organisation: String,
    pub(crate) email: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Accepted {
    pub(crate) message: &'static str,
}

/// Confirms an email address with the link sent at sign-up.
#[utoipa::path(
    post, path = "/api/v1/auth/verify-email", tag = "auth", request_body = LinkToken,
    responses((status = 200, body = LinkOutcome), (status = 400, body = ErrorBody, description = "`invalid_link`"))
)]
pub(crate) async fn verify_email(
    _limited: RateLimited,
    State(state): State<AppState>,
    meta: RequestMeta,
    ApiJson(body): ApiJson<LinkToken>,
) -> Result<Json<LinkOutcome>, AppError> {
    let claims = verify_link(&state, &body.token, Purpose::VerifyEmail)?;
    let mut tx = as_account(&state, &claims, &meta).write(&state).await?;
    consume_link(&state, &mut tx, &claims, Purpose::VerifyEmail).await?;
    let now = state.clock.now();
    accounts::mark_email_verified(&mut tx, claims.sub.into(), now).await?;
    let account = accounts::load(&mut tx, claims.sub.into())
        .await?
        .ok_or_else(AppError::not_found)?;
    let organisation = organisations::current(&mut tx).await?;
    tx.record_as(
        account_actor(&account),
        AuditAction::AuthEmailVerified,
        Resource::account(account.user_id),
        Some(account.user_id),
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(LinkOutcome {
        message: "Your email address is confirmed. You can sign in now.".into(),
        organisation: organisation.slug,
        email: account.email,
    }))
}

/// Sends a new verification link, if the account exists and is not verified yet. The answer is
/// the same either way, and so is its timing: the lookup and the mail happen after the answer.
#[utoipa::path(
    post, path = "/api/v1/auth/resend-verification", tag = "auth", request_body = AccountAddress,
    responses((status = 202, body = Accepted), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody))
)]
pub(crate) async fn resend_verification(
    _limited: RateLimited,
    State(state): State<AppState>,
    meta: RequestMeta,
    ApiJson(body): ApiJson<AccountAddress>,
) -> Result<(StatusCode, Json<Accepted>), AppError> {
    let (slug, email) = parse_address(&body)?;
    after_answering(
        "a new verification link",
        send_verification_link(state, meta, slug, email),
    );
    Ok((
        StatusCode::ACCEPTED,
        Json(Accepted {
            message: "If that account is waiting for confirmation, a new link is on its way.",
        }),
    ))
}

/// Mails a new verification link if the account exists and is waiting for confirmation.
async fn send_verification_link(
    state: AppState,
    meta: RequestMeta,
    slug: OrgSlug,
    email: EmailAddress,
) -> Result<(), AppError> {
    let Some((organisation, user)) = find_account(&state, &slug, &email).await? else {
        return Ok(());
    };
    let mut tx = as_account(&state, (&organisation, user), &meta)
        .write(&state)
        .await?;
    if let Some(account) = accounts::load(&mut tx, user).await?
        && !account.email_verified
        && account.password_hash.is_some()
    {
        let link = email_link(
            &state,
            &mut tx,
            &organisation,
            user,
            Purpose::VerifyEmail,
            None,
        )
        .await?;
        let mail = messages::verify_email(
            &account.email,
            &account.display_name,
            &organisation.name,
            &link,
        );
        outbox::enqueue(&mut tx, organisation.org_id, &mail, state.clock.now()).await?;
    }
    tx.commit_unrecorded(Unrecorded::Bookkeeping).await?;
    state.mail_queued.notify_one();
    Ok(())
}

pub(crate) fn parse_address(body: &AccountAddress) -> Result<(OrgSlug, EmailAddress), AppError> {
    let mut fields = Fields::default();
    let slug = fields.check("organisation", OrgSlug::parse(body.organisation.trim()));
    let email = fields.check("email", EmailAddress::parse(&body.email));
    fields.finish()?;
    slug.zip(email)
        .ok_or_else(|| AppError::internal("validated fields missing"))
}

/// Accepts an invitation: sets the password and confirms the address in one step.
#[utoipa::path(
    post, path = "/api/v1/auth/accept-invitation", tag = "auth", request_body = AcceptInvitation,
    responses(
        (status = 200, body = LinkOutcome),
        (status = 400, body = ErrorBody, description = "`invalid_link`"),
        (status = 422, body = ErrorBody, description = "`validation_failed`: the password"),
    )
)]
pub(crate) async fn accept_invitation(
    _limited: RateLimited,
    State(state): State<AppState>,
    meta: RequestMeta,
    ApiJson(body): ApiJson<AcceptInvitation>,
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
        Purpose::Invitation,
        "password",
        body.password,
    )
    .await?;
    let now = state.clock.now();
    accounts::set_password_hash(&mut tx, account.user_id, &hash, now).await?;
    accounts::mark_email_verified(&mut tx, account.user_id, now).await?;
    tx.record_as(
        account_actor(&account),
        AuditAction::MemberInvitationAccepted,
        Resource::account(account.user_id),
        Some(account.user_id),
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(LinkOutcome {
        message: format!(
            "Welcome to {}. Sign in with your new password.",
            organisation.name
        ),
        organisation: organisation.slug,
        email: account.email,
    }))
}

/// Confirms a new email address with the link sent to it.
#[utoipa::path(
    post, path = "/api/v1/auth/confirm-email-change", tag = "auth", request_body = LinkToken,
    responses(
        (status = 200, body = LinkOutcome),
        (status = 400, body = ErrorBody, description = "`invalid_link`"),
        (status = 409, body = ErrorBody, description = "`email_taken`"),
    )
)]
pub(crate) async fn confirm_email_change(
    _limited: RateLimited,
    State(state): State<AppState>,
    meta: RequestMeta,
    ApiJson(body): ApiJson<LinkToken>,
) -> Result<Json<LinkOutcome>, AppError> {
    let claims = verify_link(&state, &body.token, Purpose::ChangeEmail)?;
    let mut tx = as_account(&state, &claims, &meta).write(&state).await?;
    let new_email = consume_link(&state, &mut tx, &claims, Purpose::ChangeEmail)
        .await?
        .ok_or_else(crate::auth::flows::invalid_link)?;
    let now = state.clock.now();
    accounts::change_email(&mut tx, claims.sub.into(), &new_email, now).await?;
    let organisation = organisations::current(&mut tx).await?;
    let account = accounts::load(&mut tx, claims.sub.into())
        .await?
        .ok_or_else(AppError::not_found)?;
    tx.record_as(
        account_actor(&account),
        AuditAction::AuthEmailChanged,
        Resource::account(claims.sub.into()),
        Some(claims.sub.into()),
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(LinkOutcome {
        message: "Your new email address is confirmed.".into(),
        organisation: organisation.slug,
        email: new_email,
    }))
}
