//! The key-encryption-key provider interface.

use crate::CryptoError;
use std::fmt::Debug;
use zeroize::Zeroizing;

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
    fn wrap(&self, key: &[u8; 32], aad: &[u8]) -> Result<WrappedKey, CryptoError>;

    /// Unwraps a data key; fails if it was altered or `aad` differs from wrapping time.
    fn unwrap(&self, wrapped: &WrappedKey, aad: &[u8]) -> Result<Zeroizing<[u8; 32]>, CryptoError>;
}
