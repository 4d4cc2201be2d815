/// Why a cryptographic operation failed. Messages never include key material or plaintext.
#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    /// The ciphertext was altered, truncated, or belongs to another key or context.
    #[error("ciphertext could not be authenticated")]
    Unauthentic,
    /// The ciphertext is not in a format this version understands.
    #[error("unsupported ciphertext format")]
    UnsupportedFormat,
    /// The wrapped key names a key-encryption-key version the provider does not hold.
    #[error("key-encryption key version {0} is not available")]
    UnknownKekVersion(u32),
    /// The key file is readable by other users.
    #[error("key file {path} must be readable by its owner only (mode 0600), found {mode:o}")]
    KeyFilePermissions { path: String, mode: u32 },
    /// The key file could not be parsed.
    #[error("key file {path} is malformed: {reason}")]
    KeyFileMalformed { path: String, reason: String },
    #[error("key file {path}: {source}")]
    KeyFileIo {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// The system random number generator failed.
    #[error("the system random number generator failed")]
    Random,
    /// TOTP set-up failed (a secret of the wrong size).
    #[error("TOTP: {0}")]
    Totp(String),
    /// Password hashing failed (bad parameters or a malformed stored hash).
    #[error("password hashing failed: {0}")]
    PasswordHash(String),
    /// The key-management service could not be reached, or did not answer in time: nothing was
    /// wrapped or unwrapped, and the request may be retried.
    #[error("the key-management service is unavailable: {0}")]
    KmsUnavailable(String),
    /// The key-management service refused the request (credentials, policy, configuration).
    #[error("the key-management service refused: {0}")]
    KmsRefused(String),
}
