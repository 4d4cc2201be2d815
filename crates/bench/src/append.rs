//! Audit appends against raw single-row INSERTs, on a durable embedded PostgreSQL cluster (fsync
//! and synchronous commit on) started for the run, with the sequencer integrating as it does in
//! `attest serve`.

use crate::report::Row;
use anyhow::Context as _;
use attest_core::{DisplayName, EmailAddress, OrgId, OrgSlug, PermissionSet, Region, UserId};
use attest_crypto::LocalKek;
use attest_store::audit::AuditAction;
use attest_store::audit::{self, Actor, AuditEvent, Origin};
use attest_store::embedded::{ClusterRole, EmbeddedCluster};
use attest_store::organisations::{self, NewOrganisation};
use attest_store::{AccessContext, RegionDatabase, Regions, begin, ledger};
use sqlx::PgPool;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};
use uuid::Uuid;

const DATABASE: &str = "attest_bench";

struct Bench {
    pool: PgPool,
    superuser: PgPool,
    kek: Arc<LocalKek>,
    busy: OrgId,
    many: Vec<OrgId>,
    clients: usize,
    duration: Duration,
}

fn context(org_id: OrgId) -> AccessContext {
    AccessContext {
        org_id,
        user_id: None,
        permissions: PermissionSet::empty(),
    }
}

fn event(n: u64) -> AuditEvent {
    AuditEvent {
        occurred_at: time::OffsetDateTime::now_utc(),
        actor: Actor::User {
            user_id: UserId::from(Uuid::from_u128(7)),
            role: Some("hse_manager".into()),
        },
        action: AuditAction::MemberRoleChanged,
        resource_type: "account",
        resource_id: Some(Uuid::from_u128(u128::from(n % 500)).to_string()),
        subject: None,
        origin: Origin {
            source_ip: Some(std::net::IpAddr::from([203, 0, 113, (n % 250) as u8])),
            user_agent: Some("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36".into()),
            request_id: Some(Uuid::now_v7().to_string()),
        },
        details: serde_json::json!({ "from": "worker", "to": "supervisor" }),
    }
}

/// Runs `clients` concurrent loops of `op` for the bench's duration; returns operations per second.
async fn measure<F, Fut>(clients: usize, duration: Duration, op: F) -> anyhow::Result<f64>
where
    F: Fn(usize, u64) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = anyhow::Result<()>> + Send,
{
    let done = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for client in 0..clients {
        let (op, done, stop) = (op.clone(), done.clone(), stop.clone());
        tasks.push(tokio::spawn(async move {
            let mut n = 0u64;
            while !stop.load(Ordering::Relaxed) {
                op(client, n).await?;
                n += 1;
                done.fetch_add(1, Ordering::Relaxed);
            }
            anyhow::Ok(())
        }));
    }
    tokio::time::sleep(duration).await;
    stop.store(true, Ordering::Relaxed);
    for task in tasks {
        task.await??;
    }
    Ok(done.load(Ordering::Relaxed) as f64 / start.elapsed().as_secs_f64())
}

impl Bench {
    async fn raw_insert(&self, duration: Duration) -> anyhow::Result<f64> {
        let pool = self.pool.clone();
        let payload = serde_json::to_value(ledger_payload())?;
        measure(self.clients, duration, move |_, _| {
            let (pool, payload) = (pool.clone(), payload.clone());
            async move {
                sqlx::query(
                    "insert into bench.raw_events (org_id, at, payload) values ($1, now(), $2)",
                )
                .bind(Uuid::from_u128(42))
                .bind(payload)
                .execute(&pool)
                .await?;
                Ok(())
            }
        })
        .await
    }

    /// The same row inserted the way a change is made in Attest: in a transaction carrying the
    /// organisation's context (BEGIN, `set_config`, INSERT, COMMIT).
    async fn raw_insert_in_transaction(&self, duration: Duration) -> anyhow::Result<f64> {
        let pool = self.pool.clone();
        let payload = serde_json::to_value(ledger_payload())?;
        let org = self.busy;
        measure(self.clients, duration, move |_, _| {
            let (pool, payload) = (pool.clone(), payload.clone());
            async move {
                let mut tx = begin(&pool, &context(org)).await?;
                sqlx::query(
                    "insert into bench.raw_events (org_id, at, payload) values ($1, now(), $2)",
                )
                .bind(org.as_uuid())
                .bind(payload)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(())
            }
        })
        .await
    }

    async fn append(&self, orgs: Vec<OrgId>, duration: Duration) -> anyhow::Result<f64> {
        let pool = self.pool.clone();
        let clients = self.clients as u64;
        let orgs = Arc::new(orgs);
        measure(self.clients, duration, move |client, n| {
            let (pool, orgs) = (pool.clone(), orgs.clone());
            async move {
                let i = (client as u64 + n * clients) as usize % orgs.len();
                let org = orgs[i];
                let mut tx = begin(&pool, &context(org)).await?;
                audit::append(&mut tx, org, &event(n)).await?;
                tx.commit().await?;
                Ok(())
            }
        })
        .await
    }

    /// Integrates everything waiting; returns (events, seconds).
    async fn drain(&self) -> anyhow::Result<(u64, f64)> {
        let start = Instant::now();
        let mut total = 0;
        loop {
            let n = ledger::integrate_all(&self.pool, self.kek.as_ref(), 4096).await?;
            if n == 0 {
                break;
            }
            total += n;
        }
        Ok((total, start.elapsed().as_secs_f64()))
    }

    async fn waiting(&self) -> anyhow::Result<i64> {
        Ok(
            sqlx::query_scalar("select count(*) from attest.audit_queue")
                .fetch_one(&self.superuser)
                .await?,
        )
    }

    /// Checks that every organisation's log is gap-free (leaf indexes 0..n, each once).
    async fn check_trees(&self) -> anyhow::Result<()> {
        let broken: i64 = sqlx::query_scalar(
            "select count(*) from (select org_id, count(*) as n, max(leaf_index) as top from audit.leaves group by org_id) l
             where n <> top + 1",
        )
        .fetch_one(&self.superuser)
        .await?;
        anyhow::ensure!(
            broken == 0,
            "{broken} organisation(s) have gaps in their logs"
        );
        Ok(())
    }
}

/// The baseline row's payload: about the size of an event's leaf.
fn ledger_payload() -> serde_json::Value {
    serde_json::json!({
        "actor": { "kind": "user", "user": Uuid::from_u128(7), "role": "hse_manager" },
        "action": "member.role_changed",
        "resource": { "type": "account", "id": Uuid::from_u128(9) },
        "request": Uuid::now_v7(),
        "details": { "from": "worker", "to": "supervisor" },
        "ip": "203.0.113.7",
        "ua": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36",
    })
}

/// A sequencer running alongside, as in `attest serve` (every 500 ms).
fn sequencer(
    pool: PgPool,
    kek: Arc<LocalKek>,
    stop: Arc<AtomicBool>,
) -> tokio::task::JoinHandle<anyhow::Result<()>> {
    tokio::spawn(async move {
        while !stop.load(Ordering::Relaxed) {
            ledger::integrate_all(&pool, kek.as_ref(), 4096).await?;
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        Ok(())
    })
}

async fn setup(
    dir: &std::path::Path,
    clients: usize,
    duration: Duration,
) -> anyhow::Result<(EmbeddedCluster, Bench)> {
    let (cluster, superuser) = crate::cluster::start(dir, DATABASE).await?;
    eprintln!(
        "{clients} clients, {} s per measurement",
        duration.as_secs()
    );
    sqlx::raw_sql(
        "create schema bench authorization attest_owner;
         create table bench.raw_events (id bigserial primary key, org_id uuid not null, at timestamptz not null, payload jsonb not null);
         alter table bench.raw_events owner to attest_owner;
         grant usage on schema bench to attest_app;
         grant insert on bench.raw_events to attest_app;
         grant usage on sequence bench.raw_events_id_seq to attest_app;",
    )
    .execute(&superuser)
    .await?;
    let regions = Regions::connect(
        &[RegionDatabase {
            region: Region::Na,
            app: cluster.connect_options(ClusterRole::App, DATABASE),
            owner: None,
        }],
        u32::try_from(clients + 4).unwrap_or(32),
    )
    .await?;
    let pool = regions.pool(Region::Na)?.clone();
    let kek = Arc::new(LocalKek::open_or_create(&dir.join("kek"))?);
    let mut orgs = Vec::new();
    for i in 0..101 {
        let created = organisations::create(
            &regions,
            &NewOrganisation {
                slug: OrgSlug::parse(&format!("bench-{i}")).map_err(|e| anyhow::anyhow!("{e}"))?,
                name: DisplayName::parse(&format!("Bench {i}"))
                    .map_err(|e| anyhow::anyhow!("{e}"))?,
                region: Region::Na,
                admin_email: EmailAddress::parse(&format!("admin@bench-{i}.example"))
                    .map_err(|e| anyhow::anyhow!("{e}"))?,
                admin_name: DisplayName::parse("Bench Admin")
                    .map_err(|e| anyhow::anyhow!("{e}"))?,
                admin_password_hash: "$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaA".into(),
            },
        )
        .await
        .context("creating the benchmark's organisations")?;
        orgs.push(created.organisation.org_id);
    }
    let busy = orgs.remove(0);
    Ok((
        cluster,
        Bench {
            pool,
            superuser,
            kek,
            busy,
            many: orgs,
            clients,
            duration,
        },
    ))
}

pub(crate) async fn run(duration: Duration, clients: usize) -> anyhow::Result<Vec<Row>> {
    let dir = tempfile::tempdir()?;
    let (cluster, bench) = setup(dir.path(), clients, duration).await?;
    let result = measure_all(&bench).await;
    bench.pool.close().await;
    bench.superuser.close().await;
    tokio::task::spawn_blocking(move || cluster.stop()).await??;
    result
}

async fn measure_all(bench: &Bench) -> anyhow::Result<Vec<Row>> {
    // Warm up the pools and caches.
    let (warm_up, d) = (Duration::from_secs(1), bench.duration);
    bench.raw_insert(warm_up).await?;
    bench.raw_insert_in_transaction(warm_up).await?;
    bench.append(vec![bench.busy], warm_up).await?;
    bench.drain().await?;

    // Baselines before and after the appends, averaged, so that a drift (the WAL, the table
    // growing, the other core's load) weighs on both sides alike.
    let autocommit_before = bench.raw_insert(d).await?;
    let in_tx_before = bench.raw_insert_in_transaction(d).await?;
    let stop = Arc::new(AtomicBool::new(false));
    let running = sequencer(bench.pool.clone(), bench.kek.clone(), stop.clone());
    let one = bench.append(vec![bench.busy], d).await?;
    let backlog_one = bench.waiting().await?;
    let many = bench.append(bench.many.clone(), d).await?;
    let backlog_many = bench.waiting().await?;
    stop.store(true, Ordering::Relaxed);
    running.await??;
    bench.drain().await?;
    let in_tx_after = bench.raw_insert_in_transaction(d).await?;
    let autocommit_after = bench.raw_insert(d).await?;
    let autocommit = (autocommit_before + autocommit_after) / 2.0;
    let in_tx = (in_tx_before + in_tx_after) / 2.0;
    eprintln!(
        "raw INSERT, autocommit: {autocommit_before:.0}/s then {autocommit_after:.0}/s; \
         in a transaction with context: {in_tx_before:.0}/s then {in_tx_after:.0}/s; \
         waiting for the sequencer when the appends stopped: {backlog_one} (one organisation), {backlog_many} (100)"
    );

    // The sequencer alone: a backlog appended with it stopped, then integrated in batches.
    bench.append(vec![bench.busy], d).await?;
    let (integrated, secs) = bench.drain().await?;
    let integration = integrated as f64 / secs;
    bench.check_trees().await?;

    let in_tx_name = "single-row INSERT in a transaction with the organisation's context (BEGIN, set_config, INSERT, COMMIT)";
    let autocommit_name = "raw single-row INSERT, autocommit";
    let row = |name: &str, figure: f64, baseline_name: &str, baseline: f64, target| Row {
        name: name.into(),
        figure,
        baseline_name: baseline_name.into(),
        baseline,
        unit: "events/s",
        target,
    };
    let one_name = "audit append, one busy organisation (its own transaction, durable commit, sequencer running)";
    let many_name =
        "audit append, 100 organisations (its own transaction, durable commit, sequencer running)";
    Ok(vec![
        row(one_name, one, in_tx_name, in_tx, (Some(2000.0), Some(0.7))),
        row(one_name, one, autocommit_name, autocommit, (None, None)),
        row(many_name, many, in_tx_name, in_tx, (None, Some(0.7))),
        row(many_name, many, autocommit_name, autocommit, (None, None)),
        row(
            "sequencer integration into the tree, one organisation (batches of 4096, a signed checkpoint each)",
            integration,
            autocommit_name,
            autocommit,
            (None, None),
        ),
    ])
}
