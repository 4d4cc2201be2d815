//! What audit records name: the resource acted on, and an account as an actor.

use attest_core::UserId;
use attest_store::audit::Actor;

/// What was acted on.
#[derive(Debug, Clone)]
pub struct Resource {
    pub kind: &'static str,
    pub id: Option<String>,
}

impl Resource {
    /// The `kind` of thing identified by `id`.
    pub fn new(kind: &'static str, id: impl ToString) -> Self {
        Self {
            kind,
            id: Some(id.to_string()),
        }
    }

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
