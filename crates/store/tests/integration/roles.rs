//! Custom roles: permission sets an organisation defines, enforced by the database like the
//! built-in ones.

use crate::fixture::org;
use attest_core::{
    BuiltinRole, DisplayName, EmailAddress, Permission, PermissionSet, Region, UserId,
};
use attest_store::{AccessContext, StoreError, begin, people, roles};
use attest_testkit::regions;

#[tokio::test]
async fn a_custom_role_grants_exactly_its_permissions() -> anyhow::Result<()> {
    let t = regions().await?;
    let o = org(&t.regions, "acme", Region::Na).await?;
    let admin = o.context(o.admin, BuiltinRole::OrgAdmin);
    let permissions: PermissionSet = [
        Permission::OrgRead,
        Permission::PeopleReadOrg,
        Permission::SitesRead,
    ]
    .into_iter()
    .collect();

    let mut tx = begin(&t.na.app, &admin).await?;
    let role =
        roles::create_custom(&mut tx, o.org_id, "site_lead", "Site lead", &permissions).await?;
    let lead = UserId::new();
    people::insert(
        &mut tx,
        o.org_id,
        &people::NewPerson {
            user_id: lead,
            email: EmailAddress::parse("lead@acme.example")?,
            display_name: DisplayName::parse("Lee Lead")?,
            role_id: role,
        },
    )
    .await?;
    tx.commit().await?;

    // The member's permissions come from the database, as sign-in will read them.
    let mut tx = begin(
        &t.na.app,
        &AccessContext {
            org_id: o.org_id,
            user_id: Some(lead),
            permissions: PermissionSet::empty(),
        },
    )
    .await?;
    let (key, granted) = roles::of_member(&mut tx, lead)
        .await?
        .expect("an active member");
    tx.commit().await?;
    assert_eq!((key.as_str(), &granted), ("site_lead", &permissions));

    let mut tx = begin(
        &t.na.app,
        &AccessContext {
            org_id: o.org_id,
            user_id: Some(lead),
            permissions: granted,
        },
    )
    .await?;
    assert_eq!(
        people::list(&mut tx).await?.len(),
        9,
        "people.read.org: everyone, the lead included"
    );
    let crews: i64 = sqlx::query_scalar("select count(*) from attest.crews")
        .fetch_one(&mut *tx)
        .await?;
    assert_eq!(crews, 0, "no crews.read, no crews");
    Ok(())
}

#[tokio::test]
async fn a_custom_role_key_must_be_new_and_only_admins_may_add_roles() -> anyhow::Result<()> {
    let t = regions().await?;
    let o = org(&t.regions, "acme", Region::Na).await?;
    let set: PermissionSet = [Permission::OrgRead].into_iter().collect();
    let mut tx = begin(&t.na.app, &o.context(o.admin, BuiltinRole::OrgAdmin)).await?;
    let taken = roles::create_custom(&mut tx, o.org_id, "worker", "Worker again", &set).await;
    assert!(matches!(taken, Err(StoreError::RoleKeyTaken)), "{taken:?}");

    let mut tx = begin(&t.na.app, &o.context(o.manager, BuiltinRole::HseManager)).await?;
    let refused = roles::create_custom(&mut tx, o.org_id, "sneaky", "Sneaky", &set).await;
    assert!(refused.is_err(), "an HSE manager has no roles.manage");
    Ok(())
}

#[tokio::test]
async fn no_custom_role_can_hold_the_platform_permission() -> anyhow::Result<()> {
    let t = regions().await?;
    let o = org(&t.regions, "acme", Region::Na).await?;
    let set: PermissionSet = [Permission::OrgRead, Permission::PlatformAdmin]
        .into_iter()
        .collect();
    let mut tx = begin(&t.na.app, &o.context(o.admin, BuiltinRole::OrgAdmin)).await?;
    assert!(
        roles::create_custom(&mut tx, o.org_id, "operator", "Operator", &set)
            .await
            .is_err()
    );
    Ok(())
}

#[tokio::test]
async fn a_suspended_member_has_no_permissions() -> anyhow::Result<()> {
    let t = regions().await?;
    let o = org(&t.regions, "acme", Region::Na).await?;
    let mut tx = begin(&t.na.app, &o.context(o.admin, BuiltinRole::OrgAdmin)).await?;
    sqlx::query("update attest.memberships set status = 'suspended' where user_id = $1")
        .bind(o.worker.as_uuid())
        .execute(&mut *tx)
        .await?;
    assert!(roles::of_member(&mut tx, o.worker).await?.is_none());
    assert!(roles::of_member(&mut tx, o.manager).await?.is_some());
    Ok(())
}
