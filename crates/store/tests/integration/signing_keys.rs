use attest_core::Region;
use attest_crypto::{Audience, LocalKek};
use attest_store::signing_keys::token_keys;
use attest_testkit::database;

#[tokio::test]
async fn the_token_key_is_made_once_stored_wrapped_and_shared() -> anyhow::Result<()> {
    let db = database(Region::Na).await?;
    let dir = tempfile::tempdir()?;
    let kek = LocalKek::open_or_create(&dir.path().join("kek"))?;
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

    let (public, wrapped): (Vec<u8>, Vec<u8>) =
        sqlx::query_as("select public_key, private_wrapped from directory.signing_keys")
            .fetch_one(&db.superuser)
            .await?;
    assert_eq!(public, first.public_key());
    assert!(
        !wrapped.windows(32).any(|w| w == first.public_key()),
        "the private half is stored wrapped"
    );
    Ok(())
}
