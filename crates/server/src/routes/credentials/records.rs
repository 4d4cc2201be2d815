//! A worker's credentials: recording one, reading it with its history, renewing, suspending,
//! reinstating and revoking it.

use super::READ_ANY;
use super::views::{CredentialView, PersonalView, VersionView, parse_date};
use crate::audit::Resource;
use crate::audit::{Caller, Unrecorded};
use crate::error::{AppError, ErrorBody};
use crate::json::ApiJson;
use crate::state::AppState;
use crate::validation::Fields;
use crate::validation::optional_text;
use attest_core::{
    CredentialId, CredentialState, CredentialTypeId, EvidenceId, Permission, UserId,
};
use attest_store::audit::AuditAction;
use attest_store::credentials::{self, Credential, NewCredential, PersonalFields, Renewal};
use attest_store::{StoreError, Tx, readiness};
use axum::Json;
use axum::extract::{Path, State};
use http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

/// The facts of a credential (when recorded) or of its renewal.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct VersionBody {
    /// For a new credential only.
    #[serde(default)]
    type_id: Option<Uuid>,
    issuer: String,
    #[schema(format = Date)]
    issued_on: String,
    /// Absent: the type's default validity from the issue date; `null` with `no_expiry`.
    #[serde(default)]
    #[schema(format = Date)]
    expires_on: Option<String>,
    /// The credential does not expire.
    #[serde(default)]
    no_expiry: bool,
    #[serde(default)]
    number: Option<String>,
    #[serde(default)]
    notes: Option<String>,
    /// An evidence file uploaded for this worker.
    #[serde(default)]
    evidence_id: Option<Uuid>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct StateChange {
    /// Why (required to suspend or revoke).
    #[serde(default)]
    reason: Option<String>,
}

/// A credential with its history.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CredentialDetail {
    #[serde(flatten)]
    credential: CredentialView,
    worker_name: String,
    /// Newest first.
    history: Vec<VersionView>,
}

/// Parses a version body; `default_months` is the type's default validity.
fn parse_version(body: &VersionBody, default_months: Option<i32>) -> Result<Renewal, AppError> {
    let mut fields = Fields::default();
    let issuer = optional_text(&mut fields, "issuer", Some(&body.issuer), 200);
    if body.issuer.trim().is_empty() {
        fields.check::<(), _>("issuer", Err("must not be empty"));
    }
    let issued_on = parse_date(&mut fields, "issued_on", &body.issued_on);
    let expires_on = match (&body.expires_on, body.no_expiry) {
        (Some(_), true) => fields.check::<Option<time::Date>, _>(
            "expires_on",
            Err("give an expiry date or no_expiry, not both"),
        ),
        (Some(e), false) => parse_date(&mut fields, "expires_on", e).map(Some),
        (None, true) => Some(None),
        (None, false) => issued_on.map(|i| default_months.map(|m| attest_core::add_months(i, m))),
    };
    if let (Some(i), Some(Some(e))) = (issued_on, expires_on)
        && e < i
    {
        fields.check::<(), _>("expires_on", Err("must not be before the issue date"));
    }
    let number = optional_text(&mut fields, "number", body.number.as_deref(), 100);
    let notes = optional_text(&mut fields, "notes", body.notes.as_deref(), 2000);
    fields.finish()?;
    let (Some(issuer), Some(issued_on), Some(expires_on)) = (issuer, issued_on, expires_on) else {
        return Err(AppError::internal("validated fields missing"));
    };
    Ok(Renewal {
        issuer,
        issued_on,
        expires_on,
        personal: PersonalFields {
            number,
            notes,
            evidence_id: body.evidence_id.map(EvidenceId::from),
        },
    })
}

/// Records a worker's credential of a type they do not hold yet.
#[utoipa::path(post, path = "/api/v1/workers/{worker_id}/credentials", operation_id = "add_credential", tag = "credentials", request_body = VersionBody,
    params(("worker_id" = Uuid, Path)),
    responses((status = 201, body = CredentialDetail), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub(crate) async fn add(
    State(state): State<AppState>,
    caller: Caller,
    Path(worker_id): Path<Uuid>,
    ApiJson(body): ApiJson<VersionBody>,
) -> Result<(StatusCode, Json<CredentialDetail>), AppError> {
    caller.require(Permission::CredentialsManage)?;
    let worker = UserId::from(worker_id);
    let Some(type_id) = body.type_id.map(CredentialTypeId::from) else {
        let mut fields = Fields::default();
        fields.check::<(), _>("type_id", Err("is required"));
        return Err(fields.finish().err().unwrap_or_else(AppError::not_found));
    };
    let mut tx = caller.write(&state).await?;
    readiness::person(&mut tx, worker).await?;
    let kind = attest_store::credential_types::get(&mut tx, type_id)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => {
                StoreError::Conflict(attest_store::Conflict::UnknownCredentialType)
            }
            other => other,
        })?;
    if kind.archived {
        return Err(AppError::client(
            StatusCode::CONFLICT,
            "type_archived",
            "This credential type is archived and takes no new credentials.",
        ));
    }
    let renewal = parse_version(&body, kind.validity_months)?;
    let new = NewCredential {
        user_id: worker,
        type_id,
        renewal,
    };
    let id = credentials::add(
        &mut tx,
        state.kek.as_ref(),
        caller.org_id,
        Some(caller.user_id),
        &new,
    )
    .await?;
    tx.record(
        AuditAction::CredentialAdded,
        resource(id),
        Some(worker),
        version_details(&kind.code, &new.renewal, 1),
    )
    .await?;
    let detail = detail(&mut tx, &state, &caller, id).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(detail)))
}

/// A credential with its history; personal fields only for the worker and for roles with
/// `credentials.personal.read` (their viewing it is audited).
#[utoipa::path(get, path = "/api/v1/credentials/{credential_id}", operation_id = "get_credential", tag = "credentials",
    params(("credential_id" = Uuid, Path)),
    responses((status = 200, body = CredentialDetail), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub(crate) async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(credential_id): Path<Uuid>,
) -> Result<Json<CredentialDetail>, AppError> {
    caller.require_any(READ_ANY)?;
    let id = CredentialId::from(credential_id);
    let mut tx = caller.write(&state).await?;
    let detail = detail(&mut tx, &state, &caller, id).await?;
    let worker = UserId::from(detail.credential.worker_id);
    if detail.credential.personal.is_some() && worker != caller.user_id {
        tx.record(
            AuditAction::CredentialPersonalViewed,
            resource(id),
            Some(worker),
            json!({}),
        )
        .await?;
        tx.commit().await?;
    } else {
        tx.commit_unrecorded(Unrecorded::PlainRead).await?;
    }
    Ok(Json(detail))
}

/// Renews a credential: a new version, with the earlier ones kept in its history. A suspended
/// or revoked credential becomes active again with its renewal.
#[utoipa::path(post, path = "/api/v1/credentials/{credential_id}/renewals", tag = "credentials", request_body = VersionBody,
    params(("credential_id" = Uuid, Path)),
    responses((status = 201, body = CredentialDetail), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub(crate) async fn renew(
    State(state): State<AppState>,
    caller: Caller,
    Path(credential_id): Path<Uuid>,
    ApiJson(body): ApiJson<VersionBody>,
) -> Result<(StatusCode, Json<CredentialDetail>), AppError> {
    caller.require(Permission::CredentialsManage)?;
    if body.type_id.is_some() {
        let mut fields = Fields::default();
        fields.check::<(), _>("type_id", Err("a renewal keeps the credential's type"));
        fields.finish()?;
    }
    let id = CredentialId::from(credential_id);
    let mut tx = caller.write(&state).await?;
    let current = credentials::get(&mut tx, id).await?;
    let kind = attest_store::credential_types::get(&mut tx, current.type_id).await?;
    let renewal = parse_version(&body, kind.validity_months)?;
    let version = credentials::renew(
        &mut tx,
        state.kek.as_ref(),
        caller.org_id,
        id,
        Some(caller.user_id),
        &renewal,
    )
    .await?;
    tx.record(
        AuditAction::CredentialRenewed,
        resource(id),
        Some(current.user_id),
        version_details(&kind.code, &renewal, version),
    )
    .await?;
    let detail = detail(&mut tx, &state, &caller, id).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(detail)))
}

/// Suspends a credential (it stops counting until reinstated or renewed).
#[utoipa::path(post, path = "/api/v1/credentials/{credential_id}/suspend", tag = "credentials", request_body = StateChange,
    params(("credential_id" = Uuid, Path)),
    responses((status = 200, body = CredentialDetail), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub(crate) async fn suspend(
    state: State<AppState>,
    caller: Caller,
    path: Path<Uuid>,
    ApiJson(body): ApiJson<StateChange>,
) -> Result<Json<CredentialDetail>, AppError> {
    change_state(state, caller, path, CredentialState::Suspended, body).await
}

/// Revokes a credential for good (only a renewal replaces it).
#[utoipa::path(post, path = "/api/v1/credentials/{credential_id}/revoke", operation_id = "revoke_credential", tag = "credentials", request_body = StateChange,
    params(("credential_id" = Uuid, Path)),
    responses((status = 200, body = CredentialDetail), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub(crate) async fn revoke(
    state: State<AppState>,
    caller: Caller,
    path: Path<Uuid>,
    ApiJson(body): ApiJson<StateChange>,
) -> Result<Json<CredentialDetail>, AppError> {
    change_state(state, caller, path, CredentialState::Revoked, body).await
}

/// Lifts a suspension.
#[utoipa::path(post, path = "/api/v1/credentials/{credential_id}/reinstate", tag = "credentials", request_body = StateChange,
    params(("credential_id" = Uuid, Path)),
    responses((status = 200, body = CredentialDetail), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("bearer" = [])))]
pub(crate) async fn reinstate(
    state: State<AppState>,
    caller: Caller,
    path: Path<Uuid>,
    ApiJson(body): ApiJson<StateChange>,
) -> Result<Json<CredentialDetail>, AppError> {
    change_state(state, caller, path, CredentialState::Active, body).await
}

async fn change_state(
    State(state): State<AppState>,
    caller: Caller,
    Path(credential_id): Path<Uuid>,
    to: CredentialState,
    body: StateChange,
) -> Result<Json<CredentialDetail>, AppError> {
    caller.require(Permission::CredentialsManage)?;
    let mut fields = Fields::default();
    let reason = optional_text(&mut fields, "reason", body.reason.as_deref(), 500);
    if to != CredentialState::Active && body.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
        fields.check::<(), _>(
            "reason",
            Err("say why (it is shown to the worker and kept in the audit ledger)"),
        );
    }
    fields.finish()?;
    let id = CredentialId::from(credential_id);
    let mut tx = caller.write(&state).await?;
    let current = credentials::get(&mut tx, id).await?;
    let allowed = match (current.state, to) {
        (CredentialState::Revoked, _) => false,
        (from, to) => from != to,
    };
    if !allowed {
        return Err(AppError::client(
            StatusCode::CONFLICT,
            "invalid_state_change",
            format!(
                "A {} credential cannot be {}.",
                current.state.as_str(),
                match to {
                    CredentialState::Active => "reinstated",
                    CredentialState::Suspended => "suspended",
                    CredentialState::Revoked => "revoked",
                }
            ),
        ));
    }
    credentials::set_state(&mut tx, id, to, reason.as_deref(), state.clock.now()).await?;
    let action = match to {
        CredentialState::Active => AuditAction::CredentialReinstated,
        CredentialState::Suspended => AuditAction::CredentialSuspended,
        CredentialState::Revoked => AuditAction::CredentialRevoked,
    };
    tx.record(
        action,
        resource(id),
        Some(current.user_id),
        json!({ "type": current.type_code, "reason": reason }),
    )
    .await?;
    let detail = detail(&mut tx, &state, &caller, id).await?;
    tx.commit().await?;
    Ok(Json(detail))
}

/// Reads a credential, its history and (where allowed) its personal fields.
async fn detail(
    tx: &mut Tx,
    state: &AppState,
    caller: &Caller,
    id: CredentialId,
) -> Result<CredentialDetail, AppError> {
    let c: Credential = credentials::get(tx, id).await?;
    let window = readiness::expiring_window_days(tx).await?;
    let today = state.clock.now().date();
    let person = readiness::person(tx, c.user_id).await.ok();
    let mut personal = if may_read_personal(caller, c.user_id) {
        Some(credentials::personal_fields(tx, state.kek.as_ref(), caller.org_id, id).await?)
    } else {
        None
    };
    let history = credentials::history(tx, id).await?;
    let mut view = CredentialView::new(&c, today, window);
    view.personal = personal
        .as_ref()
        .map(|p| PersonalView::from(p.get(&c.version).cloned().unwrap_or_default()));
    Ok(CredentialDetail {
        credential: view,
        worker_name: person.map(|p| p.display_name).unwrap_or_default(),
        history: history
            .into_iter()
            .map(|v| {
                let fields = personal
                    .as_mut()
                    .map(|p| p.remove(&v.version).unwrap_or_default());
                VersionView::new(v, fields)
            })
            .collect(),
    })
}

/// The worker themselves, or a role with `credentials.personal.read` (row-level security
/// narrows that to whom they may see).
pub(crate) fn may_read_personal(caller: &Caller, worker: UserId) -> bool {
    worker == caller.user_id
        || caller
            .permissions
            .contains(Permission::CredentialsPersonalRead)
}

fn version_details(code: &str, v: &Renewal, version: i32) -> serde_json::Value {
    json!({
        "type": code,
        "version": version,
        "issued_on": super::views::date_text(v.issued_on),
        "expires_on": v.expires_on.map(super::views::date_text),
        "evidence": v.personal.evidence_id.is_some(),
    })
}

pub(crate) fn resource(id: CredentialId) -> Resource {
    Resource {
        kind: "credential",
        id: Some(id.to_string()),
    }
}
