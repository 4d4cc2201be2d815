//! The signed-in person's organisation and its security policies.

use crate::audit::{Caller, Resource, Unrecorded};
use crate::error::{AppError, ErrorBody};
use crate::json::ApiJson;
use crate::state::AppState;
use crate::validation::Fields;
use attest_core::Permission;
use attest_store::audit::AuditAction;
use attest_store::organisations::{self, Policy};
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct OrganisationSettings {
    slug: String,
    name: String,
    region: String,
    region_label: String,
    #[schema(format = DateTime)]
    created_at: String,
    /// Every member must use two-step verification.
    mfa_required: bool,
    /// Minutes without activity after which a session ends (5–1440).
    idle_timeout_minutes: i32,
    /// Hours after sign-in at which a session ends regardless (1–720).
    session_lifetime_hours: i32,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PolicyChange {
    #[serde(default)]
    mfa_required: Option<bool>,
    #[serde(default)]
    idle_timeout_minutes: Option<i32>,
    #[serde(default)]
    session_lifetime_hours: Option<i32>,
}

async fn settings(state: &AppState, caller: &Caller) -> Result<OrganisationSettings, AppError> {
    let mut tx = caller.read(state).await?;
    let o = organisations::current(&mut tx).await?;
    let p = organisations::policy(&mut tx).await?;
    tx.finish().await?;
    Ok(OrganisationSettings {
        slug: o.slug,
        name: o.name,
        region: o.region.code().to_owned(),
        region_label: o.region.label().to_owned(),
        created_at: o
            .created_at
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default(),
        mfa_required: p.mfa_required,
        idle_timeout_minutes: p.idle_timeout_minutes,
        session_lifetime_hours: p.session_lifetime_hours,
    })
}

/// The organisation and its security policies.
#[utoipa::path(get, path = "/api/v1/organisation", operation_id = "get_organisation", tag = "organisations", responses((status = 200, body = OrganisationSettings)), security(("bearer" = [])))]
pub(crate) async fn get(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<OrganisationSettings>, AppError> {
    caller.require(Permission::OrgRead)?;
    Ok(Json(settings(&state, &caller).await?))
}

/// Changes the security policies: two-step verification for everyone, the idle timeout and the
/// session lifetime. Audited with before and after.
#[utoipa::path(
    patch, path = "/api/v1/organisation", operation_id = "update_organisation", tag = "organisations", request_body = PolicyChange,
    responses((status = 200, body = OrganisationSettings), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = []))
)]
pub(crate) async fn update(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<PolicyChange>,
) -> Result<Json<OrganisationSettings>, AppError> {
    caller.require(Permission::OrgManage)?;
    let mut fields = Fields::default();
    if body
        .idle_timeout_minutes
        .is_some_and(|m| !(5..=1440).contains(&m))
    {
        fields.check::<(), _>(
            "idle_timeout_minutes",
            Err("must be between 5 and 1440 minutes"),
        );
    }
    if body
        .session_lifetime_hours
        .is_some_and(|h| !(1..=720).contains(&h))
    {
        fields.check::<(), _>(
            "session_lifetime_hours",
            Err("must be between 1 and 720 hours"),
        );
    }
    fields.finish()?;
    let mut tx = caller.write(&state).await?;
    let before = organisations::policy(&mut tx).await?;
    let after = Policy {
        mfa_required: body.mfa_required.unwrap_or(before.mfa_required),
        idle_timeout_minutes: body
            .idle_timeout_minutes
            .unwrap_or(before.idle_timeout_minutes),
        session_lifetime_hours: body
            .session_lifetime_hours
            .unwrap_or(before.session_lifetime_hours),
    };
    if after != before {
        organisations::set_policy(&mut tx, &after).await?;
        tx.record(
            AuditAction::OrganisationPolicyChanged,
            Resource::organisation(caller.org_id),
            None,
            json!({ "before": before, "after": after }),
        )
        .await?;
    }
    tx.commit_or(Unrecorded::NothingChanged).await?;
    Ok(Json(settings(&state, &caller).await?))
}
