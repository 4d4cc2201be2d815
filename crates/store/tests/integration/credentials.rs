//! Credential visibility enforced by PostgreSQL, whatever the handler: raw SQL as `attest_app`
//! in each context sees exactly the credentials and personal fields it should — built-in roles
//! and custom permission sets alike.

use crate::fixture::{Org, org};
use attest_core::{BuiltinRole, CredentialTypeId, Permission, PermissionSet, Region, UserId};
use attest_store::credentials::{self, NewCredential, PersonalFields, Renewal};
use attest_store::{AccessContext, begin, credential_types};
use attest_testkit::regions;

async fn counts(pool: &sqlx::PgPool, context: &AccessContext) -> anyhow::Result<(i64, i64, i64)> {
    let mut tx = begin(pool, context).await?;
    let mut count = async |table: &str| -> anyhow::Result<i64> {
        Ok(
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("select count(*) from {table}")))
                .fetch_one(&mut *tx)
                .await?,
        )
    };
    let seen = (
        count("attest.credentials").await?,
        count("attest.credential_versions").await?,
        count("attest.credential_personal").await?,
    );
    tx.commit().await?;
    Ok(seen)
}

fn custom(o: &Org, user: UserId, permissions: &[Permission]) -> AccessContext {
    AccessContext {
        org_id: o.org_id,
        user_id: Some(user),
        permissions: permissions.iter().copied().collect::<PermissionSet>(),
    }
}

async fn record(
    pool: &sqlx::PgPool,
    o: &Org,
    kek: &attest_crypto::LocalKek,
    type_id: CredentialTypeId,
    worker: UserId,
) -> anyhow::Result<()> {
    let mut tx = begin(pool, &o.context(o.manager, BuiltinRole::HseManager)).await?;
    let new = NewCredential {
        user_id: worker,
        type_id,
        renewal: Renewal {
            issuer: "Red Cross".into(),
            issued_on: time::macros::date!(2026 - 01 - 01),
            expires_on: None,
            personal: PersonalFields {
                number: Some("N-1".into()),
                notes: None,
                evidence_id: None,
            },
        },
    };
    credentials::add(&mut tx, kek, o.org_id, Some(o.manager), &new).await?;
    tx.commit().await?;
    Ok(())
}

#[tokio::test]
async fn each_context_sees_exactly_the_credentials_and_personal_fields_it_should()
-> anyhow::Result<()> {
    let t = regions().await?;
    let o = org(&t.regions, "acme", Region::Na).await?;
    let kek = attest_testkit::kek()?;
    let pool = &t.na.app;
    let mut tx = begin(pool, &o.context(o.manager, BuiltinRole::HseManager)).await?;
    let starters: Vec<_> = attest_core::STARTER_CATALOGUE.iter().take(1).collect();
    let (type_id, _) = credential_types::adopt(&mut tx, o.org_id, &starters)
        .await?
        .remove(0);
    tx.commit().await?;
    // One credential for the worker (crew one) and one for the other worker (crew two).
    record(pool, &o, &kek, type_id, o.worker).await?;
    record(pool, &o, &kek, type_id, o.other_worker).await?;

    use Permission as P;
    let cases: Vec<(&str, AccessContext, (i64, i64, i64))> = vec![
        (
            "the worker",
            o.context(o.worker, BuiltinRole::Worker),
            (1, 1, 1),
        ),
        (
            "a crewmate",
            o.context(o.crewmate, BuiltinRole::Worker),
            (0, 0, 0),
        ),
        (
            "the worker's supervisor",
            o.context(o.supervisor, BuiltinRole::Supervisor),
            (1, 1, 0),
        ),
        (
            "the other crew's supervisor",
            o.context(o.other_supervisor, BuiltinRole::Supervisor),
            (1, 1, 0),
        ),
        (
            "the HSE manager",
            o.context(o.manager, BuiltinRole::HseManager),
            (2, 2, 2),
        ),
        (
            "the auditor",
            o.context(o.auditor, BuiltinRole::Auditor),
            (2, 2, 0),
        ),
        (
            "the administrator",
            o.context(o.admin, BuiltinRole::OrgAdmin),
            (2, 2, 0),
        ),
        (
            "a custom role reading the organisation",
            custom(&o, o.auditor, &[P::CredentialsReadOrg]),
            (2, 2, 0),
        ),
        (
            "a custom crew reader who supervises nobody",
            custom(&o, o.crewmate, &[P::CredentialsReadCrew, P::CrewsRead]),
            (0, 0, 0),
        ),
        (
            "personal.read without any read permission",
            custom(&o, o.auditor, &[P::CredentialsPersonalRead]),
            (0, 0, 0),
        ),
        (
            "a custom role reading the organisation and personal fields",
            custom(
                &o,
                o.auditor,
                &[P::CredentialsReadOrg, P::CredentialsPersonalRead],
            ),
            (2, 2, 2),
        ),
    ];
    for (who, context, expected) in cases {
        assert_eq!(
            counts(pool, &context).await?,
            expected,
            "{who}: (credentials, versions, personal fields)"
        );
    }
    // The other supervisor's one credential is the other worker's.
    let mut tx = begin(
        pool,
        &o.context(o.other_supervisor, BuiltinRole::Supervisor),
    )
    .await?;
    let seen: Vec<uuid::Uuid> = sqlx::query_scalar("select user_id from attest.credentials")
        .fetch_all(&mut *tx)
        .await?;
    assert_eq!(seen, vec![o.other_worker.as_uuid()]);
    // Without credentials.manage, nothing can be changed, even by raw SQL.
    let changed = sqlx::query("update attest.credentials set issuer = 'forged'")
        .execute(&mut *tx)
        .await?
        .rows_affected();
    assert_eq!(changed, 0);
    Ok(())
}
