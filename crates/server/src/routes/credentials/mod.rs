//! The Credentials product's API: credential types, job roles and requirements, workers and
//! their credentials (with sealed personal fields and evidence files), readiness and its live
//! updates.

pub(crate) mod evidence;
pub(crate) mod imports;
pub(crate) mod live;
pub(crate) mod readiness;
pub(crate) mod records;
pub(crate) mod requirements;
pub(crate) mod settings;
pub(crate) mod types;
pub(crate) mod workers;
pub(crate) mod workforce;

pub(crate) mod views;

use crate::audit_event::{Resource, event};
use crate::auth::{Principal, RequestMeta};
use crate::error::AppError;
use crate::state::AppState;
use attest_core::{Permission, UserId};
use attest_store::{Tx, audit};
use http::StatusCode;

/// Who is changing something, for the audit record of the change.
pub(crate) struct Caller<'a> {
    pub(crate) state: &'a AppState,
    pub(crate) principal: &'a Principal,
    pub(crate) meta: &'a RequestMeta,
}

impl<'a> Caller<'a> {
    pub(crate) fn new(
        state: &'a AppState,
        principal: &'a Principal,
        meta: &'a RequestMeta,
    ) -> Self {
        Self {
            state,
            principal,
            meta,
        }
    }

    /// Records `action` on `resource` (about `subject`) by the caller, in the transaction.
    pub(crate) async fn record(
        &self,
        tx: &mut Tx,
        action: &'static str,
        resource: Resource,
        subject: Option<UserId>,
        details: serde_json::Value,
    ) -> Result<(), AppError> {
        let e = event(
            self.state.clock.now(),
            self.meta,
            self.principal.actor(),
            action,
            resource,
            subject,
            details,
        );
        audit::append(tx, self.principal.org_id, &e).await?;
        Ok(())
    }
}

/// The caller needs at least one of `permissions`.
pub(crate) fn require_any(
    principal: &Principal,
    permissions: &[Permission],
) -> Result<(), AppError> {
    if permissions
        .iter()
        .any(|p| principal.permissions.contains(*p))
    {
        return Ok(());
    }
    let names: Vec<&str> = permissions.iter().map(|p| p.name()).collect();
    Err(AppError::client(
        StatusCode::FORBIDDEN,
        "forbidden",
        format!("Your role does not allow this ({}).", names.join(" or ")),
    ))
}

/// Reading any credentials at all: one's own, one's crews', or the organisation's.
pub(crate) const READ_ANY: &[Permission] = &[
    Permission::CredentialsReadSelf,
    Permission::CredentialsReadCrew,
    Permission::CredentialsReadOrg,
];

/// Reading other people's credentials: one's crews' or the organisation's.
pub(crate) const READ_OTHERS: &[Permission] = &[
    Permission::CredentialsReadCrew,
    Permission::CredentialsReadOrg,
];
