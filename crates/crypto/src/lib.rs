//! Attest's cryptography, built from ring (AES-256-GCM, randomness) and RustCrypto's argon2.
//! Nothing here implements a primitive; this crate decides how primitives are combined.
//!
//! **Envelope encryption.** Personal fields are sealed with a *data key* (AES-256-GCM, one per
//! organisation and one per person). Data keys are stored only *wrapped* by a key-encryption key
//! (KEK) from a [`KeyEncryptionKey`] provider. Destroying a person's wrapped data key makes every
//! copy of their sealed fields unreadable, backups included. Every ciphertext is bound by its
//! associated data to the organisation, table, row and column it belongs to, so a ciphertext copied
//! to another row or column fails to open.
//!
//! **Identity.** argon2id password hashing (bcrypt accepted for imported accounts) and the
//! new-password policy; Ed25519-signed tokens (access tokens, email links); TOTP with replay
//! protection; recovery codes.

mod aad;
mod data_key;
mod error;
mod kek;
mod local_kek;
mod password;
mod password_policy;
mod random;
mod recovery_codes;
mod tokens;
mod totp;

#[cfg(test)]
mod test_util;

pub use aad::{DataKeyContext, DataKeySubject, FieldContext};
pub use data_key::DataKey;
pub use error::CryptoError;
pub use kek::{KekFuture, KeyEncryptionKey, WrappedKey};
pub use local_kek::LocalKek;
pub use password::{PasswordHashes, PasswordParams};
pub use password_policy::{
    MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS, PasswordPolicyError, check_new_password,
};
pub use random::{random_bytes, random_token};
pub use recovery_codes::{
    RECOVERY_CODE_COUNT, generate_recovery_codes, hash_recovery_code, sha256,
};
pub use tokens::{Audience, TokenError, TokenKeys};
pub use totp::Totp;
