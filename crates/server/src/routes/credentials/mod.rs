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

use attest_core::Permission;

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
