//! The sequencer's loop: integrates appended audit events into each organisation's Merkle tree
//! and signs checkpoints, shortly after they commit.

use attest_crypto::KeyEncryptionKey;
use attest_store::{Regions, ledger};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// Leaves integrated per transaction: the tree work is batched, the appends are not.
pub(crate) const BATCH: i64 = 4096;
const INTERVAL: Duration = Duration::from_millis(500);

/// Integrates everything waiting in every region, once. Returns how many events it integrated.
pub async fn integrate_everywhere(regions: &Regions, kek: &dyn KeyEncryptionKey) -> u64 {
    let mut total = 0;
    for region in regions.regions() {
        let Ok(pool) = regions.pool(region) else {
            continue;
        };
        match ledger::integrate_all(pool, kek, BATCH).await {
            Ok(n) => total += n,
            Err(error) => tracing::error!(%region, %error, "audit sequencing failed"),
        }
    }
    total
}

/// Runs until `stop` says so.
pub async fn run_sequencer(
    regions: Regions,
    kek: Arc<dyn KeyEncryptionKey>,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        integrate_everywhere(&regions, kek.as_ref()).await;
        tokio::select! {
            _ = tokio::time::sleep(INTERVAL) => {}
            _ = stop.changed() => return,
        }
        if *stop.borrow() {
            return;
        }
    }
}
