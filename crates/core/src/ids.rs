//! Typed identifiers. Each wraps a UUID (version 7, so new ids sort by creation time) and cannot
//! be confused with another kind of id at compile time.

use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A fresh, time-ordered identifier.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            /// Wraps an identifier read from storage or from a verified token.
            pub const fn from_uuid(id: Uuid) -> Self {
                Self(id)
            }

            pub const fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl From<Uuid> for $name {
            fn from(id: Uuid) -> Self {
                Self(id)
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Self {
                id.0
            }
        }
    };
}

id_type!(
    /// An organisation (a tenant).
    OrgId
);
id_type!(
    /// A person's account within one organisation.
    UserId
);
id_type!(
    /// A role (built-in or custom) within one organisation.
    RoleId
);
id_type!(
    /// A work site of an organisation.
    SiteId
);
id_type!(
    /// A crew: a supervisor and their workers.
    CrewId
);
id_type!(
    /// A kind of credential an organisation tracks (First Aid, Forklift…).
    CredentialTypeId
);
id_type!(
    /// One worker's credential of one type (all its versions).
    CredentialId
);
id_type!(
    /// An uploaded evidence file (a certificate scan).
    EvidenceId
);
id_type!(
    /// A job role (a trade or position) that credential requirements attach to.
    JobRoleId
);
id_type!(
    /// A credential requirement of a job role or a site.
    RequirementId
);
id_type!(
    /// A job requisition submitted for analysis (all its versions).
    RequisitionId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_ids_are_unique_and_time_ordered() {
        let a = OrgId::new();
        let b = OrgId::new();
        assert_ne!(a, b);
        assert!(a < b, "v7 ids sort by creation time");
        assert_eq!(a.as_uuid().get_version_num(), 7);
    }

    #[test]
    fn an_id_serialises_as_a_plain_uuid_string() {
        let id = UserId::from_uuid(Uuid::nil());
        assert_eq!(
            serde_json::to_string(&id).unwrap(),
            "\"00000000-0000-0000-0000-000000000000\""
        );
    }
}
