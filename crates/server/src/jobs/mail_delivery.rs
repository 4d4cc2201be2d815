//! Delivers the outbox: claims due messages in every region, sends them, records the outcome, and
//! retries failures with exponential backoff (30 s doubling, at most an hour; given up after
//! `attest_store::outbox::MAX_ATTEMPTS`). A sent or given-up message loses its body at once and
//! its row after `attest_store::outbox::KEEP_FOR` (purged hourly).

use crate::mail::Mailer;
use attest_core::Clock;
use attest_store::{Regions, outbox};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, watch};

const BATCH: i64 = 20;
const LEASE: time::Duration = time::Duration::minutes(2);
const IDLE_POLL: Duration = Duration::from_secs(2);
const PURGE_EVERY: Duration = Duration::from_secs(3600);

/// Deletes old sent and given-up messages in every region.
pub async fn purge_old(regions: &Regions, clock: &dyn Clock) {
    for region in regions.regions() {
        let Ok(pool) = regions.pool(region) else {
            continue;
        };
        match outbox::purge(pool, clock.now()).await {
            Ok(0) => {}
            Ok(purged) => tracing::info!(%region, purged, "old mail purged from the outbox"),
            Err(error) => tracing::warn!(%region, %error, "could not purge the outbox"),
        }
    }
}

/// Delivers everything due now, once. Returns how many messages were sent.
pub async fn deliver_due(regions: &Regions, mailer: &Mailer, clock: &dyn Clock) -> usize {
    let mut sent = 0;
    for region in regions.regions() {
        let Ok(pool) = regions.pool(region) else {
            continue;
        };
        let claimed = match outbox::claim(pool, clock.now(), BATCH, LEASE).await {
            Ok(claimed) => claimed,
            Err(error) => {
                tracing::warn!(%region, %error, "could not read the outbox");
                continue;
            }
        };
        for message in claimed {
            let result = mailer.send(&message.mail).await;
            let now = clock.now();
            let recorded = match &result {
                Ok(()) => outbox::mark_sent(pool, message.org_id, message.message_id, now).await,
                Err(error) => {
                    let backoff = time::Duration::seconds(
                        (30_i64 << (message.attempts - 1).clamp(0, 7)).min(3600),
                    );
                    tracing::warn!(%region, message_id = %message.message_id, attempt = message.attempts, error, "mail delivery failed");
                    outbox::mark_failed(
                        pool,
                        message.org_id,
                        message.message_id,
                        error,
                        now + backoff,
                    )
                    .await
                }
            };
            if let Err(error) = recorded {
                tracing::error!(%region, %error, "could not record a mail delivery");
            }
            if result.is_ok() {
                sent += 1;
            }
        }
    }
    sent
}

/// Runs until `stop` says so: delivers due mail, then waits for new mail or the poll interval.
pub async fn run(
    regions: Regions,
    mailer: Arc<Mailer>,
    clock: Arc<dyn Clock>,
    queued: Arc<Notify>,
    mut stop: watch::Receiver<bool>,
) {
    let mut next_purge = tokio::time::Instant::now();
    loop {
        if tokio::time::Instant::now() >= next_purge {
            purge_old(&regions, clock.as_ref()).await;
            next_purge = tokio::time::Instant::now() + PURGE_EVERY;
        }
        let sent = deliver_due(&regions, &mailer, clock.as_ref()).await;
        if sent > 0 {
            continue;
        }
        tokio::select! {
            _ = queued.notified() => {}
            _ = tokio::time::sleep(IDLE_POLL) => {}
            _ = stop.changed() => return,
        }
        if *stop.borrow() {
            return;
        }
    }
}
