//! The `local` key-encryption-key provider: versioned AES-256-GCM keys in a file that only its
//! owner may read (mode 0600). Meant for the embedded default and development; production uses a
//! Vault/OpenBao Transit provider so the KEK never sits on the application host.

use crate::data_key::{open_with, seal_with};
use crate::{CryptoError, KekFuture, KeyEncryptionKey, WrappedKey, random_bytes};
use base64::{Engine, engine::general_purpose::STANDARD};
use ring::aead::{AES_256_GCM, LessSafeKey, UnboundKey};
use std::collections::BTreeMap;
use std::fmt;
use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

const HEADER: &str = "# Attest local key-encryption keys. Secret: keep mode 0600 and back it up apart from the data.\n";

/// Versioned KEKs loaded from a 0600 key file.
pub struct LocalKek {
    path: PathBuf,
    keys: BTreeMap<u32, LessSafeKey>,
}

impl fmt::Debug for LocalKek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LocalKek")
            .field("path", &self.path)
            .field("versions", &self.keys.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl LocalKek {
    /// Opens the key file, creating it (mode 0600, one fresh key) if it does not exist.
    /// Refuses a file that group or others can read.
    pub fn open_or_create(path: &Path) -> Result<Self, CryptoError> {
        if !path.exists() {
            let line = encode_line(1, &Zeroizing::new(random_bytes::<32>()?));
            write_new(path, &format!("{HEADER}{}", line.as_str()))?;
        }
        Self::open(path)
    }

    /// Opens an existing key file.
    pub fn open(path: &Path) -> Result<Self, CryptoError> {
        let io = |source| CryptoError::KeyFileIo {
            path: path.display().to_string(),
            source,
        };
        let mode = fs::metadata(path).map_err(io)?.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(CryptoError::KeyFilePermissions {
                path: path.display().to_string(),
                mode,
            });
        }
        let text = Zeroizing::new(fs::read_to_string(path).map_err(io)?);
        let keys = parse(&text).map_err(|reason| CryptoError::KeyFileMalformed {
            path: path.display().to_string(),
            reason,
        })?;
        Ok(Self {
            path: path.to_owned(),
            keys,
        })
    }

    /// Adds a new KEK version and makes it current. Existing versions stay so that keys wrapped
    /// by them still unwrap until they are re-wrapped. Returns the new version.
    pub fn rotate(&mut self) -> Result<u32, CryptoError> {
        let version = self.current_version() + 1;
        let raw = Zeroizing::new(random_bytes::<32>()?);
        let io = |source| CryptoError::KeyFileIo {
            path: self.path.display().to_string(),
            source,
        };
        let existing = Zeroizing::new(fs::read_to_string(&self.path).map_err(io)?);
        let line = encode_line(version, &raw);
        let tmp = self.path.with_extension("rotating");
        let _ = fs::remove_file(&tmp);
        write_new(&tmp, &format!("{}{}", existing.as_str(), line.as_str()))?;
        fs::rename(&tmp, &self.path).map_err(io)?;
        self.keys.insert(version, aes_key(&raw)?);
        Ok(version)
    }

    /// The versions this file holds.
    pub fn versions(&self) -> Vec<u32> {
        self.keys.keys().copied().collect()
    }
}

impl KeyEncryptionKey for LocalKek {
    fn provider(&self) -> &'static str {
        "local"
    }

    fn current_version(&self) -> u32 {
        self.keys.keys().next_back().copied().unwrap_or(0)
    }

    fn wrap<'a>(&'a self, key: &'a [u8; 32], aad: &'a [u8]) -> KekFuture<'a, WrappedKey> {
        Box::pin(std::future::ready(self.wrap_now(key, aad)))
    }

    fn unwrap<'a>(
        &'a self,
        wrapped: &'a WrappedKey,
        aad: &'a [u8],
    ) -> KekFuture<'a, Zeroizing<[u8; 32]>> {
        Box::pin(std::future::ready(self.unwrap_now(wrapped, aad)))
    }
}

impl LocalKek {
    fn wrap_now(&self, key: &[u8; 32], aad: &[u8]) -> Result<WrappedKey, CryptoError> {
        let version = self.current_version();
        let kek = self
            .keys
            .get(&version)
            .ok_or(CryptoError::UnknownKekVersion(version))?;
        Ok(WrappedKey {
            kek_version: version,
            ciphertext: seal_with(kek, key, aad)?,
        })
    }

    fn unwrap_now(
        &self,
        wrapped: &WrappedKey,
        aad: &[u8],
    ) -> Result<Zeroizing<[u8; 32]>, CryptoError> {
        let kek = self
            .keys
            .get(&wrapped.kek_version)
            .ok_or(CryptoError::UnknownKekVersion(wrapped.kek_version))?;
        let plain = Zeroizing::new(open_with(kek, &wrapped.ciphertext, aad)?);
        let key: [u8; 32] = plain
            .as_slice()
            .try_into()
            .map_err(|_| CryptoError::Unauthentic)?;
        Ok(Zeroizing::new(key))
    }
}

fn encode_line(version: u32, key: &[u8; 32]) -> Zeroizing<String> {
    Zeroizing::new(format!("v{version} {}\n", STANDARD.encode(key)))
}

fn parse(text: &str) -> Result<BTreeMap<u32, LessSafeKey>, String> {
    let mut keys = BTreeMap::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = || format!("line {} is not `v<version> <base64 key>`", number + 1);
        let (version, encoded) = line.split_once(' ').ok_or_else(bad)?;
        let version: u32 = version
            .strip_prefix('v')
            .and_then(|v| v.parse().ok())
            .filter(|v| *v > 0)
            .ok_or_else(bad)?;
        let raw = Zeroizing::new(STANDARD.decode(encoded.trim()).map_err(|_| bad())?);
        let raw: &[u8; 32] = raw.as_slice().try_into().map_err(|_| bad())?;
        let key = aes_key(raw).map_err(|_| bad())?;
        if keys.insert(version, key).is_some() {
            return Err(format!("version {version} appears twice"));
        }
    }
    if keys.is_empty() {
        return Err("it holds no key".into());
    }
    Ok(keys)
}

fn aes_key(raw: &[u8; 32]) -> Result<LessSafeKey, CryptoError> {
    let unbound = UnboundKey::new(&AES_256_GCM, raw).map_err(|_| CryptoError::Random)?;
    Ok(LessSafeKey::new(unbound))
}

fn write_new(path: &Path, contents: &str) -> Result<(), CryptoError> {
    let io = |source| CryptoError::KeyFileIo {
        path: path.display().to_string(),
        source,
    };
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(io)?;
    }
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(io)?;
    file.write_all(contents.as_bytes()).map_err(io)?;
    file.sync_all().map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_key_file_is_created_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys/kek");
        let kek = LocalKek::open_or_create(&path).unwrap();
        assert_eq!(kek.current_version(), 1);
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }

    #[test]
    fn reopening_gives_the_same_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kek");
        let wrapped = LocalKek::open_or_create(&path)
            .unwrap()
            .wrap_now(&[7; 32], b"ctx")
            .unwrap();
        let again = LocalKek::open_or_create(&path).unwrap();
        assert_eq!(*again.unwrap_now(&wrapped, b"ctx").unwrap(), [7; 32]);
    }

    #[test]
    fn a_key_file_readable_by_others_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kek");
        LocalKek::open_or_create(&path).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        assert!(matches!(
            LocalKek::open(&path),
            Err(CryptoError::KeyFilePermissions { .. })
        ));
    }

    #[test]
    fn rotation_wraps_with_the_new_version_and_still_unwraps_the_old() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kek");
        let mut kek = LocalKek::open_or_create(&path).unwrap();
        let old = kek.wrap_now(&[1; 32], b"a").unwrap();
        assert_eq!(kek.rotate().unwrap(), 2);
        let new = kek.wrap_now(&[2; 32], b"b").unwrap();
        assert_eq!((old.kek_version, new.kek_version), (1, 2));

        let reopened = LocalKek::open(&path).unwrap();
        assert_eq!(reopened.versions(), vec![1, 2]);
        assert_eq!(*reopened.unwrap_now(&old, b"a").unwrap(), [1; 32]);
        assert_eq!(*reopened.unwrap_now(&new, b"b").unwrap(), [2; 32]);
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }

    #[test]
    fn a_wrapped_key_with_other_associated_data_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let kek = LocalKek::open_or_create(&dir.path().join("kek")).unwrap();
        let wrapped = kek.wrap_now(&[1; 32], b"org-a").unwrap();
        assert!(kek.unwrap_now(&wrapped, b"org-b").is_err());
    }

    #[test]
    fn an_unknown_version_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let kek = LocalKek::open_or_create(&dir.path().join("kek")).unwrap();
        let mut wrapped = kek.wrap_now(&[1; 32], b"x").unwrap();
        wrapped.kek_version = 9;
        assert!(matches!(
            kek.unwrap_now(&wrapped, b"x"),
            Err(CryptoError::UnknownKekVersion(9))
        ));
    }

    #[test]
    fn a_malformed_key_file_is_refused_with_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kek");
        write_new(&path, "v1 not-base64!!\n").unwrap();
        let err = LocalKek::open(&path).unwrap_err().to_string();
        assert!(err.contains("line 1"), "{err}");
        assert!(
            !err.contains("not-base64"),
            "the key text must not be echoed: {err}"
        );
    }
}
