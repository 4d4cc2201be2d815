//! Manages the shared test cluster (used by `make test` and `scripts/sqlx-prepare`). A
//! development tool; the product's binary is `attest`.
//!
//! - `test-cluster reset`: stops the cluster and removes it, so the next test run starts clean;
//! - `test-cluster stop`: stops it;
//! - `test-cluster prepare-url`: creates a fresh database with the current migrations and prints
//!   its owner URL, for `cargo sqlx prepare`.

use anyhow::Context as _;
use attest_pgembed::ClusterRole;
use attest_pgembed::shared::{cluster_dir, start, stop};
use secrecy::ExposeSecret;
use sqlx::{Connection, PgConnection};
use std::io::Write as _;

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    match std::env::args().nth(1).unwrap_or_default().as_str() {
        "stop" => stop(),
        "reset" => {
            stop()?;
            let dir = cluster_dir();
            if dir.exists() {
                std::fs::remove_dir_all(&dir)
                    .with_context(|| format!("removing {}", dir.display()))?;
            }
            Ok(())
        }
        "prepare-url" => prepare_url().await,
        _ => anyhow::bail!("usage: test-cluster (stop | reset | prepare-url)"),
    }
}

async fn prepare_url() -> anyhow::Result<()> {
    let cluster = tokio::task::spawn_blocking(start).await??;
    cluster.provision(&[]).await?;
    let name = format!("attest_prepare_{}", uuid::Uuid::new_v4().simple());
    let mut admin =
        PgConnection::connect_with(&cluster.connect_options(ClusterRole::Superuser, "postgres"))
            .await?;
    let create: String =
        sqlx::query_scalar("select format('create database %I owner attest_owner', $1::text)")
            .bind(&name)
            .fetch_one(&mut admin)
            .await?;
    sqlx::raw_sql(sqlx::AssertSqlSafe(create))
        .execute(&mut admin)
        .await?;
    admin.close().await?;
    let mut owner =
        PgConnection::connect_with(&cluster.connect_options(ClusterRole::Owner, &name)).await?;
    sqlx::migrate!("../store/migrations")
        .run(&mut owner)
        .await?;
    owner.close().await?;
    writeln!(
        std::io::stdout(),
        "{}",
        cluster.url(ClusterRole::Owner, &name).expose_secret()
    )?;
    Ok(())
}
