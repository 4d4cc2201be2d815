//! Credentials against the database, on a durable cluster of the run's own:
//! - readiness read through row-level security (an HSE manager's context) for 10,000 workers and
//!   100,000 credentials, and computed, against a raw `SELECT` of the same credential rows as the
//!   superuser (no row-level security);
//! - an import of 10,000 CSV rows (parsed, checked, sealed and written in one transaction)
//!   against a raw multi-row `INSERT` of 10,000 rows of the same shape.

use crate::report::Row;
use attest_core::{BuiltinRole, DisplayName, EmailAddress, OrgId, OrgSlug, Region};
use attest_crypto::LocalKek;
use attest_import::{Limits, Table};
use attest_store::credentials::import_credentials;
use attest_store::embedded::ClusterRole;
use attest_store::organisations::{self, NewOrganisation};
use attest_store::{AccessContext, RegionDatabase, Regions, begin, readiness};
use sqlx::PgPool;
use std::time::Instant;

const DATABASE: &str = "attest_bench_credentials";

pub(crate) async fn run(workers: usize) -> anyhow::Result<Vec<Row>> {
    let dir = tempfile::tempdir()?;
    let (cluster, superuser) = crate::cluster::start(dir.path(), DATABASE).await?;
    let result = async {
        let regions = Regions::connect(
            &[RegionDatabase {
                region: Region::Na,
                app: cluster.connect_options(ClusterRole::App, DATABASE),
                owner: None,
            }],
            4,
        )
        .await?;
        let pool = regions.pool(Region::Na)?.clone();
        let org = seed(&regions, &superuser, workers).await?;
        let kek = LocalKek::open_or_create(&dir.path().join("kek"))?;
        let mut rows = vec![read_readiness(&pool, &superuser, org).await?];
        rows.push(import(&pool, &superuser, &kek, org, workers).await?);
        pool.close().await;
        anyhow::Ok(rows)
    }
    .await;
    superuser.close().await;
    tokio::task::spawn_blocking(move || cluster.stop()).await??;
    result
}

fn manager(org_id: OrgId) -> AccessContext {
    AccessContext {
        org_id,
        user_id: None,
        permissions: BuiltinRole::HseManager.permissions(),
    }
}

/// An organisation with `workers` workers in 200 crews over 20 sites, 30 types (3 required per
/// site) and 10 credentials per worker, written in bulk as the superuser.
async fn seed(regions: &Regions, superuser: &PgPool, workers: usize) -> anyhow::Result<OrgId> {
    let parse = |e: String| anyhow::anyhow!(e);
    let created = organisations::create(
        regions,
        &NewOrganisation {
            slug: OrgSlug::parse("bench").map_err(|e| parse(e.to_string()))?,
            name: DisplayName::parse("Bench Industrial").map_err(|e| parse(e.to_string()))?,
            region: Region::Na,
            admin_email: EmailAddress::parse("admin@bench.example")
                .map_err(|e| parse(e.to_string()))?,
            admin_name: DisplayName::parse("Bench Admin").map_err(|e| parse(e.to_string()))?,
            admin_password_hash: "$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaA".into(),
        },
    )
    .await?;
    let org = created.organisation.org_id;
    let worker_role = created.roles[BuiltinRole::Worker.key()];
    let started = Instant::now();
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "begin;
         insert into attest.users (org_id, user_id, email, display_name)
             select '{org}', gen_random_uuid(), 'worker' || n || '@bench.example', 'Worker ' || n from generate_series(1, {workers}) n;
         insert into attest.memberships (org_id, user_id, role_id)
             select org_id, user_id, '{worker_role}' from attest.users where org_id = '{org}' and email like 'worker%';
         insert into attest.sites (org_id, site_id, name) select '{org}', gen_random_uuid(), 'Site ' || n from generate_series(1, 20) n;
         insert into attest.crews (org_id, crew_id, name, site_id)
             select '{org}', gen_random_uuid(), 'Crew ' || n, (select site_id from attest.sites where org_id = '{org}' order by name offset (n % 20) limit 1)
             from generate_series(1, 200) n;
         insert into attest.crew_members (org_id, crew_id, user_id)
             select '{org}', c.crew_id, u.user_id
             from (select user_id, row_number() over (order by user_id) % 200 as k from attest.users where org_id = '{org}' and email like 'worker%') u
             join (select crew_id, row_number() over (order by crew_id) - 1 as k from attest.crews where org_id = '{org}') c using (k);
         insert into attest.credential_types (org_id, type_id, code, name, validity_months)
             select '{org}', gen_random_uuid(), 'T' || n, 'Type ' || n, 36 from generate_series(1, 31) n;
         insert into attest.requirements (org_id, requirement_id, type_id, site_id)
             select '{org}', gen_random_uuid(), t.type_id, s.site_id
             from (select site_id, row_number() over (order by name) as k from attest.sites where org_id = '{org}') s
             join (select type_id, row_number() over (order by code) as k from attest.credential_types where org_id = '{org}' and code <> 'T31') t
               on t.k in (s.k % 30 + 1, (s.k + 3) % 30 + 1, (s.k + 6) % 30 + 1);
         insert into attest.credentials (org_id, credential_id, user_id, type_id, issuer, issued_on, expires_on)
             select '{org}', gen_random_uuid(), u.user_id, t.type_id, 'Bench Training', current_date - 400, current_date + ((u.k * 31 + t.k * 17) % 400)::int - 30
             from (select user_id, row_number() over (order by user_id) as k from attest.users where org_id = '{org}' and email like 'worker%') u
             join (select type_id, row_number() over (order by code) as k from attest.credential_types where org_id = '{org}' and code <> 'T31') t
               on (t.k + u.k) % 3 = 0 and t.k <= 30;
         commit;"
    )))
    .execute(superuser)
    .await?;
    let credentials: i64 = sqlx::query_scalar("select count(*) from attest.credentials")
        .fetch_one(superuser)
        .await?;
    eprintln!(
        "seeded {workers} workers and {credentials} credentials in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    sqlx::raw_sql("vacuum analyze").execute(superuser).await?;
    Ok(org)
}

/// A credential row as the raw baseline reads it.
type RawCredential = (
    uuid::Uuid,
    uuid::Uuid,
    uuid::Uuid,
    String,
    String,
    String,
    Option<time::Date>,
);

/// Median seconds of `runs` runs.
async fn median<F, Fut>(runs: usize, mut f: F) -> anyhow::Result<f64>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = anyhow::Result<()>>,
{
    let mut times = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        f().await?;
        times.push(start.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    Ok(times[times.len() / 2])
}

async fn read_readiness(pool: &PgPool, superuser: &PgPool, org: OrgId) -> anyhow::Result<Row> {
    let ours = median(5, || async {
        let mut tx = begin(pool, &manager(org)).await?;
        let data = readiness::load(&mut tx, time::OffsetDateTime::now_utc(), None).await?;
        tx.commit().await?;
        std::hint::black_box(attest_core::readiness::compute(&data.input));
        Ok(())
    })
    .await?;
    let raw = median(5, || async {
        let rows: Vec<RawCredential> = sqlx::query_as(
            "select c.credential_id, c.user_id, c.type_id, t.code, t.name, c.state, c.expires_on
             from attest.credentials c join attest.credential_types t using (org_id, type_id) where c.org_id = $1",
        )
        .bind(org.as_uuid())
        .fetch_all(superuser)
        .await?;
        std::hint::black_box(rows);
        Ok(())
    })
    .await?;
    eprintln!(
        "readiness from the database: {:.0} ms (raw select of the credentials: {:.0} ms)",
        ours * 1000.0,
        raw * 1000.0
    );
    Ok(Row {
        name:
            "readiness read through row-level security and computed (10k workers, 100k credentials)"
                .into(),
        figure: 1.0 / ours,
        baseline_name: "raw SELECT of the same credentials, no RLS".into(),
        baseline: 1.0 / raw,
        unit: "runs/s",
        target: (None, None),
    })
}

async fn import(
    pool: &PgPool,
    superuser: &PgPool,
    kek: &LocalKek,
    org: OrgId,
    workers: usize,
) -> anyhow::Result<Row> {
    let mut csv = String::from("email,credential,issuer,issued_on,expires_on,number\n");
    for n in 1..=workers {
        csv.push_str(&format!(
            "worker{n}@bench.example,T31,Bench Academy,2026-11-01,,CERT-{n:06}\n"
        ));
    }
    let started = Instant::now();
    let table =
        Table::read(csv.as_bytes(), Limits::default()).map_err(|e| anyhow::anyhow!("{e}"))?;
    let parsed = attest_import::credentials(&table).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut tx = begin(pool, &manager(org)).await?;
    let mut progress = |_: &'static str, _: usize, _: usize| {};
    let report =
        import_credentials(&mut tx, kek, org, None, &parsed.rows, true, &mut progress).await?;
    tx.commit().await?;
    let ours = started.elapsed().as_secs_f64();
    anyhow::ensure!(
        report.added == workers && report.problems.is_empty(),
        "the import did not add every row: {report:?}"
    );

    sqlx::raw_sql(
        "create table public.raw_credentials (credential_id uuid primary key, user_id uuid not null, issuer text not null,
             issued_on date not null, expires_on date, number bytea)",
    )
    .execute(superuser)
    .await?;
    let started = Instant::now();
    let mut tx = superuser.begin().await?;
    sqlx::query(
        "insert into public.raw_credentials select gen_random_uuid(), user_id, 'Bench Academy', date '2026-11-01', date '2029-11-01', decode(md5(email), 'hex')
         from attest.users where org_id = $1 and email like 'worker%'",
    )
    .bind(org.as_uuid())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let raw = started.elapsed().as_secs_f64();
    let n = workers as f64;
    eprintln!("import of {workers} rows: {ours:.2} s (raw insert: {raw:.3} s)");
    Ok(Row {
        name: format!("credential import, {workers} CSV rows, one transaction (target: seconds)"),
        figure: n / ours,
        baseline_name: "raw INSERT … SELECT of the same number of rows".into(),
        baseline: n / raw,
        unit: "rows/s",
        target: (Some(1000.0), None),
    })
}
