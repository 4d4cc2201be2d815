use attest_core::Region;
use attest_crypto::{Audience, LocalKek};
use attest_store::signing_keys::token_keys;
use attest_testkit::database;

#[tokio::test]
async fn the_token_key_is_made_once_stored_wrapped_and_shared() -> anyhow::Result<()> {
    let db = database(Region::Na).await?;
    let dir = tempfile::tempdir()?;
    let kek = LocalKek::open_or_create(&dir.path().join("kek"))?;
    // Made with the schema, by the owner, however many migrations run together.
    let (made, again) = tokio::join!(
        attest_store::signing_keys::ensure(&db.owner, &kek),
        attest_store::signing_keys::ensure(&db.owner, &kek)
    );
    made?;
    again?;
    let (first, second) = tokio::join!(token_keys(&db.app, &kek), token_keys(&db.app, &kek));
    let (first, second) = (first?, second?);
    assert_eq!(
        first.kid(),
        second.kid(),
        "servers starting together agree on one key"
    );
    let now = time::OffsetDateTime::now_utc();
    let token = first.sign(
        Audience::Access,
        &serde_json::json!({"sub": "x"}),
        now,
        time::Duration::minutes(1),
    )?;
    assert!(
        second
            .verify::<serde_json::Value>(&token, Audience::Access, now)
            .is_ok()
    );

    let (public, wrapped): (Vec<u8>, Vec<u8>) = sqlx::query_as(
        "select public_key, private_wrapped from directory.signing_keys where purpose = 'tokens'",
    )
    .fetch_one(&db.superuser)
    .await?;
    assert_eq!(public, first.public_key());
    assert!(
        !wrapped.windows(32).any(|w| w == first.public_key()),
        "the private half is stored wrapped"
    );
    Ok(())
}

/// The server's role may not write platform keys; a key written behind its back (as a
/// superuser here) is not trusted: its wrapped private half opens under no KEK.
#[tokio::test]
async fn an_injected_platform_key_is_refused_and_mints_nothing() -> anyhow::Result<()> {
    let db = database(Region::Na).await?;
    let dir = tempfile::tempdir()?;
    let kek = LocalKek::open_or_create(&dir.path().join("kek"))?;
    attest_store::signing_keys::ensure(&db.owner, &kek).await?;
    let attacker = ed25519_dalek::SigningKey::from_bytes(&[42; 32]);
    let insert = "insert into directory.signing_keys (kid, purpose, public_key, private_wrapped, kek_version)
                  values ('tok-attacker', 'tokens', $1, $2, 1)";
    let refused = sqlx::query(insert)
        .bind(attacker.verifying_key().to_bytes().as_slice())
        .bind(vec![7u8; 60])
        .execute(&db.app)
        .await;
    assert!(refused.is_err(), "attest_app may not insert platform keys");
    sqlx::query(insert)
        .bind(attacker.verifying_key().to_bytes().as_slice())
        .bind(vec![7u8; 60])
        .execute(&db.superuser)
        .await?;
    let keys = token_keys(&db.app, &kek).await?;
    assert_ne!(keys.kid(), "tok-attacker");
    let mut forger = attest_crypto::TokenKeys::new("tok-attacker", &[42; 32]);
    forger.trust("tok-attacker", &attacker.verifying_key().to_bytes())?;
    let now = time::OffsetDateTime::now_utc();
    let forged = forger.sign(
        Audience::Access,
        &serde_json::json!({"sub": "x"}),
        now,
        time::Duration::minutes(1),
    )?;
    assert!(
        keys.verify::<serde_json::Value>(&forged, Audience::Access, now)
            .is_err(),
        "a token signed with the injected key is refused"
    );
    Ok(())
}
