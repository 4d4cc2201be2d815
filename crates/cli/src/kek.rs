//! The key-encryption-key provider this installation is configured with (`ATTEST_KEK`): the
//! local key file (the embedded default) or a Vault / OpenBao Transit key.

use crate::config::{Config, KekSetting};
use anyhow::Context as _;
use attest_crypto::{KekFuture, KeyEncryptionKey, LocalKek, WrappedKey};
use attest_kms::VaultKek;
use zeroize::Zeroizing;

/// What `attest keys status` shows of the provider.
#[derive(Debug)]
pub(crate) struct KekVersions {
    /// Each version it holds, with when it was made (Unix seconds), if known.
    pub(crate) live: Vec<(u32, Option<i64>)>,
    pub(crate) refused_below: Option<u32>,
    /// How often the service rotates the key by itself (0: never).
    pub(crate) rotates_every_days: u64,
    /// Where the key is, for the operator (no secret).
    pub(crate) describes: String,
}

#[derive(Debug)]
pub(crate) enum Kek {
    Local(LocalKek),
    Vault(Box<VaultKek>),
}

impl Kek {
    /// Opens the configured provider: the key file (made on first use), or the Transit key,
    /// which must exist.
    pub(crate) async fn open(config: &Config) -> anyhow::Result<Self> {
        Ok(match &config.kek {
            KekSetting::Local => Self::Local(
                LocalKek::open_or_create(&config.data_dir.join("keys").join("kek"))
                    .context("opening the key-encryption key")?,
            ),
            KekSetting::Vault {
                settings,
                rotation_days,
            } => {
                let kek = VaultKek::connect(settings.clone())
                    .await
                    .context("connecting to the key-management service (ATTEST_KEK=vault)")?;
                schedule_rotation(&kek, *rotation_days).await;
                Self::Vault(Box::new(kek))
            }
        })
    }

    /// Makes a new version current; returns it. Keys wrapped by older versions keep opening
    /// until they are re-wrapped.
    pub(crate) async fn rotate(&mut self) -> anyhow::Result<u32> {
        Ok(match self {
            Self::Local(kek) => kek.rotate()?,
            Self::Vault(kek) => kek.rotate().await?,
        })
    }

    /// Once every key is re-wrapped: refuses the versions below `version` (the Transit key's
    /// `min_decryption_version`). The local file keeps its old versions: an operator removes
    /// them by hand, once no backup needs them.
    pub(crate) async fn retire_below(&self, version: u32) -> anyhow::Result<bool> {
        match self {
            Self::Local(_) => Ok(false),
            Self::Vault(kek) => {
                kek.retire_below(version).await?;
                Ok(true)
            }
        }
    }

    /// Its versions: each live one with when it was made (where the provider knows), and the
    /// version below which it refuses (Transit's `min_decryption_version`).
    pub(crate) async fn versions(&self) -> anyhow::Result<KekVersions> {
        Ok(match self {
            Self::Local(kek) => KekVersions {
                rotates_every_days: 0,
                live: kek.versions().into_iter().map(|v| (v, None)).collect(),
                refused_below: None,
                describes: "the key file in the data directory".into(),
            },
            Self::Vault(kek) => {
                let status = kek.status().await?;
                KekVersions {
                    rotates_every_days: status.auto_rotate_seconds / 86_400,
                    live: status
                        .versions
                        .into_iter()
                        .map(|(v, made)| (v, Some(made)))
                        .collect(),
                    refused_below: Some(status.min_decryption_version),
                    describes: format!("{kek:?}"),
                }
            }
        })
    }

    fn provider_of(&self) -> &dyn KeyEncryptionKey {
        match self {
            Self::Local(kek) => kek,
            Self::Vault(kek) => kek.as_ref(),
        }
    }
}

/// Has the Transit key rotate itself every `days` (if it does not already). Attest's policy may
/// not allow it: then the operator schedules it in the service, and this says so in the log.
async fn schedule_rotation(kek: &VaultKek, days: u32) {
    let period = std::time::Duration::from_secs(u64::from(days) * 86_400);
    let set = match kek.status().await {
        Ok(status) if status.auto_rotate_seconds == period.as_secs() => return,
        Ok(_) => kek.set_rotation_period(period).await,
        Err(error) => Err(error),
    };
    match set {
        Ok(()) => tracing::info!(
            days,
            "the Transit key now rotates itself every {days} day(s)"
        ),
        Err(error) => {
            tracing::warn!(%error, days, "could not schedule the Transit key's rotation (ATTEST_KEK_ROTATION_DAYS): schedule it in the key service")
        }
    }
}

impl KeyEncryptionKey for Kek {
    fn provider(&self) -> &'static str {
        self.provider_of().provider()
    }

    fn current_version(&self) -> u32 {
        self.provider_of().current_version()
    }

    fn wrap<'a>(&'a self, key: &'a [u8; 32], aad: &'a [u8]) -> KekFuture<'a, WrappedKey> {
        self.provider_of().wrap(key, aad)
    }

    fn unwrap<'a>(
        &'a self,
        wrapped: &'a WrappedKey,
        aad: &'a [u8],
    ) -> KekFuture<'a, Zeroizing<[u8; 32]>> {
        self.provider_of().unwrap(wrapped, aad)
    }

    fn rewrap<'a>(&'a self, wrapped: &'a WrappedKey, aad: &'a [u8]) -> KekFuture<'a, WrappedKey> {
        self.provider_of().rewrap(wrapped, aad)
    }

    fn refresh(&self) -> KekFuture<'_, u32> {
        self.provider_of().refresh()
    }
}
