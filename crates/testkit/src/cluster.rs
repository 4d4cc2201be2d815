use anyhow::Context as _;
use attest_store::embedded::{ClusterRole, EmbeddedCluster};
use sqlx::{Connection, PgConnection};
use std::hash::{DefaultHasher, Hash, Hasher};
use tokio::sync::OnceCell;

pub use attest_store::embedded::shared::cluster_dir;

/// The cluster shared by every test process of this checkout.
#[derive(Debug)]
pub struct SharedCluster {
    pub cluster: EmbeddedCluster,
    /// The template database holding the current migrations.
    pub template: String,
}

static SHARED: OnceCell<SharedCluster> = OnceCell::const_new();

/// Starts or joins the shared cluster, and makes sure the template for the current migrations
/// exists.
pub async fn shared_cluster() -> anyhow::Result<&'static SharedCluster> {
    SHARED.get_or_try_init(start).await
}

async fn start() -> anyhow::Result<SharedCluster> {
    let cluster = tokio::task::spawn_blocking(attest_store::embedded::shared::start).await??;
    cluster
        .provision(&[])
        .await
        .context("provisioning the test cluster's roles")?;
    let template = template_name();
    ensure_template(&cluster, &template).await?;
    Ok(SharedCluster { cluster, template })
}

fn template_name() -> String {
    let mut hasher = DefaultHasher::new();
    for migration in attest_store::MIGRATOR.iter() {
        migration.version.hash(&mut hasher);
        migration.checksum.hash(&mut hasher);
    }
    format!("attest_tpl_{:016x}", hasher.finish())
}

/// Creates and migrates the template database once (under an advisory lock).
async fn ensure_template(cluster: &EmbeddedCluster, template: &str) -> anyhow::Result<()> {
    let mut admin =
        PgConnection::connect_with(&cluster.connect_options(ClusterRole::Superuser, "postgres"))
            .await?;
    sqlx::query("select pg_advisory_lock(hashtext('attest test template'))")
        .execute(&mut admin)
        .await?;
    let result = async {
        let exists: bool =
            sqlx::query_scalar("select exists (select 1 from pg_database where datname = $1)")
                .bind(template)
                .fetch_one(&mut admin)
                .await?;
        if !exists {
            let create: String = sqlx::query_scalar(
                "select format('create database %I owner attest_owner', $1::text)",
            )
            .bind(template)
            .fetch_one(&mut admin)
            .await?;
            sqlx::raw_sql(sqlx::AssertSqlSafe(create))
                .execute(&mut admin)
                .await?;
            let mut owner =
                PgConnection::connect_with(&cluster.connect_options(ClusterRole::Owner, template))
                    .await?;
            attest_store::MIGRATOR
                .run(&mut owner)
                .await
                .context("migrating the template database")?;
            owner.close().await?;
        }
        anyhow::Ok(())
    }
    .await;
    sqlx::query("select pg_advisory_unlock(hashtext('attest test template'))")
        .execute(&mut admin)
        .await?;
    admin.close().await?;
    result
}
