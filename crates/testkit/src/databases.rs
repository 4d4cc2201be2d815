use crate::shared_cluster;
use attest_core::Region;
use attest_store::Regions;
use attest_store::embedded::ClusterRole;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Connection, PgConnection, PgPool};
use std::collections::BTreeMap;

/// A fresh, migrated database for one region, with pools for the three roles.
#[derive(Debug, Clone)]
pub struct TestDatabase {
    pub name: String,
    pub region: Region,
    /// Logged in as `attest_app`: row-level security applies.
    pub app: PgPool,
    /// Logged in as `attest_owner` (owns the tables; FORCE ROW LEVEL SECURITY applies to it too).
    pub owner: PgPool,
    /// Logged in as the cluster's superuser: sees everything, for checking what is stored.
    pub superuser: PgPool,
    pub app_options: PgConnectOptions,
    pub owner_options: PgConnectOptions,
}

/// Fresh databases for both regions, and the application's [`Regions`] over them.
#[derive(Debug, Clone)]
pub struct TestRegions {
    pub na: TestDatabase,
    pub ca: TestDatabase,
    pub regions: Regions,
}

impl TestRegions {
    pub fn get(&self, region: Region) -> &TestDatabase {
        match region {
            Region::Na => &self.na,
            Region::Ca => &self.ca,
        }
    }
}

/// A fresh database for `region`, cloned from the migrated template and marked as serving
/// `region`.
pub async fn database(region: Region) -> anyhow::Result<TestDatabase> {
    let shared = shared_cluster().await?;
    let cluster = &shared.cluster;
    let name = format!(
        "attest_t_{}_{}",
        region.code(),
        uuid::Uuid::new_v4().simple()
    );
    create(&name, Some(&shared.template)).await?;
    let owner_options = cluster.connect_options(ClusterRole::Owner, &name);
    let app_options = cluster.connect_options(ClusterRole::App, &name);
    let owner = pool(owner_options.clone()).await?;
    sqlx::query("insert into attest.database_region (region) values ($1)")
        .bind(region.code())
        .execute(&owner)
        .await?;
    Ok(TestDatabase {
        region,
        app: pool(app_options.clone()).await?,
        superuser: pool(cluster.connect_options(ClusterRole::Superuser, &name)).await?,
        owner,
        name,
        app_options,
        owner_options,
    })
}

/// A fresh, empty (unmigrated) database, for testing migrations; returns its name.
pub async fn empty_database() -> anyhow::Result<String> {
    let name = format!("attest_e_{}", uuid::Uuid::new_v4().simple());
    create(&name, None).await?;
    Ok(name)
}

/// Creates `name` owned by `attest_owner` (from `template` if given), which only the owner and
/// `attest_app` may connect to.
async fn create(name: &str, template: Option<&str>) -> anyhow::Result<()> {
    let shared = shared_cluster().await?;
    let mut admin = PgConnection::connect_with(
        &shared
            .cluster
            .connect_options(ClusterRole::Superuser, "postgres"),
    )
    .await?;
    let create = match template {
        Some(_) => {
            "select format('create database %I template %I owner attest_owner', $1::text, $2::text)"
        }
        None => "select format('create database %I owner attest_owner', $1::text, $2::text)",
    };
    for statement in [
        create,
        "select format('revoke all on database %I from public', $1::text, $2::text)",
        "select format('grant connect, temporary on database %I to attest_app', $1::text, $2::text)",
    ] {
        let sql: String = sqlx::query_scalar(statement)
            .bind(name)
            .bind(template.unwrap_or_default())
            .fetch_one(&mut admin)
            .await?;
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .execute(&mut admin)
            .await?;
    }
    admin.close().await?;
    Ok(())
}

/// Fresh databases for both regions.
pub async fn regions() -> anyhow::Result<TestRegions> {
    let na = database(Region::Na).await?;
    let ca = database(Region::Ca).await?;
    let regions = Regions::from_pools(BTreeMap::from([
        (Region::Na, na.app.clone()),
        (Region::Ca, ca.app.clone()),
    ]))?;
    Ok(TestRegions { na, ca, regions })
}

async fn pool(options: PgConnectOptions) -> anyhow::Result<PgPool> {
    Ok(PgPoolOptions::new()
        .max_connections(4)
        .min_connections(0)
        .connect_with(options)
        .await?)
}
