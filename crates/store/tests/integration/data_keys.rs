//! Envelope encryption through the database: wrapped keys stored, sealed fields bound to their
//! row, crypto-shredding, KEK rotation.

use crate::fixture::org;
use attest_core::Region;
use attest_crypto::{FieldContext, LocalKek};
use attest_store::{begin, data_keys};
use attest_testkit::{TestRegions, regions};

struct Setup {
    t: TestRegions,
    o: crate::fixture::Org,
    kek: LocalKek,
    _dir: tempfile::TempDir,
}

async fn setup() -> anyhow::Result<Setup> {
    let t = regions().await?;
    let o = org(&t.regions, "acme", Region::Na).await?;
    let dir = tempfile::tempdir()?;
    let kek = LocalKek::open_or_create(&dir.path().join("kek"))?;
    Ok(Setup {
        t,
        o,
        kek,
        _dir: dir,
    })
}

fn field(o: &crate::fixture::Org) -> FieldContext<'static> {
    FieldContext {
        org_id: o.org_id.as_uuid(),
        table: "credentials",
        row: "r1",
        column: "number",
    }
}

#[tokio::test]
async fn a_person_key_is_stored_wrapped_and_reused() -> anyhow::Result<()> {
    let Setup { t, o, kek, _dir } = setup().await?;
    let field = field(&o);

    let mut tx = begin(&t.na.app, &o.all_powerful()).await?;
    let key = data_keys::person_key(&mut tx, &kek, o.org_id, o.worker).await?;
    let sealed = key.seal(b"WAH-2291-77", &field)?;
    tx.commit().await?;

    let mut tx = begin(&t.na.app, &o.all_powerful()).await?;
    let again = data_keys::person_key(&mut tx, &kek, o.org_id, o.worker).await?;
    assert_eq!(again.open(&sealed, &field)?, b"WAH-2291-77");
    let org_key = data_keys::organisation_key(&mut tx, &kek, o.org_id).await?;
    assert!(
        org_key.open(&sealed, &field).is_err(),
        "the organisation key is another key"
    );
    tx.commit().await?;

    let stored: Vec<Vec<u8>> = sqlx::query_scalar("select wrapped from attest.data_keys")
        .fetch_all(&t.na.superuser)
        .await?;
    assert_eq!(stored.len(), 2, "one person key and one organisation key");
    assert!(
        stored.iter().all(|w| w.len() == 1 + 12 + 32 + 16),
        "stored wrapped, never raw"
    );
    Ok(())
}

#[tokio::test]
async fn destroying_a_person_key_makes_their_data_unreadable() -> anyhow::Result<()> {
    let Setup { t, o, kek, _dir } = setup().await?;
    let field = field(&o);

    let mut tx = begin(&t.na.app, &o.all_powerful()).await?;
    let sealed = data_keys::person_key(&mut tx, &kek, o.org_id, o.worker)
        .await?
        .seal(b"secret", &field)?;
    assert!(data_keys::destroy_person_key(&mut tx, o.org_id, o.worker).await?);
    // A new key is made on next use; it cannot open what the destroyed one sealed.
    let fresh = data_keys::person_key(&mut tx, &kek, o.org_id, o.worker).await?;
    assert!(fresh.open(&sealed, &field).is_err());
    tx.commit().await?;
    let destroyed: i64 = sqlx::query_scalar(
        "select count(*) from attest.data_keys where wrapped is null and destroyed_at is not null",
    )
    .fetch_one(&t.na.superuser)
    .await?;
    assert_eq!(destroyed, 1);
    Ok(())
}

#[tokio::test]
async fn kek_rotation_rewraps_keys_without_touching_data() -> anyhow::Result<()> {
    let Setup {
        t,
        o,
        mut kek,
        _dir,
    } = setup().await?;
    let field = field(&o);

    let mut tx = begin(&t.na.app, &o.all_powerful()).await?;
    let sealed = data_keys::person_key(&mut tx, &kek, o.org_id, o.worker)
        .await?
        .seal(b"before rotation", &field)?;
    tx.commit().await?;

    kek.rotate()?;
    let mut tx = begin(&t.na.app, &o.all_powerful()).await?;
    assert_eq!(data_keys::rewrap_all(&mut tx, &kek, o.org_id).await?, 1);
    assert_eq!(
        data_keys::rewrap_all(&mut tx, &kek, o.org_id).await?,
        0,
        "nothing left to rewrap"
    );
    tx.commit().await?;
    let versions: Vec<i32> = sqlx::query_scalar("select kek_version from attest.data_keys")
        .fetch_all(&t.na.superuser)
        .await?;
    assert_eq!(versions, [2]);

    let mut tx = begin(&t.na.app, &o.all_powerful()).await?;
    let key = data_keys::person_key(&mut tx, &kek, o.org_id, o.worker).await?;
    assert_eq!(key.open(&sealed, &field)?, b"before rotation");
    Ok(())
}

#[tokio::test]
async fn a_wrapped_key_copied_to_another_organisation_does_not_unwrap() -> anyhow::Result<()> {
    let t = regions().await?;
    let a = org(&t.regions, "alpha", Region::Na).await?;
    let b = org(&t.regions, "bravo", Region::Na).await?;
    let dir = tempfile::tempdir()?;
    let kek = LocalKek::open_or_create(&dir.path().join("kek"))?;
    let mut tx = begin(&t.na.app, &a.all_powerful()).await?;
    data_keys::organisation_key(&mut tx, &kek, a.org_id).await?;
    tx.commit().await?;
    // As the superuser, copy A's wrapped key into B under the same key id.
    sqlx::query(
        "insert into attest.data_keys (org_id, key_id, kek_provider, kek_version, wrapped)
         select $1, key_id, kek_provider, kek_version, wrapped from attest.data_keys where org_id = $2",
    )
    .bind(b.org_id.as_uuid())
    .bind(a.org_id.as_uuid())
    .execute(&t.na.superuser)
    .await?;
    let mut tx = begin(&t.na.app, &b.all_powerful()).await?;
    let result = data_keys::organisation_key(&mut tx, &kek, b.org_id).await;
    assert!(
        matches!(result, Err(attest_store::StoreError::Crypto(_))),
        "{result:?}"
    );
    Ok(())
}
