use crate::config::Config;
use crate::runtime::Runtime;
use anyhow::Context as _;
use attest_core::PermissionSet;
use attest_crypto::KeyEncryptionKey as _;
use attest_store::{
    AccessContext, begin, data_keys, directory, org_keys, organisations, signing_keys,
};
use std::io::Write as _;
use std::sync::Arc;

/// Rotates the KEK (a new version in the key file, or of the Transit key), then re-wraps every
/// organisation's data keys and signing keys, organisation by organisation (each in its own
/// transactions, in its home region), and the platform's signing keys; with a Transit key, the
/// older versions are then refused. Interrupted, it resumes where it stopped: only keys still
/// wrapped by an older version are re-wrapped. Signing keys are written by the owner role only,
/// so this needs it (the embedded default has it; external databases need ATTEST_MIGRATION_URL).
pub(crate) async fn rotate_kek(config: Config) -> anyhow::Result<()> {
    let mut runtime = Runtime::start(&config, false).await?;
    let result = async {
        let mut owners = std::collections::HashMap::new();
        for region in runtime.regions.regions() {
            owners.insert(region, runtime.owner_pool(region).await?);
        }
        let version = Arc::get_mut(&mut runtime.kek)
            .context("the key-encryption key is in use")?
            .rotate()
            .await?;
        let kek = runtime.kek.as_ref();
        let mut total = 0;
        let mut skipped = 0;
        for (slug, region) in directory::all(runtime.regions.primary()).await? {
            let (Ok(pool), Some(owner)) = (runtime.regions.pool(region), owners.get(&region)) else {
                skipped += 1;
                continue;
            };
            let Some(org) = organisations::resolve(pool, &slug).await? else { continue };
            let context = AccessContext { org_id: org.org_id, user_id: None, permissions: PermissionSet::empty() };
            let mut tx = begin(pool, &context).await?;
            total += data_keys::rewrap_all(&mut tx, kek, org.org_id).await?;
            tx.commit().await?;
            let mut tx = begin(owner, &context).await?;
            total += org_keys::rewrap_all(&mut tx, kek, org.org_id).await?;
            tx.commit().await?;
        }
        if let Some(owner) = owners.get(&attest_core::Region::PRIMARY) {
            total += signing_keys::rewrap_all(owner, kek).await?;
        }
        for owner in owners.values() {
            owner.close().await;
        }
        writeln!(
            std::io::stdout(),
            "Key-encryption key version {version} is now current ({} provider); {total} key(s) re-wrapped.",
            kek.provider()
        )?;
        // Only once every key is re-wrapped may the older versions be refused.
        if skipped > 0 {
            writeln!(
                std::io::stdout(),
                "{skipped} organisation(s) in regions not served here were not re-wrapped: older versions stay usable until they are."
            )?;
        } else if runtime.kek.retire_below(version).await? {
            writeln!(
                std::io::stdout(),
                "Versions below {version} are now refused by the key-management service."
            )?;
        }
        anyhow::Ok(())
    }
    .await;
    runtime.shutdown().await;
    result
}

/// What `attest keys status` reports: the provider, its versions and their ages, and how many
/// keys a rotation has yet to re-wrap (per kind, over every organisation served here).
pub(crate) async fn status(config: Config) -> anyhow::Result<()> {
    let runtime = Runtime::start(&config, false).await?;
    let result = async {
        let kek = runtime.kek.as_ref();
        let current = kek.current_version();
        let versions = kek.versions().await?;
        let mut out = std::io::stdout().lock();
        writeln!(out, "Key-encryption key: {} provider ({})", kek.provider(), versions.describes)?;
        writeln!(out, "  current version: {current}")?;
        match versions.rotates_every_days {
            0 => writeln!(out, "  rotates: only by `attest keys rotate-kek`")?,
            days => writeln!(out, "  rotates: by itself every {days} day(s); attest serve re-wraps data keys after")?,
        }
        if let Some(below) = versions.refused_below.filter(|below| *below > 1) {
            writeln!(out, "  versions below {below}: retired, refused")?;
        }
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        for (version, made) in &versions.live {
            let refused = versions.refused_below.is_some_and(|below| *version < below);
            let age = made.map_or_else(String::new, |made| {
                let day = time::OffsetDateTime::from_unix_timestamp(made)
                    .map(|t| t.date().to_string())
                    .unwrap_or_default();
                format!(", made {day} ({} days ago)", (now - made) / 86_400)
            });
            let state = if refused { ", refused" } else { "" };
            writeln!(out, "  version {version}{age}{state}")?;
        }
        let (mut data, mut org) = (0, 0);
        for (slug, region) in directory::all(runtime.regions.primary()).await? {
            let Ok(pool) = runtime.regions.pool(region) else { continue };
            let Some(o) = organisations::resolve(pool, &slug).await? else { continue };
            let context = AccessContext { org_id: o.org_id, user_id: None, permissions: PermissionSet::empty() };
            let mut tx = begin(pool, &context).await?;
            data += data_keys::behind(&mut tx, o.org_id, current).await?;
            org += org_keys::behind(&mut tx, o.org_id, current).await?;
            tx.commit().await?;
        }
        let platform = signing_keys::behind(runtime.regions.primary(), current).await?;
        writeln!(
            out,
            "Waiting for re-wrapping: {data} data key(s), {org} organisation key(s), {platform} platform signing key(s)."
        )?;
        anyhow::Ok(())
    }
    .await;
    runtime.shutdown().await;
    result
}
