//! Named values more than one product's routes answer with, as the OpenAPI document describes
//! them. These types only describe: the values are strings made from `attest_core`'s types.

#![expect(
    dead_code,
    reason = "schema-only types: they describe the OpenAPI document"
)]

use utoipa::ToSchema;

/// A credential's status on a given day (`attest_core::CredentialStatus`).
#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum CredentialStatus {
    Valid,
    /// Still valid, but expires within the organisation's window.
    Expiring,
    Expired,
    Suspended,
    Revoked,
}

/// Why a worker is not cleared for a requirement.
#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum GapReason {
    Missing,
    Expired,
    Suspended,
    Revoked,
}
