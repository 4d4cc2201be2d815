//! The organisation's credential settings: the "expiring" window and the reminder offsets.

use crate::audit::Caller;
use crate::audit::Resource;
use crate::error::{AppError, ErrorBody};
use crate::json::ApiJson;
use crate::state::AppState;
use crate::validation::Fields;
use attest_core::Permission;
use attest_store::audit::AuditAction;
use attest_store::credential_settings::{self, CredentialSettings};
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SettingsBody {
    /// A credential expiring within this many days (1–180) counts as "expiring".
    expiring_window_days: i32,
    /// Days before expiry at which reminders go out (0: on the day); at most 6, each 0–365.
    reminder_offsets_days: Vec<i32>,
}

impl From<CredentialSettings> for SettingsBody {
    fn from(s: CredentialSettings) -> Self {
        Self {
            expiring_window_days: s.expiring_window_days,
            reminder_offsets_days: s.reminder_offsets_days,
        }
    }
}

/// The organisation's credential settings.
#[utoipa::path(get, path = "/api/v1/credential-settings", operation_id = "get_credential_settings", tag = "credentials", responses((status = 200, body = SettingsBody)), security(("bearer" = [])))]
pub(crate) async fn get(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<SettingsBody>, AppError> {
    caller.require(Permission::OrgRead)?;
    let mut tx = caller.read(&state).await?;
    let settings = credential_settings::get(&mut tx).await?;
    tx.finish().await?;
    Ok(Json(settings.into()))
}

/// Changes the "expiring" window and the reminder offsets.
#[utoipa::path(put, path = "/api/v1/credential-settings", tag = "credentials", request_body = SettingsBody,
    responses((status = 200, body = SettingsBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub(crate) async fn put(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<SettingsBody>,
) -> Result<Json<SettingsBody>, AppError> {
    caller.require(Permission::CredentialsManage)?;
    let mut fields = Fields::default();
    if !(1..=180).contains(&body.expiring_window_days) {
        fields.check::<(), _>(
            "expiring_window_days",
            Err("must be between 1 and 180 days"),
        );
    }
    let mut offsets = body.reminder_offsets_days.clone();
    offsets.sort_unstable_by(|a, b| b.cmp(a));
    offsets.dedup();
    if offsets.len() > 6 || offsets.iter().any(|o| !(0..=365).contains(o)) {
        fields.check::<(), _>(
            "reminder_offsets_days",
            Err("give at most 6 offsets, each 0 to 365 days"),
        );
    }
    fields.finish()?;
    let settings = CredentialSettings {
        expiring_window_days: body.expiring_window_days,
        reminder_offsets_days: offsets,
    };
    let mut tx = caller.write(&state).await?;
    let before = credential_settings::get(&mut tx).await?;
    credential_settings::set(&mut tx, caller.org_id, &settings).await?;
    let details = json!({ "before": before, "after": settings });
    tx.record(
        AuditAction::CredentialSettingsChanged,
        Resource::organisation(caller.org_id),
        None,
        details,
    )
    .await?;
    tx.commit().await?;
    Ok(Json(settings.into()))
}
