//! The cluster's role passwords, generated on first start and kept in a 0600 file in the data
//! directory (readable only by the user running Attest, not by the cluster's system user).

use super::EmbeddedError;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;

#[derive(Serialize, Deserialize)]
struct StoredSecrets {
    superuser: String,
    owner: String,
    app: String,
}

/// Passwords of the cluster's three login roles.
pub struct ClusterSecrets {
    pub superuser: SecretString,
    pub owner: SecretString,
    pub app: SecretString,
}

impl fmt::Debug for ClusterSecrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClusterSecrets(..)")
    }
}

impl ClusterSecrets {
    pub fn load_or_create(path: &Path) -> Result<Self, EmbeddedError> {
        if !path.exists() {
            let fresh = StoredSecrets {
                superuser: token()?,
                owner: token()?,
                app: token()?,
            };
            write_owner_only(
                path,
                &serde_json::to_vec_pretty(&fresh)
                    .map_err(|e| EmbeddedError::io(path, e.into()))?,
            )?;
        }
        let mode = fs::metadata(path)
            .map_err(|e| EmbeddedError::io(path, e))?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            return Err(EmbeddedError::SecretsPermissions(
                path.display().to_string(),
            ));
        }
        let bytes = fs::read(path).map_err(|e| EmbeddedError::io(path, e))?;
        let stored: StoredSecrets = serde_json::from_slice(&bytes)
            .map_err(|_| EmbeddedError::SecretsMalformed(path.display().to_string()))?;
        Ok(Self {
            superuser: stored.superuser.into(),
            owner: stored.owner.into(),
            app: stored.app.into(),
        })
    }

    /// Writes the superuser password where `initdb --pwfile` can read it.
    pub fn write_superuser_pwfile(&self, path: &Path) -> Result<(), EmbeddedError> {
        write_owner_only(path, self.superuser.expose_secret().as_bytes())
    }
}

fn token() -> Result<String, EmbeddedError> {
    attest_crypto::random_token().map_err(|e| EmbeddedError::Command {
        what: "random".into(),
        detail: e.to_string(),
    })
}

fn write_owner_only(path: &Path, contents: &[u8]) -> Result<(), EmbeddedError> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| EmbeddedError::io(parent, e))?;
    }
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| EmbeddedError::io(path, e))?;
    file.write_all(contents)
        .map_err(|e| EmbeddedError::io(path, e))?;
    file.sync_all().map_err(|e| EmbeddedError::io(path, e))
}
