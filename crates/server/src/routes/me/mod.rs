//! The signed-in person's own account: who they are, their password, sessions, second factor and
//! email address.

pub(crate) mod email;
pub(crate) mod mfa;
pub(crate) mod password;
pub(crate) mod sessions;

use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;
use attest_core::Permission;
use attest_store::accounts::{self, Account};
use attest_store::{StoreError, Tx, mfa as mfa_store, organisations};
use axum::Json;
use axum::extract::State;
use secrecy::SecretString;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct MeOrganisation {
    slug: String,
    name: String,
    region: String,
    region_label: String,
    mfa_required: bool,
    idle_timeout_minutes: i32,
    session_lifetime_hours: i32,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Me {
    user_id: Uuid,
    email: String,
    display_name: String,
    role: String,
    /// What the role allows.
    permissions: Vec<String>,
    mfa_enabled: bool,
    recovery_codes_left: i64,
    organisation: MeOrganisation,
}

/// Who is signed in, in which organisation, with which permissions.
#[utoipa::path(get, path = "/api/v1/me", tag = "me", responses((status = 200, body = Me), (status = 401, body = crate::error::ErrorBody)), security(("bearer" = [])))]
pub(crate) async fn me(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<Me>, AppError> {
    principal.require(Permission::OrgRead)?;
    let mut tx = principal.begin(&state).await?;
    let account = own_account(&mut tx, &principal).await?;
    let organisation = organisations::current(&mut tx).await?;
    let policy = organisations::policy(&mut tx).await?;
    let recovery_codes_left = mfa_store::recovery_codes_left(&mut tx, principal.user_id).await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(Json(Me {
        user_id: account.user_id.as_uuid(),
        email: account.email,
        display_name: account.display_name,
        role: account.role_key,
        permissions: account
            .permissions
            .iter()
            .map(|p| p.name().to_owned())
            .collect(),
        mfa_enabled: account.mfa_enabled,
        recovery_codes_left,
        organisation: MeOrganisation {
            slug: organisation.slug,
            name: organisation.name,
            region: organisation.region.code().to_owned(),
            region_label: organisation.region.label().to_owned(),
            mfa_required: policy.mfa_required,
            idle_timeout_minutes: policy.idle_timeout_minutes,
            session_lifetime_hours: policy.session_lifetime_hours,
        },
    }))
}

pub(crate) async fn own_account(tx: &mut Tx, principal: &Principal) -> Result<Account, AppError> {
    accounts::load(tx, principal.user_id)
        .await?
        .ok_or_else(AppError::not_found)
}

/// Re-authentication before sensitive changes: the current password must be given again.
pub(crate) async fn reauthenticate(
    state: &AppState,
    account: &Account,
    current_password: String,
) -> Result<(), AppError> {
    let ok = match &account.password_hash {
        Some(hash) => {
            state
                .passwords
                .verify(SecretString::from(current_password), hash.clone())
                .await?
        }
        None => false,
    };
    if ok {
        Ok(())
    } else {
        let mut fields = crate::validation::Fields::default();
        fields.check::<(), _>("current_password", Err("is not your current password"));
        fields.finish()
    }
}
