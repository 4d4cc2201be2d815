//! Live updates: PostgreSQL notifies `attest_readiness` with an organisation's id when its
//! credentials, requirements or job-role assignments change (see migration 0008), at commit.

use attest_core::OrgId;
use sqlx::PgPool;
use sqlx::postgres::PgListener;
use std::time::Duration;
use tokio::sync::broadcast;
use uuid::Uuid;

/// The channel the triggers notify.
pub const READINESS_CHANNEL: &str = "attest_readiness";

/// Forwards every readiness notification of this database to `sender`, reconnecting after a
/// lost connection, until every receiver is gone.
pub async fn forward_readiness(pool: PgPool, sender: broadcast::Sender<OrgId>) {
    loop {
        match listen(&pool, &sender).await {
            Ok(()) | Err(sqlx::Error::PoolClosed) => return,
            Err(error) => {
                tracing::warn!(%error, "readiness listener lost its connection; retrying")
            }
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

async fn listen(pool: &PgPool, sender: &broadcast::Sender<OrgId>) -> Result<(), sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(READINESS_CHANNEL).await?;
    loop {
        let notification = listener.recv().await?;
        if let Ok(org) = notification.payload().parse::<Uuid>() {
            // No receivers right now is fine: nobody is watching a dashboard.
            let _ = sender.send(OrgId::from(org));
        }
    }
}
