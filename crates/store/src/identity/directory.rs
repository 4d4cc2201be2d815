//! The region directory in the primary region: organisation slug → home region. It holds
//! nothing else, so the primary region keeps no other data of organisations homed elsewhere.

use crate::StoreError;
use crate::error::on_constraint;
use attest_core::{OrgSlug, Region};
use sqlx::PgPool;

/// Records that `slug` is homed in `region`. Fails with [`StoreError::SlugTaken`] if the slug
/// is already claimed.
pub async fn claim(primary: &PgPool, slug: &OrgSlug, region: Region) -> Result<(), StoreError> {
    sqlx::query!(
        "insert into directory.organisations (slug, region) values ($1, $2)",
        slug.as_str(),
        region.code()
    )
    .execute(primary)
    .await
    .map_err(on_constraint(
        "directory_organisations_pkey",
        StoreError::SlugTaken,
    ))?;
    Ok(())
}

/// Forgets a slug (when creating its organisation failed, or when it is deleted).
pub async fn release(primary: &PgPool, slug: &OrgSlug) -> Result<(), StoreError> {
    sqlx::query!(
        "delete from directory.organisations where slug = $1",
        slug.as_str()
    )
    .execute(primary)
    .await?;
    Ok(())
}

/// The home region of the organisation with this slug.
pub async fn lookup(primary: &PgPool, slug: &OrgSlug) -> Result<Option<Region>, StoreError> {
    let region = sqlx::query_scalar!(
        "select region from directory.organisations where slug = $1",
        slug.as_str()
    )
    .fetch_optional(primary)
    .await?;
    Ok(region.and_then(|r| r.parse().ok()))
}

/// Every organisation in the directory, by slug.
pub async fn all(primary: &PgPool) -> Result<Vec<(OrgSlug, Region)>, StoreError> {
    let rows = sqlx::query!("select slug, region from directory.organisations order by slug")
        .fetch_all(primary)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| Some((OrgSlug::parse(&r.slug).ok()?, r.region.parse().ok()?)))
        .collect())
}
