//! Test support for every Attest crate: real PostgreSQL and a real OpenBao, never a mock.
//!
//! The first test that needs a database starts (or joins) a private cluster shared by all test
//! processes of this checkout — under the system temp directory, run by the `postgres` user when
//! tests run as root — built with the same code as the embedded default. Each test then gets
//! fresh databases cloned from a template migrated once per set of migrations, connected as
//! `attest_app` (row-level security applies), `attest_owner` and the superuser.

mod cluster;
mod databases;
pub mod openbao;

pub use cluster::{SharedCluster, cluster_dir, shared_cluster};

/// The key-encryption key tests share (a 0600 file beside the shared cluster).
pub fn kek() -> anyhow::Result<attest_crypto::LocalKek> {
    let dir = cluster_dir();
    std::fs::create_dir_all(&dir)?;
    Ok(attest_crypto::LocalKek::open_or_create(
        &dir.join("test-kek"),
    )?)
}
pub use databases::{TestDatabase, TestRegions, database, empty_database, regions};
