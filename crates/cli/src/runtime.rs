//! What every command needs running: the data directory (locked against a second `attest`), the
//! databases (the embedded cluster or external servers), migrated and verified.

use crate::config::{Config, Database};
use crate::kek::Kek;
use anyhow::Context as _;
use attest_core::Region;
use attest_store::PgConnectOptions;
use attest_store::embedded::{ClusterRole, EmbeddedCluster, EmbeddedOptions, StartOutcome};
use attest_store::{RegionDatabase, Regions, migrate};
use secrecy::ExposeSecret;
use std::fs::{self, File};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub(crate) struct Runtime {
    pub(crate) regions: Regions,
    /// The key-encryption-key provider (`ATTEST_KEK`).
    pub(crate) kek: Arc<Kek>,
    pub(crate) data_dir: PathBuf,
    /// Each region's connection options (the owner's, where known).
    databases: Vec<RegionDatabase>,
    cluster: Option<EmbeddedCluster>,
    _lock: File,
}

impl Runtime {
    /// Prepares the data directory, starts the embedded cluster if configured, migrates (always
    /// for the embedded default; for external servers when `migrate` and migration URLs are
    /// given) and connects as `attest_app`, refusing a role that bypasses row-level security.
    pub(crate) async fn start(config: &Config, migrate_external: bool) -> anyhow::Result<Self> {
        let lock = prepare_data_dir(&config.data_dir)?;
        let (databases, cluster) = match &config.database {
            Database::Embedded {
                pg_dir,
                bin_dir,
                pg_user,
            } => {
                let cluster =
                    start_embedded(&config.data_dir, pg_dir, bin_dir.clone(), pg_user).await?;
                let databases: Vec<RegionDatabase> = Region::ALL
                    .iter()
                    .map(|region| RegionDatabase {
                        region: *region,
                        app: cluster.connect_options(ClusterRole::App, &database_name(*region)),
                        owner: Some(
                            cluster.connect_options(ClusterRole::Owner, &database_name(*region)),
                        ),
                    })
                    .collect();
                (databases, Some(cluster))
            }
            Database::External(regions) => {
                let mut databases = Vec::new();
                for r in regions {
                    databases.push(RegionDatabase {
                        region: r.region,
                        app: parse_url(r.app_url.expose_secret(), "DATABASE_URL")?,
                        owner: match &r.migration_url {
                            Some(url) => {
                                Some(parse_url(url.expose_secret(), "ATTEST_MIGRATION_URL")?)
                            }
                            None => None,
                        },
                    });
                }
                (databases, None)
            }
        };
        let migrating = cluster.is_some() || migrate_external;
        let result = async {
            let kek = Kek::open(config).await?;
            for db in databases.iter().filter(|_| migrating) {
                if let Some(owner) = &db.owner {
                    migrate(owner, db.region)
                        .await
                        .with_context(|| format!("migrating the {} database", db.region))?;
                }
            }
            // The platform's signing keys are made with the schema, by the owner: the server
            // (attest_app) may only read them.
            if let Some(owner) = databases
                .iter()
                .filter(|_| migrating)
                .find(|db| db.region == Region::PRIMARY)
                .and_then(|db| db.owner.clone())
            {
                let pool = attest_store::PgPoolOptions::new()
                    .max_connections(1)
                    .connect_with(owner)
                    .await
                    .context("connecting to the primary region as the owner")?;
                let made = attest_store::signing_keys::ensure(&pool, &kek).await;
                pool.close().await;
                made.context("making the platform's signing keys")?;
            }
            let regions = Regions::connect(&databases, config.db_max_connections)
                .await
                .context("connecting to the database as attest_app")?;
            regions.verify().await?;
            anyhow::Ok((regions, kek))
        }
        .await;
        match result {
            Ok((regions, kek)) => Ok(Self {
                regions,
                kek: Arc::new(kek),
                data_dir: config.data_dir.clone(),
                databases,
                cluster,
                _lock: lock,
            }),
            Err(error) => {
                if let Some(cluster) = cluster {
                    let _ = tokio::task::spawn_blocking(move || cluster.stop()).await;
                }
                Err(error)
            }
        }
    }

    /// A connection as the owner role in `region`, for what only the owner writes (signing
    /// keys). The embedded default has it; external databases need ATTEST_MIGRATION_URL (and
    /// ATTEST_MIGRATION_URL_CA).
    pub(crate) async fn owner_pool(&self, region: Region) -> anyhow::Result<attest_store::PgPool> {
        let options = self
            .databases
            .iter()
            .find(|db| db.region == region)
            .and_then(|db| db.owner.clone())
            .with_context(|| {
                format!("this needs the owner role in region {region}: set ATTEST_MIGRATION_URL (ATTEST_MIGRATION_URL_CA for ca)")
            })?;
        Ok(attest_store::PgPoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await?)
    }

    pub(crate) fn embedded_pg_dir(&self) -> Option<&Path> {
        self.cluster.as_ref().map(EmbeddedCluster::pg_dir)
    }

    /// Closes the pools and stops the embedded cluster (fast shutdown: data is flushed).
    pub(crate) async fn shutdown(self) {
        self.regions.close().await;
        if let Some(cluster) = self.cluster {
            match tokio::task::spawn_blocking(move || cluster.stop()).await {
                Ok(Ok(())) => tracing::info!("embedded PostgreSQL stopped"),
                Ok(Err(error)) => tracing::error!(%error, "stopping embedded PostgreSQL failed"),
                Err(error) => tracing::error!(%error, "stopping embedded PostgreSQL failed"),
            }
        }
    }
}

fn database_name(region: Region) -> String {
    format!("attest_{}", region.code())
}

/// Creates the data directory and its private subdirectories, and takes an exclusive lock so
/// that two `attest` processes never share one.
fn prepare_data_dir(dir: &Path) -> anyhow::Result<File> {
    fs::create_dir_all(dir)
        .with_context(|| format!("creating the data directory {}", dir.display()))?;
    // Traversable (not listable) by others, so the embedded cluster's system user can reach its
    // own directory inside; everything secret is in 0700 subdirectories or 0600 files.
    fs::set_permissions(dir, fs::Permissions::from_mode(0o711))
        .with_context(|| format!("setting permissions on {}", dir.display()))?;
    for sub in ["keys", "secrets", "tls", "mail"] {
        let path = dir.join(sub);
        fs::create_dir_all(&path)?;
        fs::set_permissions(&path, fs::Permissions::from_mode(0o700))?;
    }
    let lock = File::create(dir.join("attest.lock"))?;
    lock.try_lock().map_err(|_| {
        anyhow::anyhow!(
            "another attest process is using the data directory {}",
            dir.display()
        )
    })?;
    Ok(lock)
}

async fn start_embedded(
    data_dir: &Path,
    pg_dir: &Path,
    bin_dir: Option<PathBuf>,
    pg_user: &str,
) -> anyhow::Result<EmbeddedCluster> {
    let options = EmbeddedOptions {
        pg_dir: pg_dir.to_owned(),
        secrets_file: data_dir.join("secrets").join("database.json"),
        bin_dir,
        system_user: pg_user.to_owned(),
        durable: true,
    };
    let cluster = tokio::task::spawn_blocking(move || -> anyhow::Result<EmbeddedCluster> {
        let cluster = EmbeddedCluster::prepare(options)?;
        match cluster.start()? {
            StartOutcome::Started => tracing::info!(dir = %cluster.pg_dir().display(), "embedded PostgreSQL started"),
            StartOutcome::AlreadyRunning => {
                tracing::info!(dir = %cluster.pg_dir().display(), "embedded PostgreSQL was already running")
            }
        }
        Ok(cluster)
    })
    .await??;
    let names: Vec<String> = Region::ALL.iter().map(|r| database_name(*r)).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    cluster
        .provision(&names)
        .await
        .context("creating the database roles and databases")?;
    Ok(cluster)
}

/// Parses a database URL without echoing it (it holds a password) in the error.
fn parse_url(url: &str, key: &str) -> anyhow::Result<PgConnectOptions> {
    url.parse()
        .map_err(|_| anyhow::anyhow!("{key} is not a valid postgres:// URL"))
}
