//! Who acts: the kinds of actor the audit ledger names, each with the organisation and region
//! it acts in and the row-level-security context its transactions run with.

use crate::auth::Principal;
use attest_core::{BuiltinRole, OrgId, Permission, PermissionSet, Region, UserId};
use attest_store::AccessContext;
use attest_store::audit::Actor;
use uuid::Uuid;

/// An actor: what its audit records name, and what its transactions may see and change.
pub trait Acting {
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

/// Someone acting on their own account without a session, or through an emailed link: signing
/// in, answering a second-factor challenge, refreshing, signing out, verifying an address,
/// resetting a password. Its transactions see only the account's own rows (no role
/// permissions).
#[derive(Debug, Clone)]
pub(crate) struct OwnAccount {
    pub(crate) org: OrgId,
    pub(crate) region: Region,
    pub(crate) user: UserId,
    /// Whom its records name: nobody yet identified (signing in), or the signed-in member
    /// re-authenticating. Records made once the account is known name it in its role
    /// ([`super::account_actor`]).
    pub(crate) actor: Actor,
}

impl Acting for OwnAccount {
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

/// The person founding an organisation at sign-up, as its first administrator: the
/// organisation does not exist until their unit of work commits.
#[derive(Debug, Clone)]
pub(crate) struct Founding {
    pub(crate) org: OrgId,
    pub(crate) region: Region,
    pub(crate) admin: UserId,
}

impl Acting for Founding {
    fn org(&self) -> OrgId {
        self.org
    }

    fn region(&self) -> Region {
        self.region
    }

    fn context(&self) -> AccessContext {
        AccessContext {
            org_id: self.org,
            user_id: Some(self.admin),
            permissions: BuiltinRole::OrgAdmin.permissions(),
        }
    }

    fn actor(&self) -> Actor {
        Actor::User {
            user_id: self.admin,
            role: Some(BuiltinRole::OrgAdmin.key().to_owned()),
        }
    }
}

/// Attest itself: a background job in one organisation, with the permissions the job needs.
#[derive(Debug, Clone)]
pub struct System {
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
