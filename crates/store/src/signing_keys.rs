//! The platform's token-signing key (Ed25519), shared by every server through the primary region's
//! database, its private half wrapped by the key-encryption key.

use crate::StoreError;
use attest_crypto::{KeyEncryptionKey, TokenKeys, WrappedKey};
use sqlx::PgPool;
use zeroize::Zeroizing;

/// The newest live key of `purpose` (its kid and seed) and the public halves of the older live
/// ones, creating the first if there is none (under an advisory lock, so servers starting
/// together agree on one key).
async fn live_keys(
    primary: &PgPool,
    kek: &dyn KeyEncryptionKey,
    purpose: &str,
    kid_prefix: &str,
) -> Result<(String, Zeroizing<[u8; 32]>, Vec<(String, Vec<u8>)>), StoreError> {
    let mut tx = primary.begin().await?;
    sqlx::query!(
        "select pg_advisory_xact_lock(hashtext('attest platform signing key ' || $1))",
        purpose
    )
    .fetch_one(&mut *tx)
    .await?;
    let mut rows = sqlx::query!(
        "select kid, public_key, private_wrapped, kek_version from directory.signing_keys
         where purpose = $1 and retired_at is null order by created_at desc",
        purpose,
    )
    .fetch_all(&mut *tx)
    .await?;
    if rows.is_empty() {
        let seed = Zeroizing::new(attest_crypto::random_bytes::<32>()?);
        let kid = format!(
            "{kid_prefix}-{}",
            &uuid::Uuid::new_v4().simple().to_string()[..12]
        );
        let public_key = ed25519_dalek::SigningKey::from_bytes(&seed)
            .verifying_key()
            .to_bytes();
        let wrapped = kek.wrap(&seed, &aad(&kid))?;
        sqlx::query!(
            "insert into directory.signing_keys (kid, purpose, public_key, private_wrapped, kek_version)
             values ($1, $2, $3, $4, $5)",
            kid,
            purpose,
            public_key.as_slice(),
            wrapped.ciphertext,
            i32::try_from(wrapped.kek_version).unwrap_or(i32::MAX),
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        return Ok((kid, seed, Vec::new()));
    }
    tx.commit().await?;
    let newest = rows.remove(0);
    let wrapped = WrappedKey {
        kek_version: u32::try_from(newest.kek_version).unwrap_or(0),
        ciphertext: newest.private_wrapped,
    };
    let seed = Zeroizing::new(*kek.unwrap(&wrapped, &aad(&newest.kid))?);
    let older = rows.into_iter().map(|r| (r.kid, r.public_key)).collect();
    Ok((newest.kid, seed, older))
}

/// Loads the token keys, creating the first one if there is none.
pub async fn token_keys(
    primary: &PgPool,
    kek: &dyn KeyEncryptionKey,
) -> Result<TokenKeys, StoreError> {
    let (kid, seed, older) = live_keys(primary, kek, "tokens", "tok").await?;
    let mut keys = TokenKeys::new(kid, &seed);
    for (kid, public_key) in older {
        if let Ok(public) = <[u8; 32]>::try_from(public_key.as_slice()) {
            keys.trust(kid, &public).map_err(|_| StoreError::NotFound)?;
        }
    }
    Ok(keys)
}

/// The platform's trust-bundle signing key (gates pin its public half), created on first use.
pub async fn bundle_key(
    primary: &PgPool,
    kek: &dyn KeyEncryptionKey,
) -> Result<ed25519_dalek::SigningKey, StoreError> {
    let (_, seed, _) = live_keys(primary, kek, "bundle", "bdl").await?;
    Ok(ed25519_dalek::SigningKey::from_bytes(&seed))
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
