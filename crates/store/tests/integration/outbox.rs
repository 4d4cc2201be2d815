//! The outbox: written in an organisation's context, claimed by the worker across organisations,
//! each message once per lease.

use crate::fixture::org;
use attest_core::Region;
use attest_store::begin;
use attest_store::outbox::{self, Mail};
use attest_testkit::regions;
use time::OffsetDateTime;

fn mail(to: &str) -> Mail {
    Mail {
        kind: "test".into(),
        to: to.into(),
        subject: "Subject".into(),
        body: "Body".into(),
    }
}

#[tokio::test]
async fn the_worker_claims_every_organisations_mail_once_per_lease() -> anyhow::Result<()> {
    let t = regions().await?;
    let a = org(&t.regions, "alpha", Region::Na).await?;
    let b = org(&t.regions, "bravo", Region::Na).await?;
    let now = OffsetDateTime::now_utc();
    for (o, to) in [(&a, "a@alpha.example"), (&b, "b@bravo.example")] {
        let mut tx = begin(&t.na.app, &o.all_powerful()).await?;
        outbox::enqueue(&mut tx, o.org_id, &mail(to), now).await?;
        tx.commit().await?;
    }
    // The fixture queued one message per organisation too.
    let claimed = outbox::claim(&t.na.app, now, 50, time::Duration::minutes(2)).await?;
    assert_eq!(claimed.len(), 4);
    assert!(
        claimed
            .iter()
            .any(|c| c.mail.to == "a@alpha.example" && c.org_id == a.org_id)
    );
    assert!(
        claimed
            .iter()
            .any(|c| c.mail.to == "b@bravo.example" && c.org_id == b.org_id)
    );
    assert!(
        outbox::claim(&t.na.app, now, 50, time::Duration::minutes(2))
            .await?
            .is_empty(),
        "leased"
    );

    let first = &claimed[0];
    outbox::mark_sent(&t.na.app, first.org_id, first.message_id, now).await?;
    let second = &claimed[1];
    outbox::mark_failed(
        &t.na.app,
        second.org_id,
        second.message_id,
        "connection refused",
        now + time::Duration::seconds(30),
    )
    .await?;
    let later = outbox::claim(
        &t.na.app,
        now + time::Duration::minutes(3),
        50,
        time::Duration::minutes(2),
    )
    .await?;
    assert_eq!(
        later.len(),
        3,
        "everything but the sent message comes back after the lease"
    );
    assert!(later.iter().all(|c| c.message_id != first.message_id));
    assert_eq!(
        later
            .iter()
            .find(|c| c.message_id == second.message_id)
            .map(|c| c.attempts),
        Some(2)
    );
    Ok(())
}

/// Mail bodies hold reset and invitation links: no organisation context reads the outbox, not
/// even one with every permission; only the delivery worker's.
#[tokio::test]
async fn no_organisation_context_reads_the_outbox() -> anyhow::Result<()> {
    let t = regions().await?;
    let a = org(&t.regions, "alpha", Region::Na).await?;
    org(&t.regions, "bravo", Region::Na).await?;
    let mut tx = begin(&t.na.app, &a.all_powerful()).await?;
    let seen: i64 = sqlx::query_scalar("select count(*) from attest.outbox")
        .fetch_one(&mut *tx)
        .await?;
    assert_eq!(seen, 0);
    let changed = sqlx::query("update attest.outbox set subject = 'x'")
        .execute(&mut *tx)
        .await?
        .rows_affected();
    assert_eq!(changed, 0);
    tx.rollback().await?;
    let claimed = outbox::claim(
        &t.na.app,
        OffsetDateTime::now_utc(),
        50,
        time::Duration::minutes(2),
    )
    .await?;
    assert_eq!(claimed.len(), 2, "the worker sees both organisations' mail");
    Ok(())
}

/// Sent (or given-up) mail loses its body at once, and its row after 30 days.
#[tokio::test]
async fn sent_mail_keeps_no_body_and_old_rows_are_purged() -> anyhow::Result<()> {
    let t = regions().await?;
    org(&t.regions, "alpha", Region::Na).await?;
    let now = OffsetDateTime::now_utc();
    let claimed = outbox::claim(&t.na.app, now, 50, time::Duration::minutes(2)).await?;
    let first = claimed.first().ok_or_else(|| anyhow::anyhow!("no mail"))?;
    assert!(!first.mail.body.is_empty());
    outbox::mark_sent(&t.na.app, first.org_id, first.message_id, now).await?;
    let body: String = sqlx::query_scalar("select body from attest.outbox where message_id = $1")
        .bind(first.message_id)
        .fetch_one(&t.na.superuser)
        .await?;
    assert_eq!(body, "");
    assert_eq!(
        outbox::purge(&t.na.app, now + time::Duration::days(29)).await?,
        0
    );
    assert_eq!(
        outbox::purge(&t.na.app, now + time::Duration::days(31)).await?,
        1
    );
    Ok(())
}
