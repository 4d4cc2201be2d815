//! Permissions: the unit of authorisation. A role is a set of permissions; handlers state the one
//! they need, and the database's row-level security policies read the same names from the
//! per-transaction context (`attest.permissions`).
//!
//! The catalogue is mirrored in the `attest.permissions` table by the migrations; a store test
//! keeps the two identical.

use serde::{Deserialize, Serialize};
use std::{collections::BTreeSet, fmt, str::FromStr};

macro_rules! permissions {
    ($($variant:ident = $name:literal : $description:literal,)+) => {
        /// One thing a member may do or see.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Permission {
            $(#[doc = $description] $variant,)+
        }

        impl Permission {
            /// Every permission, in catalogue order.
            pub const ALL: &'static [Permission] = &[$(Permission::$variant,)+];

            /// The stable name used in tokens, the database and the API.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Permission::$variant => $name,)+
                }
            }

            /// What the permission allows, for people.
            pub const fn description(self) -> &'static str {
                match self {
                    $(Permission::$variant => $description,)+
                }
            }
        }
    };
}

permissions! {
    OrgRead = "org.read": "See the organisation's profile and settings.",
    OrgManage = "org.manage": "Change the organisation's settings and security policies.",
    PeopleReadCrew = "people.read.crew": "See the members of the crews one supervises.",
    PeopleReadOrg = "people.read.org": "See every member of the organisation.",
    PeopleManage = "people.manage": "Invite members, change their roles and deactivate them.",
    RolesManage = "roles.manage": "Create and change custom roles.",
    SitesRead = "sites.read": "See the organisation's sites.",
    SitesManage = "sites.manage": "Create and change sites.",
    CrewsRead = "crews.read": "See crews and who supervises them.",
    CrewsManage = "crews.manage": "Create crews and change their members.",
    CredentialsReadSelf = "credentials.read.self": "See one's own credentials.",
    CredentialsReadCrew = "credentials.read.crew": "See the credentials of one's crews.",
    CredentialsReadOrg = "credentials.read.org": "See every credential in the organisation.",
    CredentialsManage = "credentials.manage": "Add, renew, suspend and revoke credentials.",
    CredentialsPersonalRead = "credentials.personal.read": "See credential numbers, notes and evidence files.",
    CredentialsVerify = "credentials.verify": "Verify badges at a site gate.",
    AuditReadSelf = "audit.read.self": "See audit events about oneself.",
    AuditReadOrg = "audit.read.org": "See the organisation's audit ledger.",
    AuditExport = "audit.export": "Export the audit ledger with its proofs.",
    RequisitionsCreate = "requisitions.create": "Submit job requisitions for analysis.",
    RequisitionsReadOwn = "requisitions.read.own": "See one's own requisitions and their findings.",
    RequisitionsReadOrg = "requisitions.read.org": "See every requisition in the organisation.",
    RequisitionsReview = "requisitions.review": "Accept or dismiss findings on requisitions.",
    PlatformAdmin = "platform.admin": "Operate the platform across organisations (not an organisation role).",
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The text named no known permission.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown permission {0:?}")]
pub struct UnknownPermission(pub String);

impl FromStr for Permission {
    type Err = UnknownPermission;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Permission::ALL
            .iter()
            .copied()
            .find(|p| p.name() == s)
            .ok_or_else(|| UnknownPermission(s.to_owned()))
    }
}

impl Serialize for Permission {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Permission {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        name.parse().map_err(serde::de::Error::custom)
    }
}

/// A set of permissions, as granted by a role.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PermissionSet(BTreeSet<Permission>);

impl PermissionSet {
    pub fn empty() -> Self {
        Self::default()
    }

    pub fn contains(&self, permission: Permission) -> bool {
        self.0.contains(&permission)
    }

    pub fn iter(&self) -> impl Iterator<Item = Permission> + '_ {
        self.0.iter().copied()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The comma-separated form the database policies read from `attest.permissions`.
    pub fn to_context_value(&self) -> String {
        self.iter()
            .map(Permission::name)
            .collect::<Vec<_>>()
            .join(",")
    }
}

impl FromIterator<Permission> for PermissionSet {
    fn from_iter<I: IntoIterator<Item = Permission>>(iter: I) -> Self {
        Self(iter.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_round_trip() {
        let names: BTreeSet<_> = Permission::ALL.iter().map(|p| p.name()).collect();
        assert_eq!(names.len(), Permission::ALL.len());
        for p in Permission::ALL {
            assert_eq!(p.name().parse::<Permission>(), Ok(*p));
        }
    }

    #[test]
    fn names_are_safe_to_join_with_commas() {
        for p in Permission::ALL {
            assert!(
                p.name()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'.'),
                "{p} must be lowercase letters and dots"
            );
        }
    }

    #[test]
    fn the_context_value_lists_each_permission_once() {
        let set: PermissionSet = [
            Permission::SitesRead,
            Permission::OrgRead,
            Permission::SitesRead,
        ]
        .into_iter()
        .collect();
        assert_eq!(set.to_context_value(), "org.read,sites.read");
        assert_eq!(PermissionSet::empty().to_context_value(), "");
    }

    #[test]
    fn an_unknown_permission_name_is_rejected_when_deserialising() {
        assert!(serde_json::from_str::<Permission>("\"org.destroy\"").is_err());
    }
}
