//! The outbox: written in an organisation's context, claimed by the worker across organisations,
//! each message once per lease.

use crate::fixture::org;
use attest_core::Region;
use attest_store::begin;
use attest_store::outbox::{self, Mail};
use attest_testkit::regions;

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
    let now = time::OffsetDateTime::now_utc();
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

#[tokio::test]
async fn an_organisation_context_sees_only_its_own_outbox() -> anyhow::Result<()> {
    let t = regions().await?;
    let a = org(&t.regions, "alpha", Region::Na).await?;
    org(&t.regions, "bravo", Region::Na).await?;
    let mut tx = begin(&t.na.app, &a.all_powerful()).await?;
    let orgs: Vec<uuid::Uuid> = sqlx::query_scalar("select distinct org_id from attest.outbox")
        .fetch_all(&mut *tx)
        .await?;
    assert_eq!(orgs, [a.org_id.as_uuid()]);
    Ok(())
}
