//! Password hashing with argon2id. Callers run these on a bounded blocking pool: each hash takes
//! tens of milliseconds of CPU and `memory_kib` of memory.

use crate::{CryptoError, random_bytes};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use secrecy::{ExposeSecret, SecretString};

/// Cost parameters. The default follows the OWASP Password Storage Cheat Sheet for argon2id:
/// 19 MiB of memory, 2 iterations, 1 degree of parallelism.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PasswordParams {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl Default for PasswordParams {
    fn default() -> Self {
        Self {
            memory_kib: 19 * 1024,
            iterations: 2,
            parallelism: 1,
        }
    }
}

/// Hashes and verifies passwords in PHC string format (`$argon2id$v=19$m=…`).
#[derive(Debug, Clone)]
pub struct PasswordHashes {
    params: PasswordParams,
    argon2: Argon2<'static>,
    dummy: String,
}

impl PasswordHashes {
    pub fn new(params: PasswordParams) -> Result<Self, CryptoError> {
        let argon_params = Params::new(
            params.memory_kib,
            params.iterations,
            params.parallelism,
            None,
        )
        .map_err(|e| CryptoError::PasswordHash(e.to_string()))?;
        let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, argon_params);
        let mut hashes = Self {
            params,
            argon2,
            dummy: String::new(),
        };
        hashes.dummy = hashes.hash(&SecretString::from("attest dummy password for timing"))?;
        Ok(hashes)
    }

    pub fn params(&self) -> PasswordParams {
        self.params
    }

    /// A new PHC hash with a fresh random 128-bit salt.
    pub fn hash(&self, password: &SecretString) -> Result<String, CryptoError> {
        let salt = SaltString::encode_b64(&random_bytes::<16>()?)
            .map_err(|e| CryptoError::PasswordHash(e.to_string()))?;
        self.argon2
            .hash_password(password.expose_secret().as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| CryptoError::PasswordHash(e.to_string()))
    }

    /// Whether `password` matches `stored`: an argon2 PHC string, or a bcrypt hash (`$2a$`,
    /// `$2b$`, `$2y$`) imported from another system, which [`Self::needs_rehash`] then flags for
    /// replacement. The comparisons inside both libraries are constant-time.
    pub fn verify(&self, password: &SecretString, stored: &str) -> Result<bool, CryptoError> {
        if is_bcrypt(stored) {
            return bcrypt::verify(password.expose_secret().as_bytes(), stored)
                .map_err(|e| CryptoError::PasswordHash(e.to_string()));
        }
        let parsed =
            PasswordHash::new(stored).map_err(|e| CryptoError::PasswordHash(e.to_string()))?;
        Ok(self
            .argon2
            .verify_password(password.expose_secret().as_bytes(), &parsed)
            .is_ok())
    }

    /// Spends the same effort as a real verification, for accounts that do not exist, so that
    /// response time does not reveal whether an account exists. Always `false`.
    pub fn verify_dummy(&self, password: &SecretString) -> bool {
        let _ = self.verify(password, &self.dummy);
        false
    }

    /// Whether a stored hash uses other parameters (or another algorithm) than the current ones
    /// and should be replaced at the next successful sign-in.
    pub fn needs_rehash(&self, stored: &str) -> bool {
        if is_bcrypt(stored) {
            return true;
        }
        let Ok(parsed) = PasswordHash::new(stored) else {
            return true;
        };
        if parsed.algorithm != argon2::ARGON2ID_IDENT {
            return true;
        }
        match Params::try_from(&parsed) {
            Ok(p) => {
                p.m_cost() != self.params.memory_kib
                    || p.t_cost() != self.params.iterations
                    || p.p_cost() != self.params.parallelism
            }
            Err(_) => true,
        }
    }
}

fn is_bcrypt(stored: &str) -> bool {
    ["$2a$", "$2b$", "$2y$"]
        .iter()
        .any(|prefix| stored.starts_with(prefix))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cheap() -> PasswordHashes {
        PasswordHashes::new(PasswordParams {
            memory_kib: 1024,
            iterations: 1,
            parallelism: 1,
        })
        .unwrap()
    }

    #[test]
    fn a_hash_verifies_its_own_password_only() {
        let h = cheap();
        let stored = h
            .hash(&SecretString::from("correct horse battery staple"))
            .unwrap();
        assert!(stored.starts_with("$argon2id$v=19$m=1024,t=1,p=1$"));
        assert!(
            h.verify(&SecretString::from("correct horse battery staple"), &stored)
                .unwrap()
        );
        assert!(
            !h.verify(&SecretString::from("correct horse battery stapl"), &stored)
                .unwrap()
        );
    }

    #[test]
    fn the_same_password_hashes_differently_each_time() {
        let h = cheap();
        let pw = SecretString::from("same password twice");
        assert_ne!(h.hash(&pw).unwrap(), h.hash(&pw).unwrap());
    }

    #[test]
    fn the_default_parameters_are_owasps_argon2id_minimum() {
        let p = PasswordParams::default();
        assert_eq!((p.memory_kib, p.iterations, p.parallelism), (19456, 2, 1));
    }

    #[test]
    fn a_hash_with_old_parameters_needs_rehashing() {
        let old = cheap().hash(&SecretString::from("pw pw pw pw pw")).unwrap();
        let current = PasswordHashes::new(PasswordParams {
            memory_kib: 2048,
            iterations: 1,
            parallelism: 1,
        })
        .unwrap();
        assert!(current.needs_rehash(&old));
        assert!(!cheap().needs_rehash(&old));
    }

    #[test]
    fn an_imported_bcrypt_hash_verifies_and_needs_rehashing() {
        let imported = bcrypt::hash("an imported password", 4).unwrap();
        let h = cheap();
        assert!(
            h.verify(&SecretString::from("an imported password"), &imported)
                .unwrap()
        );
        assert!(
            !h.verify(&SecretString::from("another password"), &imported)
                .unwrap()
        );
        assert!(h.needs_rehash(&imported));
    }

    #[test]
    fn the_dummy_never_matches() {
        assert!(!cheap().verify_dummy(&SecretString::from("attest dummy password for timing")));
    }
}
