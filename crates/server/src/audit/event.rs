//! Building audit events: what was acted on, by whom, from which request.

use crate::auth::RequestMeta;
use attest_core::UserId;
use attest_store::audit::{Actor, AuditAction, AuditEvent};
use time::OffsetDateTime;

/// What was acted on.
#[derive(Debug, Clone)]
pub(crate) struct Resource {
    pub(crate) kind: &'static str,
    pub(crate) id: Option<String>,
}

impl Resource {
    pub(crate) fn account(user: UserId) -> Self {
        Self {
            kind: "account",
            id: Some(user.to_string()),
        }
    }

    pub(crate) fn session(session_id: uuid::Uuid) -> Self {
        Self {
            kind: "session",
            id: Some(session_id.to_string()),
        }
    }

    pub(crate) fn organisation(org: attest_core::OrgId) -> Self {
        Self {
            kind: "organisation",
            id: Some(org.to_string()),
        }
    }
}

/// The account as the actor of what it does, in its role.
pub(crate) fn account_actor(account: &attest_store::accounts::Account) -> Actor {
    Actor::User {
        user_id: account.user_id,
        role: Some(account.role_key.clone()),
    }
}

/// An event for `action` by `actor` on `resource`, about `subject`, from the request in `meta`.
pub(crate) fn event(
    now: OffsetDateTime,
    meta: &RequestMeta,
    actor: Actor,
    action: AuditAction,
    resource: Resource,
    subject: Option<UserId>,
    details: serde_json::Value,
) -> AuditEvent {
    AuditEvent {
        occurred_at: now,
        actor,
        action,
        resource_type: resource.kind,
        resource_id: resource.id,
        subject,
        origin: meta.origin(),
        details,
    }
}
