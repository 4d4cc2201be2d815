//! The sequencer, proofs and exports at the database layer.

use crate::fixture::org;
use attest_core::Region;
use attest_ledger::tree::{check_record, check_tree};
use attest_ledger::{Hash, SignedCheckpoint};
use attest_store::audit::{self, Actor, AuditAction, AuditEvent, Origin};
use attest_store::{begin, ledger, org_keys};
use attest_testkit::regions;

fn event(i: usize) -> AuditEvent {
    AuditEvent {
        occurred_at: time::OffsetDateTime::now_utc(),
        actor: Actor::System,
        action: AuditAction::MemberRoleChanged,
        resource_type: "thing",
        resource_id: Some(i.to_string()),
        subject: None,
        origin: Origin {
            source_ip: Some(std::net::IpAddr::from([198, 51, 100, 7])),
            user_agent: Some("ua".into()),
            request_id: None,
        },
        details: serde_json::json!({ "i": i, "text": "naïve ☃" }),
    }
}

#[tokio::test]
async fn integration_signs_checkpoints_that_verify_and_proofs_that_check() -> anyhow::Result<()> {
    let t = regions().await?;
    let o = org(&t.regions, "acme", Region::Na).await?;
    let kek = attest_testkit::kek()?;
    let mut tx = begin(&t.na.app, &o.all_powerful()).await?;
    for i in 0..25 {
        audit::append(&mut tx, o.org_id, &event(i)).await?;
    }
    tx.commit().await?;
    let done = ledger::integrate(&t.na.app, &kek, o.org_id, 1000)
        .await?
        .expect("work to do");
    assert_eq!(
        done.to - done.from,
        26,
        "the fixture's waiting event and these 25"
    );

    let mut tx = begin(&t.na.app, &o.all_powerful()).await?;
    let vkey = org_keys::audit_vkey(&mut tx, &kek, o.org_id)
        .await?
        .expect("key");
    let latest = ledger::latest_checkpoint(&mut tx)
        .await?
        .expect("checkpoint");
    let signed = SignedCheckpoint::verify(&latest.note, &vkey)?;
    assert_eq!(
        (signed.size, signed.origin.clone()),
        (done.to, format!("attest/{}", o.org_id))
    );
    let earlier = ledger::checkpoint_at(&mut tx, done.from)
        .await?
        .expect("the earlier checkpoint");

    // Every leaf as exported hashes to what was integrated, and is provably in the tree.
    let page = ledger::export_page(&mut tx, 0, done.to, 1000).await?;
    assert_eq!(page.len() as u64, done.to);
    for e in &page {
        assert_eq!(
            e.leaf.hash().0,
            e.leaf_hash,
            "leaf {} rebuilds exactly",
            e.index
        );
        assert!(e.leaf.commits_to(e.personal.as_ref().expect("personal")));
        let proof = ledger::inclusion_proof(&mut tx, o.org_id, e.index, done.to).await?;
        check_record(&proof, done.to, signed.root, e.index, Hash(e.leaf_hash))?;
    }
    let proof = ledger::consistency_proof(&mut tx, o.org_id, done.from, done.to).await?;
    check_tree(&proof, done.to, signed.root, done.from, Hash(earlier.root))?;
    Ok(())
}

#[tokio::test]
async fn erasing_personal_fields_keeps_every_leaf_valid() -> anyhow::Result<()> {
    let t = regions().await?;
    let o = org(&t.regions, "acme", Region::Na).await?;
    let kek = attest_testkit::kek()?;
    let mut tx = begin(&t.na.app, &o.all_powerful()).await?;
    let mut e = event(1);
    e.subject = Some(o.worker);
    audit::append(&mut tx, o.org_id, &e).await?;
    tx.commit().await?;
    ledger::integrate_all(&t.na.app, &kek, 1000).await?;

    let mut tx = begin(&t.na.app, &o.all_powerful()).await?;
    assert!(audit::erase_personal(&mut tx, o.worker).await? >= 1);
    tx.commit().await?;
    let remaining: i64 = sqlx::query_scalar(
        "select count(*) from attest.audit_personal p join audit.events e using (org_id, event_row) where e.subject_user_id = $1",
    )
    .bind(o.worker.as_uuid())
    .fetch_one(&t.na.superuser)
    .await?;
    assert_eq!(
        remaining, 0,
        "the personal fields are gone from the database"
    );
    let mut tx = begin(&t.na.app, &o.all_powerful()).await?;
    let size = ledger::latest_checkpoint(&mut tx)
        .await?
        .expect("checkpoint")
        .size;
    for e in ledger::export_page(&mut tx, 0, size, 1000).await? {
        assert_eq!(e.leaf.hash().0, e.leaf_hash, "the leaf is unchanged");
        if e.leaf.subject == Some(o.worker.as_uuid()) {
            assert!(e.personal.is_none());
        }
    }
    Ok(())
}

#[tokio::test]
async fn only_the_sequencer_writes_the_tree() -> anyhow::Result<()> {
    let t = regions().await?;
    let o = org(&t.regions, "acme", Region::Na).await?;
    let mut tx = begin(&t.na.app, &o.all_powerful()).await?;
    let forged = sqlx::query("insert into audit.checkpoints (org_id, size, root, note) values ($1, 9999, '\\x00', 'forged')")
        .bind(o.org_id.as_uuid())
        .execute(&mut *tx)
        .await;
    assert!(
        forged.is_err(),
        "a request's context cannot write checkpoints"
    );
    let mut tx = begin(&t.na.app, &o.all_powerful()).await?;
    let rows = sqlx::query("delete from attest.audit_queue")
        .execute(&mut *tx)
        .await?
        .rows_affected();
    assert_eq!(rows, 0, "nor empty the sequencer's queue");
    Ok(())
}

#[tokio::test]
async fn kek_rotation_rewraps_the_log_key_and_the_log_keeps_its_identity() -> anyhow::Result<()> {
    use attest_crypto::{KeyEncryptionKey as _, LocalKek};
    let t = regions().await?;
    let o = org(&t.regions, "acme", Region::Na).await?;
    // A copy of the shared test KEK (which wrapped the fixture's log key), rotated alone.
    let dir = tempfile::tempdir()?;
    std::fs::copy(
        attest_testkit::cluster_dir().join("test-kek"),
        dir.path().join("kek"),
    )?;
    let mut kek = LocalKek::open_or_create(&dir.path().join("kek"))?;
    ledger::integrate(&t.na.app, &kek, o.org_id, 1000)
        .await?
        .expect("the fixture's waiting event");
    let mut tx = begin(&t.na.app, &o.all_powerful()).await?;
    let vkey = org_keys::audit_vkey(&mut tx, &kek, o.org_id)
        .await?
        .expect("key");
    tx.commit().await?;

    let version = kek.rotate()?;
    // Key rows are re-wrapped by the owner role (the app role may not update them).
    let mut tx = begin(&t.na.owner, &o.all_powerful()).await?;
    assert_eq!(org_keys::rewrap_all(&mut tx, &kek, o.org_id).await?, 1);
    assert_eq!(
        org_keys::rewrap_all(&mut tx, &kek, o.org_id).await?,
        0,
        "idempotent"
    );
    let mut e = event(1);
    e.action = AuditAction::MemberStatusChanged;
    audit::append(&mut tx, o.org_id, &e).await?;
    tx.commit().await?;
    let stored: i32 = sqlx::query_scalar("select kek_version from attest.org_keys")
        .fetch_one(&t.na.superuser)
        .await?;
    assert_eq!(i64::from(stored), i64::from(version));
    assert_eq!(i64::from(kek.current_version()), i64::from(version));

    // The re-wrapped key opens, and the log is still signed by the same key.
    let done = ledger::integrate(&t.na.app, &kek, o.org_id, 1000)
        .await?
        .expect("the new event");
    SignedCheckpoint::verify(&done.checkpoint, &vkey)?;
    Ok(())
}

#[tokio::test]
async fn one_organisation_that_cannot_be_sequenced_does_not_hold_up_the_others()
-> anyhow::Result<()> {
    let t = regions().await?;
    let kek = attest_testkit::kek()?;
    let a = org(&t.regions, "first", Region::Na).await?;
    let b = org(&t.regions, "second", Region::Na).await?;
    // Organisations are sequenced in id order: break the first.
    let (broken, healthy) = if a.org_id.as_uuid() < b.org_id.as_uuid() {
        (a, b)
    } else {
        (b, a)
    };
    for o in [&broken, &healthy] {
        let mut tx = begin(&t.na.app, &o.all_powerful()).await?;
        audit::append(&mut tx, o.org_id, &event(1)).await?;
        tx.commit().await?;
    }
    ledger::integrate_all(&t.na.app, &kek, 1000).await?;
    let size = |o: &crate::fixture::Org| {
        let ctx = o.all_powerful();
        let pool = t.na.app.clone();
        async move {
            let mut tx = begin(&pool, &ctx).await?;
            let size = ledger::latest_checkpoint(&mut tx)
                .await?
                .map_or(0, |c| c.size);
            tx.commit().await?;
            anyhow::Ok(size)
        }
    };
    let (broken_before, healthy_before) = (size(&broken).await?, size(&healthy).await?);
    // The broken organisation's log key can no longer be unwrapped.
    sqlx::query(
        "update attest.org_keys set private_wrapped = '\\x00' where org_id = $1 and purpose = 'audit'",
    )
    .bind(broken.org_id.as_uuid())
    .execute(&t.na.superuser)
    .await?;
    for o in [&broken, &healthy] {
        let mut tx = begin(&t.na.app, &o.all_powerful()).await?;
        audit::append(&mut tx, o.org_id, &event(2)).await?;
        tx.commit().await?;
    }

    assert!(
        ledger::integrate_all(&t.na.app, &kek, 1000).await.is_err(),
        "the failure is reported"
    );
    assert_eq!(
        size(&healthy).await?,
        healthy_before + 1,
        "the healthy log moved on"
    );
    assert_eq!(size(&broken).await?, broken_before, "the broken one waits");
    let waiting: i64 =
        sqlx::query_scalar("select count(*) from attest.audit_queue where org_id = $1")
            .bind(broken.org_id.as_uuid())
            .fetch_one(&t.na.superuser)
            .await?;
    assert_eq!(waiting, 1);
    Ok(())
}
