use crate::fixture::{HASH, org};
use attest_core::{BuiltinRole, DisplayName, EmailAddress, OrgSlug, Region};
use attest_store::organisations::{self, NewOrganisation};
use attest_store::{StoreError, begin, directory};
use attest_testkit::regions;

fn new_org(slug: &str, region: Region) -> anyhow::Result<NewOrganisation> {
    Ok(NewOrganisation {
        slug: OrgSlug::parse(slug)?,
        name: DisplayName::parse("Acme Ltd")?,
        region,
        admin_email: EmailAddress::parse("ada@acme.example")?,
        admin_name: DisplayName::parse("Ada")?,
        admin_password_hash: HASH.into(),
    })
}

#[tokio::test]
async fn a_new_organisation_gets_every_built_in_role_and_an_admin() -> anyhow::Result<()> {
    let t = regions().await?;
    let created = organisations::create(&t.regions, &new_org("acme", Region::Na)?).await?;
    assert_eq!(created.roles.len(), 7);
    assert!(!created.roles.contains_key("platform_admin"));
    let o = created.organisation;
    let ctx = attest_store::AccessContext {
        org_id: o.org_id,
        user_id: Some(created.admin_id),
        permissions: BuiltinRole::OrgAdmin.permissions(),
    };
    let mut tx = begin(&t.na.app, &ctx).await?;
    assert_eq!(organisations::current(&mut tx).await?, o);
    let people = attest_store::people::list(&mut tx).await?;
    assert_eq!(people.len(), 1);
    assert_eq!(people[0].role_key, "org_admin");
    // The stored permission sets are the code's.
    for role in BuiltinRole::organisation_roles() {
        let mut stored: Vec<String> = sqlx::query_scalar(
            "select p.permission from attest.role_permissions p join attest.roles r using (org_id, role_id) where r.key = $1",
        )
        .bind(role.key())
        .fetch_all(&mut *tx)
        .await?;
        stored.sort();
        let mut expected: Vec<String> = role
            .permission_list()
            .iter()
            .map(|p| p.name().to_owned())
            .collect();
        expected.sort();
        assert_eq!(stored, expected, "{}", role.key());
    }
    Ok(())
}

#[tokio::test]
async fn a_taken_slug_is_refused_and_leaves_nothing_behind() -> anyhow::Result<()> {
    let t = regions().await?;
    organisations::create(&t.regions, &new_org("acme", Region::Na)?).await?;
    let again = organisations::create(&t.regions, &new_org("acme", Region::Ca)?).await;
    assert!(matches!(again, Err(StoreError::SlugTaken)), "{again:?}");
    let in_ca: i64 = sqlx::query_scalar("select count(*) from attest.organisations")
        .fetch_one(&t.ca.superuser)
        .await?;
    assert_eq!(in_ca, 0);
    assert_eq!(
        directory::lookup(&t.na.app, &OrgSlug::parse("acme")?).await?,
        Some(Region::Na)
    );
    Ok(())
}

#[tokio::test]
async fn a_failed_creation_releases_the_slug() -> anyhow::Result<()> {
    let t = regions().await?;
    // The same admin email twice in one organisation cannot happen, so force a failure in the
    // region database instead: a slug that already exists there but not in the directory.
    organisations::create(&t.regions, &new_org("acme", Region::Ca)?).await?;
    directory::release(&t.na.app, &OrgSlug::parse("acme")?).await?;
    let result = organisations::create(&t.regions, &new_org("acme", Region::Ca)?).await;
    assert!(matches!(result, Err(StoreError::SlugTaken)), "{result:?}");
    assert_eq!(
        directory::lookup(&t.na.app, &OrgSlug::parse("acme")?).await?,
        None,
        "slug released again"
    );
    Ok(())
}

#[tokio::test]
async fn a_slug_resolves_to_its_organisation_and_reveals_no_other() -> anyhow::Result<()> {
    let t = regions().await?;
    let a = org(&t.regions, "alpha", Region::Na).await?;
    org(&t.regions, "bravo", Region::Na).await?;
    let found = organisations::resolve(&t.na.app, &OrgSlug::parse("alpha")?)
        .await?
        .expect("alpha exists");
    assert_eq!(found.org_id, a.org_id);
    assert!(
        organisations::resolve(&t.na.app, &OrgSlug::parse("nobody")?)
            .await?
            .is_none()
    );

    let mut tx = t.na.app.begin().await?;
    sqlx::query("select set_config('attest.lookup_slug', 'alpha', true)")
        .execute(&mut *tx)
        .await?;
    let visible: i64 = sqlx::query_scalar("select count(*) from attest.organisations")
        .fetch_one(&mut *tx)
        .await?;
    assert_eq!(visible, 1, "only the looked-up organisation");
    let users: i64 = sqlx::query_scalar("select count(*) from attest.users")
        .fetch_one(&mut *tx)
        .await?;
    assert_eq!(users, 0, "a slug lookup reveals no people");
    Ok(())
}
