//! The Transit provider: data keys wrapped and unwrapped by a named Transit key.

use crate::settings::{VaultAuth, VaultSettings};
use crate::wire::{self, Answer, Decrypted, Encrypted, KeyInfo};
use attest_crypto::{CryptoError, KekFuture, KeyEncryptionKey, WrappedKey};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use secrecy::{ExposeSecret as _, SecretString};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::Mutex;
use zeroize::Zeroizing;

/// A token and when to fetch a new one (AppRole tokens expire).
struct Token {
    value: SecretString,
    renew_at: Option<Instant>,
}

/// The Transit provider (`ATTEST_KEK=vault`).
pub struct VaultKek {
    http: reqwest::Client,
    settings: VaultSettings,
    token: Mutex<Token>,
    /// The Transit key's latest version, as last seen.
    current: AtomicU32,
}

impl fmt::Debug for VaultKek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VaultKek")
            .field("address", &self.settings.address)
            .field("mount", &self.settings.mount)
            .field("key", &self.settings.key)
            .field("current", &self.current.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

/// The Transit key's versions, as `attest keys status` shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransitKeyStatus {
    pub latest_version: u32,
    /// Versions below it are refused.
    pub min_decryption_version: u32,
    /// Each live version and when it was made (Unix seconds).
    pub versions: Vec<(u32, i64)>,
    /// The service's own rotation period (0: none).
    pub auto_rotate_seconds: u64,
}

impl VaultKek {
    /// Connects: authenticates, and reads the Transit key, which must exist and be
    /// `aes256-gcm96`.
    pub async fn connect(settings: VaultSettings) -> Result<Self, CryptoError> {
        let http = client(&settings)?;
        let token = match &settings.auth {
            VaultAuth::Token(token) => Token {
                value: token.clone(),
                renew_at: None,
            },
            VaultAuth::AppRole { .. } => login(&http, &settings).await?,
        };
        let kek = Self {
            http,
            settings,
            token: Mutex::new(token),
            current: AtomicU32::new(0),
        };
        let status = kek.status().await?;
        tracing::info!(
            key = %kek.settings.key,
            version = status.latest_version,
            "key-encryption key: Transit key found"
        );
        Ok(kek)
    }

    /// The Transit key's versions (and remembers the latest).
    pub async fn status(&self) -> Result<TransitKeyStatus, CryptoError> {
        let path = format!("keys/{}", self.settings.key);
        let info: KeyInfo = self.call(reqwest::Method::GET, &path, None, None).await?;
        if info.kind != "aes256-gcm96" {
            return Err(CryptoError::KmsRefused(format!(
                "the Transit key {} is {}; it must be aes256-gcm96",
                self.settings.key, info.kind
            )));
        }
        self.current
            .fetch_max(info.latest_version, Ordering::Relaxed);
        let versions = info
            .keys
            .iter()
            .filter_map(|(v, made)| Some((v.parse().ok()?, *made)))
            .collect();
        Ok(TransitKeyStatus {
            latest_version: info.latest_version,
            min_decryption_version: info.min_decryption_version,
            versions,
            auto_rotate_seconds: info.auto_rotate_period,
        })
    }

    /// Makes a new version of the Transit key current; returns it. Keys wrapped before keep
    /// unwrapping until [`VaultKek::retire_below`].
    pub async fn rotate(&self) -> Result<u32, CryptoError> {
        let path = format!("keys/{}/rotate", self.settings.key);
        self.call::<Value>(reqwest::Method::POST, &path, Some(json!({})), None)
            .await?;
        Ok(self.status().await?.latest_version)
    }

    /// Has the service make a new version of the key every `period` by itself (Transit's
    /// `auto_rotate_period`; zero turns it off). Keys wrapped before are then re-wrapped in the
    /// background by `attest serve`.
    pub async fn set_rotation_period(&self, period: Duration) -> Result<(), CryptoError> {
        let path = format!("keys/{}/config", self.settings.key);
        let body = json!({ "auto_rotate_period": format!("{}s", period.as_secs()) });
        self.call::<Value>(reqwest::Method::POST, &path, Some(body), None)
            .await?;
        Ok(())
    }

    /// Refuses every version below `version` from now on (once every data key is re-wrapped).
    pub async fn retire_below(&self, version: u32) -> Result<(), CryptoError> {
        let path = format!("keys/{}/config", self.settings.key);
        let body = json!({ "min_decryption_version": version });
        self.call::<Value>(reqwest::Method::POST, &path, Some(body), None)
            .await?;
        Ok(())
    }

    async fn encrypt(&self, key: &[u8; 32], aad: &[u8]) -> Result<WrappedKey, CryptoError> {
        let plaintext = Zeroizing::new(STANDARD.encode(key));
        let body =
            json!({ "plaintext": plaintext.as_str(), "associated_data": STANDARD.encode(aad) });
        let path = format!("encrypt/{}", self.settings.key);
        let sealed: Encrypted = self
            .call(reqwest::Method::POST, &path, Some(body), None)
            .await?;
        self.current
            .fetch_max(sealed.key_version, Ordering::Relaxed);
        Ok(WrappedKey {
            kek_version: sealed.key_version,
            ciphertext: sealed.ciphertext.into_bytes(),
        })
    }

    async fn decrypt(
        &self,
        wrapped: &WrappedKey,
        aad: &[u8],
    ) -> Result<Zeroizing<[u8; 32]>, CryptoError> {
        let ciphertext =
            std::str::from_utf8(&wrapped.ciphertext).map_err(|_| CryptoError::UnsupportedFormat)?;
        if wire::ciphertext_version(ciphertext) != Some(wrapped.kek_version) {
            return Err(CryptoError::Unauthentic);
        }
        let body = json!({ "ciphertext": ciphertext, "associated_data": STANDARD.encode(aad) });
        let path = format!("decrypt/{}", self.settings.key);
        let opened: Decrypted = self
            .call(
                reqwest::Method::POST,
                &path,
                Some(body),
                Some(wrapped.kek_version),
            )
            .await?;
        let encoded = Zeroizing::new(opened.plaintext);
        let plain = Zeroizing::new(
            STANDARD
                .decode(encoded.as_bytes())
                .map_err(|_| CryptoError::Unauthentic)?,
        );
        let key: [u8; 32] = plain
            .as_slice()
            .try_into()
            .map_err(|_| CryptoError::Unauthentic)?;
        Ok(Zeroizing::new(key))
    }

    /// Calls the Transit engine (`path` under its mount) and reads the answer's `data`.
    async fn call<T: DeserializeOwned>(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
        version: Option<u32>,
    ) -> Result<T, CryptoError> {
        let token = self.token().await?;
        let url = format!(
            "{}/v1/{}/{path}",
            self.settings.address, self.settings.mount
        );
        let mut request = self
            .http
            .request(method, url)
            .header("X-Vault-Token", token.expose_secret());
        if let Some(body) = body {
            request = request.json(&body);
        }
        let answer: Answer<T> = send(request, version).await?;
        answer
            .data
            .ok_or_else(|| CryptoError::KmsRefused("an answer without data".into()))
    }

    /// The token, logging in again first if an AppRole token is about to expire.
    async fn token(&self) -> Result<SecretString, CryptoError> {
        let mut token = self.token.lock().await;
        if token.renew_at.is_some_and(|at| Instant::now() >= at) {
            *token = login(&self.http, &self.settings).await?;
        }
        Ok(token.value.clone())
    }
}

impl KeyEncryptionKey for VaultKek {
    fn provider(&self) -> &'static str {
        "vault"
    }

    fn current_version(&self) -> u32 {
        self.current.load(Ordering::Relaxed)
    }

    fn refresh(&self) -> KekFuture<'_, u32> {
        Box::pin(async { Ok(self.status().await?.latest_version) })
    }

    fn wrap<'a>(&'a self, key: &'a [u8; 32], aad: &'a [u8]) -> KekFuture<'a, WrappedKey> {
        Box::pin(self.encrypt(key, aad))
    }

    fn unwrap<'a>(
        &'a self,
        wrapped: &'a WrappedKey,
        aad: &'a [u8],
    ) -> KekFuture<'a, Zeroizing<[u8; 32]>> {
        Box::pin(self.decrypt(wrapped, aad))
    }
}

/// The HTTP client: rustls with the ring provider (as the rest of Attest), the private CA if
/// one is configured, and the call timeout. `http://` is allowed on loopback only.
fn client(settings: &VaultSettings) -> Result<reqwest::Client, CryptoError> {
    let refused = |why: String| CryptoError::KmsRefused(why);
    let address = settings.address.as_str();
    let loopback = ["http://127.0.0.1", "http://localhost", "http://[::1]"]
        .iter()
        .any(|p| address.starts_with(p));
    if !address.starts_with("https://") && !loopback {
        return Err(refused(format!(
            "{address}: the key-management service must be reached over https (http only on loopback)"
        )));
    }
    // Process-wide, once: reqwest's rustls reads the default provider. Already set is fine.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut builder = reqwest::Client::builder()
        .timeout(settings.timeout)
        .connect_timeout(settings.timeout.min(Duration::from_secs(5)))
        .https_only(!loopback);
    if let Some(path) = &settings.ca_cert {
        let pem =
            std::fs::read(path).map_err(|e| refused(format!("reading {}: {e}", path.display())))?;
        let cert = reqwest::Certificate::from_pem(&pem)
            .map_err(|e| refused(format!("{}: {e}", path.display())))?;
        builder = builder.tls_certs_only([cert]);
    }
    builder
        .build()
        .map_err(|e| refused(format!("the HTTP client: {e}")))
}

/// Exchanges the AppRole credentials for a token.
async fn login(http: &reqwest::Client, settings: &VaultSettings) -> Result<Token, CryptoError> {
    let VaultAuth::AppRole {
        mount,
        role_id,
        secret_id,
    } = &settings.auth
    else {
        return Err(CryptoError::KmsRefused("not an AppRole login".into()));
    };
    let url = format!("{}/v1/auth/{mount}/login", settings.address);
    let body = json!({ "role_id": role_id, "secret_id": secret_id.expose_secret() });
    let answer: Answer<Value> = send(http.post(url).json(&body), None).await?;
    let auth = answer
        .auth
        .ok_or_else(|| CryptoError::KmsRefused("the AppRole login gave no token".into()))?;
    // Log in again at two thirds of the token's life.
    let renew_at = (auth.lease_duration > 0)
        .then(|| Instant::now() + Duration::from_secs(auth.lease_duration * 2 / 3));
    Ok(Token {
        value: SecretString::from(auth.client_token),
        renew_at,
    })
}

/// Sends a request and reads its answer; see [`wire::failure`] for what failures mean.
async fn send<T: DeserializeOwned>(
    request: reqwest::RequestBuilder,
    version: Option<u32>,
) -> Result<Answer<T>, CryptoError> {
    let response = request
        .send()
        .await
        .map_err(|e| CryptoError::KmsUnavailable(e.without_url().to_string()))?;
    let status = response.status().as_u16();
    // An answer to a decryption holds a data key: wiped once read.
    let text = Zeroizing::new(
        response
            .text()
            .await
            .map_err(|e| CryptoError::KmsUnavailable(e.without_url().to_string()))?,
    );
    if !(200..300).contains(&status) {
        return Err(wire::failure(status, &text, version));
    }
    serde_json::from_str(text.as_str())
        .map_err(|e| CryptoError::KmsRefused(format!("an answer that does not parse: {e}")))
}
