use crate::StoreError;
use attest_core::Region;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

/// The schema migrations, embedded in the binary.
pub static MIGRATOR: Migrator = sqlx::migrate!();

/// The schema version this build expects (the last migration's).
pub fn expected_schema_version() -> i64 {
    MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0)
}

/// Brings `region`'s database up to date, connecting as the owner role, and records which
/// region it serves (refusing a database already recorded for another region).
pub async fn migrate(owner: &PgConnectOptions, region: Region) -> Result<(), StoreError> {
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect_with(owner.clone())
        .await?;
    let result = async {
        MIGRATOR.run(&pool).await?;
        sqlx::query!(
            "insert into attest.database_region (region) select $1
             where not exists (select 1 from attest.database_region)",
            region.code()
        )
        .execute(&pool)
        .await?;
        let found = sqlx::query_scalar!("select region from attest.database_region")
            .fetch_one(&pool)
            .await?;
        if found != region.code() {
            return Err(StoreError::RegionMismatch {
                expected: region,
                found,
            });
        }
        Ok(())
    }
    .await;
    pool.close().await;
    result
}
