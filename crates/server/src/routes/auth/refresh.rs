//! The refresh cookie: renewing the access token (rotating the refresh token), and signing out.

use crate::audit::{Resource, Unrecorded};
use crate::auth::flows::as_account;
use crate::auth::{
    OrganisationBrief, RefreshCookie, RequestMeta, SignedInBody, SignedInStatus, UserView,
    access_token, check_same_origin, clear_hint_cookie, clear_refresh_cookie, hint_cookie,
    refresh_cookie,
};
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;
use attest_core::MemberStatus;
use attest_store::audit::{Actor, AuditAction};
use attest_store::sessions::{self, Refresh, RevokeReason};
use attest_store::{accounts, organisations};
use axum::Json;
use axum::extract::State;
use axum::response::{AppendHeaders, IntoResponse, Response};
use http::header::SET_COOKIE;
use http::{HeaderMap, StatusCode};
use serde_json::json;

fn no_session() -> Response {
    let mut response = AppError::client(
        StatusCode::UNAUTHORIZED,
        "session_ended",
        "Your session has ended. Sign in again.",
    )
    .into_response();
    response
        .headers_mut()
        .insert(SET_COOKIE, clear_refresh_cookie());
    response
        .headers_mut()
        .append(SET_COOKIE, clear_hint_cookie());
    response
}

/// Issues a new access token from the refresh cookie, rotating the refresh token. (Not limited
/// per IP: it needs a valid cookie, and a whole office behind one address refreshes often.) Presenting an
/// already-rotated token ends the whole session; so do the organisation's idle timeout and the
/// session's absolute lifetime. Only Attest's own pages may call it (Origin / Sec-Fetch-Site).
#[utoipa::path(
    post,
    path = "/api/v1/auth/refresh",
    tag = "auth",
    responses(
        (status = 200, body = SignedInBody, description = "A new access token; the cookie is rotated"),
        (status = 401, body = ErrorBody, description = "`session_ended`; the cookie is cleared"),
        (status = 403, body = ErrorBody, description = "`cross_origin`"),
        (status = 429, body = ErrorBody, description = "`rate_limited`"),
    )
)]
pub(crate) async fn refresh(
    State(state): State<AppState>,
    meta: RequestMeta,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    check_same_origin(&headers, &state.settings.public_url)?;
    let Some(cookie) = RefreshCookie::from_headers(&headers) else {
        return Ok(no_session());
    };
    let mut tx = as_account(&state, &cookie, &meta).write(&state).await?;
    let Ok(policy) = organisations::policy(&mut tx).await else {
        return Ok(no_session());
    };
    let now = state.clock.now();
    let next = RefreshCookie {
        secret: attest_crypto::random_bytes::<32>().map_err(AppError::internal)?,
        ..cookie.clone()
    };
    let idle = time::Duration::minutes(i64::from(policy.idle_timeout_minutes));
    let outcome = sessions::refresh(
        &mut tx,
        cookie.org_id,
        cookie.user_id,
        &cookie.hash(),
        &next.hash(),
        now,
        idle,
    )
    .await?;
    let subject = Some(cookie.user_id);
    let (session_id, mfa_verified) = match outcome {
        Refresh::Rotated {
            session_id,
            mfa_verified,
        } => (session_id, mfa_verified),
        Refresh::ReuseDetected { session_id } => {
            tx.record(
                AuditAction::AuthRefreshTokenReused,
                Resource::session(session_id),
                subject,
                json!({}),
            )
            .await?;
            tx.commit().await?;
            tracing::warn!(%session_id, "a rotated refresh token was presented again: session revoked");
            return Ok(no_session());
        }
        Refresh::Ended { session_id, reason } => {
            tx.record_as(
                Actor::System,
                AuditAction::AuthSessionEnded,
                Resource::session(session_id),
                subject,
                json!({ "reason": reason.as_str() }),
            )
            .await?;
            tx.commit().await?;
            return Ok(no_session());
        }
        Refresh::Refused => return Ok(no_session()),
    };
    // The role may have changed since sign-in: the new access token carries the current one.
    let Some(account) = accounts::load(&mut tx, cookie.user_id).await? else {
        return Ok(no_session());
    };
    if account.status != MemberStatus::Active || (policy.mfa_required && !mfa_verified) {
        sessions::revoke(&mut tx, session_id, RevokeReason::RevokedByAdmin, now).await?;
        tx.commit_unrecorded(Unrecorded::Bookkeeping).await?;
        return Ok(no_session());
    }
    let organisation = organisations::current(&mut tx).await?;
    let (access_token, expires_in) = access_token(
        &state,
        &organisation,
        account.user_id,
        &account.role_key,
        &account.permissions,
        session_id,
    )?;
    tx.commit_unrecorded(Unrecorded::Bookkeeping).await?;
    let body = SignedInBody {
        status: SignedInStatus::SignedIn,
        access_token,
        token_type: "Bearer",
        expires_in,
        user: UserView {
            user_id: account.user_id.as_uuid(),
            email: account.email,
            display_name: account.display_name,
            role: account.role_key,
        },
        organisation: OrganisationBrief::from(&organisation),
    };
    let lifetime = time::Duration::hours(i64::from(policy.session_lifetime_hours));
    Ok((
        AppendHeaders([
            (SET_COOKIE, refresh_cookie(&next, lifetime)),
            (SET_COOKIE, hint_cookie(lifetime)),
        ]),
        Json(body),
    )
        .into_response())
}

/// Signs out: ends the session of the refresh cookie and clears it.
#[utoipa::path(
    post,
    path = "/api/v1/auth/sign-out",
    tag = "auth",
    responses((status = 204, description = "Signed out; the cookie is cleared"), (status = 403, body = ErrorBody, description = "`cross_origin`"))
)]
pub(crate) async fn sign_out(
    State(state): State<AppState>,
    meta: RequestMeta,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    check_same_origin(&headers, &state.settings.public_url)?;
    if let Some(cookie) = RefreshCookie::from_headers(&headers) {
        let mut tx = as_account(&state, &cookie, &meta).write(&state).await?;
        if let Some(session_id) =
            sessions::session_of_token(&mut tx, cookie.user_id, &cookie.hash()).await?
            && sessions::revoke(
                &mut tx,
                session_id,
                RevokeReason::SignOut,
                state.clock.now(),
            )
            .await?
        {
            let role = accounts::load(&mut tx, cookie.user_id)
                .await?
                .map(|account| account.role_key);
            let actor = Actor::User {
                user_id: cookie.user_id,
                role,
            };
            tx.record_as(
                actor,
                AuditAction::AuthSignOut,
                Resource::session(session_id),
                Some(cookie.user_id),
                json!({}),
            )
            .await?;
        }
        // A cookie whose session has already ended signs out nothing.
        tx.commit_or(Unrecorded::NothingChanged).await?;
    }
    Ok((
        StatusCode::NO_CONTENT,
        AppendHeaders([
            (SET_COOKIE, clear_refresh_cookie()),
            (SET_COOKIE, clear_hint_cookie()),
        ]),
    )
        .into_response())
}
