//! Who sees whom, enforced by the database: a worker sees themselves, a supervisor their crews,
//! HSE managers and auditors the organisation.

use crate::fixture::{Org, org};
use attest_core::{BuiltinRole, Region, UserId};
use attest_store::{AccessContext, begin, people};
use attest_testkit::regions;
use std::collections::BTreeSet;

async fn visible_people(
    pool: &sqlx::PgPool,
    context: &AccessContext,
) -> anyhow::Result<BTreeSet<UserId>> {
    let mut tx = begin(pool, context).await?;
    let ids = people::list(&mut tx)
        .await?
        .into_iter()
        .map(|p| p.user_id)
        .collect();
    tx.commit().await?;
    Ok(ids)
}

/// Raw SQL, not the store's query: what the role can select from the table at all.
async fn raw_visible(
    pool: &sqlx::PgPool,
    context: &AccessContext,
    table: &str,
) -> anyhow::Result<i64> {
    let mut tx = begin(pool, context).await?;
    let n = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "select count(*) from attest.{table}"
    )))
    .fetch_one(&mut *tx)
    .await?;
    Ok(n)
}

fn everyone(o: &Org) -> BTreeSet<UserId> {
    [
        o.admin,
        o.manager,
        o.auditor,
        o.supervisor,
        o.other_supervisor,
        o.worker,
        o.crewmate,
        o.other_worker,
    ]
    .into()
}

#[tokio::test]
async fn a_worker_sees_only_themselves() -> anyhow::Result<()> {
    let t = regions().await?;
    let o = org(&t.regions, "acme", Region::Na).await?;
    let ctx = o.context(o.worker, BuiltinRole::Worker);
    assert_eq!(visible_people(&t.na.app, &ctx).await?, [o.worker].into());
    assert_eq!(raw_visible(&t.na.app, &ctx, "users").await?, 1);
    assert_eq!(raw_visible(&t.na.app, &ctx, "memberships").await?, 1);
    assert_eq!(
        raw_visible(&t.na.app, &ctx, "crew_members").await?,
        1,
        "only their own crew membership"
    );
    assert_eq!(
        raw_visible(&t.na.app, &ctx, "password_credentials").await?,
        1,
        "only their own password"
    );
    Ok(())
}

#[tokio::test]
async fn a_supervisor_sees_themselves_and_their_own_crew_only() -> anyhow::Result<()> {
    let t = regions().await?;
    let o = org(&t.regions, "acme", Region::Na).await?;
    let ctx = o.context(o.supervisor, BuiltinRole::Supervisor);
    assert_eq!(
        visible_people(&t.na.app, &ctx).await?,
        [o.supervisor, o.worker, o.crewmate].into()
    );
    assert_eq!(raw_visible(&t.na.app, &ctx, "crew_members").await?, 2);
    let other = o.context(o.other_supervisor, BuiltinRole::Supervisor);
    assert_eq!(
        visible_people(&t.na.app, &other).await?,
        [o.other_supervisor, o.other_worker].into()
    );
    assert_eq!(
        raw_visible(&t.na.app, &ctx, "password_credentials").await?,
        0,
        "never others' passwords"
    );
    Ok(())
}

#[tokio::test]
async fn a_supervisor_permission_without_crews_sees_only_themselves() -> anyhow::Result<()> {
    let t = regions().await?;
    let o = org(&t.regions, "acme", Region::Na).await?;
    // The worker given supervisor permissions still supervises no crew.
    let ctx = o.context(o.worker, BuiltinRole::Supervisor);
    assert_eq!(visible_people(&t.na.app, &ctx).await?, [o.worker].into());
    Ok(())
}

#[tokio::test]
async fn managers_and_auditors_see_the_whole_organisation() -> anyhow::Result<()> {
    let t = regions().await?;
    let o = org(&t.regions, "acme", Region::Na).await?;
    for (user, role) in [
        (o.manager, BuiltinRole::HseManager),
        (o.auditor, BuiltinRole::Auditor),
        (o.admin, BuiltinRole::OrgAdmin),
    ] {
        assert_eq!(
            visible_people(&t.na.app, &o.context(user, role)).await?,
            everyone(&o),
            "{}",
            role.key()
        );
        let mut tx = begin(&t.na.app, &o.context(user, role)).await?;
        let others: i64 = sqlx::query_scalar(
            "select count(*) from attest.password_credentials where user_id <> $1",
        )
        .bind(user.as_uuid())
        .fetch_one(&mut *tx)
        .await?;
        assert_eq!(
            others,
            0,
            "{} must never see others' password hashes",
            role.key()
        );
    }
    Ok(())
}

#[tokio::test]
async fn a_worker_cannot_change_their_own_role_or_another_person() -> anyhow::Result<()> {
    let t = regions().await?;
    let o = org(&t.regions, "acme", Region::Na).await?;
    let mut tx = begin(&t.na.app, &o.context(o.worker, BuiltinRole::Worker)).await?;
    let promoted = sqlx::query("update attest.memberships set role_id = $1 where user_id = $2")
        .bind(o.roles["org_admin"].as_uuid())
        .bind(o.worker.as_uuid())
        .execute(&mut *tx)
        .await?
        .rows_affected();
    assert_eq!(promoted, 0, "a worker must not promote themselves");
    let renamed = sqlx::query("update attest.users set display_name = 'Hacked' where user_id = $1")
        .bind(o.crewmate.as_uuid())
        .execute(&mut *tx)
        .await?
        .rows_affected();
    assert_eq!(renamed, 0, "a worker must not rename a crewmate");
    let own =
        sqlx::query("update attest.users set display_name = 'William Worker' where user_id = $1")
            .bind(o.worker.as_uuid())
            .execute(&mut *tx)
            .await?
            .rows_affected();
    assert_eq!(own, 1, "a worker may update their own account");
    Ok(())
}

#[tokio::test]
async fn built_in_roles_cannot_be_changed_even_by_an_admin() -> anyhow::Result<()> {
    let t = regions().await?;
    let o = org(&t.regions, "acme", Region::Na).await?;
    let mut tx = begin(&t.na.app, &o.context(o.admin, BuiltinRole::OrgAdmin)).await?;
    let changed = sqlx::query("update attest.roles set name = 'Boss' where key = 'worker'")
        .execute(&mut *tx)
        .await?
        .rows_affected();
    assert_eq!(changed, 0);
    let removed = sqlx::query("delete from attest.role_permissions where role_id = $1")
        .bind(o.roles["worker"].as_uuid())
        .execute(&mut *tx)
        .await?
        .rows_affected();
    assert_eq!(removed, 0);
    let granted = sqlx::query("insert into attest.role_permissions (org_id, role_id, permission) values ($1, $2, 'platform.admin')")
        .bind(o.org_id.as_uuid())
        .bind(o.roles["worker"].as_uuid())
        .execute(&mut *tx)
        .await;
    assert!(
        granted.is_err(),
        "no organisation role may hold the platform permission"
    );
    Ok(())
}
