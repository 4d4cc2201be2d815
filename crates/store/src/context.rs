//! The per-transaction access context that row-level security reads.

use crate::StoreError;
use attest_core::{OrgId, PermissionSet, UserId};
use sqlx::{PgPool, Postgres, Transaction};

/// A transaction whose access context is set.
pub type Tx = Transaction<'static, Postgres>;

/// Who is acting: the organisation, the user (if any) and their permissions. Every policy on
/// organisation data reads these from the transaction.
#[derive(Debug, Clone)]
pub struct AccessContext {
    pub org_id: OrgId,
    pub user_id: Option<UserId>,
    pub permissions: PermissionSet,
}

/// Begins a transaction and sets the access context local to it (`set_config(..., true)`), so
/// that it ends with the transaction and never leaks to the next user of the pooled connection.
pub async fn begin(pool: &PgPool, context: &AccessContext) -> Result<Tx, StoreError> {
    let mut tx = pool.begin().await?;
    set_context(&mut tx, context).await?;
    Ok(tx)
}

/// Begins a read-only transaction (`BEGIN READ ONLY`: PostgreSQL itself refuses any write in
/// it) with the access context, as [`begin`] does.
pub async fn begin_read_only(pool: &PgPool, context: &AccessContext) -> Result<Tx, StoreError> {
    let mut tx = pool.begin_with("BEGIN READ ONLY").await?;
    set_context(&mut tx, context).await?;
    Ok(tx)
}

async fn set_context(tx: &mut Tx, context: &AccessContext) -> Result<(), StoreError> {
    let user = context.user_id.map(|u| u.to_string()).unwrap_or_default();
    sqlx::query!(
        r#"select set_config('attest.org_id', $1, true) as "org_id",
                  set_config('attest.user_id', $2, true) as "user_id",
                  set_config('attest.permissions', $3, true) as "permissions""#,
        context.org_id.to_string(),
        user,
        context.permissions.to_context_value(),
    )
    .fetch_one(&mut **tx)
    .await?;
    Ok(())
}

/// Plans the rest of the transaction's statements for the values they are given.
///
/// A statement whose filters are optional (`$1 is null or column = $1`) must not run on a
/// generic plan: PostgreSQL builds one after five executions of a prepared statement, with the
/// table's statistics of that moment and no knowledge of which filters are set, and keeps it.
/// The audit timeline's generic plan, built while the demo's log was small, read and sorted every
/// event of the organisation for each page of 50: 0.4 ms became 460 ms once the log held 20,000
/// events (found by `attest-bench load`). Called before each such statement; local to the
/// transaction (`set_config(…, true)`), like the access context.
pub(crate) async fn plan_for_given_values(tx: &mut Tx) -> Result<(), StoreError> {
    sqlx::query!(r#"select set_config('plan_cache_mode', 'force_custom_plan', true) as "mode""#)
        .fetch_one(&mut **tx)
        .await?;
    Ok(())
}
