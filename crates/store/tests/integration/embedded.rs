//! The embedded cluster's life cycle, on a cluster of its own (not the shared test cluster).

use attest_store::embedded::{ClusterRole, EmbeddedCluster, EmbeddedOptions, StartOutcome};
use sqlx::{Connection, PgConnection};
use std::os::unix::fs::PermissionsExt;

/// Log output kept in memory.
#[derive(Clone, Default)]
struct Logged(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl Logged {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(|e| e.into_inner())).into_owned()
    }
}

impl std::io::Write for Logged {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Logged {
    type Writer = Self;
    fn make_writer(&'a self) -> Self {
        self.clone()
    }
}

fn cluster(dir: &std::path::Path) -> anyhow::Result<EmbeddedCluster> {
    Ok(EmbeddedCluster::prepare(EmbeddedOptions {
        pg_dir: dir.join("postgres"),
        secrets_file: dir.join("secrets.json"),
        bin_dir: None,
        system_user: "postgres".into(),
        durable: true,
    })?)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_cluster_starts_stops_and_restarts_with_its_data_intact() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    // When tests run as root the cluster runs as `postgres`, who must be able to enter.
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o711))?;
    let first = cluster(dir.path())?;
    assert_eq!(
        tokio::task::block_in_place(|| first.start())?,
        StartOutcome::Started
    );
    assert_eq!(
        tokio::task::block_in_place(|| first.start())?,
        StartOutcome::AlreadyRunning
    );
    first.provision(&["attest_na", "attest_ca"]).await?;

    let mut owner =
        PgConnection::connect_with(&first.connect_options(ClusterRole::Owner, "attest_na")).await?;
    sqlx::raw_sql("create table kept (note text); insert into kept values ('survives a restart')")
        .execute(&mut owner)
        .await?;
    owner.close().await?;
    tokio::task::block_in_place(|| first.stop())?;
    assert!(!first.is_running()?);
    let refused =
        PgConnection::connect_with(&first.connect_options(ClusterRole::Owner, "attest_na")).await;
    assert!(refused.is_err(), "a stopped cluster accepts no connection");

    // A second start (a new handle, as after a restart of attest) reuses the cluster.
    let second = cluster(dir.path())?;
    assert_eq!(
        tokio::task::block_in_place(|| second.start())?,
        StartOutcome::Started
    );
    second.provision(&["attest_na", "attest_ca"]).await?;
    let mut owner =
        PgConnection::connect_with(&second.connect_options(ClusterRole::Owner, "attest_na"))
            .await?;
    let note: String = sqlx::query_scalar("select note from kept")
        .fetch_one(&mut owner)
        .await?;
    assert_eq!(note, "survives a restart");
    owner.close().await?;
    tokio::task::block_in_place(|| second.stop())?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_cluster_listens_on_a_unix_socket_only_and_requires_passwords() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o711))?;
    let c = cluster(dir.path())?;
    tokio::task::block_in_place(|| c.start())?;
    // Provisioning sets the roles' passwords; with every log on, none of them is logged.
    let logged = Logged::default();
    {
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(logged.clone())
            .finish();
        let _on = tracing::subscriber::set_default(subscriber);
        c.provision(&["attest_na"]).await?;
        // A statement on an ordinary connection is logged: the capture sees sqlx's log.
        let mut su =
            PgConnection::connect_with(&c.connect_options(ClusterRole::Superuser, "postgres"))
                .await?;
        sqlx::query("select 'capture check'")
            .execute(&mut su)
            .await?;
        su.close().await?;
    }
    let logged = logged.text();
    assert!(
        logged.contains("capture check"),
        "nothing captured:\n{logged}"
    );
    let secrets: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("secrets.json"))?)?;
    for (role, password) in secrets.as_object().into_iter().flatten() {
        let password = password.as_str().unwrap_or_default();
        assert!(
            password.len() >= 16,
            "{role}'s password is in the secrets file"
        );
        assert!(!logged.contains(password), "{role}'s password was logged");
    }
    let mut su =
        PgConnection::connect_with(&c.connect_options(ClusterRole::Superuser, "postgres")).await?;
    let listen: String = sqlx::query_scalar("show listen_addresses")
        .fetch_one(&mut su)
        .await?;
    assert_eq!(listen, "");
    su.close().await?;
    let wrong = c
        .connect_options(ClusterRole::App, "attest_na")
        .password("wrong password");
    assert!(
        PgConnection::connect_with(&wrong).await.is_err(),
        "a wrong password is refused"
    );
    let secrets_mode = std::fs::metadata(dir.path().join("secrets.json"))?
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(secrets_mode, 0o600);
    tokio::task::block_in_place(|| c.stop())?;
    Ok(())
}
