//! Password hashing on the blocking pool with bounded concurrency: each argon2id hash holds
//! `memory_kib` of memory, so a sign-in storm waits for a permit instead of exhausting memory.

use crate::error::AppError;
use attest_crypto::{PasswordHashes, PasswordParams};
use secrecy::SecretString;
use std::sync::Arc;
use tokio::sync::Semaphore;

#[derive(Debug, Clone)]
pub struct PasswordPool {
    hashes: Arc<PasswordHashes>,
    permits: Arc<Semaphore>,
}

impl PasswordPool {
    /// `concurrency` hashes at most run at once (memory bound: concurrency × memory_kib).
    pub fn new(
        params: PasswordParams,
        concurrency: usize,
    ) -> Result<Self, attest_crypto::CryptoError> {
        Ok(Self {
            hashes: Arc::new(PasswordHashes::new(params)?),
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
        })
    }

    pub async fn hash(&self, password: SecretString) -> Result<String, AppError> {
        self.run(move |h| h.hash(&password).map_err(AppError::internal))
            .await
    }

    pub async fn verify(&self, password: SecretString, stored: String) -> Result<bool, AppError> {
        self.run(move |h| h.verify(&password, &stored).map_err(AppError::internal))
            .await
    }

    /// Whether a stored hash should be replaced (bcrypt, or older argon2 parameters).
    pub fn needs_rehash(&self, stored: &str) -> bool {
        self.hashes.needs_rehash(stored)
    }

    /// Spends a verification's effort on an account that does not exist.
    pub async fn verify_dummy(&self, password: SecretString) -> Result<bool, AppError> {
        self.run(move |h| Ok(h.verify_dummy(&password))).await
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&PasswordHashes) -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        let _permit = self.permits.acquire().await.map_err(AppError::internal)?;
        let hashes = Arc::clone(&self.hashes);
        tokio::task::spawn_blocking(move || work(&hashes))
            .await
            .map_err(AppError::internal)?
    }
}
