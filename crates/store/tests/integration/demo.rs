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
            ("organisation.created", "system")
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
    Ok(())
}
