//! The purge job: deletes the kept counts of anonymous analyses once they expire (every ten
//! minutes, so nothing outlives its expiry by more than that).

use attest_core::Clock;
use attest_store::{Regions, anonymous};
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;
use tokio::sync::watch;

/// Deletes every anonymous-analysis summary expired at `now`; returns how many (0 on a database
/// error, which is logged: the next run tries again).
pub async fn run_anonymous_purge(regions: &Regions, now: OffsetDateTime) -> u64 {
    match anonymous::purge_expired(regions.primary(), now).await {
        Ok(purged) => {
            if purged > 0 {
                tracing::info!(purged, "expired anonymous analyses deleted");
            }
            purged
        }
        Err(error) => {
            tracing::error!(%error, "purging anonymous analyses failed");
            0
        }
    }
}

/// Runs the purge every ten minutes until `stop` says so.
pub async fn run_anonymous_purge_schedule(
    regions: Regions,
    clock: Arc<dyn Clock>,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        run_anonymous_purge(&regions, clock.now()).await;
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(600)) => {}
            _ = stop.changed() => return,
        }
        if *stop.borrow() {
            return;
        }
    }
}
