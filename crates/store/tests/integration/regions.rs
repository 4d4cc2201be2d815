//! Data residency: an organisation's rows live only in its home region's database.

use crate::fixture::org;
use attest_core::Region;
use attest_store::{Regions, StoreError};
use attest_testkit::{database, regions};
use std::collections::BTreeMap;

/// Every value in every user table of the database, as text, with where it was found.
async fn every_value(superuser: &sqlx::PgPool) -> anyhow::Result<Vec<(String, String)>> {
    let columns: Vec<(String, String)> = sqlx::query_as(
        "select table_schema || '.' || table_name, column_name from information_schema.columns
         where table_schema not in ('pg_catalog', 'information_schema')
         order by 1, 2",
    )
    .fetch_all(superuser)
    .await?;
    let mut values = Vec::new();
    for (table, column) in columns {
        let found: Vec<Option<String>> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "select \"{column}\"::text from {table}"
        )))
        .fetch_all(superuser)
        .await?;
        values.extend(
            found
                .into_iter()
                .flatten()
                .map(|v| (format!("{table}.{column}"), v)),
        );
    }
    Ok(values)
}

#[tokio::test]
async fn an_organisation_homed_in_canada_has_no_row_in_the_north_american_database()
-> anyhow::Result<()> {
    let t = regions().await?;
    let ca = org(&t.regions, "maple", Region::Ca).await?;
    let na = org(&t.regions, "pine", Region::Na).await?;

    let in_na = every_value(&t.na.superuser).await?;
    let leaks: Vec<_> = in_na
        .iter()
        .filter(|(_, v)| {
            v.contains(&ca.org_id.to_string())
                || v.contains(&ca.name)
                || v.contains("maple.example")
        })
        .collect();
    assert!(
        leaks.is_empty(),
        "Canadian data in the NA database: {leaks:?}"
    );
    // Only the directory knows the slug, and maps it to its region.
    let slug_rows: Vec<_> = in_na
        .iter()
        .filter(|(_, v)| v == "maple")
        .map(|(w, _)| w.as_str())
        .collect();
    assert_eq!(slug_rows, ["directory.organisations.slug"]);

    let in_ca = every_value(&t.ca.superuser).await?;
    assert!(
        in_ca
            .iter()
            .any(|(_, v)| v.contains(&ca.org_id.to_string())),
        "the Canadian organisation is in CA"
    );
    assert!(
        !in_ca
            .iter()
            .any(|(_, v)| v.contains(&na.org_id.to_string())),
        "nothing of the NA organisation in CA"
    );
    Ok(())
}

#[tokio::test]
async fn a_database_refuses_an_organisation_homed_in_another_region() -> anyhow::Result<()> {
    let t = regions().await?;
    // Wire the NA database in as if it were Canada's: the trigger refuses the organisation.
    let miswired = Regions::from_pools(BTreeMap::from([
        (Region::Na, t.na.app.clone()),
        (Region::Ca, t.na.app.clone()),
    ]))?;
    let result = org(&miswired, "maple", Region::Ca).await;
    assert!(
        result.is_err(),
        "a CA organisation was written into the NA database"
    );
    assert!(matches!(
        miswired.check(Region::Ca).await,
        Err(StoreError::RegionMismatch { .. })
    ));
    Ok(())
}

#[tokio::test]
async fn the_health_check_passes_for_correct_wiring_and_refuses_a_superuser_pool()
-> anyhow::Result<()> {
    let t = regions().await?;
    t.regions.verify().await?;
    let db = database(Region::Na).await?;
    let as_superuser = Regions::from_pools(BTreeMap::from([(Region::Na, db.superuser.clone())]))?;
    assert!(matches!(
        as_superuser.verify().await,
        Err(StoreError::UnsafeAppRole(_))
    ));
    Ok(())
}

#[tokio::test]
async fn regions_without_the_primary_are_refused() -> anyhow::Result<()> {
    let db = database(Region::Ca).await?;
    let result = Regions::from_pools(BTreeMap::from([(Region::Ca, db.app.clone())]));
    assert!(matches!(
        result,
        Err(StoreError::RegionUnavailable(Region::Na))
    ));
    Ok(())
}
