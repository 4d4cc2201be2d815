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
    match current_version(kek).await {
        Some(current) => rewrap_pass(regions, kek, clock, current).await.keys,
        None => 0,
    }
}

/// What one pass over every organisation did.
struct Pass {
    keys: u64,
    /// Whether every organisation was brought to the version (none failed).
    complete: bool,
}

async fn current_version(kek: &dyn KeyEncryptionKey) -> Option<u32> {
    kek.refresh()
        .await
        .inspect_err(|error| {
            tracing::error!(%error, "re-wrapping: the key-encryption key's version is unknown");
        })
        .ok()
}

async fn rewrap_pass(
    regions: &Regions,
    kek: &dyn KeyEncryptionKey,
    clock: &dyn Clock,
    current: u32,
) -> Pass {
    let organisations = match directory::all(regions.primary()).await {
        Ok(all) => all,
        Err(error) => {
            tracing::error!(%error, "re-wrapping: listing the organisations failed");
            return Pass {
                keys: 0,
                complete: false,
            };
        }
    };
    let mut pass = Pass {
        keys: 0,
        complete: true,
    };
    for (slug, region) in organisations {
        match rewrap_one(regions, kek, clock, &slug, region, current).await {
            Ok(count) => pass.keys += count,
            Err(error) => {
                pass.complete = false;
                tracing::error!(%error, %region, "re-wrapping an organisation's data keys failed");
            }
        }
    }
    if pass.keys > 0 {
        tracing::info!(total = pass.keys, version = current, "data keys re-wrapped");
    }
    pass
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

/// Runs the re-wrap every ten minutes until `stop` says so (a full pass only when the version
/// has changed since the last complete one).
pub async fn run_kek_rewrap_schedule(
    regions: Regions,
    kek: Arc<dyn KeyEncryptionKey>,
    clock: Arc<dyn Clock>,
    mut stop: watch::Receiver<bool>,
) {
    // New keys are always wrapped by the current version: once a pass has brought every
    // organisation to it, nothing falls behind until the version changes, so the next runs only
    // ask the provider.
    let mut settled = None;
    loop {
        if let Some(current) = current_version(kek.as_ref()).await
            && settled != Some(current)
        {
            let pass = rewrap_pass(&regions, kek.as_ref(), clock.as_ref(), current).await;
            settled = pass.complete.then_some(current);
        }
        tokio::select! {
            () = tokio::time::sleep(Duration::from_secs(600)) => {}
            _ = stop.changed() => return,
        }
        if *stop.borrow() {
            return;
        }
    }
}
