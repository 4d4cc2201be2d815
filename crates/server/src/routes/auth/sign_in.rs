use crate::audit::{Resource, Unrecorded, account_actor};
use crate::auth::RateLimited;
use crate::auth::attempts::{Attempt, Verdict};
use crate::auth::flows::{as_account, find_account, invalid_credentials};
use crate::auth::{MfaClaims, RequestMeta, SignedInBody, start_session};
use crate::error::{AppError, ErrorBody};
use crate::json::ApiJson;
use crate::state::AppState;
use crate::validation::Fields;
use attest_core::{EmailAddress, MemberStatus, OrgSlug};
use attest_crypto::Audience;
use attest_store::accounts::{self};
use attest_store::audit::AuditAction;
use attest_store::organisations::{self};
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::fmt;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SignInRequest {
    /// The organisation's short name.
    #[schema(example = "northwind")]
    organisation: String,
    #[schema(example = "olivia.grant@northwind.example")]
    email: String,
    #[schema(format = Password)]
    password: String,
}

impl fmt::Debug for SignInRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignInRequest")
            .field("organisation", &self.organisation)
            .finish_non_exhaustive()
    }
}

/// The password was right and a second factor is needed: send the code with `mfa_token` to
/// `/api/v1/auth/mfa` (`mfa_required`), or set one up first through `/api/v1/auth/mfa/enrolment`
/// (`mfa_enrolment_required`, when the organisation requires it).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct MfaStep {
    pub(crate) status: MfaStepStatus,
    pub(crate) mfa_token: String,
    /// Seconds the `mfa_token` stays valid.
    pub(crate) expires_in: i64,
}

/// Which second step comes next.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum MfaStepStatus {
    /// Send the code (`/api/v1/auth/mfa`).
    MfaRequired,
    /// Set a second factor up first (`/api/v1/auth/mfa/enrolment`).
    MfaEnrolmentRequired,
}

/// What signing in answers: signed in, or a second factor is needed first (tell them apart by
/// `status`).
#[derive(ToSchema)]
#[serde(untagged)]
#[expect(dead_code, reason = "it describes the answer in the OpenAPI document")]
pub(crate) enum SignInAnswer {
    SignedIn(SignedInBody),
    SecondStep(MfaStep),
}

pub(crate) const MFA_STEP_TTL: time::Duration = time::Duration::minutes(5);

/// Signs in with an organisation, an email address and a password. The answer is the same
/// whether the organisation or account exists, the password is wrong, or the account is locked.
#[utoipa::path(
    post,
    path = "/api/v1/auth/sign-in",
    tag = "auth",
    request_body = SignInRequest,
    responses(
        (status = 200, description = "Signed in (and the refresh cookie set), or a second factor is needed", body = SignInAnswer),
        (status = 401, body = ErrorBody, description = "`invalid_credentials`"),
        (status = 403, body = ErrorBody, description = "`email_not_verified`, `account_suspended`"),
        (status = 422, body = ErrorBody, description = "`validation_failed`"),
        (status = 429, body = ErrorBody, description = "`rate_limited`"),
    )
)]
pub(crate) async fn sign_in(
    _limited: RateLimited,
    State(state): State<AppState>,
    meta: RequestMeta,
    ApiJson(body): ApiJson<SignInRequest>,
) -> Result<Response, AppError> {
    let mut fields = Fields::default();
    let slug = fields.check("organisation", OrgSlug::parse(body.organisation.trim()));
    let email = fields.check("email", EmailAddress::parse(&body.email));
    if body.password.is_empty() {
        fields.check::<(), _>("password", Err("is required"));
    } else if body.password.chars().count() > 1024 {
        fields.check::<(), _>("password", Err("is too long"));
    }
    fields.finish()?;
    let (Some(slug), Some(email)) = (slug, email) else {
        return Err(AppError::internal("validated fields missing"));
    };
    let password = SecretString::from(body.password);

    let Some((organisation, user)) = find_account(&state, &slug, &email).await? else {
        state.passwords.verify_dummy(password).await?;
        return Err(invalid_credentials());
    };
    let mut tx = as_account(&state, (&organisation, user), &meta)
        .read(&state)
        .await?;
    let account = accounts::load(&mut tx, user).await?;
    tx.finish().await?;
    let Some(account) = account.filter(|a| a.password_hash.is_some()) else {
        // Invited and never accepted: no password yet.
        state.passwords.verify_dummy(password).await?;
        return Err(invalid_credentials());
    };
    let attempt = Attempt::signing_in(&state, &organisation, &account, &meta);
    if attempt.check_password(password.clone()).await? != Verdict::Right {
        return Err(invalid_credentials());
    }

    // The password is right. An outdated hash is replaced, hashed before the transaction.
    let upgraded = match &account.password_hash {
        Some(hash) if state.passwords.needs_rehash(hash) => {
            Some(state.passwords.hash(password).await?)
        }
        _ => None,
    };
    let now = state.clock.now();
    let mut tx = attempt.caller().write(&state).await?;
    if let Some(upgraded) = upgraded {
        accounts::set_password_hash(&mut tx, user, &upgraded, now).await?;
        tracing::info!(%user, "password hash upgraded to current argon2id parameters");
    }
    if !account.email_verified {
        tx.commit_unrecorded(Unrecorded::Bookkeeping).await?;
        return Err(AppError::client(
            StatusCode::FORBIDDEN,
            "email_not_verified",
            "Confirm your email address first: follow the link we sent you. You can ask for a new link.",
        ));
    }
    if account.status != MemberStatus::Active {
        attempt.refused(&mut tx, "suspended").await?;
        tx.commit().await?;
        return Err(AppError::client(
            StatusCode::FORBIDDEN,
            "account_suspended",
            "Your account is suspended. Ask your organisation's administrator.",
        ));
    }
    let policy = organisations::policy(&mut tx).await?;
    if account.mfa_enabled || policy.mfa_required {
        let (status, audience) = if account.mfa_enabled {
            (MfaStepStatus::MfaRequired, Audience::MfaChallenge)
        } else {
            (MfaStepStatus::MfaEnrolmentRequired, Audience::MfaEnrolment)
        };
        let claims = MfaClaims {
            sub: user.as_uuid(),
            org: organisation.org_id.as_uuid(),
            rgn: organisation.region,
        };
        let mfa_token = state
            .tokens
            .sign(audience, &claims, now, MFA_STEP_TTL)
            .map_err(AppError::internal)?;
        tx.commit_unrecorded(Unrecorded::Pending).await?;
        return Ok(Json(MfaStep {
            status,
            mfa_token,
            expires_in: MFA_STEP_TTL.whole_seconds(),
        })
        .into_response());
    }
    let signed_in = start_session(
        &state,
        &mut tx,
        &account,
        false,
        meta.user_agent.clone(),
        meta.ip,
    )
    .await?;
    tx.record_as(
        account_actor(&account),
        AuditAction::AuthSignIn,
        Resource::account(user),
        Some(user),
        json!({ "second_factor": "none" }),
    )
    .await?;
    tx.commit().await?;
    Ok(signed_in.into_response())
}
