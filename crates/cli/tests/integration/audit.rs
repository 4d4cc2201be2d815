//! `attest audit export` and `attest audit verify` from the outside, against a real database:
//! honest exports verify, and tampering as the database superuser is detected.

use crate::{attest, text};
use attest_core::{OrgId, Permission, UserId};
use attest_crypto::LocalKek;
use attest_store::audit::{self, Actor, AuditAction, AuditEvent, Origin};
use attest_store::embedded::ClusterRole;
use attest_store::{AccessContext, begin, ledger, org_keys};
use attest_testkit::{TestRegions, regions, shared_cluster};
use secrecy::ExposeSecret;
use std::path::{Path, PathBuf};
use std::process::Output;

/// An organisation with a log of events, a data directory holding the KEK that signs its
/// checkpoints, and the environment that points `attest` at its database.
struct Log {
    t: TestRegions,
    org_id: OrgId,
    admin: UserId,
    kek: LocalKek,
    /// The organisation's verifier key, as published when the log began.
    vkey: String,
    dir: tempfile::TempDir,
    app_url: String,
}

impl Log {
    async fn new() -> anyhow::Result<Self> {
        let t = regions().await?;
        let created = crate::acme(&t).await?;
        let dir = tempfile::tempdir()?;
        std::fs::create_dir_all(dir.path().join("keys"))?;
        let kek = LocalKek::open_or_create(&dir.path().join("keys").join("kek"))?;
        let cluster = &shared_cluster().await?.cluster;
        let app_url = cluster
            .url(ClusterRole::App, &t.na.name)
            .expose_secret()
            .to_owned();
        let mut log = Self {
            t,
            org_id: created.organisation.org_id,
            admin: created.admin_id,
            kek,
            vkey: String::new(),
            dir,
            app_url,
        };
        log.append(12).await?;
        let mut tx = begin(&log.t.na.app, &log.context()).await?;
        log.vkey = org_keys::audit_vkey(&mut tx, &log.kek, log.org_id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no log key"))?;
        tx.commit().await?;
        Ok(log)
    }

    fn context(&self) -> AccessContext {
        AccessContext {
            org_id: self.org_id,
            user_id: Some(self.admin),
            permissions: [Permission::AuditReadOrg, Permission::AuditExport]
                .into_iter()
                .collect(),
        }
    }

    /// Appends `n` role changes (one transaction each) and integrates them.
    async fn append(&self, n: usize) -> anyhow::Result<()> {
        for i in 0..n {
            let mut tx = begin(&self.t.na.app, &self.context()).await?;
            let event = AuditEvent {
                occurred_at: time::OffsetDateTime::now_utc(),
                actor: Actor::User {
                    user_id: self.admin,
                    role: Some("org_admin".into()),
                },
                action: AuditAction::MemberRoleChanged,
                resource_type: "membership",
                resource_id: Some(format!("member-{i}")),
                subject: None,
                origin: Origin {
                    source_ip: Some(std::net::IpAddr::from([203, 0, 113, 10])),
                    user_agent: Some("AttestTest/1.0".into()),
                    request_id: Some(format!("request-{i}")),
                },
                details: serde_json::json!({ "from": "worker", "to": "supervisor" }),
            };
            audit::append(&mut tx, self.org_id, &event).await?;
            tx.commit().await?;
        }
        while ledger::integrate(&self.t.na.app, &self.kek, self.org_id, 4096)
            .await?
            .is_some()
        {}
        Ok(())
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `attest audit export --org acme -o NAME [extra…]`.
    fn export(&self, name: &str, extra: &[&str]) -> anyhow::Result<PathBuf> {
        let path = self.path(name);
        let mut args = vec!["audit", "export", "--org", "acme", "-o"];
        let out = path.to_string_lossy().into_owned();
        args.push(&out);
        args.extend_from_slice(extra);
        let output = tokio::task::block_in_place(|| {
            attest(
                &args,
                &[("DATABASE_URL", self.app_url.as_str())],
                self.dir.path(),
            )
        });
        anyhow::ensure!(output.status.success(), "export failed: {}", text(&output));
        Ok(path)
    }

    /// `attest audit verify PATH [extra…]`.
    fn verify(&self, path: &Path, extra: &[&str]) -> Output {
        let mut args = vec!["audit", "verify"];
        let file = path.to_string_lossy().into_owned();
        args.push(&file);
        args.extend_from_slice(extra);
        tokio::task::block_in_place(|| attest(&args, &[], self.dir.path()))
    }

    /// `attest audit verify PATH --key VKEY [extra…]`; the independent verifier written from
    /// docs/audit.md (Python, no shared code) must reach the same verdict.
    fn verify_pinned(&self, path: &Path, extra: &[&str]) -> Output {
        let mut args = vec!["--key", self.vkey.as_str()];
        args.extend_from_slice(extra);
        let ours = self.verify(path, &args);
        let independent = independent_verifier(path, &args);
        assert_eq!(
            independent.status.code(),
            ours.status.code(),
            "the independent verifier disagrees: it says {}; attest says {}",
            text(&independent),
            text(&ours)
        );
        ours
    }

    /// Runs SQL as the database superuser with every trigger off (what an attacker with the
    /// database's keys can do).
    async fn tamper(&self, sql: &str) -> anyhow::Result<()> {
        let script = format!("begin; set local session_replication_role = replica; {sql}; commit;");
        sqlx::raw_sql(sqlx::AssertSqlSafe(script))
            .execute(&self.t.na.superuser)
            .await?;
        Ok(())
    }

    /// The event row at leaf `index`.
    async fn row_at(&self, index: i64) -> anyhow::Result<i64> {
        Ok(sqlx::query_scalar(
            "select event_row from audit.leaves where org_id = $1 and leaf_index = $2",
        )
        .bind(self.org_id.as_uuid())
        .bind(index)
        .fetch_one(&self.t.na.superuser)
        .await?)
    }
}

/// `verify_audit_export.py PATH [args…]` in the test virtualenv (which `make test` provides).
fn independent_verifier(path: &Path, args: &[&str]) -> Output {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let python = std::env::var_os("ATTEST_TEST_PYTHON")
        .map_or_else(|| here.join("../../.venv/bin/python"), PathBuf::from);
    let output = std::process::Command::new(&python)
        .arg(here.join("tests/independent/verify_audit_export.py"))
        .arg(path)
        .args(args)
        .output();
    match output {
        Ok(output) => output,
        Err(e) => panic!(
            "{} is needed for this test (make test creates it): {e}",
            python.display()
        ),
    }
}

fn refused(output: &Output, needle: &str) {
    assert_eq!(output.status.code(), Some(1), "{}", text(output));
    let said = text(output);
    assert!(said.contains("NOT VERIFIED"), "{said}");
    assert!(said.contains(needle), "expected {needle:?} in: {said}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_honest_export_verifies_with_the_published_key() -> anyhow::Result<()> {
    let log = Log::new().await?;
    let export = log.export("all.jsonl", &[])?;
    let output = log.verify_pinned(&export, &[]);
    assert!(output.status.success(), "{}", text(&output));
    let said = text(&output);
    assert!(said.contains("verified: attest/"), "{said}");
    assert!(
        said.contains("12 event(s)"),
        "the 12 changes (the export itself is recorded after its checkpoint): {said}"
    );

    // The key can be given as a file, the export on stdin is not needed; an unreadable file is
    // exit status 2.
    std::fs::write(log.path("acme.vkey"), format!("{}\n", log.vkey))?;
    let key_file = log.path("acme.vkey").to_string_lossy().into_owned();
    assert!(log.verify(&export, &["--key", &key_file]).status.success());
    let missing = log.verify(&log.path("nothing.jsonl"), &[]);
    assert_eq!(missing.status.code(), Some(2), "{}", text(&missing));
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_changed_field_is_named() -> anyhow::Result<()> {
    let log = Log::new().await?;
    let row = log.row_at(4).await?;
    log.tamper(&format!(
        "update audit.events set details = '{{\"from\": \"worker\", \"to\": \"org_admin\"}}' where event_row = {row}"
    ))
    .await?;
    let export = log.export("changed.jsonl", &[])?;
    refused(&log.verify_pinned(&export, &[]), "event 5 (index 4");
    refused(&log.verify_pinned(&export, &[]), "altered");
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn personal_fields_edited_alone_are_named() -> anyhow::Result<()> {
    let log = Log::new().await?;
    let row = log.row_at(6).await?;
    log.tamper(&format!(
        "update attest.audit_personal set source_ip = '198.51.100.99' where event_row = {row}"
    ))
    .await?;
    let export = log.export("changed-ip.jsonl", &[])?;
    refused(&log.verify_pinned(&export, &[]), "event 7 (index 6");
    refused(
        &log.verify_pinned(&export, &[]),
        "personal fields do not match",
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deleted_event_is_named() -> anyhow::Result<()> {
    let log = Log::new().await?;
    let row = log.row_at(3).await?;
    log.tamper(&format!(
        "delete from audit.leaves where event_row = {row};
         delete from attest.audit_personal where event_row = {row};
         delete from audit.events where event_row = {row}"
    ))
    .await?;
    let export = log.export("deleted.jsonl", &[])?;
    refused(&log.verify_pinned(&export, &[]), "event 4 (index 3");
    refused(&log.verify_pinned(&export, &[]), "missing or reordered");
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn swapped_events_are_named() -> anyhow::Result<()> {
    let log = Log::new().await?;
    let (a, b) = (log.row_at(2).await?, log.row_at(3).await?);
    let org = log.org_id;
    log.tamper(&format!(
        "update audit.leaves set event_row = -1 where org_id = '{org}' and leaf_index = 2;
         update audit.leaves set event_row = {a} where org_id = '{org}' and leaf_index = 3;
         update audit.leaves set event_row = {b} where org_id = '{org}' and leaf_index = 2"
    ))
    .await?;
    let export = log.export("swapped.jsonl", &[])?;
    refused(&log.verify_pinned(&export, &[]), "event 3 (index 2");
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rebuilt_tree_does_not_extend_the_earlier_checkpoint() -> anyhow::Result<()> {
    let log = Log::new().await?;
    let earlier = log.export("earlier.jsonl", &[])?;
    assert!(log.verify_pinned(&earlier, &[]).status.success());

    // Remove an event, truncate the tree, queue everything else again and let the sequencer
    // (which holds the signing key) rebuild and re-sign it.
    let row = log.row_at(5).await?;
    let org = log.org_id;
    log.tamper(&format!(
        "delete from attest.audit_personal where event_row = {row};
         delete from audit.events where event_row = {row};
         truncate audit.leaves, audit.tree_hashes, audit.checkpoints;
         insert into attest.audit_queue (org_id, event_row, leaf_hash)
             select org_id, event_row, leaf_hash from audit.events where org_id = '{org}'
             on conflict do nothing"
    ))
    .await?;
    log.append(3).await?;

    // On its own, the rebuilt log is self-consistent and signed by the real key…
    let later = log.export("later.jsonl", &[])?;
    assert!(log.verify_pinned(&later, &[]).status.success());
    // …but it does not extend what the auditor already holds.
    let previous = earlier.to_string_lossy().into_owned();
    refused(
        &log.verify_pinned(&later, &["--previous-checkpoint", &previous]),
        "does not extend the previous checkpoint",
    );
    let size = earlier_size(&earlier)?;
    let proved = log.export("later-proved.jsonl", &["--since-size", &size.to_string()])?;
    refused(
        &log.verify_pinned(&proved, &["--previous-checkpoint", &previous]),
        "was rewritten",
    );
    Ok(())
}

fn earlier_size(export: &Path) -> anyhow::Result<u64> {
    let first = std::fs::read_to_string(export)?;
    let header: serde_json::Value = serde_json::from_str(first.lines().next().unwrap_or_default())?;
    header["tree_size"]
        .as_u64()
        .ok_or_else(|| anyhow::anyhow!("no tree size"))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_later_export_extends_an_earlier_checkpoint() -> anyhow::Result<()> {
    let log = Log::new().await?;
    let earlier = log.export("earlier.jsonl", &[])?;
    let size = earlier_size(&earlier)?;
    // The checkpoint alone, as an auditor would keep it.
    let header: serde_json::Value = serde_json::from_str(
        std::fs::read_to_string(&earlier)?
            .lines()
            .next()
            .unwrap_or_default(),
    )?;
    let note = log.path("checkpoint.txt");
    std::fs::write(&note, header["checkpoint"].as_str().unwrap_or_default())?;
    let note = note.to_string_lossy().into_owned();

    let since = time::OffsetDateTime::now_utc();
    log.append(20).await?;
    // A full later export shows the earlier tree as its prefix.
    let later = log.export("later.jsonl", &[])?;
    let output = log.verify_pinned(&later, &["--previous-checkpoint", &note]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        text(&output).contains(&format!("extends the previous checkpoint (size {size})")),
        "{}",
        text(&output)
    );
    // A later export of recent events only carries the consistency proof instead.
    let recent = log.export(
        "recent.jsonl",
        &[
            "--since-size",
            &size.to_string(),
            "--from",
            &since.format(&time::format_description::well_known::Rfc3339)?,
        ],
    )?;
    let output = log.verify_pinned(&recent, &["--previous-checkpoint", &note]);
    assert!(output.status.success(), "{}", text(&output));
    // Without the proof, a partial export cannot show it.
    let unproved = log.export(
        "recent-unproved.jsonl",
        &[
            "--from",
            &since.format(&time::format_description::well_known::Rfc3339)?,
        ],
    )?;
    refused(
        &log.verify_pinned(&unproved, &["--previous-checkpoint", &note]),
        "no consistency proof",
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_checkpoint_forged_with_another_key_is_refused() -> anyhow::Result<()> {
    let log = Log::new().await?;
    let (size, root): (i64, Vec<u8>) = sqlx::query_as(
        "select size, root from audit.checkpoints where org_id = $1 order by size desc limit 1",
    )
    .bind(log.org_id.as_uuid())
    .fetch_one(&log.t.na.superuser)
    .await?;
    let origin = attest_ledger::origin_for(log.org_id.as_uuid());
    let forger = attest_ledger::LogSigner::new(origin, &[7; 32]);
    let root: [u8; 32] = root
        .try_into()
        .map_err(|_| anyhow::anyhow!("root length"))?;
    let forged = forger.sign(u64::try_from(size)?, attest_ledger::Hash(root))?;
    let org = log.org_id;
    log.tamper(&format!(
        "delete from audit.checkpoints where org_id = '{org}' and size = {size};
         insert into audit.checkpoints (org_id, size, root, note)
             values ('{org}', {size}, '\\x{}', '{}')",
        attest_ledger::hex(&root),
        forged.replace('\'', "''"),
    ))
    .await?;
    let export = log.export("forged.jsonl", &[])?;
    // Signed by a key that is not the log's: refused even without a pinned key.
    refused(&log.verify(&export, &[]), "checkpoint");

    // The forger also names their own key in the export they hand over: it is self-consistent,
    // and only the organisation's published key shows it is not the log's.
    let text_of = std::fs::read_to_string(&export)?;
    let (first, rest) = text_of.split_once('\n').unwrap_or_default();
    let mut header: serde_json::Value = serde_json::from_str(first)?;
    header["vkey"] = forger.vkey().into();
    let export = log.path("forged-key.jsonl");
    std::fs::write(&export, format!("{header}\n{rest}"))?;
    let unpinned = log.verify(&export, &[]);
    assert!(unpinned.status.success(), "{}", text(&unpinned));
    assert!(
        text(&unpinned).contains("pass --key"),
        "{}",
        text(&unpinned)
    );
    refused(&log.verify_pinned(&export, &[]), "not the pinned one");
    Ok(())
}
