use attest_core::{BuiltinRole, OrgSlug, Region};
use attest_store::{AccessContext, begin, demo, organisations, people};
use attest_testkit::regions;

#[tokio::test]
async fn the_demo_seeds_both_regions_once() -> anyhow::Result<()> {
    let t = regions().await?;
    let kek = attest_testkit::kek()?;
    let first = demo::seed(&t.regions, &kek, crate::fixture::HASH).await?;
    assert_eq!(first.created, ["northwind", "maple-ridge"]);
    let second = demo::seed(&t.regions, &kek, crate::fixture::HASH).await?;
    assert!(second.created.is_empty(), "seeding is idempotent");

    let maple = organisations::resolve(&t.ca.app, &OrgSlug::parse("maple-ridge")?)
        .await?
        .expect("in CA");
    assert_eq!(maple.region, Region::Ca);
    assert!(
        organisations::resolve(&t.na.app, &OrgSlug::parse("maple-ridge")?)
            .await?
            .is_none()
    );

    let northwind = organisations::resolve(&t.na.app, &OrgSlug::parse("northwind")?)
        .await?
        .expect("in NA");
    let ctx = AccessContext {
        org_id: northwind.org_id,
        user_id: None,
        permissions: BuiltinRole::HseManager.permissions(),
    };
    let mut tx = begin(&t.na.app, &ctx).await?;
    let everyone = people::list(&mut tx).await?;
    let expected = demo::accounts()
        .into_iter()
        .filter(|a| a.slug == "northwind")
        .count();
    assert_eq!(everyone.len(), expected);

    // Seeding is on the record: the organisation's creation and each member added, by the system.
    let events =
        attest_store::audit::list(&mut tx, &attest_store::audit::Filter::default(), 100).await?;
    let mut actions: Vec<(&str, &str)> = events
        .iter()
        .map(|(_, e)| (e.action.as_str(), e.actor_kind.as_str()))
        .collect();
    actions.sort_unstable();
    actions.dedup();
    assert_eq!(
        actions,
        [
            ("credential.added", "system"),
            ("credential.suspended", "system"),
            ("member.added", "system"),
            ("organisation.created", "system"),
            ("requisition.created", "system"),
            ("requisition.edited", "system"),
            ("requisition.finding_reviewed", "system")
        ]
    );
    let members = events
        .iter()
        .filter(|(_, e)| e.action.starts_with("member.") || e.action.starts_with("organisation."))
        .count();
    assert_eq!(members, expected, "one creation and one per other member");

    // The dashboard means something: some cleared, some not, some expiring, some expired.
    let data =
        attest_store::readiness::load(&mut tx, time::OffsetDateTime::now_utc(), None).await?;
    let r = attest_core::readiness::compute(&data.input);
    assert_eq!(r.overall.total, 8, "the Northwind workforce");
    assert!(
        r.overall.cleared >= 3 && r.overall.cleared <= 5,
        "{:?}",
        r.overall
    );
    assert!(
        r.outlook.within_30_days >= 2 && r.outlook.expired >= 2,
        "{:?}",
        r.outlook
    );
    tx.commit().await?;

    // Requisitions: written by the author, some decided by the reviewer; the edited one keeps
    // its dismissal on the same words.
    let reviewer = demo::accounts()
        .into_iter()
        .find(|a| a.slug == "northwind" && a.role == BuiltinRole::ComplianceReviewer)
        .expect("a reviewer");
    let reviewer_id: uuid::Uuid =
        sqlx::query_scalar("select user_id from attest.users where org_id = $1 and email = $2")
            .bind(northwind.org_id.as_uuid())
            .bind(&reviewer.email)
            .fetch_one(&t.na.superuser)
            .await?;
    let ctx = AccessContext {
        org_id: northwind.org_id,
        user_id: Some(attest_core::UserId::from(reviewer_id)),
        permissions: BuiltinRole::ComplianceReviewer.permissions(),
    };
    let mut tx = begin(&t.na.app, &ctx).await?;
    let all = attest_store::requisitions::list(&mut tx).await?;
    assert_eq!(all.len(), 3);
    assert!(all.iter().all(|r| r.findings > 0 || r.score == 100));
    let edited = all
        .iter()
        .find(|r| r.current_version == 2)
        .expect("an edited requisition");
    let findings = attest_store::requisitions::findings(&mut tx, edited.requisition_id, 2).await?;
    assert!(
        findings
            .iter()
            .any(|f| f.review.as_ref().is_some_and(
                |r| r.decision == attest_store::requisitions::ReviewDecision::Dismissed
            )),
        "the dismissal carried over to version 2"
    );
    tx.commit().await?;
    Ok(())
}
