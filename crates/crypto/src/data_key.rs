//! Data keys: AES-256-GCM keys that seal fields, held in memory only in unwrapped form.

use crate::{
    CryptoError, DataKeyContext, FieldContext, KeyEncryptionKey, WrappedKey, random_bytes,
};
use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use std::fmt;
use zeroize::Zeroizing;

/// The first byte of every sealed field: the format version.
const FORMAT_V1: u8 = 1;
const TAG_LEN: usize = 16;

/// An unwrapped data key. It can seal and open fields; it never leaves memory unwrapped.
pub struct DataKey {
    key: LessSafeKey,
}

impl fmt::Debug for DataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DataKey(..)")
    }
}

impl DataKey {
    /// Creates a fresh random data key and returns it with its wrapped form for storage.
    pub async fn generate(
        kek: &dyn KeyEncryptionKey,
        context: &DataKeyContext,
    ) -> Result<(Self, WrappedKey), CryptoError> {
        let raw = Zeroizing::new(random_bytes::<32>()?);
        let wrapped = kek.wrap(&raw, &context.encode()).await?;
        Ok((Self::from_raw(&raw)?, wrapped))
    }

    /// Unwraps a stored data key. Fails if the wrapped key was altered or belongs to another
    /// organisation, person or key id.
    pub async fn unwrap(
        kek: &dyn KeyEncryptionKey,
        wrapped: &WrappedKey,
        context: &DataKeyContext,
    ) -> Result<Self, CryptoError> {
        let raw = kek.unwrap(wrapped, &context.encode()).await?;
        Self::from_raw(&raw)
    }

    /// Re-wraps a stored data key under the KEK's current version without exposing it: what
    /// KEK rotation does to every data key. Sealed data is untouched.
    pub async fn rewrap(
        kek: &dyn KeyEncryptionKey,
        wrapped: &WrappedKey,
        context: &DataKeyContext,
    ) -> Result<WrappedKey, CryptoError> {
        kek.rewrap(wrapped, &context.encode()).await
    }

    fn from_raw(raw: &[u8; 32]) -> Result<Self, CryptoError> {
        let unbound = UnboundKey::new(&AES_256_GCM, raw).map_err(|_| CryptoError::Random)?;
        Ok(Self {
            key: LessSafeKey::new(unbound),
        })
    }

    /// Encrypts a field's value, binding it to where it will be stored.
    pub fn seal(
        &self,
        plaintext: &[u8],
        context: &FieldContext<'_>,
    ) -> Result<Vec<u8>, CryptoError> {
        seal_with(&self.key, plaintext, &context.encode())
    }

    /// Decrypts a field's value; fails if it was altered or moved from elsewhere.
    pub fn open(&self, sealed: &[u8], context: &FieldContext<'_>) -> Result<Vec<u8>, CryptoError> {
        open_with(&self.key, sealed, &context.encode())
    }
}

/// `version ‖ nonce ‖ ciphertext ‖ tag`, with a fresh random 96-bit nonce.
pub(crate) fn seal_with(
    key: &LessSafeKey,
    plaintext: &[u8],
    aad: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    let nonce_bytes = random_bytes::<NONCE_LEN>()?;
    let mut out = Vec::with_capacity(1 + NONCE_LEN + plaintext.len() + TAG_LEN);
    out.push(FORMAT_V1);
    out.extend_from_slice(&nonce_bytes);
    let mut body = plaintext.to_vec();
    key.seal_in_place_append_tag(
        Nonce::assume_unique_for_key(nonce_bytes),
        Aad::from(aad),
        &mut body,
    )
    .map_err(|_| CryptoError::Unauthentic)?;
    out.extend_from_slice(&body);
    Ok(out)
}

pub(crate) fn open_with(
    key: &LessSafeKey,
    sealed: &[u8],
    aad: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    let (&version, rest) = sealed.split_first().ok_or(CryptoError::Unauthentic)?;
    if version != FORMAT_V1 {
        return Err(CryptoError::UnsupportedFormat);
    }
    if rest.len() < NONCE_LEN + TAG_LEN {
        return Err(CryptoError::Unauthentic);
    }
    let (nonce_bytes, body) = rest.split_at(NONCE_LEN);
    let nonce =
        Nonce::try_assume_unique_for_key(nonce_bytes).map_err(|_| CryptoError::Unauthentic)?;
    let mut buffer = body.to_vec();
    let plaintext = key
        .open_in_place(nonce, Aad::from(aad), &mut buffer)
        .map_err(|_| CryptoError::Unauthentic)?;
    Ok(plaintext.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::now;
    use crate::{DataKeySubject, LocalKek};
    use uuid::Uuid;

    struct Fixture {
        _dir: tempfile::TempDir,
        kek: LocalKek,
        context: DataKeyContext,
    }

    fn fixture() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let kek = LocalKek::open_or_create(&dir.path().join("kek")).unwrap();
        let context = DataKeyContext {
            org_id: Uuid::now_v7(),
            key_id: Uuid::now_v7(),
            subject: DataKeySubject::Person(Uuid::now_v7()),
        };
        Fixture {
            _dir: dir,
            kek,
            context,
        }
    }

    fn field(org_id: Uuid, row: &str) -> FieldContext<'_> {
        FieldContext {
            org_id,
            table: "credentials",
            row,
            column: "number",
        }
    }

    #[test]
    fn a_sealed_field_opens_under_the_same_context() {
        let f = fixture();
        let (key, _) = now(DataKey::generate(&f.kek, &f.context)).unwrap();
        let sealed = key
            .seal(b"AB-123-456", &field(f.context.org_id, "row-1"))
            .unwrap();
        assert!(
            !sealed.windows(10).any(|w| w == b"AB-123-456"),
            "plaintext must not appear"
        );
        assert_eq!(
            key.open(&sealed, &field(f.context.org_id, "row-1"))
                .unwrap(),
            b"AB-123-456"
        );
    }

    #[test]
    fn sealing_twice_gives_different_ciphertexts() {
        let f = fixture();
        let (key, _) = now(DataKey::generate(&f.kek, &f.context)).unwrap();
        let ctx = field(f.context.org_id, "row-1");
        assert_ne!(key.seal(b"x", &ctx).unwrap(), key.seal(b"x", &ctx).unwrap());
    }

    #[test]
    fn a_changed_ciphertext_is_refused() {
        let f = fixture();
        let (key, _) = now(DataKey::generate(&f.kek, &f.context)).unwrap();
        let ctx = field(f.context.org_id, "row-1");
        let sealed = key.seal(b"AB-123-456", &ctx).unwrap();
        for i in 0..sealed.len() {
            let mut altered = sealed.clone();
            altered[i] ^= 0x01;
            assert!(
                key.open(&altered, &ctx).is_err(),
                "bit flip at byte {i} must be detected"
            );
        }
        assert!(
            key.open(&sealed[..sealed.len() - 1], &ctx).is_err(),
            "truncation"
        );
        assert!(key.open(&[], &ctx).is_err(), "empty");
    }

    #[test]
    fn a_ciphertext_moved_to_another_row_column_or_organisation_is_refused() {
        let f = fixture();
        let (key, _) = now(DataKey::generate(&f.kek, &f.context)).unwrap();
        let org = f.context.org_id;
        let sealed = key.seal(b"AB-123-456", &field(org, "row-1")).unwrap();
        assert!(matches!(
            key.open(&sealed, &field(org, "row-2")),
            Err(CryptoError::Unauthentic)
        ));
        let other_column = FieldContext {
            column: "notes",
            ..field(org, "row-1")
        };
        assert!(key.open(&sealed, &other_column).is_err());
        assert!(key.open(&sealed, &field(Uuid::now_v7(), "row-1")).is_err());
    }

    #[test]
    fn a_wrapped_key_unwraps_only_for_its_own_subject() {
        let f = fixture();
        let (key, wrapped) = now(DataKey::generate(&f.kek, &f.context)).unwrap();
        let ctx = field(f.context.org_id, "row-1");
        let sealed = key.seal(b"secret", &ctx).unwrap();

        let again = now(DataKey::unwrap(&f.kek, &wrapped, &f.context)).unwrap();
        assert_eq!(again.open(&sealed, &ctx).unwrap(), b"secret");

        let other_person = DataKeyContext {
            subject: DataKeySubject::Person(Uuid::now_v7()),
            ..f.context
        };
        assert!(now(DataKey::unwrap(&f.kek, &wrapped, &other_person)).is_err());
        let other_org = DataKeyContext {
            org_id: Uuid::now_v7(),
            ..f.context
        };
        assert!(now(DataKey::unwrap(&f.kek, &wrapped, &other_org)).is_err());
    }

    #[test]
    fn rewrapping_after_kek_rotation_keeps_old_data_readable() {
        let dir = tempfile::tempdir().unwrap();
        let mut kek = LocalKek::open_or_create(&dir.path().join("kek")).unwrap();
        let context = fixture().context;
        let (key, wrapped) = now(DataKey::generate(&kek, &context)).unwrap();
        let ctx = field(context.org_id, "row-1");
        let sealed = key.seal(b"old data", &ctx).unwrap();

        kek.rotate().unwrap();
        let rewrapped = now(DataKey::rewrap(&kek, &wrapped, &context)).unwrap();
        assert_eq!((wrapped.kek_version, rewrapped.kek_version), (1, 2));
        let again = now(DataKey::unwrap(&kek, &rewrapped, &context)).unwrap();
        assert_eq!(again.open(&sealed, &ctx).unwrap(), b"old data");
    }

    #[test]
    fn a_key_from_another_kek_cannot_unwrap() {
        let f = fixture();
        let g = fixture();
        let (_, wrapped) = now(DataKey::generate(&f.kek, &f.context)).unwrap();
        assert!(now(DataKey::unwrap(&g.kek, &wrapped, &f.context)).is_err());
    }
}
