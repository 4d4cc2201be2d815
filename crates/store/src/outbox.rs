//! The transactional outbox: mail is written in the same transaction as the change that causes it;
//! a worker delivers it with retries (at least once). Only the worker reads it (request handlers
//! only insert). A body holds live links, so it is emptied once the mail is sent or given up, and
//! rows go after [`KEEP_FOR`].

use crate::{StoreError, Tx};
use attest_core::OrgId;
use sqlx::PgPool;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// A message to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    /// What it is (`verify_email`, `password_reset`, …), for logs and tests.
    pub kind: String,
    pub to: String,
    pub subject: String,
    /// Plain text.
    pub body: String,
}

/// Attempts after which a message is given up (its last error stays on the row).
pub const MAX_ATTEMPTS: i32 = 10;

/// How long a sent or given-up message's row (no body) is kept.
pub const KEEP_FOR: Duration = Duration::days(30);

/// Queues a message in the organisation's outbox, in the caller's transaction.
pub async fn enqueue(
    tx: &mut Tx,
    org_id: OrgId,
    mail: &Mail,
    now: OffsetDateTime,
) -> Result<Uuid, StoreError> {
    let message_id = Uuid::now_v7();
    sqlx::query!(
        "insert into attest.outbox (org_id, message_id, kind, to_address, subject, body, created_at, next_attempt_at)
         values ($1, $2, $3, $4, $5, $6, $7, $7)",
        org_id.as_uuid(),
        message_id,
        mail.kind,
        mail.to,
        mail.subject,
        mail.body,
        now,
    )
    .execute(&mut **tx)
    .await?;
    Ok(message_id)
}

/// A message claimed for delivery.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub org_id: OrgId,
    pub message_id: Uuid,
    pub attempts: i32,
    pub mail: Mail,
}

/// Claims up to `limit` due messages for `lease` (another worker will not take them meanwhile;
/// if this one dies, they are retried after the lease).
pub async fn claim(
    pool: &PgPool,
    now: OffsetDateTime,
    limit: i64,
    lease: Duration,
) -> Result<Vec<Claimed>, StoreError> {
    let mut tx = begin_worker(pool).await?;
    let rows = sqlx::query!(
        "update attest.outbox o set attempts = o.attempts + 1, next_attempt_at = $2
         from (select org_id, message_id from attest.outbox
               where sent_at is null and next_attempt_at <= $1 and attempts < $4
               order by next_attempt_at limit $3 for update skip locked) due
         where o.org_id = due.org_id and o.message_id = due.message_id
         returning o.org_id, o.message_id, o.kind, o.to_address, o.subject, o.body, o.attempts",
        now,
        now + lease,
        limit,
        MAX_ATTEMPTS,
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(rows
        .into_iter()
        .map(|r| Claimed {
            org_id: r.org_id.into(),
            message_id: r.message_id,
            attempts: r.attempts,
            mail: Mail {
                kind: r.kind,
                to: r.to_address,
                subject: r.subject,
                body: r.body,
            },
        })
        .collect())
}

/// Records a delivery.
pub async fn mark_sent(
    pool: &PgPool,
    org_id: OrgId,
    message_id: Uuid,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    let mut tx = begin_worker(pool).await?;
    sqlx::query!(
        "update attest.outbox set sent_at = $3, last_error = null, body = '' where org_id = $1 and message_id = $2",
        org_id.as_uuid(),
        message_id,
        now,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Records a failed attempt; the next is at `retry_at`.
pub async fn mark_failed(
    pool: &PgPool,
    org_id: OrgId,
    message_id: Uuid,
    error: &str,
    retry_at: OffsetDateTime,
) -> Result<(), StoreError> {
    let mut tx = begin_worker(pool).await?;
    sqlx::query!(
        "update attest.outbox set last_error = $3, next_attempt_at = $4,
                body = case when attempts >= $5 then '' else body end
         where org_id = $1 and message_id = $2",
        org_id.as_uuid(),
        message_id,
        error.chars().take(500).collect::<String>(),
        retry_at,
        MAX_ATTEMPTS,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes sent and given-up messages older than [`KEEP_FOR`]; returns how many.
pub async fn purge(pool: &PgPool, now: OffsetDateTime) -> Result<u64, StoreError> {
    let mut tx = begin_worker(pool).await?;
    let purged = sqlx::query!(
        "delete from attest.outbox
         where (sent_at is not null and sent_at < $1) or (attempts >= $2 and created_at < $1)",
        now - KEEP_FOR,
        MAX_ATTEMPTS,
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(purged)
}

/// The worker's transactions are the only ones that set `attest.worker`, which lets the outbox
/// policy show every organisation's pending mail in this region.
async fn begin_worker(pool: &PgPool) -> Result<Tx, StoreError> {
    let mut tx = pool.begin().await?;
    sqlx::query!(r#"select set_config('attest.worker', 'outbox', true) as "worker!""#)
        .fetch_one(&mut *tx)
        .await?;
    Ok(tx)
}
