//! Attest's persistence layer: the only crate that talks SQL.
//!
//! Laid out by product, each module saying what it owns:
//! - [`identity`]: organisations, the region directory, sites, crews, people, roles, accounts,
//!   sessions, second factors and email links.
//! - [`credentials`]: the Credentials product (credentials, types, requirements, readiness,
//!   expiry, imports).
//! - [`badges`]: badges, the status list, trust bundles and gate scans.
//! - [`requisitions`]: the Requisitions product (requisitions, findings, reviews, anonymous
//!   analyses).
//! - [`audit`]: appending audit events, and the ledger (Merkle tree, checkpoints, exports).
//! - [`keys`]: data keys, organisation signing keys and the platform's signing keys.
//! - [`demo`]: the seed of `attest serve --demo`.
//!
//! And the plumbing every product uses:
//! - [`embedded`]: the private PostgreSQL cluster of the embedded default.
//! - [`Regions`]: one connection pool per data-residency region, all logged in as `attest_app`.
//! - [`migrate()`]: schema migrations, run as `attest_owner`.
//! - [`AccessContext`] / [`begin`]: every transaction on organisation data starts by setting the
//!   row-level-security context (organisation, user, permissions) local to that transaction.
//! - [`outbox`]: mail written in the transaction of the change that causes it.
//!
//! The product modules' own modules are also re-exported at the crate root
//! (`attest_store::people` is `attest_store::identity::people`), the names callers use.

pub mod audit;
pub mod badges;
pub mod credentials;
pub mod demo;
pub mod identity;
pub mod keys;
pub mod outbox;
pub mod requisitions;

mod context;
mod error;
mod migrate;
mod regions;

pub use audit::ledger;
pub use credentials::{
    expiry, job_roles, live, readiness, requirements, settings as credential_settings,
    types as credential_types, workers_import,
};
pub use identity::{
    accounts, crews, directory, email_tokens, mfa, organisations, people, roles, sessions, sites,
};
pub use keys::{data_keys, org_keys, signing_keys};
pub use requisitions::anonymous;

pub use context::{AccessContext, Tx, begin, begin_read_only};
pub use error::{Conflict, StoreError};
pub use migrate::{MIGRATOR, expected_schema_version, migrate};
pub use regions::{RegionDatabase, Regions};
pub use sqlx::Error as SqlError;
pub use sqlx::PgPool;
pub use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

/// The embedded default's private PostgreSQL cluster.
pub use attest_pgembed as embedded;
