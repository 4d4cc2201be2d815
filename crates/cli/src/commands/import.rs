//! `attest import (credentials | workers) --org SLUG FILE [--dry-run]`: the operator's imports,
//! with a progress bar. The same checks and the same all-or-nothing write as the web app's
//! imports; recorded in the ledger as done by Attest itself, from the command line. Imported
//! workers who are new get an invitation, as from the web app.

use crate::config::Config;
use crate::runtime::Runtime;
use anyhow::Context as _;
use attest_core::{OrgSlug, Permission, PermissionSet};
use attest_import::{Limits, Problem, Table};
use attest_server::{Caller, Resource, Work};
use attest_store::audit::AuditAction;
use attest_store::credentials::{ImportReport, import_credentials};
use attest_store::organisations;
use attest_store::workers_import::import_workers;
use attest_store::{directory, signing_keys};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{Read as _, Write as _};
use std::path::PathBuf;

/// What to import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Credentials,
    Workers,
}

/// What to import, from where, into which organisation.
#[derive(Debug)]
pub(crate) struct ImportRequest {
    pub(crate) kind: Kind,
    pub(crate) org: String,
    pub(crate) file: PathBuf,
    pub(crate) dry_run: bool,
}

/// The file, parsed.
enum Rows {
    Credentials(attest_import::Parsed<attest_import::CredentialRow>),
    Workers(attest_import::Parsed<attest_import::WorkerRow>),
}

/// How it ended: `Ok(true)` imported or checked, `Ok(false)` refused (problems printed).
pub(crate) async fn run(config: Config, request: ImportRequest) -> anyhow::Result<bool> {
    let slug = OrgSlug::parse(&request.org).map_err(|e| anyhow::anyhow!("--org: {e}"))?;
    let bytes = read_limited(&request.file)?;
    let file_sha256: String = attest_crypto::sha256(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let unusable = |e: attest_import::FileError| anyhow::anyhow!("{}: {e}", request.file.display());
    let table = Table::read(&bytes, Limits::default()).map_err(unusable)?;
    let rows = match request.kind {
        Kind::Credentials => {
            Rows::Credentials(attest_import::credentials(&table).map_err(unusable)?)
        }
        Kind::Workers => Rows::Workers(attest_import::workers(&table).map_err(unusable)?),
    };
    let runtime = Runtime::start(&config, false).await?;
    let result = async {
        let kek = runtime.kek.as_ref();
        let region = directory::lookup(runtime.regions.primary(), &slug)
            .await?
            .with_context(|| format!("no organisation {slug}"))?;
        let pool = runtime.regions.pool(region)?;
        let org = organisations::resolve(pool, &slug)
            .await?
            .with_context(|| format!("no organisation {slug}"))?;
        let permissions: PermissionSet = [
            Permission::PeopleReadOrg,
            Permission::PeopleManage,
            Permission::CrewsRead,
            Permission::CrewsManage,
            Permission::CredentialsReadOrg,
            Permission::CredentialsManage,
        ]
        .into_iter()
        .collect();
        let caller = Caller::command(org.org_id, region, permissions.iter());
        let mut tx = caller.write(&runtime.regions).await?;
        let bar = progress_bar(match &rows {
            Rows::Credentials(p) => p.rows.len(),
            Rows::Workers(p) => p.rows.len(),
        });
        let mut progress = |stage: &'static str, done: usize, _total: usize| {
            bar.set_message(stage);
            bar.set_position(u64::try_from(done).unwrap_or(0));
        };
        let (mut report, problems) = match &rows {
            Rows::Credentials(p) => {
                let apply = !request.dry_run && p.problems.is_empty();
                (
                    import_credentials(
                        &mut tx,
                        kek,
                        org.org_id,
                        None,
                        &p.rows,
                        apply,
                        &mut progress,
                    )
                    .await?,
                    p.problems.clone(),
                )
            }
            Rows::Workers(p) => {
                let apply = !request.dry_run && p.problems.is_empty();
                let (report, created) = import_workers(
                    &mut tx,
                    org.org_id,
                    &permissions,
                    &p.rows,
                    apply,
                    &mut progress,
                )
                .await?;
                if report.applied {
                    let tokens = signing_keys::token_keys(runtime.regions.primary(), kek).await?;
                    let links = attest_server::Links {
                        tokens: &tokens,
                        public_url: &config.public_url,
                        now: time::OffsetDateTime::now_utc(),
                    };
                    let inviter = "Your organisation's administrator";
                    attest_server::invite_imported(&mut tx, &org, &links, inviter, &created)
                        .await?;
                }
                (report, p.problems.clone())
            }
        };
        bar.finish_and_clear();
        report.problems.extend(problems);
        report.problems.sort_by_key(|p: &Problem| p.row);
        if report.applied {
            record(&mut tx, request.kind, &file_sha256, &report).await?;
            tx.commit().await?;
        } else {
            tx.rollback().await?;
        }
        describe(&report, request.kind, request.dry_run)
    }
    .await;
    runtime.shutdown().await;
    result
}

fn progress_bar(rows: usize) -> ProgressBar {
    let bar = ProgressBar::new(u64::try_from(rows).unwrap_or(0));
    bar.set_style(
        ProgressStyle::with_template("{msg:>9} [{bar:40}] {pos}/{len} rows ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message("checking");
    bar
}

async fn record(
    tx: &mut Work,
    kind: Kind,
    file_sha256: &str,
    report: &ImportReport,
) -> anyhow::Result<()> {
    let (action, kind_name, changed) = match kind {
        Kind::Credentials => (AuditAction::CredentialsImported, "credentials", "renewed"),
        Kind::Workers => (AuditAction::WorkersImported, "workers", "updated"),
    };
    let details = serde_json::json!({
        "kind": kind_name, "via": "command_line", "file_sha256": file_sha256,
        "rows": report.rows, "added": report.added, changed: report.renewed, "unchanged": report.unchanged,
    });
    tx.record(action, Resource::new("import", file_sha256), None, details)
        .await?;
    Ok(())
}

fn describe(report: &ImportReport, kind: Kind, dry_run: bool) -> anyhow::Result<bool> {
    let changed = if kind == Kind::Credentials {
        "renewed"
    } else {
        "updated"
    };
    let counts = format!(
        "{} added, {} {changed}, {} unchanged",
        report.added, report.renewed, report.unchanged
    );
    if !report.problems.is_empty() {
        let mut err = std::io::stderr();
        writeln!(
            err,
            "Nothing was imported: {} problem(s):",
            report.problems.len()
        )?;
        for p in &report.problems {
            writeln!(
                err,
                "  row {}, {}: {}",
                p.row,
                if p.column.is_empty() {
                    "row"
                } else {
                    &p.column
                },
                p.reason
            )?;
        }
        return Ok(false);
    }
    let mut out = std::io::stdout();
    if dry_run {
        writeln!(
            out,
            "Dry run: every row is fine ({counts}); nothing was written."
        )?;
    } else {
        writeln!(out, "Imported {} row(s): {counts}.", report.rows)?;
    }
    Ok(true)
}

/// Reads the file, refusing one over the import limit without reading it all.
fn read_limited(path: &std::path::Path) -> anyhow::Result<Vec<u8>> {
    const MAX: u64 = 20 * 1024 * 1024;
    let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut bytes = Vec::new();
    file.take(MAX + 1).read_to_end(&mut bytes)?;
    anyhow::ensure!(
        u64::try_from(bytes.len()).unwrap_or(u64::MAX) <= MAX,
        "{} is larger than 20 MB; split it",
        path.display()
    );
    Ok(bytes)
}
