//! Who is acting in a request, for the audit record of what they change, and what their role
//! allows.

use super::event::{Resource, event};
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
