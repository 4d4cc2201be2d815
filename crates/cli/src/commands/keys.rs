use crate::config::Config;
use crate::runtime::Runtime;
use attest_core::PermissionSet;
use attest_crypto::{KeyEncryptionKey as _, LocalKek};
use attest_store::{
    AccessContext, begin, data_keys, directory, org_keys, organisations, signing_keys,
};
use std::io::Write as _;

/// Rotates the local KEK, then re-wraps every organisation's data keys and signing keys,
/// organisation by organisation (each in its own transactions, in its home region), and the
/// platform's signing keys. Signing keys are written by the owner role only, so this needs it
/// (the embedded default has it; external databases need ATTEST_MIGRATION_URL).
pub(crate) async fn rotate_kek(config: Config) -> anyhow::Result<()> {
    let runtime = Runtime::start(&config, false).await?;
    let result = async {
        let mut owners = std::collections::HashMap::new();
        for region in runtime.regions.regions() {
            owners.insert(region, runtime.owner_pool(region).await?);
        }
        let mut kek = LocalKek::open_or_create(&runtime.kek_path())?;
        let version = kek.rotate()?;
        let mut total = 0;
        for (slug, region) in directory::all(runtime.regions.primary()).await? {
            let (Ok(pool), Some(owner)) = (runtime.regions.pool(region), owners.get(&region)) else { continue };
            let Some(org) = organisations::resolve(pool, &slug).await? else { continue };
            let context = AccessContext { org_id: org.org_id, user_id: None, permissions: PermissionSet::empty() };
            let mut tx = begin(pool, &context).await?;
            total += data_keys::rewrap_all(&mut tx, &kek, org.org_id).await?;
            tx.commit().await?;
            let mut tx = begin(owner, &context).await?;
            total += org_keys::rewrap_all(&mut tx, &kek, org.org_id).await?;
            tx.commit().await?;
        }
        if let Some(owner) = owners.get(&attest_core::Region::PRIMARY) {
            total += signing_keys::rewrap_all(owner, &kek).await?;
        }
        for owner in owners.values() {
            owner.close().await;
        }
        writeln!(
            std::io::stdout(),
            "Key-encryption key version {version} is now current ({} provider); {total} key(s) re-wrapped.",
            kek.provider()
        )?;
        anyhow::Ok(())
    }
    .await;
    runtime.shutdown().await;
    result
}
