//! As `attest_app` with organisation A's context — even holding every permission — raw SQL over
//! every organisation table never reads, changes or deletes organisation B's rows, and cannot
//! insert rows for B. Without a context, nothing is visible.

use crate::fixture::{HASH, Org, org};
use crate::rls_invariants::organisation_tables;
use attest_core::Region;
use attest_store::{AccessContext, begin};
use attest_testkit::regions;
use sqlx::PgPool;
use std::collections::BTreeMap;
use uuid::Uuid;

async fn counts_for(
    superuser: &PgPool,
    tables: &[String],
    org_id: Uuid,
) -> anyhow::Result<BTreeMap<String, i64>> {
    let mut counts = BTreeMap::new();
    for table in tables {
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "select count(*) from {table} where org_id = $1"
        )))
        .bind(org_id)
        .fetch_one(superuser)
        .await?;
        counts.insert(table.clone(), n);
    }
    Ok(counts)
}

async fn two_orgs() -> anyhow::Result<(attest_testkit::TestRegions, Org, Org, Vec<String>)> {
    let t = regions().await?;
    let a = org(&t.regions, "alpha", Region::Na).await?;
    let b = org(&t.regions, "bravo", Region::Na).await?;
    // Give both organisations a data key so that table has rows too (the fixture fills the rest).
    let kek_dir = tempfile::tempdir()?;
    let kek = attest_crypto::LocalKek::open_or_create(&kek_dir.path().join("kek"))?;
    for o in [&a, &b] {
        let mut tx = begin(&t.na.app, &o.all_powerful()).await?;
        attest_store::data_keys::person_key(&mut tx, &kek, o.org_id, o.worker).await?;
        tx.commit().await?;
        crate::fixture::credential_rows(&t.na.app, o, &kek).await?;
        crate::fixture::requisition_rows(&t.na.app, o).await?;
    }
    let tables = organisation_tables(&t.na.superuser).await?;
    Ok((t, a, b, tables))
}

#[tokio::test]
async fn organisation_a_cannot_select_update_or_delete_organisation_bs_rows() -> anyhow::Result<()>
{
    let (t, a, b, tables) = two_orgs().await?;
    let before = counts_for(&t.na.superuser, &tables, b.org_id.as_uuid()).await?;
    assert!(
        before.values().all(|n| *n > 0),
        "fixture must give B rows in every table: {before:?}"
    );

    for table in &tables {
        let b_id = b.org_id.as_uuid();
        let seen = run(
            &t.na.app,
            &a,
            &format!("select count(*) from {table} where org_id = $1"),
            b_id,
            true,
        )
        .await?;
        assert_eq!(seen, 0, "{table}: A sees B's rows");
        let others = run(
            &t.na.app,
            &a,
            &format!("select count(*) from {table} where org_id <> $1"),
            a.org_id.as_uuid(),
            true,
        )
        .await?;
        assert_eq!(others, 0, "{table}: A sees rows of another organisation");
        let updated = run(
            &t.na.app,
            &a,
            &format!("update {table} set org_id = org_id where org_id = $1"),
            b_id,
            false,
        )
        .await?;
        assert_eq!(updated, 0, "{table}: A updated B's rows");
        let deleted = run(
            &t.na.app,
            &a,
            &format!("delete from {table} where org_id = $1"),
            b_id,
            false,
        )
        .await?;
        assert_eq!(deleted, 0, "{table}: A deleted B's rows");
    }
    assert_eq!(
        counts_for(&t.na.superuser, &tables, b.org_id.as_uuid()).await?,
        before,
        "B's rows changed"
    );
    Ok(())
}

#[tokio::test]
async fn organisation_a_cannot_move_its_rows_into_organisation_b() -> anyhow::Result<()> {
    let (t, a, b, tables) = two_orgs().await?;
    for table in &tables {
        let mut tx = begin(&t.na.app, &a.all_powerful()).await?;
        let result = sqlx::query(sqlx::AssertSqlSafe(format!(
            "update {table} set org_id = $1 where org_id = $2"
        )))
        .bind(b.org_id.as_uuid())
        .bind(a.org_id.as_uuid())
        .execute(&mut *tx)
        .await;
        match result {
            Ok(r) => assert_eq!(r.rows_affected(), 0, "{table}: A moved rows into B"),
            Err(e) => assert!(is_refusal(&e), "{table}: unexpected error {e}"),
        }
    }
    Ok(())
}

/// One insert per organisation table, all with B's org_id, run in A's context.
fn inserts_as_b(b: &Org) -> Vec<(&'static str, String)> {
    let (org, role, worker, crew) = (b.org_id, b.roles["worker"], b.other_worker, b.crew);
    let z = "00".repeat(32);
    let (req, fp) = (Uuid::now_v7(), "ab".repeat(16));
    vec![
        (
            "attest.badge_status_lists",
            format!(
                "insert into attest.badge_status_lists (org_id, next_index) values ('{org}', 5)"
            ),
        ),
        (
            "attest.badge_holders",
            format!(
                "insert into attest.badge_holders (org_id, user_id, subject, status_index) values ('{org}', '{worker}', 'abcdefghijkl', 99)"
            ),
        ),
        (
            "attest.badge_revocations",
            format!(
                "insert into attest.badge_revocations (org_id, status_index, reason) values ('{org}', 99, 'credential_revoked')"
            ),
        ),
        (
            "attest.badge_scans",
            format!(
                "insert into attest.badge_scans (org_id, scan_id, scanned_by, scanned_at, valid) values ('{org}', '{}', '{worker}', now(), true)",
                Uuid::now_v7()
            ),
        ),
        (
            "attest.organisations",
            format!(
                "insert into attest.organisations (org_id, slug, name, region) values ('{org}', 'zzz', 'Z', 'na')"
            ),
        ),
        (
            "attest.roles",
            format!(
                "insert into attest.roles (org_id, role_id, key, name) values ('{org}', '{}', 'custom', 'Custom')",
                Uuid::now_v7()
            ),
        ),
        (
            "attest.role_permissions",
            format!(
                "insert into attest.role_permissions (org_id, role_id, permission) values ('{org}', '{role}', 'org.manage')"
            ),
        ),
        (
            "attest.users",
            format!(
                "insert into attest.users (org_id, user_id, email, display_name) values ('{org}', '{}', 'x@b.example', 'X')",
                Uuid::now_v7()
            ),
        ),
        (
            "attest.memberships",
            format!(
                "insert into attest.memberships (org_id, user_id, role_id) values ('{org}', '{}', '{role}')",
                b.admin
            ),
        ),
        (
            "attest.sites",
            format!(
                "insert into attest.sites (org_id, site_id, name) values ('{org}', '{}', 'Sneaky site')",
                Uuid::now_v7()
            ),
        ),
        (
            "attest.crews",
            format!(
                "insert into attest.crews (org_id, crew_id, name) values ('{org}', '{}', 'Sneaky crew')",
                Uuid::now_v7()
            ),
        ),
        (
            "attest.crew_members",
            format!(
                "insert into attest.crew_members (org_id, crew_id, user_id) values ('{org}', '{crew}', '{}')",
                b.manager
            ),
        ),
        (
            "attest.data_keys",
            format!(
                "insert into attest.data_keys (org_id, key_id, kek_provider, kek_version, wrapped) values ('{org}', '{}', 'local', 1, '\\x00')",
                Uuid::now_v7()
            ),
        ),
        (
            "attest.password_credentials",
            format!(
                "insert into attest.password_credentials (org_id, user_id, password_hash) values ('{org}', '{worker}', '{HASH}')"
            ),
        ),
        (
            "attest.sign_in_state",
            format!(
                "insert into attest.sign_in_state (org_id, user_id, failures) values ('{org}', '{worker}', 0)"
            ),
        ),
        (
            "attest.sessions",
            format!(
                "insert into attest.sessions (org_id, session_id, user_id, created_at, last_active_at, absolute_expires_at) values ('{org}', '{}', '{worker}', now(), now(), now())",
                Uuid::now_v7()
            ),
        ),
        (
            "attest.refresh_tokens",
            format!(
                "insert into attest.refresh_tokens (org_id, token_hash, session_id, user_id, generation, created_at) values ('{org}', '\\x{}', '{}', '{worker}', 1, now())",
                "ab".repeat(32),
                Uuid::now_v7()
            ),
        ),
        (
            "attest.email_tokens",
            format!(
                "insert into attest.email_tokens (org_id, token_id, user_id, purpose, created_at, expires_at) values ('{org}', '{}', '{worker}', 'reset_password', now(), now())",
                Uuid::now_v7()
            ),
        ),
        (
            "attest.mfa_totp",
            format!(
                "insert into attest.mfa_totp (org_id, user_id, secret_sealed, created_at) values ('{org}', '{}', '\\x00', now())",
                b.manager
            ),
        ),
        (
            "attest.mfa_recovery_codes",
            format!(
                "insert into attest.mfa_recovery_codes (org_id, user_id, code_hash) values ('{org}', '{worker}', '\\x{}')",
                "cd".repeat(32)
            ),
        ),
        (
            "attest.outbox",
            format!(
                "insert into attest.outbox (org_id, message_id, kind, to_address, subject, body, created_at, next_attempt_at) values ('{org}', '{}', 'x', 'x@b.example', 's', 'b', now(), now())",
                Uuid::now_v7()
            ),
        ),
        (
            "audit.events",
            format!(
                "insert into audit.events (org_id, event_id, occurred_at, actor_kind, action, resource_type, personal_digest, leaf_hash) values ('{org}', '{}', now(), 'system', 'forged.event', 'x', '\\x{z}', '\\x{z}')",
                Uuid::now_v7()
            ),
        ),
        (
            "attest.audit_personal",
            format!(
                "insert into attest.audit_personal (org_id, event_row, salt) values ('{org}', 1, '\\x{}')",
                "00".repeat(16)
            ),
        ),
        (
            "attest.audit_queue",
            format!(
                "insert into attest.audit_queue (org_id, event_row, leaf_hash) values ('{org}', 1, '\\x{}')",
                "00".repeat(32)
            ),
        ),
        (
            "audit.leaves",
            format!(
                "insert into audit.leaves (org_id, leaf_index, event_row) values ('{org}', 999, 1)"
            ),
        ),
        (
            "audit.tree_hashes",
            format!(
                "insert into audit.tree_hashes (org_id, hash_index, hash) values ('{org}', 999, '\\x{z}')"
            ),
        ),
        (
            "audit.checkpoints",
            format!(
                "insert into audit.checkpoints (org_id, size, root, note) values ('{org}', 999, '\\x{z}', 'forged')"
            ),
        ),
        (
            "attest.org_keys",
            format!(
                "insert into attest.org_keys (org_id, key_id, purpose, public_key, private_wrapped, kek_version) values ('{org}', '{}', 'badge', '\\x{z}', '\\x00', 1)",
                Uuid::now_v7()
            ),
        ),
        (
            "attest.credential_settings",
            format!("insert into attest.credential_settings (org_id) values ('{org}')"),
        ),
        (
            "attest.credential_types",
            format!(
                "insert into attest.credential_types (org_id, type_id, code, name) values ('{org}', '{}', 'ZZ', 'Forged')",
                Uuid::now_v7()
            ),
        ),
        (
            "attest.job_roles",
            format!(
                "insert into attest.job_roles (org_id, job_role_id, name) values ('{org}', '{}', 'Forged')",
                Uuid::now_v7()
            ),
        ),
        (
            "attest.worker_job_roles",
            format!(
                "insert into attest.worker_job_roles (org_id, user_id, job_role_id) values ('{org}', '{worker}', '{}')",
                Uuid::now_v7()
            ),
        ),
        (
            "attest.requirements",
            format!(
                "insert into attest.requirements (org_id, requirement_id, type_id, site_id) values ('{org}', '{}', '{}', '{}')",
                Uuid::now_v7(),
                Uuid::now_v7(),
                Uuid::now_v7()
            ),
        ),
        (
            "attest.credentials",
            format!(
                "insert into attest.credentials (org_id, credential_id, user_id, type_id, issuer, issued_on) values ('{org}', '{}', '{worker}', '{}', 'x', '2026-01-01')",
                Uuid::now_v7(),
                Uuid::now_v7()
            ),
        ),
        (
            "attest.credential_versions",
            format!(
                "insert into attest.credential_versions (org_id, credential_id, version, issuer, issued_on) values ('{org}', '{}', 1, 'x', '2026-01-01')",
                Uuid::now_v7()
            ),
        ),
        (
            "attest.credential_evidence",
            format!(
                "insert into attest.credential_evidence (org_id, evidence_id, user_id, content_type, size_bytes, sealed) values ('{org}', '{}', '{worker}', 'image/png', 1, '\\x00')",
                Uuid::now_v7()
            ),
        ),
        (
            "attest.credential_reminders",
            format!(
                "insert into attest.credential_reminders (org_id, credential_id, version, kind, offset_days, sent_at, recipients) values ('{org}', '{}', 1, 'reminder', 7, now(), 1)",
                Uuid::now_v7()
            ),
        ),
        (
            "attest.requisitions",
            format!(
                "insert into attest.requisitions (org_id, requisition_id, author_id, title) values ('{org}', '{req}', '{worker}', 'Theirs')"
            ),
        ),
        (
            "attest.requisition_versions",
            format!(
                "insert into attest.requisition_versions (org_id, requisition_id, version, body, source, created_by, rule_pack, score, high, medium, low, info) values ('{org}', '{req}', 2, 'text', 'paste', '{worker}', 'x', 100, 0, 0, 0, 0)"
            ),
        ),
        (
            "attest.requisition_findings",
            format!(
                "insert into attest.requisition_findings (org_id, requisition_id, version, ordinal, fingerprint, rule_id, category, severity, start_char, end_char, excerpt, message, citation) values ('{org}', '{req}', 1, 99, '{fp}', 'r', 'age', 'high', 0, 1, 'x', 'm', 'c')"
            ),
        ),
        (
            "attest.finding_reviews",
            format!(
                "insert into attest.finding_reviews (org_id, requisition_id, fingerprint, rule_id, decision, reviewed_by) values ('{org}', '{req}', '{fp}', 'r', 'accepted', '{worker}')"
            ),
        ),
        (
            "attest.credential_personal",
            format!(
                "insert into attest.credential_personal (org_id, credential_id, version, user_id) values ('{org}', '{}', 1, '{worker}')",
                Uuid::now_v7()
            ),
        ),
    ]
}

#[tokio::test]
async fn inserting_rows_for_organisation_b_is_refused_in_every_table() -> anyhow::Result<()> {
    let (t, a, b, tables) = two_orgs().await?;
    let inserts = inserts_as_b(&b);
    let covered: Vec<String> = inserts.iter().map(|(t, _)| (*t).to_owned()).collect();
    let mut covered = covered;
    covered.sort();
    assert_eq!(
        covered, tables,
        "every organisation table needs an insert case here"
    );
    for (table, statement) in inserts {
        let mut tx = begin(&t.na.app, &a.all_powerful()).await?;
        let result = sqlx::raw_sql(sqlx::AssertSqlSafe(statement))
            .execute(&mut *tx)
            .await;
        let error = result
            .err()
            .unwrap_or_else(|| panic!("{table}: insert with B's org_id succeeded"));
        assert!(
            is_refusal(&error),
            "{table}: expected a row-level security refusal, got {error}"
        );
    }
    Ok(())
}

#[tokio::test]
async fn without_a_context_nothing_is_visible() -> anyhow::Result<()> {
    let (t, _, _, tables) = two_orgs().await?;
    for table in &tables {
        let n: i64 =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("select count(*) from {table}")))
                .fetch_one(&t.na.app)
                .await?;
        assert_eq!(n, 0, "{table}: rows visible without a context");
        // The owner is subject to row-level security too (FORCE).
        let n: i64 =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("select count(*) from {table}")))
                .fetch_one(&t.na.owner)
                .await?;
        assert_eq!(n, 0, "{table}: rows visible to the owner without a context");
    }
    Ok(())
}

#[tokio::test]
async fn a_context_with_an_unknown_organisation_sees_nothing() -> anyhow::Result<()> {
    let (t, a, _, tables) = two_orgs().await?;
    let stranger = AccessContext {
        org_id: attest_core::OrgId::new(),
        ..a.all_powerful()
    };
    for table in &tables {
        let mut tx = begin(&t.na.app, &stranger).await?;
        let n: i64 =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("select count(*) from {table}")))
                .fetch_one(&mut *tx)
                .await?;
        assert_eq!(n, 0, "{table}");
    }
    Ok(())
}

/// Runs one statement in its own transaction in A's most powerful context: the count it selects
/// (`select`) or the rows it changed. A refusal (an append-only table, a missing privilege)
/// counts as nothing changed; any other error fails the test.
async fn run(pool: &PgPool, a: &Org, sql: &str, id: Uuid, select: bool) -> anyhow::Result<i64> {
    let mut tx = begin(pool, &a.all_powerful()).await?;
    let result = if select {
        sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql.to_owned()))
            .bind(id)
            .fetch_one(&mut *tx)
            .await
    } else {
        sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
            .bind(id)
            .execute(&mut *tx)
            .await
            .map(|r| r.rows_affected() as i64)
    };
    match result {
        Ok(n) => {
            tx.commit().await?;
            Ok(n)
        }
        Err(e) if is_refusal(&e) => Ok(0),
        Err(e) => Err(e.into()),
    }
}

fn is_refusal(error: &sqlx::Error) -> bool {
    // 42501: insufficient_privilege ("new row violates row-level security policy").
    matches!(error, sqlx::Error::Database(db) if db.code().as_deref() == Some("42501"))
}
