//! RFC 6962 proofs: a leaf's inclusion in a tree, and one tree's consistency with a later one.

#![expect(
    unused_qualifications,
    reason = "utoipa's expansion of `params(...)` qualifies the parameter types"
)]

use crate::audit::{Caller, ReadTx};
use crate::error::{AppError, ErrorBody};
use crate::json::ApiQuery;
use crate::state::AppState;
use crate::validation::Fields;
use attest_core::Permission;
use attest_ledger::hex;
use attest_store::ledger;
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct InclusionQuery {
    /// The leaf index (sequence number − 1).
    index: u64,
    /// The tree size (a checkpoint's).
    size: u64,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConsistencyQuery {
    from: u64,
    to: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Proof {
    /// Hex hashes, in RFC 6962 order.
    proof: Vec<String>,
}

async fn checked_size(state: &AppState, caller: &Caller, size: u64) -> Result<ReadTx, AppError> {
    let mut tx = caller.read(state).await?;
    let latest = ledger::latest_checkpoint(&mut tx)
        .await?
        .map_or(0, |c| c.size);
    if size == 0 || size > latest {
        let mut fields = Fields::default();
        fields.check::<(), _>(
            "size",
            Err(format!(
                "must be between 1 and the latest checkpoint's size ({latest})"
            )),
        );
        fields.finish()?;
    }
    Ok(tx)
}

/// The proof that a leaf is in the tree of a given size (RFC 6962 audit path).
#[utoipa::path(
    get, path = "/api/v1/audit/proofs/inclusion", tag = "audit", params(InclusionQuery),
    responses((status = 200, body = Proof), (status = 422, body = ErrorBody)), security(("bearer" = []))
)]
pub(crate) async fn inclusion(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<InclusionQuery>,
) -> Result<Json<Proof>, AppError> {
    caller.require(Permission::AuditReadOrg)?;
    let mut tx = checked_size(&state, &caller, q.size).await?;
    if q.index >= q.size {
        let mut fields = Fields::default();
        fields.check::<(), _>("index", Err("must be less than size"));
        fields.finish()?;
    }
    let proof = ledger::inclusion_proof(&mut tx, caller.org_id, q.index, q.size).await?;
    Ok(Json(Proof {
        proof: proof.iter().map(|h| hex(&h.0)).collect(),
    }))
}

/// The proof that the tree of size `to` extends the tree of size `from` (RFC 6962 consistency).
#[utoipa::path(
    get, path = "/api/v1/audit/proofs/consistency", tag = "audit", params(ConsistencyQuery),
    responses((status = 200, body = Proof), (status = 422, body = ErrorBody)), security(("bearer" = []))
)]
pub(crate) async fn consistency(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ConsistencyQuery>,
) -> Result<Json<Proof>, AppError> {
    caller.require(Permission::AuditReadOrg)?;
    let mut tx = checked_size(&state, &caller, q.to).await?;
    if q.from > q.to {
        let mut fields = Fields::default();
        fields.check::<(), _>("from", Err("must not exceed to"));
        fields.finish()?;
    }
    let proof = ledger::consistency_proof(&mut tx, caller.org_id, q.from, q.to).await?;
    Ok(Json(Proof {
        proof: proof.iter().map(|h| hex(&h.0)).collect(),
    }))
}
