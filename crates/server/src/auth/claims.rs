//! What our signed tokens carry.

use attest_core::Region;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// An access token: who, in which organisation and region, with which role and permissions,
/// in which session.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct AccessClaims {
    pub(crate) sub: Uuid,
    pub(crate) org: Uuid,
    pub(crate) rgn: Region,
    pub(crate) role: String,
    pub(crate) perms: Vec<String>,
    pub(crate) sid: Uuid,
}

/// The step between a correct password and a session: the second factor, or its enrolment.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct MfaClaims {
    pub(crate) sub: Uuid,
    pub(crate) org: Uuid,
    pub(crate) rgn: Region,
}

/// A link sent by email: whose, and which single-use token row it names.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct EmailLinkClaims {
    pub(crate) sub: Uuid,
    pub(crate) org: Uuid,
    pub(crate) rgn: Region,
    pub(crate) tid: Uuid,
}
