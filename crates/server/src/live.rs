//! Live dashboard updates: one PostgreSQL listener per region feeds a broadcast of "this
//! organisation's readiness changed", which server-sent-event streams filter by organisation.

use attest_core::OrgId;
use attest_store::Regions;
use tokio::sync::broadcast;

/// The fan-out of readiness changes to open dashboards.
#[derive(Debug, Clone)]
pub struct LiveUpdates {
    sender: broadcast::Sender<OrgId>,
}

impl Default for LiveUpdates {
    fn default() -> Self {
        Self::new()
    }
}

impl LiveUpdates {
    pub fn new() -> Self {
        Self {
            sender: broadcast::channel(1024).0,
        }
    }

    /// Starts listening in every region (tasks on the current runtime).
    pub fn listen(&self, regions: &Regions) {
        for region in regions.regions() {
            if let Ok(pool) = regions.pool(region) {
                tokio::spawn(attest_store::live::forward_readiness(
                    pool.clone(),
                    self.sender.clone(),
                ));
            }
        }
    }

    pub(crate) fn subscribe(&self) -> broadcast::Receiver<OrgId> {
        self.sender.subscribe()
    }
}
