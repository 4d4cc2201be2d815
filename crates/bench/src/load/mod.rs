//! `attest-bench load`: mixed traffic against a real `attest serve --demo` (release build, its
//! own embedded PostgreSQL) from virtual users, each on its own keep-alive HTTPS connection:
//! sign-ins, the readiness dashboard, badge verification at a gate, requisition analysis, the
//! audit timeline and a full audit export.
//!
//! 1. **Baseline:** `GET /healthz` from as many connections, for the same time: the ceiling of
//!    the HTTP and TLS stack on this machine in this run.
//! 2. **Capacity:** every route at once, each virtual user sending its next request as soon as
//!    the last is answered (closed loop). The sum is the measured capacity.
//! 3. **Half load:** each route at half its measured rate, on a fixed schedule (open loop): a
//!    request's latency counts from when it was due, so a stall is not hidden by waiting for it.
//!
//! Reported: throughput and p50/p99 per route in both, every answer's status, and the server
//! process's peak RSS (`VmHWM`, start-up and demo seeding included). Targets: no 5xx and no
//! failed connection at capacity, p99 < 100 ms for the reads (readiness, audit timeline) at half
//! load, server RSS < 200 MiB throughout. `--enforce` fails the run when one is missed.

mod client;
mod server;

use client::{Client, Target};
use hyper::{Method, StatusCode};
use serde_json::{Value, json};
use server::Server;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{Mutex, mpsc};

const HSE: &str = "hannah.okafor@northwind.example";
const SUPERVISOR: &str = "samuel.reyes@northwind.example";
const WORKER: &str = "liam.chen@northwind.example";
const AUTHOR: &str = "daniel.park@northwind.example";
const AUDITOR: &str = "aisha.khan@northwind.example";
/// The server's memory budget under load.
const RSS_BUDGET_MIB: f64 = 200.0;
/// The reads' p99 at half load.
const READ_P99_TARGET_MS: f64 = 100.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Route {
    SignIn,
    Readiness,
    BadgeVerify,
    Analysis,
    AuditTimeline,
    Export,
}

impl Route {
    const ALL: [Route; 6] = [
        Route::SignIn,
        Route::Readiness,
        Route::BadgeVerify,
        Route::Analysis,
        Route::AuditTimeline,
        Route::Export,
    ];

    fn name(self) -> &'static str {
        match self {
            Route::SignIn => "POST /auth/sign-in",
            Route::Readiness => "GET /readiness",
            Route::BadgeVerify => "POST /badges/verify",
            Route::Analysis => "POST /requisitions/{id}/analyse",
            Route::AuditTimeline => "GET /audit/events?limit=50",
            Route::Export => "GET /audit/export",
        }
    }

    fn is_read(self) -> bool {
        matches!(self, Route::Readiness | Route::AuditTimeline)
    }

    /// Virtual users at capacity. Analyses and exports stay within one account's share (two at
    /// once), as one person's would; sign-ins are argon2id hashes, two at a time on the server.
    fn users(self) -> usize {
        match self {
            Route::SignIn | Route::Analysis => 2,
            Route::Readiness | Route::BadgeVerify => 6,
            Route::AuditTimeline => 4,
            Route::Export => 1,
        }
    }
}

/// What the virtual users share: tokens, a badge to scan, a requisition to analyse.
struct Scenario {
    password: String,
    hse: String,
    supervisor: String,
    author: String,
    auditor: String,
    badge: String,
    requisition: String,
}

impl Scenario {
    async fn prepare(target: &Target, password: String) -> anyhow::Result<Self> {
        let mut client = Client::new(target.clone());
        let mut token = async |email: &str| -> anyhow::Result<String> {
            let body = json!({"organisation": "northwind", "email": email, "password": password});
            let answer = client
                .json(Method::POST, "/api/v1/auth/sign-in", None, Some(&body))
                .await?;
            answer["access_token"]
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| anyhow::anyhow!("{email} was not signed in: {answer}"))
        };
        let (hse, supervisor, worker, author, auditor) = (
            token(HSE).await?,
            token(SUPERVISOR).await?,
            token(WORKER).await?,
            token(AUTHOR).await?,
            token(AUDITOR).await?,
        );
        let badge = client
            .json(Method::GET, "/api/v1/me/badge", Some(&worker), None)
            .await?["payload"]
            .as_str()
            .ok_or_else(|| anyhow::anyhow!("the worker has no badge"))?
            .to_owned();
        let text = crate::reqiq::corpus()?.swap_remove(0);
        let created = client
            .json(
                Method::POST,
                "/api/v1/requisitions",
                Some(&author),
                Some(&json!({"title": "Load benchmark", "text": text})),
            )
            .await?;
        let requisition = created["requisition_id"]
            .as_str()
            .ok_or_else(|| anyhow::anyhow!("no requisition id in {created}"))?
            .to_owned();
        let scenario = Self {
            password,
            hse,
            supervisor,
            author,
            auditor,
            badge,
            requisition,
        };
        // The scan must pass, or the benchmark measures refusals.
        let scan = scenario.scan();
        let verified = client
            .json(
                Method::POST,
                "/api/v1/badges/verify",
                Some(&scenario.supervisor),
                Some(&scan),
            )
            .await?;
        anyhow::ensure!(
            verified["valid"] == true,
            "the badge did not verify: {verified}"
        );
        Ok(scenario)
    }

    fn scan(&self) -> Value {
        json!({"payload": self.badge, "scan_id": uuid::Uuid::new_v4(), "location": "Gate 1"})
    }

    /// One request of `route`; its status.
    async fn call(&self, route: Route, client: &mut Client) -> anyhow::Result<StatusCode> {
        let answer = match route {
            Route::SignIn => {
                let body =
                    json!({"organisation": "northwind", "email": HSE, "password": self.password});
                client
                    .send(
                        Method::POST,
                        "/api/v1/auth/sign-in",
                        None,
                        Some(&body),
                        false,
                    )
                    .await?
            }
            Route::Readiness => {
                client
                    .send(
                        Method::GET,
                        "/api/v1/readiness",
                        Some(&self.hse),
                        None,
                        false,
                    )
                    .await?
            }
            Route::BadgeVerify => {
                let scan = self.scan();
                client
                    .send(
                        Method::POST,
                        "/api/v1/badges/verify",
                        Some(&self.supervisor),
                        Some(&scan),
                        false,
                    )
                    .await?
            }
            Route::Analysis => {
                let path = format!("/api/v1/requisitions/{}/analyse", self.requisition);
                client
                    .send(Method::POST, &path, Some(&self.author), None, false)
                    .await?
            }
            Route::AuditTimeline => {
                client
                    .send(
                        Method::GET,
                        "/api/v1/audit/events?limit=50",
                        Some(&self.auditor),
                        None,
                        false,
                    )
                    .await?
            }
            Route::Export => {
                client
                    .send(
                        Method::GET,
                        "/api/v1/audit/export",
                        Some(&self.auditor),
                        None,
                        false,
                    )
                    .await?
            }
        };
        Ok(answer.status)
    }
}

/// One answer (or failure), and how long it took from when it was due.
#[derive(Debug, Clone, Copy)]
struct Sample {
    micros: u64,
    /// The HTTP status, or `None` when the connection failed.
    status: Option<u16>,
}

/// A route's figures in one phase.
#[derive(Debug, Default, Clone)]
struct Figures {
    rate: f64,
    p50_ms: f64,
    p99_ms: f64,
    statuses: BTreeMap<String, u64>,
}

impl Figures {
    fn of(samples: &[Sample], seconds: f64) -> Self {
        let mut micros: Vec<u64> = samples.iter().map(|s| s.micros).collect();
        micros.sort_unstable();
        let at = |p: f64| {
            let index = ((micros.len() as f64 * p).ceil() as usize).saturating_sub(1);
            micros.get(index).map_or(0.0, |m| *m as f64 / 1000.0)
        };
        let mut statuses = BTreeMap::new();
        for sample in samples {
            let key = sample
                .status
                .map_or_else(|| "failed".to_owned(), |s| s.to_string());
            *statuses.entry(key).or_insert(0) += 1;
        }
        Self {
            rate: samples.len() as f64 / seconds,
            p50_ms: at(0.50),
            p99_ms: at(0.99),
            statuses,
        }
    }

    /// 5xx answers and failed connections.
    fn failures(&self) -> u64 {
        self.statuses
            .iter()
            .filter(|(status, _)| status.starts_with('5') || *status == "failed")
            .map(|(_, n)| n)
            .sum()
    }

    fn statuses_text(&self) -> String {
        self.statuses
            .iter()
            .map(|(status, n)| format!("{status}×{n}"))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A virtual user: takes the next due time (now, in a closed loop) and sends the request.
async fn user(
    scenario: Arc<Scenario>,
    target: Target,
    route: Route,
    due: Option<Arc<Mutex<mpsc::Receiver<Instant>>>>,
    until: Instant,
) -> Vec<Sample> {
    let mut client = Client::new(target);
    let mut samples = Vec::new();
    loop {
        let started = match &due {
            Some(queue) => match queue.lock().await.recv().await {
                Some(at) => at,
                None => break,
            },
            None if Instant::now() < until => Instant::now(),
            None => break,
        };
        let status = match scenario.call(route, &mut client).await {
            Ok(status) => Some(status.as_u16()),
            // The connection is dropped; the next request opens another.
            Err(_) => None,
        };
        samples.push(Sample {
            micros: u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
            status,
        });
    }
    samples
}

/// Every route at once: closed loop when `rates` is `None`, otherwise each route on a fixed
/// schedule at its rate.
async fn phase(
    scenario: &Arc<Scenario>,
    target: &Target,
    seconds: f64,
    rates: Option<&BTreeMap<Route, f64>>,
) -> BTreeMap<Route, Vec<Sample>> {
    let until = Instant::now() + Duration::from_secs_f64(seconds);
    let mut tasks = Vec::new();
    for route in Route::ALL {
        let due = match rates {
            None => None,
            Some(rates) => {
                let rate = rates.get(&route).copied().unwrap_or(0.0);
                if rate <= 0.0 {
                    continue;
                }
                let (tx, rx) = mpsc::channel(100_000);
                tokio::spawn(schedule(tx, rate, until));
                Some(Arc::new(Mutex::new(rx)))
            }
        };
        // At half load a route may fall behind for a moment: more users than at capacity take
        // what is due, except where one account's share is the limit.
        let users = match (rates, route) {
            (
                Some(_),
                Route::SignIn | Route::Readiness | Route::BadgeVerify | Route::AuditTimeline,
            ) => route.users() * 2,
            _ => route.users(),
        };
        for _ in 0..users {
            let task = tokio::spawn(user(
                Arc::clone(scenario),
                target.clone(),
                route,
                due.clone(),
                until,
            ));
            tasks.push((route, task));
        }
    }
    let mut samples: BTreeMap<Route, Vec<Sample>> = BTreeMap::new();
    for (route, task) in tasks {
        samples
            .entry(route)
            .or_default()
            .extend(task.await.unwrap_or_default());
    }
    samples
}

/// Sends a due time every `1 / rate` seconds until `until`.
async fn schedule(tx: mpsc::Sender<Instant>, rate: f64, until: Instant) {
    let interval = Duration::from_secs_f64(1.0 / rate);
    let start = Instant::now();
    for n in 0u32.. {
        let at = start + interval * n;
        if at >= until {
            break;
        }
        tokio::time::sleep_until(at.into()).await;
        if tx.send(at).await.is_err() {
            break;
        }
    }
}

/// `GET /healthz` from `users` connections for `seconds`: requests a second.
async fn baseline(target: &Target, users: usize, seconds: f64) -> f64 {
    let until = Instant::now() + Duration::from_secs_f64(seconds);
    let tasks: Vec<_> = (0..users)
        .map(|_| {
            let target = target.clone();
            tokio::spawn(async move {
                let mut client = Client::new(target);
                let mut n = 0u64;
                while Instant::now() < until {
                    if client
                        .send(Method::GET, "/healthz", None, None, false)
                        .await
                        .is_ok_and(|a| a.status.is_success())
                    {
                        n += 1;
                    }
                }
                n
            })
        })
        .collect();
    let mut total = 0;
    for task in tasks {
        total += task.await.unwrap_or(0);
    }
    total as f64 / seconds
}

/// Samples the server's resident memory every 50 ms until stopped; the highest seen.
fn watch_memory(
    server: &Server,
) -> (
    tokio::task::JoinHandle<f64>,
    Arc<std::sync::atomic::AtomicBool>,
) {
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let pid = server.pid();
    let flag = Arc::clone(&stop);
    let task = tokio::spawn(async move {
        let mut highest = 0.0f64;
        while !flag.load(std::sync::atomic::Ordering::Relaxed) {
            if let Some(mib) = server::memory_mib(pid, "VmRSS:") {
                highest = highest.max(mib);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        highest
    });
    (task, stop)
}

pub(crate) fn run(binary: &Path, seconds: f64, enforce: bool) -> anyhow::Result<()> {
    let web = Path::new("web/dist");
    eprintln!("load: starting {} serve --demo …", binary.display());
    let server = Server::start(binary, web.is_dir().then_some(web))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let outcome = runtime.block_on(measure(&server, seconds));
    match outcome {
        Ok(report) => {
            std::io::Write::write_all(&mut std::io::stdout().lock(), report.text.as_bytes())?;
            if enforce && !report.missed.is_empty() {
                anyhow::bail!("targets missed: {}", report.missed.join("; "));
            }
            if !report.failures.is_empty() {
                anyhow::bail!(
                    "{}\nserver log:\n{}",
                    report.failures.join("; "),
                    server.log()
                );
            }
            Ok(())
        }
        Err(error) => Err(error.context(format!("server log:\n{}", server.log()))),
    }
}

struct Report {
    text: String,
    /// Performance targets missed (fail the run with `--enforce`).
    missed: Vec<String>,
    /// Errors: 5xx or failed connections at capacity (always fail the run).
    failures: Vec<String>,
}

async fn measure(server: &Server, seconds: f64) -> anyhow::Result<Report> {
    let target = Target::new(server.addr, &server.certificate())?;
    let scenario = Arc::new(Scenario::prepare(&target, server.password.clone()).await?);
    let (rss_before, peak_before) = (server.memory_mib("VmRSS:"), server.memory_mib("VmHWM:"));
    let (memory, stop_memory) = watch_memory(server);
    let users: usize = Route::ALL.iter().map(|r| r.users()).sum();
    eprintln!("load: warming up, then {seconds} s per phase with {users} virtual users");
    phase(&scenario, &target, seconds.min(2.0), None).await;
    let healthz = baseline(&target, users, seconds).await;
    let capacity = phase(&scenario, &target, seconds, None).await;
    let capacity: BTreeMap<Route, Figures> = capacity
        .iter()
        .map(|(route, samples)| (*route, Figures::of(samples, seconds)))
        .collect();
    let half_rates: BTreeMap<Route, f64> = capacity
        .iter()
        .map(|(route, figures)| (*route, figures.rate / 2.0))
        .collect();
    let half = phase(&scenario, &target, seconds, Some(&half_rates)).await;
    let half: BTreeMap<Route, Figures> = half
        .iter()
        .map(|(route, samples)| (*route, Figures::of(samples, seconds)))
        .collect();
    stop_memory.store(true, std::sync::atomic::Ordering::Relaxed);
    let highest_sampled = memory.await.unwrap_or(0.0);
    let peak = server.memory_mib("VmHWM:").max(highest_sampled);

    let mut text = String::new();
    writeln!(
        text,
        "| route | at capacity: req/s | p50 ms | p99 ms | statuses | at half: req/s | p50 ms | p99 ms | statuses |"
    )?;
    writeln!(text, "|---|---:|---:|---:|---|---:|---:|---:|---|")?;
    let (mut missed, mut failures) = (Vec::new(), Vec::new());
    let mut total = 0.0;
    for route in Route::ALL {
        let (full, halved) = (
            capacity.get(&route).cloned().unwrap_or_default(),
            half.get(&route).cloned().unwrap_or_default(),
        );
        total += full.rate;
        writeln!(
            text,
            "| {} | {:.0} | {:.1} | {:.1} | {} | {:.1} | {:.1} | {:.1} | {} |",
            route.name(),
            full.rate,
            full.p50_ms,
            full.p99_ms,
            full.statuses_text(),
            halved.rate,
            halved.p50_ms,
            halved.p99_ms,
            halved.statuses_text(),
        )?;
        for (phase, figures) in [("at capacity", &full), ("at half load", &halved)] {
            if figures.failures() > 0 {
                failures.push(format!(
                    "{} {phase}: {} 5xx or failed connections",
                    route.name(),
                    figures.failures()
                ));
            }
            let unexpected: u64 = figures
                .statuses
                .iter()
                .filter(|(status, _)| status.starts_with('4'))
                .map(|(_, n)| n)
                .sum();
            if unexpected > 0 {
                failures.push(format!(
                    "{} {phase}: {unexpected} 4xx answers",
                    route.name()
                ));
            }
        }
        if route.is_read() && halved.p99_ms >= READ_P99_TARGET_MS {
            missed.push(format!(
                "{}: p99 {:.1} ms at half load (target < {READ_P99_TARGET_MS} ms)",
                route.name(),
                halved.p99_ms
            ));
        }
    }
    if peak >= RSS_BUDGET_MIB {
        missed.push(format!(
            "server peak RSS {peak:.1} MiB (budget {RSS_BUDGET_MIB} MiB)"
        ));
    }
    let ok = |good: bool| if good { "✓" } else { "✗ MISSED" };
    writeln!(
        text,
        "\nmixed traffic at capacity: {total:.0} req/s from {users} virtual users; baseline GET /healthz \
         from as many connections, same run: {healthz:.0} req/s (ratio {:.3})",
        if healthz > 0.0 { total / healthz } else { 0.0 }
    )?;
    writeln!(
        text,
        "no 5xx and no failed connection: {}",
        ok(failures.is_empty())
    )?;
    let reads_ok = !missed.iter().any(|m| m.contains("p99"));
    writeln!(
        text,
        "reads' p99 at half load < {READ_P99_TARGET_MS} ms: {}",
        ok(reads_ok)
    )?;
    writeln!(
        text,
        "server peak RSS (VmHWM, start-up included): {peak:.1} MiB, budget {RSS_BUDGET_MIB} MiB: {} \
         (before the load: {rss_before:.1} MiB resident, {peak_before:.1} MiB peak)",
        ok(peak < RSS_BUDGET_MIB)
    )?;
    writeln!(
        text,
        "peak RSS of the benchmark process: {:.1} MiB",
        crate::report::peak_rss_mib()
    )?;
    Ok(Report {
        text,
        missed,
        failures,
    })
}
