//! The vocabulary every Attest crate shares: identifiers, regions, roles and permissions, and
//! input types that can only be built from valid data ("parse, don't validate").
//!
//! This crate performs no I/O (the system clock aside).

mod clock;
mod credentials;
mod email;
mod ids;
mod membership;
mod names;
mod permissions;
pub mod readiness;
mod region;
mod roles;
mod slug;

pub use clock::{Clock, ManualClock, SystemClock};
pub use credentials::{
    CodeError, CredentialState, CredentialStatus, CredentialTypeCode, STARTER_CATALOGUE,
    StarterType, UnknownState, add_months,
};
pub use email::{EmailAddress, EmailError};
pub use ids::{
    CredentialId, CredentialTypeId, CrewId, EvidenceId, JobRoleId, OrgId, RequirementId,
    RequisitionId, RoleId, SiteId, UserId,
};
pub use membership::{MemberStatus, UnknownMemberStatus};
pub use names::{DisplayName, NameError};
pub use permissions::{Permission, PermissionSet, UnknownPermission};
pub use region::{Region, UnknownRegion};
pub use roles::{BuiltinRole, RoleScope};
pub use slug::{OrgSlug, SlugError};
