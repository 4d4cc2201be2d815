//! Anonymous analyses: what is kept of an analysis made without an account — its severity
//! counts and rule pack, never the text — until it expires, and the purge that deletes expired
//! ones. Platform data in the primary region's directory.

use crate::StoreError;
use attest_reqiq::Summary;
use sqlx::PgPool;
use time::OffsetDateTime;
use uuid::Uuid;

/// Keeps the summary of one anonymous analysis until `expires_at`; returns its id.
pub async fn record(
    pool: &PgPool,
    rule_pack: &str,
    summary: &Summary,
    created_at: OffsetDateTime,
    expires_at: OffsetDateTime,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    let count = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
    sqlx::query!(
        "insert into directory.anonymous_analyses (analysis_id, rule_pack, high, medium, low, info, created_at, expires_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8)",
        id,
        rule_pack,
        count(summary.high),
        count(summary.medium),
        count(summary.low),
        count(summary.info),
        created_at,
        expires_at,
    )
    .execute(pool)
    .await?;
    Ok(id)
}

/// Deletes every summary expired at `now`; returns how many.
pub async fn purge_expired(pool: &PgPool, now: OffsetDateTime) -> Result<u64, StoreError> {
    Ok(sqlx::query!(
        "delete from directory.anonymous_analyses where expires_at <= $1",
        now
    )
    .execute(pool)
    .await?
    .rows_affected())
}

/// How many summaries are kept (for the operator and tests).
pub async fn kept(pool: &PgPool) -> Result<i64, StoreError> {
    Ok(
        sqlx::query_scalar!(r#"select count(*) as "n!" from directory.anonymous_analyses"#)
            .fetch_one(pool)
            .await?,
    )
}
