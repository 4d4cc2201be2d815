//! Password hashing on the CPU pool with bounded concurrency: each argon2id hash holds
//! `memory_kib` of memory, so a sign-in storm waits for a permit instead of exhausting memory, and
//! runs on the [`CpuPool`]'s lowered-priority threads, so it cannot take the cores quick requests
//! need.
//! The wait is bounded too: at most [`MAX_WAITING`] checks queue, each for at most
//! [`MAX_WAIT`]; beyond that the answer is `503 server_busy` with `Retry-After`. Callers hash
//! with no database connection held, so the queue never holds the pool.

use crate::cpu_pool::CpuPool;
use crate::error::AppError;
use attest_crypto::{PasswordHashes, PasswordParams};
use secrecy::SecretString;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::Semaphore;

/// Most hashes waiting for a permit at once.
pub(crate) const MAX_WAITING: usize = 64;
/// Longest a hash waits for a permit.
pub(crate) const MAX_WAIT: Duration = Duration::from_secs(10);

#[derive(Debug, Clone)]
pub struct PasswordPool {
    hashes: Arc<PasswordHashes>,
    permits: Arc<Semaphore>,
    waiting: Arc<AtomicUsize>,
    cpu: CpuPool,
}

/// Counts a waiting hash while it waits.
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

fn busy() -> AppError {
    AppError::busy(
        "server_busy",
        "Too many passwords are being checked right now; try again in a moment.",
        2,
    )
}

impl PasswordPool {
    /// `concurrency` hashes at most run at once (memory bound: concurrency × memory_kib), on
    /// `cpu`'s threads (no more at once than it has).
    pub fn new(
        params: PasswordParams,
        concurrency: usize,
        cpu: CpuPool,
    ) -> Result<Self, attest_crypto::CryptoError> {
        Ok(Self {
            hashes: Arc::new(PasswordHashes::new(params)?),
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            waiting: Arc::new(AtomicUsize::new(0)),
            cpu,
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
        let _permit = {
            if self.waiting.fetch_add(1, Ordering::AcqRel) >= MAX_WAITING {
                self.waiting.fetch_sub(1, Ordering::AcqRel);
                return Err(busy());
            }
            let _waiting = Waiting(&self.waiting);
            tokio::time::timeout(MAX_WAIT, self.permits.acquire())
                .await
                .map_err(|_| busy())?
                .map_err(AppError::internal)?
        };
        let hashes = Arc::clone(&self.hashes);
        self.cpu.run(move || work(&hashes)).await?
    }
}
