//! The platform's token-signing key (Ed25519), shared by every server through the primary region's
//! database, its private half wrapped by the key-encryption key.

use crate::StoreError;
use attest_crypto::{KeyEncryptionKey, TokenKeys, WrappedKey};
use sqlx::PgPool;
use zeroize::Zeroizing;

/// Loads the token keys, creating the first one if there is none (under an advisory lock, so
/// servers starting together agree on one key).
pub async fn token_keys(
    primary: &PgPool,
    kek: &dyn KeyEncryptionKey,
) -> Result<TokenKeys, StoreError> {
    let mut tx = primary.begin().await?;
    sqlx::query!("select pg_advisory_xact_lock(hashtext('attest token signing key'))")
        .fetch_one(&mut *tx)
        .await?;
    let mut rows = sqlx::query!(
        "select kid, public_key, private_wrapped, kek_version from directory.signing_keys
         where purpose = 'tokens' and retired_at is null order by created_at desc"
    )
    .fetch_all(&mut *tx)
    .await?;
    if rows.is_empty() {
        let seed = TokenKeys::generate_seed()?;
        let kid = format!("tok-{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
        let keys = TokenKeys::new(kid.clone(), &seed);
        let wrapped = kek.wrap(&seed, &aad(&kid))?;
        let public_key = keys.public_key();
        sqlx::query!(
            "insert into directory.signing_keys (kid, purpose, public_key, private_wrapped, kek_version)
             values ($1, 'tokens', $2, $3, $4)",
            kid,
            public_key.as_slice(),
            wrapped.ciphertext,
            i32::try_from(wrapped.kek_version).unwrap_or(i32::MAX),
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        return Ok(keys);
    }
    tx.commit().await?;
    let newest = rows.remove(0);
    let wrapped = WrappedKey {
        kek_version: u32::try_from(newest.kek_version).unwrap_or(0),
        ciphertext: newest.private_wrapped,
    };
    let seed = Zeroizing::new(*kek.unwrap(&wrapped, &aad(&newest.kid))?);
    let mut keys = TokenKeys::new(newest.kid, &seed);
    for older in rows {
        if let Ok(public) = <[u8; 32]>::try_from(older.public_key.as_slice()) {
            keys.trust(older.kid, &public)
                .map_err(|_| StoreError::NotFound)?;
        }
    }
    Ok(keys)
}

fn aad(kid: &str) -> Vec<u8> {
    format!("attest/platform-signing-key/v1\0{kid}").into_bytes()
}

/// Re-wraps the platform's signing keys with the KEK's current version (after a rotation).
/// Returns how many were re-wrapped.
pub async fn rewrap_all(primary: &PgPool, kek: &dyn KeyEncryptionKey) -> Result<u64, StoreError> {
    let current = i32::try_from(kek.current_version()).unwrap_or(i32::MAX);
    let mut tx = primary.begin().await?;
    let rows = sqlx::query!(
        "select kid, private_wrapped, kek_version from directory.signing_keys where kek_version <> $1 for update",
        current,
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut count = 0;
    for row in rows {
        let wrapped = WrappedKey {
            kek_version: u32::try_from(row.kek_version).unwrap_or(0),
            ciphertext: row.private_wrapped,
        };
        let seed = kek.unwrap(&wrapped, &aad(&row.kid))?;
        let rewrapped = kek.wrap(&seed, &aad(&row.kid))?;
        sqlx::query!(
            "update directory.signing_keys set private_wrapped = $2, kek_version = $3 where kid = $1",
            row.kid,
            rewrapped.ciphertext,
            i32::try_from(rewrapped.kek_version).unwrap_or(i32::MAX),
        )
        .execute(&mut *tx)
        .await?;
        count += 1;
    }
    tx.commit().await?;
    Ok(count)
}
