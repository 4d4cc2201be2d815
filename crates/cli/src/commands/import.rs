//! `attest import credentials --org SLUG FILE [--dry-run]`: the operator's import, with a
//! progress bar. The same checks and the same all-or-nothing write as the web app's import
//! (see `attest_store::credentials::import_credentials`); recorded in the ledger as done by
//! Attest itself, from the command line.

use crate::config::Config;
use crate::runtime::Runtime;
use anyhow::Context as _;
use attest_core::{OrgSlug, Permission, PermissionSet};
use attest_crypto::LocalKek;
use attest_import::{Limits, Table};
use attest_store::audit::{self, Actor, AuditEvent, Origin};
use attest_store::credentials::{ImportReport, import_credentials};
use attest_store::{AccessContext, begin, directory, organisations};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{Read as _, Write as _};
use std::path::PathBuf;

/// What to import.
#[derive(Debug)]
pub(crate) struct ImportRequest {
    pub(crate) org: String,
    pub(crate) file: PathBuf,
    pub(crate) dry_run: bool,
}

/// How it ended: `Ok(true)` imported or checked, `Ok(false)` refused (problems printed).
pub(crate) async fn credentials(config: Config, request: ImportRequest) -> anyhow::Result<bool> {
    let slug = OrgSlug::parse(&request.org).map_err(|e| anyhow::anyhow!("--org: {e}"))?;
    let bytes = read_limited(&request.file)?;
    let file_sha256: String = attest_crypto::sha256(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let table = Table::read(&bytes, Limits::default())
        .map_err(|e| anyhow::anyhow!("{}: {e}", request.file.display()))?;
    let parsed = attest_import::credentials(&table)
        .map_err(|e| anyhow::anyhow!("{}: {e}", request.file.display()))?;
    let runtime = Runtime::start(&config, false).await?;
    let result = async {
        let kek = LocalKek::open_or_create(&runtime.kek_path()).context("opening the key-encryption key")?;
        let region = directory::lookup(runtime.regions.primary(), &slug).await?.with_context(|| format!("no organisation {slug}"))?;
        let pool = runtime.regions.pool(region)?;
        let org = organisations::resolve(pool, &slug).await?.with_context(|| format!("no organisation {slug}"))?;
        let permissions: PermissionSet = [Permission::PeopleReadOrg, Permission::CredentialsReadOrg, Permission::CredentialsManage]
            .into_iter()
            .collect();
        let context = AccessContext { org_id: org.org_id, user_id: None, permissions };
        let mut tx = begin(pool, &context).await?;
        let bar = ProgressBar::new(u64::try_from(parsed.rows.len()).unwrap_or(0));
        bar.set_style(
            ProgressStyle::with_template("{msg:>9} [{bar:40}] {pos}/{len} rows ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.set_message("checking");
        let mut progress = |stage: &'static str, done: usize, _total: usize| {
            bar.set_message(stage);
            bar.set_position(u64::try_from(done).unwrap_or(0));
        };
        let apply = !request.dry_run && parsed.problems.is_empty();
        let mut report: ImportReport = import_credentials(&mut tx, &kek, org.org_id, None, &parsed.rows, apply, &mut progress).await?;
        bar.finish_and_clear();
        report.problems.extend(parsed.problems);
        report.problems.sort_by_key(|p| p.row);
        if report.applied {
            let event = AuditEvent {
                occurred_at: time::OffsetDateTime::now_utc(),
                actor: Actor::System,
                action: "credentials.imported",
                resource_type: "import",
                resource_id: Some(file_sha256.clone()),
                subject: None,
                origin: Origin::default(),
                details: serde_json::json!({
                    "kind": "credentials", "via": "command_line", "file_sha256": file_sha256,
                    "rows": report.rows, "added": report.added, "renewed": report.renewed, "unchanged": report.unchanged,
                }),
            };
            audit::append(&mut tx, org.org_id, &event).await?;
            tx.commit().await?;
        } else {
            tx.rollback().await?;
        }
        describe(&report, request.dry_run)
    }
    .await;
    runtime.shutdown().await;
    result
}

fn describe(report: &ImportReport, dry_run: bool) -> anyhow::Result<bool> {
    let counts = format!(
        "{} added, {} renewed, {} unchanged",
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
