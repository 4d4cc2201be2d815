//! The platform's signing keys (Ed25519): the access-token key and the trust-bundle key, shared
//! by every server through the primary region's database, their private halves wrapped by the
//! key-encryption key (AES-256-GCM, the key id bound as associated data).
//!
//! Only the owner role writes these rows: [`ensure`] makes the keys when the schema is
//! migrated, [`rewrap_all`] re-wraps them after a KEK rotation. The server reads them as
//! `attest_app`, and trusts a public key only when its wrapped private half opens under the KEK
//! and derives that very public key: a row the database alone could write (an injected key, a
//! swapped public half) opens under no KEK, so it is refused and logged, never trusted.

use crate::StoreError;
use attest_crypto::{KeyEncryptionKey, TokenKeys, WrappedKey};
use sqlx::PgPool;
use zeroize::Zeroizing;

/// What each platform key signs, and the prefix of its key ids.
const PURPOSES: [(&str, &str); 2] = [("tokens", "tok"), ("bundle", "bdl")];

/// Makes the platform's keys that do not exist yet (under an advisory lock, so migrations run
/// together agree on one key each). Needs the owner role.
pub async fn ensure(owner: &PgPool, kek: &dyn KeyEncryptionKey) -> Result<(), StoreError> {
    for (purpose, prefix) in PURPOSES {
        let mut tx = owner.begin().await?;
        sqlx::query!(
            "select pg_advisory_xact_lock(hashtext('attest platform signing key ' || $1))",
            purpose
        )
        .fetch_one(&mut *tx)
        .await?;
        let live = sqlx::query_scalar!(
            r#"select count(*) as "n!" from directory.signing_keys where purpose = $1 and retired_at is null"#,
            purpose,
        )
        .fetch_one(&mut *tx)
        .await?;
        if live == 0 {
            let seed = Zeroizing::new(attest_crypto::random_bytes::<32>()?);
            let kid = format!(
                "{prefix}-{}",
                &uuid::Uuid::new_v4().simple().to_string()[..12]
            );
            let public_key = ed25519_dalek::SigningKey::from_bytes(&seed)
                .verifying_key()
                .to_bytes();
            let wrapped = kek.wrap(&seed, &aad(&kid)).await?;
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
        }
        tx.commit().await?;
    }
    Ok(())
}

/// A live key that passed: its id, seed and public half.
struct Authentic {
    kid: String,
    seed: Zeroizing<[u8; 32]>,
    public_key: [u8; 32],
}

/// The live keys of `purpose`, newest first, each authenticated by its wrapped private half.
/// A row that does not open, or whose public half is not the one its private half derives, is
/// left out and logged.
async fn live_keys(
    primary: &PgPool,
    kek: &dyn KeyEncryptionKey,
    purpose: &str,
) -> Result<Vec<Authentic>, StoreError> {
    let rows = sqlx::query!(
        "select kid, public_key, private_wrapped, kek_version from directory.signing_keys
         where purpose = $1 and retired_at is null order by created_at desc",
        purpose,
    )
    .fetch_all(primary)
    .await?;
    let mut keys = Vec::new();
    for row in rows {
        let wrapped = WrappedKey {
            kek_version: u32::try_from(row.kek_version).unwrap_or(0),
            ciphertext: row.private_wrapped,
        };
        let Ok(seed) = kek.unwrap(&wrapped, &aad(&row.kid)).await else {
            tracing::error!(kid = %row.kid, purpose, "a platform signing key does not open under the key-encryption key: refused (was it written by someone else?)");
            continue;
        };
        let public_key = ed25519_dalek::SigningKey::from_bytes(&seed)
            .verifying_key()
            .to_bytes();
        if row.public_key.as_slice() != public_key.as_slice() {
            tracing::error!(kid = %row.kid, purpose, "a platform signing key's public half is not its private half's: refused");
            continue;
        }
        keys.push(Authentic {
            kid: row.kid,
            seed: Zeroizing::new(*seed),
            public_key,
        });
    }
    if keys.is_empty() {
        return Err(StoreError::Inconsistent(format!(
            "no usable platform {purpose} key: run `attest migrate`, which makes it"
        )));
    }
    Ok(keys)
}

/// Loads the token keys: the newest signs, every authentic live one verifies.
pub async fn token_keys(
    primary: &PgPool,
    kek: &dyn KeyEncryptionKey,
) -> Result<TokenKeys, StoreError> {
    let mut live = live_keys(primary, kek, "tokens").await?.into_iter();
    let newest = live
        .next()
        .ok_or_else(|| StoreError::Inconsistent("no token key".into()))?;
    let mut keys = TokenKeys::new(newest.kid, &newest.seed);
    for older in live {
        keys.trust(older.kid, &older.public_key)
            .map_err(|_| StoreError::Inconsistent("an unusable token key".into()))?;
    }
    Ok(keys)
}

/// The platform's trust-bundle signing key (gates pin its public half).
pub async fn bundle_key(
    primary: &PgPool,
    kek: &dyn KeyEncryptionKey,
) -> Result<ed25519_dalek::SigningKey, StoreError> {
    let newest = live_keys(primary, kek, "bundle")
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| StoreError::Inconsistent("no bundle key".into()))?;
    Ok(ed25519_dalek::SigningKey::from_bytes(&newest.seed))
}

fn aad(kid: &str) -> Vec<u8> {
    format!("attest/platform-signing-key/v1\0{kid}").into_bytes()
}

/// How many of the platform's signing keys are still wrapped by another version than `current`.
pub async fn behind(primary: &PgPool, current: u32) -> Result<i64, StoreError> {
    let current = i32::try_from(current).unwrap_or(i32::MAX);
    Ok(sqlx::query_scalar!(
        r#"select count(*) as "count!" from directory.signing_keys where kek_version <> $1"#,
        current,
    )
    .fetch_one(primary)
    .await?)
}

/// Re-wraps the platform's signing keys with the KEK's current version (after a rotation).
/// Needs the owner role. Returns how many were re-wrapped.
pub async fn rewrap_all(owner: &PgPool, kek: &dyn KeyEncryptionKey) -> Result<u64, StoreError> {
    let current = i32::try_from(kek.current_version()).unwrap_or(i32::MAX);
    let mut tx = owner.begin().await?;
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
        let rewrapped = kek.rewrap(&wrapped, &aad(&row.kid)).await?;
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
