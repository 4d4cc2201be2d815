//! One database per data-residency region, each reached through its own pool.

use crate::{StoreError, expected_schema_version};
use attest_core::Region;
use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

/// How to reach one region's database: as the application role, and (for migrations) as the
/// owner role.
#[derive(Debug, Clone)]
pub struct RegionDatabase {
    pub region: Region,
    pub app: PgConnectOptions,
    pub owner: Option<PgConnectOptions>,
}

/// The application's pools, one per configured region. The primary region's pool also serves
/// the directory (organisation slug → region).
#[derive(Debug, Clone)]
pub struct Regions {
    pools: Arc<BTreeMap<Region, PgPool>>,
}

impl Regions {
    /// Connects to every configured region. The primary region is required.
    pub async fn connect(
        databases: &[RegionDatabase],
        max_connections: u32,
    ) -> Result<Self, StoreError> {
        let mut pools = BTreeMap::new();
        for db in databases {
            let pool = PgPoolOptions::new()
                .max_connections(max_connections)
                .min_connections(0)
                .acquire_timeout(Duration::from_secs(5))
                .idle_timeout(Duration::from_secs(300))
                .connect_with(db.app.clone())
                .await?;
            pools.insert(db.region, pool);
        }
        Self::from_pools(pools)
    }

    /// Wraps pools made elsewhere (tests).
    pub fn from_pools(pools: BTreeMap<Region, PgPool>) -> Result<Self, StoreError> {
        if !pools.contains_key(&Region::PRIMARY) {
            return Err(StoreError::RegionUnavailable(Region::PRIMARY));
        }
        Ok(Self {
            pools: Arc::new(pools),
        })
    }

    pub fn pool(&self, region: Region) -> Result<&PgPool, StoreError> {
        self.pools
            .get(&region)
            .ok_or(StoreError::RegionUnavailable(region))
    }

    /// The primary region's pool (the directory lives there).
    pub fn primary(&self) -> &PgPool {
        // `from_pools` refuses a map without the primary region.
        &self.pools[&Region::PRIMARY]
    }

    pub fn regions(&self) -> impl Iterator<Item = Region> + '_ {
        self.pools.keys().copied()
    }

    /// Checks every region: see [`Regions::check`].
    pub async fn verify(&self) -> Result<(), StoreError> {
        for region in self.regions() {
            self.check(region).await?;
        }
        Ok(())
    }

    /// Checks that `region`'s pool logs in as a role that row-level security applies to, that
    /// the database serves that region, and that its schema is current.
    pub async fn check(&self, region: Region) -> Result<(), StoreError> {
        let pool = self.pool(region)?;
        let role = sqlx::query!(
            r#"select current_user as "name!", rolsuper as "superuser!", rolbypassrls as "bypass_rls!" from pg_roles where rolname = current_user"#
        )
        .fetch_one(pool)
        .await?;
        if role.superuser || role.bypass_rls {
            return Err(StoreError::UnsafeAppRole(role.name));
        }
        let found = sqlx::query_scalar!("select attest.database_region()")
            .fetch_one(pool)
            .await?
            .unwrap_or_default();
        if found != region.code() {
            return Err(StoreError::RegionMismatch {
                expected: region,
                found,
            });
        }
        let version = sqlx::query_scalar!(
            r#"select coalesce(max(version), 0) as "version!" from _sqlx_migrations where success"#
        )
        .fetch_one(pool)
        .await?;
        let expected = expected_schema_version();
        if version != expected {
            return Err(StoreError::SchemaOutdated {
                region,
                found: version,
                expected,
            });
        }
        Ok(())
    }

    pub async fn close(&self) {
        for pool in self.pools.values() {
            pool.close().await;
        }
    }
}

/// So that code taking "anything that has the regions" takes the regions themselves.
impl AsRef<Regions> for Regions {
    fn as_ref(&self) -> &Regions {
        self
    }
}
