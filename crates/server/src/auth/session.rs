//! Starting a session: a refresh token in the cookie, an access token in the body.

use crate::auth::{AccessClaims, RefreshCookie, hint_cookie, refresh_cookie};
use crate::error::AppError;
use crate::state::AppState;
use attest_core::{PermissionSet, UserId};
use attest_crypto::Audience;
use attest_store::organisations::{self, Organisation};
use attest_store::sessions::{self, NewSession};
use attest_store::{Tx, accounts::Account};
use axum::Json;
use axum::response::{AppendHeaders, IntoResponse, Response};
use http::HeaderValue;
use http::header::SET_COOKIE;
use serde::Serialize;
use std::net::IpAddr;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct UserView {
    pub(crate) user_id: Uuid,
    pub(crate) email: String,
    pub(crate) display_name: String,
    pub(crate) role: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct OrganisationBrief {
    pub(crate) slug: String,
    pub(crate) name: String,
    pub(crate) region: String,
}

impl From<&Organisation> for OrganisationBrief {
    fn from(o: &Organisation) -> Self {
        Self {
            slug: o.slug.clone(),
            name: o.name.clone(),
            region: o.region.code().to_owned(),
        }
    }
}

/// The status of a signed-in response.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum SignedInStatus {
    SignedIn,
}

/// A signed-in response: the access token (keep it in memory only) and who you are. The refresh
/// token travels only in the `__Host-attest_refresh` cookie.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SignedInBody {
    /// Always `signed_in`.
    pub(crate) status: SignedInStatus,
    pub(crate) access_token: String,
    /// Always `Bearer`.
    pub(crate) token_type: &'static str,
    /// Seconds until the access token expires; refresh before then.
    pub(crate) expires_in: i64,
    pub(crate) user: UserView,
    pub(crate) organisation: OrganisationBrief,
}

#[derive(Debug)]
pub(crate) struct SignedIn {
    pub(crate) body: SignedInBody,
    pub(crate) set_cookie: HeaderValue,
    pub(crate) hint: HeaderValue,
}

impl IntoResponse for SignedIn {
    fn into_response(self) -> Response {
        (
            AppendHeaders([(SET_COOKIE, self.set_cookie), (SET_COOKIE, self.hint)]),
            Json(self.body),
        )
            .into_response()
    }
}

/// An access token for `user` in `session_id`.
pub(crate) fn access_token(
    state: &AppState,
    organisation: &Organisation,
    user: UserId,
    role: &str,
    permissions: &PermissionSet,
    session_id: Uuid,
) -> Result<(String, i64), AppError> {
    let claims = AccessClaims {
        sub: user.as_uuid(),
        org: organisation.org_id.as_uuid(),
        rgn: organisation.region,
        role: role.to_owned(),
        perms: permissions.iter().map(|p| p.name().to_owned()).collect(),
        sid: session_id,
    };
    let ttl = state.settings.access_token_ttl;
    let token = state
        .tokens
        .sign(Audience::Access, &claims, state.clock.now(), ttl)
        .map_err(AppError::internal)?;
    Ok((token, ttl.whole_seconds()))
}

/// Starts a session for `account` in the transaction's organisation (the caller commits).
pub(crate) async fn start_session(
    state: &AppState,
    tx: &mut Tx,
    account: &Account,
    mfa_verified: bool,
    user_agent: Option<String>,
    source_ip: Option<IpAddr>,
) -> Result<SignedIn, AppError> {
    let organisation = organisations::current(tx).await?;
    let policy = organisations::policy(tx).await?;
    let now = state.clock.now();
    let lifetime = time::Duration::hours(i64::from(policy.session_lifetime_hours));
    let cookie = RefreshCookie {
        region: organisation.region,
        org_id: organisation.org_id,
        user_id: account.user_id,
        secret: attest_crypto::random_bytes::<32>().map_err(AppError::internal)?,
    };
    let session_id = Uuid::now_v7();
    sessions::create(
        tx,
        organisation.org_id,
        &NewSession {
            session_id,
            user_id: account.user_id,
            now,
            lifetime,
            mfa_verified,
            user_agent,
            source_ip,
            token_hash: cookie.hash(),
        },
    )
    .await?;
    let (access_token, expires_in) = access_token(
        state,
        &organisation,
        account.user_id,
        &account.role_key,
        &account.permissions,
        session_id,
    )?;
    Ok(SignedIn {
        body: SignedInBody {
            status: SignedInStatus::SignedIn,
            access_token,
            token_type: "Bearer",
            expires_in,
            user: UserView {
                user_id: account.user_id.as_uuid(),
                email: account.email.clone(),
                display_name: account.display_name.clone(),
                role: account.role_key.clone(),
            },
            organisation: OrganisationBrief::from(&organisation),
        },
        set_cookie: refresh_cookie(&cookie, lifetime),
        hint: hint_cookie(lifetime),
    })
}
