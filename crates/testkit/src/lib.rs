//! Test support for every Attest crate: real PostgreSQL, never a mock.
//!
//! The first test that needs a database starts (or joins) a private cluster shared by all test
//! processes of this checkout — under the system temp directory, run by the `postgres` user when
//! tests run as root — built with the same code as the embedded default. Each test then gets
//! fresh databases cloned from a template migrated once per set of migrations, connected as
//! `attest_app` (row-level security applies), `attest_owner` and the superuser.

mod cluster;
mod databases;

pub use cluster::{SharedCluster, cluster_dir, shared_cluster};
pub use databases::{TestDatabase, TestRegions, database, empty_database, regions};
