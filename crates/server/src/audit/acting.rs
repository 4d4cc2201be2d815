//! Who acts: the kinds of actor the audit ledger names, each with the organisation and region
//! it acts in and the row-level-security context its transactions run with.

use crate::auth::Principal;
use attest_core::{OrgId, Permission, PermissionSet, Region, UserId};
use attest_store::AccessContext;
use attest_store::audit::Actor;
use uuid::Uuid;

/// An actor: what its audit records name, and what its transactions may see and change.
pub(crate) trait Acting {
    /// The organisation it acts in.
    fn org(&self) -> OrgId;
    /// The organisation's home region (whose database holds its data).
    fn region(&self) -> Region;
    /// The row-level-security context of its transactions.
    fn context(&self) -> AccessContext;
    /// The actor its audit records name.
    fn actor(&self) -> Actor;
    /// The session that must still be live for it to act (a signed-in member's).
    fn live_session(&self) -> Option<(UserId, Uuid)> {
        None
    }
}

/// A signed-in member, from the request's access token: in their role, while their session
/// lives.
impl Acting for Principal {
    fn org(&self) -> OrgId {
        self.org_id
    }

    fn region(&self) -> Region {
        self.region
    }

    fn context(&self) -> AccessContext {
        Principal::context(self)
    }

    fn actor(&self) -> Actor {
        Principal::actor(self)
    }

    fn live_session(&self) -> Option<(UserId, Uuid)> {
        Some((self.user_id, self.session_id))
    }
}

/// An account before it has a session, or acting through an emailed link: signing in,
/// answering a second-factor challenge, refreshing, verifying an address, resetting a
/// password. Its transactions see only the account's own rows (no role permissions).
#[derive(Debug, Clone)]
pub(crate) struct Account {
    pub(crate) org: OrgId,
    pub(crate) region: Region,
    pub(crate) user: UserId,
    /// Whom its records name: the account in its role, or nobody yet identified (a refused
    /// sign-in), or the signed-in member re-authenticating.
    pub(crate) actor: Actor,
}

impl Acting for Account {
    fn org(&self) -> OrgId {
        self.org
    }

    fn region(&self) -> Region {
        self.region
    }

    fn context(&self) -> AccessContext {
        AccessContext {
            org_id: self.org,
            user_id: Some(self.user),
            permissions: PermissionSet::empty(),
        }
    }

    fn actor(&self) -> Actor {
        self.actor.clone()
    }
}

/// Attest itself: a background job in one organisation, with the permissions the job needs.
#[derive(Debug, Clone)]
pub(crate) struct System {
    pub(crate) org: OrgId,
    pub(crate) region: Region,
    pub(crate) permissions: PermissionSet,
}

impl System {
    /// A job that needs `permissions` in `org`.
    pub(crate) fn with(
        org: OrgId,
        region: Region,
        permissions: impl IntoIterator<Item = Permission>,
    ) -> Self {
        Self {
            org,
            region,
            permissions: permissions.into_iter().collect(),
        }
    }
}

impl Acting for System {
    fn org(&self) -> OrgId {
        self.org
    }

    fn region(&self) -> Region {
        self.region
    }

    fn context(&self) -> AccessContext {
        AccessContext {
            org_id: self.org,
            user_id: None,
            permissions: self.permissions.clone(),
        }
    }

    fn actor(&self) -> Actor {
        Actor::System
    }
}
