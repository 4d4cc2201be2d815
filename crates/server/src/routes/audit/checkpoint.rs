//! The organisation's latest signed checkpoint, after integrating what is waiting.

use crate::audit::Caller;
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;
use attest_core::Permission;
use attest_ledger::hex;
use attest_store::ledger;
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use time::format_description::well_known::Rfc3339;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CheckpointView {
    /// `attest/<organisation id>`.
    origin: String,
    size: u64,
    /// Hex.
    root: String,
    /// The C2SP signed note.
    note: String,
    #[schema(format = DateTime)]
    signed_at: String,
    /// The verifier key to pin when checking exports (`attest audit verify --key`).
    vkey: String,
}

/// Brings the organisation's log up to date (integrates what is waiting), so that checkpoints
/// and exports include every committed event.
pub(super) async fn integrate(state: &AppState, caller: &Caller) -> Result<(), AppError> {
    let pool = state.regions.pool(caller.region)?;
    while ledger::integrate(
        pool,
        state.kek.as_ref(),
        caller.org_id,
        crate::jobs::sequencer::BATCH,
    )
    .await?
    .is_some()
    {}
    Ok(())
}

/// The latest signed checkpoint of the organisation's log, and the key it is signed with.
#[utoipa::path(
    get, path = "/api/v1/audit/checkpoint", tag = "audit",
    responses((status = 200, body = CheckpointView), (status = 404, body = ErrorBody)),
    security(("bearer" = []))
)]
pub(crate) async fn checkpoint(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<CheckpointView>, AppError> {
    caller.require(Permission::AuditReadSelf)?;
    integrate(&state, &caller).await?;
    let mut tx = caller.read(&state).await?;
    let latest = ledger::latest_checkpoint(&mut tx)
        .await?
        .ok_or_else(AppError::not_found)?;
    let vkey = attest_store::org_keys::audit_vkey(&mut tx, state.kek.as_ref(), caller.org_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    tx.finish().await?;
    Ok(Json(CheckpointView {
        origin: attest_ledger::origin_for(caller.org_id.as_uuid()),
        size: latest.size,
        root: hex(&latest.root),
        note: latest.note,
        signed_at: latest.signed_at.format(&Rfc3339).unwrap_or_default(),
        vkey,
    }))
}
