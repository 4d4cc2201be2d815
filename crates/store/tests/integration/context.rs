//! The access context is local to its transaction: a pooled connection never carries one
//! request's identity into the next.

use crate::fixture::org;
use attest_core::{BuiltinRole, Region};
use attest_store::begin;
use attest_testkit::database;
use sqlx::postgres::PgPoolOptions;
use std::collections::BTreeMap;

#[tokio::test]
async fn the_context_ends_with_its_transaction_on_a_reused_connection() -> anyhow::Result<()> {
    let db = database(Region::Na).await?;
    // One connection only, so the second checkout is the same connection.
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect_with(db.app_options.clone())
        .await?;
    let regions = attest_store::Regions::from_pools(BTreeMap::from([(Region::Na, pool.clone())]))?;
    let o = org(&regions, "acme", Region::Na).await?;

    let mut tx = begin(&pool, &o.context(o.manager, BuiltinRole::HseManager)).await?;
    let seen: i64 = sqlx::query_scalar("select count(*) from attest.users")
        .fetch_one(&mut *tx)
        .await?;
    assert_eq!(seen, 8);
    tx.commit().await?;

    let (org_id, permissions): (String, String) = sqlx::query_as(
        "select coalesce(current_setting('attest.org_id', true), ''), coalesce(current_setting('attest.permissions', true), '')",
    )
    .fetch_one(&pool)
    .await?;
    assert_eq!((org_id.as_str(), permissions.as_str()), ("", ""));
    let after: i64 = sqlx::query_scalar("select count(*) from attest.users")
        .fetch_one(&pool)
        .await?;
    assert_eq!(after, 0, "no rows once the transaction is over");

    let mut tx = begin(&pool, &o.context(o.manager, BuiltinRole::HseManager)).await?;
    let _: i64 = sqlx::query_scalar("select count(*) from attest.users")
        .fetch_one(&mut *tx)
        .await?;
    tx.rollback().await?;
    let after: i64 = sqlx::query_scalar("select count(*) from attest.users")
        .fetch_one(&pool)
        .await?;
    assert_eq!(after, 0, "nor after a rollback");
    Ok(())
}
