//! `attest keys rotate-kek` with the key-encryption key in a real OpenBao Transit engine
//! (`ATTEST_KEK=vault`): a new Transit version, every data key and signing key re-wrapped, then
//! the old version refused by the service.

use crate::{attest, text};
use attest_core::BuiltinRole;
use attest_crypto::{CryptoError, KeyEncryptionKey as _, WrappedKey};
use attest_store::embedded::ClusterRole;
use attest_store::{AccessContext, begin, data_keys, org_keys};
use attest_testkit::openbao::Bao;
use attest_testkit::{regions, shared_cluster};
use secrecy::ExposeSecret;

#[tokio::test(flavor = "multi_thread")]
async fn rotating_a_transit_kek_rewraps_every_key_and_retires_the_old_version() -> anyhow::Result<()>
{
    let bao = Bao::start().await?;
    let kek = bao.kek().await?;
    let t = regions().await?;
    let created = crate::acme(&t).await?;
    let org_id = created.organisation.org_id;
    // What `attest migrate` and first use do: the platform's keys, a person's data key and the
    // organisation's audit key, all wrapped by Transit version 1.
    attest_store::signing_keys::ensure(&t.na.owner, &kek).await?;
    let admin = AccessContext {
        org_id,
        user_id: Some(created.admin_id),
        permissions: BuiltinRole::OrgAdmin.permissions(),
    };
    let mut tx = begin(&t.na.app, &admin).await?;
    data_keys::person_key(&mut tx, &kek, org_id, created.admin_id).await?;
    tx.commit().await?;
    let mut tx = begin(&t.na.owner, &admin).await?;
    org_keys::audit_signer(&mut tx, &kek, org_id).await?;
    tx.commit().await?;
    let versions = |sql: &'static str| {
        let pool = t.na.superuser.clone();
        async move { sqlx::query_scalar::<_, i32>(sql).fetch_all(&pool).await }
    };
    let old: (i32, Vec<u8>) = sqlx::query_as(
        "select kek_version, wrapped from attest.data_keys where subject_user_id is not null",
    )
    .fetch_one(&t.na.superuser)
    .await?;
    assert_eq!(old.0, 1);

    let cluster = &shared_cluster().await?.cluster;
    let app = cluster.url(ClusterRole::App, &t.na.name);
    let owner = cluster.url(ClusterRole::Owner, &t.na.name);
    let dir = tempfile::tempdir()?;
    let env = [
        ("DATABASE_URL", app.expose_secret()),
        ("ATTEST_MIGRATION_URL", owner.expose_secret()),
        ("ATTEST_KEK", "vault"),
        ("ATTEST_VAULT_ADDR", bao.address.as_str()),
        ("ATTEST_VAULT_TOKEN", bao.root.as_str()),
    ];
    let status = |env: &[(&str, &str)]| {
        let output = tokio::task::block_in_place(|| attest(&["keys", "status"], env, dir.path()));
        assert!(output.status.success(), "{}", text(&output));
        text(&output)
    };
    let before = status(&env);
    assert!(before.contains("vault provider"), "{before}");
    assert!(before.contains("current version: 1"), "{before}");
    assert!(
        before.contains("rotates: by itself every 90 day(s)"),
        "the default schedule is set on the Transit key: {before}"
    );
    assert!(
        before
            .contains("Waiting for re-wrapping: 0 data key(s), 0 organisation key(s), 0 platform"),
        "{before}"
    );
    assert!(!before.contains(&bao.root), "the token is never printed");

    let output = tokio::task::block_in_place(|| attest(&["keys", "rotate-kek"], &env, dir.path()));
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        text(&output).contains("version 2 is now current (vault provider)"),
        "{}",
        text(&output)
    );
    assert!(
        text(&output).contains("Versions below 2 are now refused"),
        "{}",
        text(&output)
    );
    assert!(
        !text(&output).contains(&bao.root),
        "the token is never printed"
    );

    // Every key is at version 2, and still opens.
    for sql in [
        "select kek_version from attest.data_keys",
        "select kek_version from attest.org_keys",
        "select kek_version from directory.signing_keys",
    ] {
        let found = versions(sql).await?;
        assert!(
            !found.is_empty() && found.iter().all(|v| *v == 2),
            "{sql}: {found:?}"
        );
    }
    let kek = bao.kek().await?;
    assert_eq!(kek.current_version(), 2);
    let mut tx = begin(&t.na.app, &admin).await?;
    data_keys::person_key(&mut tx, &kek, org_id, created.admin_id).await?;
    tx.commit().await?;
    attest_store::signing_keys::token_keys(&t.na.app, &kek).await?;

    let after = status(&env);
    assert!(after.contains("current version: 2"), "{after}");
    assert!(
        after.contains("versions below 2: retired, refused"),
        "{after}"
    );
    assert!(
        after.contains("Waiting for re-wrapping: 0 data key(s)"),
        "{after}"
    );

    // A rotation by the service itself (its own schedule) shows what waits for re-wrapping.
    assert_eq!(kek.rotate().await?, 3);
    let waiting = status(&env);
    assert!(
        waiting.contains("Waiting for re-wrapping: 1 data key(s), 1 organisation key(s)"),
        "{waiting}"
    );

    // The key as it was wrapped before is refused by the service now.
    let before = WrappedKey {
        kek_version: 1,
        ciphertext: old.1,
    };
    assert!(matches!(
        kek.unwrap(&before, b"whatever the context").await,
        Err(CryptoError::UnknownKekVersion(1))
    ));
    Ok(())
}
