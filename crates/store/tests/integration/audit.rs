//! The audit events table: append-only for every role, gap-free sequence numbers, readable by
//! the organisation's auditors and, for their own events, by each person.

use crate::fixture::org;
use attest_core::{BuiltinRole, Region};
use attest_store::audit::{self, Actor, AuditAction, AuditEvent, Origin};
use attest_store::{begin, ledger};
use attest_testkit::regions;

fn event(action: AuditAction, subject: Option<attest_core::UserId>) -> AuditEvent {
    AuditEvent {
        occurred_at: time::OffsetDateTime::now_utc(),
        actor: Actor::System,
        action,
        resource_type: "account",
        resource_id: None,
        subject,
        origin: Origin {
            source_ip: Some(std::net::IpAddr::from([192, 0, 2, 7])),
            user_agent: Some("test".into()),
            request_id: Some("r-1".into()),
        },
        details: serde_json::json!({ "n": 1 }),
    }
}

#[tokio::test]
async fn update_delete_and_truncate_fail_for_the_application_the_owner_and_the_superuser()
-> anyhow::Result<()> {
    let t = regions().await?;
    let o = org(&t.regions, "acme", Region::Na).await?;
    let tables: Vec<String> = sqlx::query_scalar(
        "select table_name::text from information_schema.tables where table_schema = 'audit' order by 1",
    )
    .fetch_all(&t.na.superuser)
    .await?;
    assert_eq!(tables, ["checkpoints", "events", "leaves", "tree_hashes"]);
    let count = |table: &str| format!("select count(*) from audit.{table}");
    let mut before = Vec::new();
    for table in &tables {
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(count(table)))
            .fetch_one(&t.na.superuser)
            .await?;
        assert!(n > 0, "the fixture fills audit.{table}");
        before.push(n);
    }
    for (who, pool) in [
        ("app", &t.na.app),
        ("owner", &t.na.owner),
        ("superuser", &t.na.superuser),
    ] {
        for table in &tables {
            for statement in [
                format!("update audit.{table} set org_id = org_id"),
                format!("delete from audit.{table}"),
                format!("truncate audit.{table} cascade"),
            ] {
                let mut tx = begin(pool, &o.all_powerful()).await?;
                let result = sqlx::raw_sql(sqlx::AssertSqlSafe(statement.clone()))
                    .execute(&mut *tx)
                    .await;
                assert!(result.is_err(), "{who} could run: {statement}");
            }
        }
    }
    // Personal fields can be erased (by people.manage), never edited.
    let mut tx = begin(&t.na.app, &o.all_powerful()).await?;
    let edit = sqlx::query("update attest.audit_personal set source_ip = '192.0.2.1'")
        .execute(&mut *tx)
        .await;
    assert!(edit.is_err(), "personal fields cannot be edited");
    for (table, n) in tables.iter().zip(before) {
        let after: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(count(table)))
            .fetch_one(&t.na.superuser)
            .await?;
        assert_eq!(after, n, "audit.{table} is untouched");
    }
    Ok(())
}

#[tokio::test]
async fn a_rolled_back_change_leaves_no_event_and_sequence_numbers_stay_gap_free()
-> anyhow::Result<()> {
    let t = regions().await?;
    let o = org(&t.regions, "acme", Region::Na).await?;
    let mut tx = begin(&t.na.app, &o.all_powerful()).await?;
    audit::append(&mut tx, o.org_id, &event(AuditAction::MemberAdded, None)).await?;
    tx.commit().await?;
    let mut tx = begin(&t.na.app, &o.all_powerful()).await?;
    audit::append(
        &mut tx,
        o.org_id,
        &event(AuditAction::MemberRoleChanged, None),
    )
    .await?;
    tx.rollback().await?;
    let mut tx = begin(&t.na.app, &o.all_powerful()).await?;
    audit::append(
        &mut tx,
        o.org_id,
        &event(AuditAction::MemberStatusChanged, None),
    )
    .await?;
    tx.commit().await?;
    ledger::integrate_all(&t.na.app, &attest_testkit::kek()?, 1000).await?;

    let actions: Vec<String> =
        sqlx::query_scalar("select action from audit.events where org_id = $1")
            .bind(o.org_id.as_uuid())
            .fetch_all(&t.na.superuser)
            .await?;
    assert!(
        !actions.contains(&"member.role_changed".to_owned()),
        "a rolled-back change leaves no event"
    );
    let indexes: Vec<i64> = sqlx::query_scalar(
        "select leaf_index from audit.leaves where org_id = $1 order by leaf_index",
    )
    .bind(o.org_id.as_uuid())
    .fetch_all(&t.na.superuser)
    .await?;
    assert_eq!(
        indexes,
        (0..indexes.len() as i64).collect::<Vec<_>>(),
        "leaf indexes are gap-free"
    );
    assert_eq!(indexes.len(), actions.len(), "every event is in the log");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn eight_concurrent_writers_produce_a_gap_free_log_and_a_valid_tree() -> anyhow::Result<()> {
    let t = regions().await?;
    let o = org(&t.regions, "acme", Region::Na).await?;
    let kek = attest_testkit::kek()?;
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(10)
        .connect_with(t.na.app_options.clone())
        .await?;
    let writers: Vec<_> = (0..8)
        .map(|_| {
            let (pool, o) = (pool.clone(), o.clone());
            tokio::spawn(async move {
                for _ in 0..40 {
                    let mut tx = begin(&pool, &o.all_powerful()).await?;
                    audit::append(&mut tx, o.org_id, &event(AuditAction::MemberAdded, None))
                        .await?;
                    tx.commit().await?;
                }
                anyhow::Ok(())
            })
        })
        .collect();
    // The sequencer runs while they write.
    let sequencer = {
        let pool = pool.clone();
        let kek = attest_testkit::kek()?;
        tokio::spawn(async move {
            for _ in 0..20 {
                ledger::integrate_all(&pool, &kek, 37).await?;
                tokio::task::yield_now().await;
            }
            anyhow::Ok(())
        })
    };
    for writer in writers {
        writer.await??;
    }
    sequencer.await??;
    ledger::integrate_all(&pool, &kek, 1000).await?;

    let events: i64 = sqlx::query_scalar("select count(*) from audit.events where org_id = $1")
        .bind(o.org_id.as_uuid())
        .fetch_one(&t.na.superuser)
        .await?;
    let indexes: Vec<i64> = sqlx::query_scalar(
        "select leaf_index from audit.leaves where org_id = $1 order by leaf_index",
    )
    .bind(o.org_id.as_uuid())
    .fetch_all(&t.na.superuser)
    .await?;
    assert_eq!(indexes.len() as i64, events);
    assert_eq!(indexes, (0..events).collect::<Vec<_>>(), "gap-free");

    // The tree's root is the RFC 6962 root of the leaves, in log order, and the checkpoint says so.
    let hashes: Vec<Vec<u8>> = sqlx::query_scalar(
        "select e.leaf_hash from audit.leaves l join audit.events e using (org_id, event_row) where l.org_id = $1 order by l.leaf_index",
    )
    .bind(o.org_id.as_uuid())
    .fetch_all(&t.na.superuser)
    .await?;
    let mut range = attest_ledger::tree::CompactRange::empty(0);
    for h in &hashes {
        range.append(attest_ledger::Hash(h.as_slice().try_into()?));
    }
    let mut tx = begin(&t.na.app, &o.all_powerful()).await?;
    let checkpoint = ledger::latest_checkpoint(&mut tx)
        .await?
        .expect("a checkpoint");
    let vkey = attest_store::org_keys::audit_vkey(&mut tx, &kek, o.org_id)
        .await?
        .expect("a key");
    let signed = attest_ledger::SignedCheckpoint::verify(&checkpoint.note, &vkey)?;
    assert_eq!(signed.size, events as u64);
    assert_eq!(range.root(), Some(signed.root));
    Ok(())
}

#[tokio::test]
async fn people_read_their_own_events_and_auditors_read_all() -> anyhow::Result<()> {
    let t = regions().await?;
    let o = org(&t.regions, "acme", Region::Na).await?;
    let mut tx = begin(&t.na.app, &o.all_powerful()).await?;
    audit::append(
        &mut tx,
        o.org_id,
        &event(AuditAction::AuthMfaReset, Some(o.worker)),
    )
    .await?;
    audit::append(
        &mut tx,
        o.org_id,
        &event(AuditAction::AuthAccountUnlocked, Some(o.crewmate)),
    )
    .await?;
    tx.commit().await?;

    let mut tx = begin(&t.na.app, &o.context(o.worker, BuiltinRole::Worker)).await?;
    let mine = audit::recent(&mut tx, 100).await?;
    assert!(
        mine.iter()
            .all(|e| e.subject_user_id == Some(o.worker.as_uuid())
                || e.actor_user_id == Some(o.worker.as_uuid()))
    );
    assert!(mine.iter().any(|e| e.action == "auth.mfa_reset"));
    assert!(!mine.iter().any(|e| e.action == "auth.account_unlocked"));
    tx.commit().await?;

    let mut tx = begin(&t.na.app, &o.context(o.auditor, BuiltinRole::Auditor)).await?;
    let all = audit::recent(&mut tx, 100).await?;
    assert!(all.iter().any(|e| e.action == "auth.account_unlocked"));
    let stored = all
        .iter()
        .find(|e| e.action == "auth.mfa_reset")
        .expect("event");
    assert_eq!(stored.source_ip.as_deref(), Some("192.0.2.7"));
    assert_eq!(stored.request_id.as_deref(), Some("r-1"));
    Ok(())
}

/// Rows of `audit.events` this transaction has read (sequential and index fetches).
async fn events_rows_read(tx: &mut attest_store::Tx) -> anyhow::Result<i64> {
    Ok(sqlx::query_scalar(
        "select coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) from pg_stat_xact_user_tables
         where schemaname = 'audit' and relname = 'events'",
    )
    .fetch_one(&mut **tx)
    .await?)
}

/// The timeline's filters are optional (`NULL is null or …`). PostgreSQL plans a prepared
/// statement generically after five runs, with the statistics of that moment, and keeps the plan:
/// for the timeline that plan read and sorted every event of the organisation, one page of 50 at a
/// time (0.4 ms became 460 ms in the load benchmark once the log held 20,000 events). Each page
/// must read about a page of rows, however often the statement ran while the log was small.
#[tokio::test]
async fn a_timeline_page_reads_a_page_of_events_after_the_log_grows() -> anyhow::Result<()> {
    let t = regions().await?;
    let o = org(&t.regions, "acme", Region::Na).await?;
    // The statistics are gathered while the log is small (autovacuum does it in its own time).
    sqlx::query("analyze audit.events")
        .execute(&t.na.superuser)
        .await?;
    // One connection, so that every run reuses its prepared statement, and on it PostgreSQL's
    // worst choice: a generic plan, built at the first run while the log is small.
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect_with(
            t.na.app_options
                .clone()
                .options([("plan_cache_mode", "force_generic_plan")]),
        )
        .await?;
    for _ in 0..10 {
        let mut tx = begin(&pool, &o.all_powerful()).await?;
        audit::list(&mut tx, &audit::Filter::default(), 51).await?;
        tx.commit().await?;
    }
    // The log grows by 5,000 events; nothing re-plans a cached statement until the statistics
    // are gathered again.
    let mut tx = begin(&t.na.app, &o.all_powerful()).await?;
    for n in 0..5_000 {
        let mut e = event(AuditAction::MemberAdded, None);
        e.details = serde_json::json!({ "n": n });
        audit::append(&mut tx, o.org_id, &e).await?;
    }
    tx.commit().await?;

    let mut tx = begin(&pool, &o.all_powerful()).await?;
    let before = events_rows_read(&mut tx).await?;
    let page = audit::list(&mut tx, &audit::Filter::default(), 51).await?;
    let read = events_rows_read(&mut tx).await? - before;
    tx.commit().await?;
    assert_eq!(page.len(), 51);
    assert!(
        read < 500,
        "one page of the timeline read {read} rows of audit.events"
    );
    Ok(())
}
