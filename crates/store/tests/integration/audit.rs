//! The audit events table: append-only for every role, gap-free sequence numbers, readable by
//! the organisation's auditors and, for their own events, by each person.

use crate::fixture::org;
use attest_core::{BuiltinRole, Region};
use attest_store::audit::{self, Actor, AuditEvent, Origin};
use attest_store::begin;
use attest_testkit::regions;

fn event(action: &'static str, subject: Option<attest_core::UserId>) -> AuditEvent {
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
    for (who, pool) in [
        ("app", &t.na.app),
        ("owner", &t.na.owner),
        ("superuser", &t.na.superuser),
    ] {
        for statement in [
            "update audit.events set action = 'tampered.event'",
            "delete from audit.events",
            "truncate audit.events",
        ] {
            let mut tx = begin(pool, &o.all_powerful()).await?;
            let result = sqlx::raw_sql(sqlx::AssertSqlSafe(statement))
                .execute(&mut *tx)
                .await;
            assert!(result.is_err(), "{who} could run: {statement}");
        }
    }
    let remaining: i64 = sqlx::query_scalar("select count(*) from audit.events")
        .fetch_one(&t.na.superuser)
        .await?;
    assert!(remaining > 0);
    Ok(())
}

#[tokio::test]
async fn sequence_numbers_are_gap_free_even_when_a_transaction_rolls_back() -> anyhow::Result<()> {
    let t = regions().await?;
    let o = org(&t.regions, "acme", Region::Na).await?;
    let mut tx = begin(&t.na.app, &o.all_powerful()).await?;
    let first = audit::append(&mut tx, o.org_id, &event("test.first", None)).await?;
    tx.commit().await?;
    let mut tx = begin(&t.na.app, &o.all_powerful()).await?;
    audit::append(&mut tx, o.org_id, &event("test.rolled_back", None)).await?;
    tx.rollback().await?;
    let mut tx = begin(&t.na.app, &o.all_powerful()).await?;
    let next = audit::append(&mut tx, o.org_id, &event("test.next", None)).await?;
    tx.commit().await?;
    assert_eq!(next, first + 1);
    let seqs: Vec<i64> =
        sqlx::query_scalar("select seq from audit.events where org_id = $1 order by seq")
            .bind(o.org_id.as_uuid())
            .fetch_all(&t.na.superuser)
            .await?;
    assert_eq!(seqs, (1..=seqs.len() as i64).collect::<Vec<_>>(), "no gaps");
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
        &event("test.about_worker", Some(o.worker)),
    )
    .await?;
    audit::append(
        &mut tx,
        o.org_id,
        &event("test.about_crewmate", Some(o.crewmate)),
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
    assert!(mine.iter().any(|e| e.action == "test.about_worker"));
    assert!(!mine.iter().any(|e| e.action == "test.about_crewmate"));
    tx.commit().await?;

    let mut tx = begin(&t.na.app, &o.context(o.auditor, BuiltinRole::Auditor)).await?;
    let all = audit::recent(&mut tx, 100).await?;
    assert!(all.iter().any(|e| e.action == "test.about_crewmate"));
    let stored = all
        .iter()
        .find(|e| e.action == "test.about_worker")
        .expect("event");
    assert_eq!(stored.source_ip.as_deref(), Some("192.0.2.7"));
    assert_eq!(stored.request_id.as_deref(), Some("r-1"));
    Ok(())
}
