//! Re-wrapping after the key-encryption key rotates (by `attest keys rotate-kek`, or by the key
//! service on its own schedule): every organisation's data keys still wrapped by an older
//! version are re-wrapped under the current one, in the background, every ten minutes. An
//! interrupted run resumes where it stopped: only keys still behind are touched. Each
//! organisation's re-wrap is recorded in its ledger with the count. (Signing keys are written
//! by the owner role only: `attest keys rotate-kek` re-wraps those, then retires the old
//! versions.)

use crate::audit::{Caller, Resource, Unrecorded};
use crate::error::AppError;
use attest_core::{Clock, OrgSlug, Region};
use attest_crypto::KeyEncryptionKey;
use attest_store::audit::AuditAction;
use attest_store::{Regions, data_keys, directory, organisations};
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// Re-wraps every organisation's data keys that are behind the provider's current version;
/// returns how many. A failure is logged and leaves the rest for the next run.
pub async fn run_kek_rewrap(
    regions: &Regions,
    kek: &dyn KeyEncryptionKey,
    clock: &dyn Clock,
) -> u64 {
    let current = match kek.refresh().await {
        Ok(current) => current,
        Err(error) => {
            tracing::error!(%error, "re-wrapping: the key-encryption key's version is unknown");
            return 0;
        }
    };
    let organisations = match directory::all(regions.primary()).await {
        Ok(all) => all,
        Err(error) => {
            tracing::error!(%error, "re-wrapping: listing the organisations failed");
            return 0;
        }
    };
    let mut total = 0;
    for (slug, region) in organisations {
        match rewrap_one(regions, kek, clock, &slug, region, current).await {
            Ok(count) => total += count,
            Err(error) => {
                tracing::error!(%error, %region, "re-wrapping an organisation's data keys failed");
            }
        }
    }
    if total > 0 {
        tracing::info!(total, version = current, "data keys re-wrapped");
    }
    total
}

async fn rewrap_one(
    regions: &Regions,
    kek: &dyn KeyEncryptionKey,
    clock: &dyn Clock,
    slug: &OrgSlug,
    region: Region,
    current: u32,
) -> Result<u64, AppError> {
    let Ok(pool) = regions.pool(region) else {
        return Ok(0);
    };
    let Some(organisation) = organisations::resolve(pool, slug).await? else {
        return Ok(0);
    };
    let org = organisation.org_id;
    let caller = Caller::system(org, region, [], clock.now());
    let mut tx = caller.write(regions).await?;
    let count = data_keys::rewrap_all(&mut tx, kek, org).await?;
    if count == 0 {
        tx.commit_unrecorded(Unrecorded::NothingChanged).await?;
        return Ok(0);
    }
    tx.record(
        AuditAction::KeysRewrapped,
        Resource::organisation(org),
        None,
        json!({ "data_keys": count, "kek_version": current, "provider": kek.provider() }),
    )
    .await?;
    tx.commit().await?;
    Ok(count)
}

/// Runs the re-wrap every ten minutes until `stop` says so.
pub async fn run_kek_rewrap_schedule(
    regions: Regions,
    kek: Arc<dyn KeyEncryptionKey>,
    clock: Arc<dyn Clock>,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        run_kek_rewrap(&regions, kek.as_ref(), clock.as_ref()).await;
        tokio::select! {
            () = tokio::time::sleep(Duration::from_secs(600)) => {}
            _ = stop.changed() => return,
        }
        if *stop.borrow() {
            return;
        }
    }
}
