//! `attest-bench`: Attest's benchmarks. Each prints its figure beside a baseline measured in the
//! same run on the same machine, and the ratio between them, and the process's peak RSS.
//!
//! `attest-bench audit` — the audit ledger: appends (one busy organisation, and 100) against a
//! raw single-row `INSERT` on a durable PostgreSQL cluster of its own, with the sequencer running;
//! and offline verification of an export against raw SHA-256 over the same bytes.
//!
//! `attest-bench credentials` — readiness for 10,000 workers × 10 credentials × 20 sites in
//! memory and through row-level security, and an import of 10,000 CSV rows.
//!
//! `attest-bench badge` — offline badge verification per core against raw Ed25519
//! `verify_strict`, and badge sizes (characters, QR version) for 1, 6 and 12 credentials.
//! `attest-bench reqiq` — requisition analysis per core on ~350-word requisitions against raw
//! SHA-256 of the same text, and the p99 of a 5-page PDF (extraction included).
//!
//! `attest-bench load` — mixed traffic against a release `attest serve --demo`: capacity, p50/p99
//! per route at capacity and at half of it, and the server's peak RSS, beside `GET /healthz` from
//! as many connections.

#![expect(
    clippy::print_stderr,
    reason = "a benchmark reports its progress and setup on stderr"
)]

mod append;
mod badge;
mod cluster;
mod credentials_db;
mod load;
mod measure;
mod readiness;
mod report;
mod reqiq;
mod verify;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "attest-bench",
    about = "Attest's benchmarks, each against a raw baseline measured in the same run."
)]
struct Cli {
    #[command(subcommand)]
    bench: Bench,
}

#[derive(Debug, Subcommand)]
enum Bench {
    /// The audit ledger: append throughput and export verification.
    Audit {
        /// Seconds per append measurement.
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// Concurrent writers.
        #[arg(long, default_value_t = 16)]
        clients: usize,
        /// Events in the export to verify.
        #[arg(long, default_value_t = 300_000)]
        verify_events: u64,
        /// Skip the database part (verification only).
        #[arg(long)]
        no_database: bool,
        /// Keep the export to verify in this file, or reuse it if it exists (to profile).
        #[arg(long, value_name = "FILE")]
        export_file: Option<std::path::PathBuf>,
    },
    /// Badges: offline verification per core, and sizes.
    Badge {
        /// Seconds per measurement.
        #[arg(long, default_value_t = 3.0)]
        seconds: f64,
    },
    /// Requisitions: analysis throughput per core, and a 5-page PDF's latency.
    Reqiq {
        /// Seconds per measurement.
        #[arg(long, default_value_t = 3.0)]
        seconds: f64,
        /// Times the 5-page PDF is read and analysed.
        #[arg(long, default_value_t = 200)]
        pdf_runs: usize,
    },
    /// Mixed traffic against a real `attest serve --demo`: capacity, latency, server memory.
    Load {
        /// Seconds per phase (baseline, capacity, half load).
        #[arg(long, default_value_t = 30.0)]
        seconds: f64,
        /// The `attest` binary (default: beside this one).
        #[arg(long, value_name = "FILE")]
        binary: Option<std::path::PathBuf>,
        /// Fail when a target (latency, memory) is missed, not only on errors.
        #[arg(long)]
        enforce: bool,
    },
    /// Credentials: readiness (in memory and through row-level security) and imports.
    Credentials {
        /// Workers in the organisation.
        #[arg(long, default_value_t = 10_000)]
        workers: usize,
        /// Skip the database part (readiness in memory only).
        #[arg(long)]
        no_database: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.bench {
        Bench::Audit {
            seconds,
            clients,
            verify_events,
            no_database,
            export_file,
        } => run_audit(
            seconds,
            clients,
            verify_events,
            no_database,
            export_file.as_deref(),
        ),
        Bench::Credentials {
            workers,
            no_database,
        } => run_credentials(workers, no_database),
        Bench::Badge { seconds } => badge::run(seconds).and_then(|rows| report::print(&rows)),
        Bench::Load {
            seconds,
            binary,
            enforce,
        } => beside_this("attest", binary).and_then(|binary| load::run(&binary, seconds, enforce)),
        Bench::Reqiq { seconds, pdf_runs } => {
            reqiq::run(seconds, pdf_runs).and_then(|rows| report::print(&rows))
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            use std::io::Write as _;
            let _ = writeln!(std::io::stderr(), "attest-bench: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// `given`, or the program `name` in this one's directory.
fn beside_this(
    name: &str,
    given: Option<std::path::PathBuf>,
) -> anyhow::Result<std::path::PathBuf> {
    match given {
        Some(path) => Ok(path),
        None => Ok(std::env::current_exe()?.with_file_name(name)),
    }
}

fn run_audit(
    seconds: u64,
    clients: usize,
    verify_events: u64,
    no_database: bool,
    export_file: Option<&std::path::Path>,
) -> anyhow::Result<()> {
    let mut rows = Vec::new();
    rows.extend(verify::run(verify_events, export_file)?);
    if !no_database {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()?;
        rows.extend(runtime.block_on(append::run(
            std::time::Duration::from_secs(seconds),
            clients,
        ))?);
    }
    report::print(&rows)
}

fn run_credentials(workers: usize, no_database: bool) -> anyhow::Result<()> {
    let mut rows = readiness::run(workers);
    if !no_database {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()?;
        rows.extend(runtime.block_on(credentials_db::run(workers))?);
    }
    report::print(&rows)
}
