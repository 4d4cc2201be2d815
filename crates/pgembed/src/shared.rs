//! The throwaway cluster that tests (and `scripts/sqlx-prepare`) share: one per checkout, in the
//! system temp directory, started by whichever test process needs it first.

use crate::{EmbeddedCluster, EmbeddedOptions};
use anyhow::Context as _;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::PathBuf;

/// `$ATTEST_TEST_CLUSTER_DIR`, or a directory in the system temp directory named after this
/// checkout (so two checkouts never share one).
pub fn cluster_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("ATTEST_TEST_CLUSTER_DIR") {
        return PathBuf::from(dir);
    }
    let mut hasher = DefaultHasher::new();
    env!("CARGO_MANIFEST_DIR").hash(&mut hasher);
    std::env::temp_dir().join(format!(
        "attest-test-cluster-{:012x}",
        hasher.finish() & 0xffff_ffff_ffff
    ))
}

/// The shared cluster's handle, without starting it.
pub fn prepare() -> anyhow::Result<EmbeddedCluster> {
    let dir = cluster_dir();
    Ok(EmbeddedCluster::prepare(EmbeddedOptions {
        pg_dir: dir.join("postgres"),
        secrets_file: dir.join("secrets.json"),
        bin_dir: std::env::var_os("ATTEST_PG_BIN_DIR").map(PathBuf::from),
        system_user: std::env::var("ATTEST_PG_USER").unwrap_or_else(|_| "postgres".into()),
        durable: false,
    })?)
}

/// Starts the shared cluster (or finds it running) under an exclusive file lock, so that
/// concurrent test processes do not race to initialise it. Blocking.
pub fn start() -> anyhow::Result<EmbeddedCluster> {
    let dir = cluster_dir();
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let lock = std::fs::File::create(dir.join("lock"))?;
    lock.lock()?;
    let cluster = prepare()?;
    cluster.start()?;
    lock.unlock()?;
    Ok(cluster)
}

/// Stops the shared cluster if it exists.
pub fn stop() -> anyhow::Result<()> {
    if !cluster_dir().join("secrets.json").exists() {
        return Ok(());
    }
    prepare()?.stop()?;
    Ok(())
}
