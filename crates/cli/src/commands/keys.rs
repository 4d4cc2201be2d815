use crate::config::Config;
use crate::runtime::Runtime;
use attest_core::PermissionSet;
use attest_crypto::{KeyEncryptionKey as _, LocalKek};
use attest_store::{
    AccessContext, begin, data_keys, directory, org_keys, organisations, signing_keys,
};
use std::io::Write as _;

/// Rotates the local KEK, then re-wraps every organisation's data keys and signing keys,
/// organisation by organisation (each in its own transaction, in its home region), and the
/// platform's token-signing key.
pub(crate) async fn rotate_kek(config: Config) -> anyhow::Result<()> {
    let runtime = Runtime::start(&config, false).await?;
    let result = async {
        let mut kek = LocalKek::open_or_create(&runtime.kek_path())?;
        let version = kek.rotate()?;
        let mut total = 0;
        for (slug, region) in directory::all(runtime.regions.primary()).await? {
            let Ok(pool) = runtime.regions.pool(region) else { continue };
            let Some(org) = organisations::resolve(pool, &slug).await? else { continue };
            let context = AccessContext { org_id: org.org_id, user_id: None, permissions: PermissionSet::empty() };
            let mut tx = begin(pool, &context).await?;
            total += data_keys::rewrap_all(&mut tx, &kek, org.org_id).await?;
            total += org_keys::rewrap_all(&mut tx, &kek, org.org_id).await?;
            tx.commit().await?;
        }
        total += signing_keys::rewrap_all(runtime.regions.primary(), &kek).await?;
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
