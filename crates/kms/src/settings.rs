//! How to reach the Transit engine and prove who we are.

use secrecy::SecretString;
use std::path::PathBuf;
use std::time::Duration;

/// Where the Transit key is, and how to authenticate.
#[derive(Debug, Clone)]
pub struct VaultSettings {
    /// The server's address, e.g. `https://vault.internal:8200` (`http://` only on loopback).
    pub address: String,
    /// Where the Transit engine is mounted (default `transit`).
    pub mount: String,
    /// The Transit key's name (`aes256-gcm96`).
    pub key: String,
    pub auth: VaultAuth,
    /// A PEM file of the CA that signed the server's certificate (a private CA); without it the
    /// system's roots are used.
    pub ca_cert: Option<PathBuf>,
    /// How long one call may take before the service counts as unavailable.
    pub timeout: Duration,
}

/// How Attest authenticates to the service.
#[derive(Debug, Clone)]
pub enum VaultAuth {
    /// A token (a periodic token or one renewed by an agent).
    Token(SecretString),
    /// AppRole: a role id and a secret id, exchanged for a token at start and again before it
    /// expires.
    AppRole {
        mount: String,
        role_id: String,
        secret_id: SecretString,
    },
}

impl VaultSettings {
    /// The defaults for everything but the address, the key and the credentials.
    pub fn new(address: impl Into<String>, key: impl Into<String>, auth: VaultAuth) -> Self {
        Self {
            address: address.into().trim_end_matches('/').to_owned(),
            mount: "transit".into(),
            key: key.into(),
            auth,
            ca_cert: None,
            timeout: Duration::from_secs(10),
        }
    }
}
