//! `attest audit`: verify an export offline, and export an organisation's log from the database.

use crate::config::Config;
use crate::runtime::Runtime;
use anyhow::Context as _;
use attest_core::{OrgSlug, Permission};
use attest_ledger::export::{self, Header, Options, Report};
use attest_server::{Caller, Resource};
use attest_store::audit::AuditAction;
use attest_store::{directory, ledger, organisations};
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Events per page (each page is read in its own short transaction).
const PAGE: i64 = 1000;

/// What `verify` found: the export verifies, or the first thing wrong with it.
#[derive(Debug)]
pub(crate) enum VerifyOutcome {
    Verified(Report),
    Failed(export::VerifyError),
}

fn open(path: &Path) -> anyhow::Result<Box<dyn BufRead>> {
    if path == Path::new("-") {
        return Ok(Box::new(BufReader::new(std::io::stdin())));
    }
    let file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    Ok(Box::new(BufReader::with_capacity(1 << 16, file)))
}

/// A verifier key given as itself or as a file holding it.
fn read_key(key: &str) -> anyhow::Result<String> {
    let path = Path::new(key);
    if !key.contains('+') && path.is_file() {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {key}"))?;
        return Ok(text.trim().to_owned());
    }
    Ok(key.trim().to_owned())
}

/// An earlier checkpoint: a signed-note file, or an earlier export (its header's checkpoint).
fn read_checkpoint(path: &Path) -> anyhow::Result<String> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    if text.trim_start().starts_with('{') {
        let first = text.lines().next().unwrap_or_default();
        let header: Header = serde_json::from_str(first)
            .with_context(|| format!("{} is neither a checkpoint nor an export", path.display()))?;
        return Ok(header.checkpoint);
    }
    Ok(text)
}

/// Verifies an export offline.
pub(crate) fn verify(
    export_path: &Path,
    previous: Option<&Path>,
    key: Option<&str>,
) -> anyhow::Result<VerifyOutcome> {
    let options = Options {
        key: key.map(read_key).transpose()?,
        previous_checkpoint: previous.map(read_checkpoint).transpose()?,
    };
    Ok(match export::verify(open(export_path)?, &options) {
        Ok(report) => VerifyOutcome::Verified(report),
        Err(error) => VerifyOutcome::Failed(error),
    })
}

/// What `verify` prints on success.
pub(crate) fn describe(report: &Report) -> String {
    let mut out = format!(
        "verified: {} — {} event(s), sequence numbers {}..{}, in a log of {} signed by its key",
        report.origin,
        report.events,
        report.first + 1,
        report.end,
        report.tree_size,
    );
    if report.erased > 0 {
        out.push_str(&format!(
            "\n  {} event(s) have their personal fields erased (their leaves still verify)",
            report.erased
        ));
    }
    if let Some(size) = report.extends {
        out.push_str(&format!(
            "\n  the log extends the previous checkpoint (size {size}): nothing before it was changed"
        ));
    }
    if !report.key_pinned {
        out.push_str(
            "\n  note: checked against the key named in the export itself; pass --key with the \
             organisation's published key to rule out a re-signed log",
        );
    }
    out
}

/// What to export.
#[derive(Debug, Clone)]
pub(crate) struct ExportRequest {
    pub(crate) org: String,
    pub(crate) from: Option<String>,
    pub(crate) to: Option<String>,
    pub(crate) since_size: Option<u64>,
    pub(crate) output: Option<PathBuf>,
}

fn parse_time(value: Option<&str>, name: &str) -> anyhow::Result<Option<OffsetDateTime>> {
    value
        .map(|v| {
            OffsetDateTime::parse(v, &Rfc3339).with_context(|| {
                format!("--{name} must be an RFC 3339 time, e.g. 2026-11-01T00:00:00Z")
            })
        })
        .transpose()
}

/// Exports an organisation's log (JSON Lines with the checkpoint and proofs), integrating what
/// is waiting first. The export is itself an audited event (actor `system`, via the command
/// line).
pub(crate) async fn export(config: Config, request: ExportRequest) -> anyhow::Result<()> {
    let from = parse_time(request.from.as_deref(), "from")?;
    let to = parse_time(request.to.as_deref(), "to")?;
    let slug = OrgSlug::parse(&request.org).map_err(|e| anyhow::anyhow!("--org: {e}"))?;
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
        while ledger::integrate(pool, kek, org.org_id, 4096).await?.is_some() {}
        let now = OffsetDateTime::now_utc();
        let caller = Caller::command(
            org.org_id,
            region,
            [Permission::AuditReadOrg, Permission::AuditExport],
        );
        let mut tx = caller.write(&runtime.regions).await?;
        let plan = ledger::plan_export(&mut tx, kek, org.org_id, from, to, request.since_size, now)
            .await?
            .context("the organisation's audit log has no events yet")?;
        let header = plan.header;
        tx.record(
            AuditAction::AuditExported,
            Resource::new("audit_log", org.org_id),
            None,
            serde_json::json!({
                "format": "jsonl", "via": "command_line",
                "first": header.first, "end": header.end, "tree_size": header.tree_size,
            }),
        )
        .await?;
        tx.commit().await?;

        let mut out: Box<dyn Write> = match &request.output {
            Some(path) => Box::new(BufWriter::new(
                File::create(path).with_context(|| format!("creating {}", path.display()))?,
            )),
            None => Box::new(BufWriter::new(std::io::stdout().lock())),
        };
        serde_json::to_writer(&mut out, &header)?;
        out.write_all(b"\n")?;
        let mut next = header.first;
        while next < header.end {
            let mut tx = caller.read(&runtime.regions).await?;
            let lines = ledger::export_lines(&mut tx, next, header.end, PAGE).await?;
            tx.finish().await?;
            let Some(last) = lines.last() else {
                anyhow::bail!("the log changed during the export");
            };
            next = last.index + 1;
            for line in &lines {
                serde_json::to_writer(&mut out, line)?;
                out.write_all(b"\n")?;
            }
        }
        out.flush()?;
        if request.output.is_some() {
            writeln!(
                std::io::stderr(),
                "exported {} event(s) of {} (checkpoint size {}); check it with: attest audit verify FILE --key '{}'",
                header.end - header.first,
                header.origin,
                header.tree_size,
                header.vkey,
            )?;
        }
        anyhow::Ok(())
    }
    .await;
    runtime.shutdown().await;
    result
}
