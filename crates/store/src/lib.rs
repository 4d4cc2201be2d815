//! Attest's persistence layer: the only crate that talks SQL.
//!
//! - [`embedded`]: the private PostgreSQL cluster of the embedded default.
//! - [`Regions`]: one connection pool per data-residency region, all logged in as `attest_app`.
//! - [`migrate()`]: schema migrations, run as `attest_owner`.
//! - [`AccessContext`] / [`begin`]: every transaction on organisation data starts by setting the
//!   row-level-security context (organisation, user, permissions) local to that transaction.
//! - Per-area modules of queries: [`organisations`], [`people`], [`roles`], [`sites`], [`crews`],
//!   [`data_keys`], [`directory`], and the [`demo`] seed.

pub mod accounts;
pub mod anonymous;
pub mod audit;
pub mod badges;
pub mod credential_settings;
pub mod credential_types;
pub mod credentials;
pub mod crews;
pub mod data_keys;
pub mod demo;
mod demo_credentials;
mod demo_requisitions;
pub mod directory;
pub mod email_tokens;
pub mod expiry;
pub mod job_roles;
pub mod ledger;
pub mod live;
pub mod mfa;
pub mod org_keys;
pub mod organisations;
pub mod outbox;
pub mod people;
pub mod readiness;
pub mod requirements;
pub mod requisitions;
pub mod roles;
pub mod sessions;
pub mod signing_keys;
pub mod sites;
pub mod workers_import;

mod context;
mod error;
mod migrate;
mod regions;

pub use context::{AccessContext, Tx, begin};
pub use error::StoreError;
pub use migrate::{MIGRATOR, expected_schema_version, migrate};
pub use regions::{RegionDatabase, Regions};
pub use sqlx::PgPool;
pub use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

/// The embedded default's private PostgreSQL cluster.
pub use attest_pgembed as embedded;
