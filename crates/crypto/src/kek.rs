//! The key-encryption-key provider interface.

use crate::CryptoError;
use std::fmt::Debug;
use std::pin::Pin;
use zeroize::Zeroizing;

/// What a provider's operations return: a future, because a provider may call a KMS over the
/// network.
pub type KekFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, CryptoError>> + Send + 'a>>;

/// A data key as stored: opaque bytes from the provider, and the KEK version that wrapped them
/// (so rotation can find keys still wrapped by an old version).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WrappedKey {
    pub kek_version: u32,
    pub ciphertext: Vec<u8>,
}

/// Wraps and unwraps data keys. Implementations: [`crate::LocalKek`] (a key file, for the
/// embedded default) and a Vault/OpenBao Transit provider for production. Versioned: new keys are
/// wrapped by the current version; older versions keep unwrapping until data keys are re-wrapped.
pub trait KeyEncryptionKey: Send + Sync + Debug {
    /// A short name for logs and the operator: `local`, `vault`.
    fn provider(&self) -> &'static str;

    /// The version new keys are wrapped with.
    fn current_version(&self) -> u32;

    /// Wraps a 256-bit data key, binding it to `aad`.
    fn wrap<'a>(&'a self, key: &'a [u8; 32], aad: &'a [u8]) -> KekFuture<'a, WrappedKey>;

    /// Unwraps a data key; fails if it was altered or `aad` differs from wrapping time.
    fn unwrap<'a>(
        &'a self,
        wrapped: &'a WrappedKey,
        aad: &'a [u8],
    ) -> KekFuture<'a, Zeroizing<[u8; 32]>>;

    /// Asks the provider which version is current now (a KMS may have rotated on its own
    /// schedule); returns it. By default the provider already knows.
    fn refresh(&self) -> KekFuture<'_, u32> {
        Box::pin(std::future::ready(Ok(self.current_version())))
    }

    /// Re-wraps a data key under the current version (what rotation does to every stored key).
    /// By default it unwraps and wraps again; a KMS provider does it without the key ever
    /// leaving the KMS.
    fn rewrap<'a>(&'a self, wrapped: &'a WrappedKey, aad: &'a [u8]) -> KekFuture<'a, WrappedKey> {
        Box::pin(async move {
            let raw = self.unwrap(wrapped, aad).await?;
            self.wrap(&raw, aad).await
        })
    }
}
