//! A durable embedded PostgreSQL cluster for a benchmark run (fsync and synchronous commit on),
//! migrated, with a superuser pool for setup.

use attest_core::Region;
use attest_store::embedded::{ClusterRole, EmbeddedCluster, EmbeddedOptions};
use attest_store::migrate;
use sqlx::PgPool;
use std::os::unix::fs::PermissionsExt as _;

/// Starts the cluster in `dir`, creates and migrates `database`, and checks that it is durable.
pub(crate) async fn start(
    dir: &std::path::Path,
    database: &str,
) -> anyhow::Result<(EmbeddedCluster, PgPool)> {
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o711))?;
    let options = EmbeddedOptions {
        pg_dir: dir.join("postgres"),
        secrets_file: dir.join("secrets.json"),
        bin_dir: None,
        system_user: "postgres".into(),
        durable: true,
    };
    let cluster = tokio::task::spawn_blocking(move || -> anyhow::Result<EmbeddedCluster> {
        let cluster = EmbeddedCluster::prepare(options)?;
        cluster.start()?;
        Ok(cluster)
    })
    .await??;
    cluster.provision(&[database]).await?;
    migrate(
        &cluster.connect_options(ClusterRole::Owner, database),
        Region::Na,
    )
    .await?;
    let superuser = sqlx::postgres::PgPoolOptions::new()
        .max_connections(2)
        .connect_with(cluster.connect_options(ClusterRole::Superuser, database))
        .await?;
    let settings: Vec<(String, String)> = sqlx::query_as(
        "select name, setting from pg_settings where name in ('fsync', 'synchronous_commit', 'full_page_writes') order by name",
    )
    .fetch_all(&superuser)
    .await?;
    anyhow::ensure!(
        settings.iter().all(|(_, v)| v == "on"),
        "the cluster is not durable: {settings:?}"
    );
    eprintln!("durable cluster: {settings:?}");
    Ok((cluster, superuser))
}
