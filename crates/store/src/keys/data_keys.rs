//! Wrapped data keys: one per organisation and one per person (see `attest_crypto`).

use crate::{StoreError, Tx};
use attest_core::{OrgId, UserId};
use attest_crypto::{DataKey, DataKeyContext, DataKeySubject, KeyEncryptionKey, WrappedKey};
use uuid::Uuid;

/// The organisation's data key, created on first use.
pub async fn organisation_key(
    tx: &mut Tx,
    kek: &dyn KeyEncryptionKey,
    org_id: OrgId,
) -> Result<DataKey, StoreError> {
    load_or_create(tx, kek, org_id, None).await
}

/// A person's data key (for their personal fields), created on first use.
pub async fn person_key(
    tx: &mut Tx,
    kek: &dyn KeyEncryptionKey,
    org_id: OrgId,
    person: UserId,
) -> Result<DataKey, StoreError> {
    load_or_create(tx, kek, org_id, Some(person)).await
}

async fn load_or_create(
    tx: &mut Tx,
    kek: &dyn KeyEncryptionKey,
    org_id: OrgId,
    person: Option<UserId>,
) -> Result<DataKey, StoreError> {
    if let Some(key) = load(tx, kek, org_id, person).await? {
        return Ok(key);
    }
    let key_id = Uuid::now_v7();
    let context = context(org_id, key_id, person);
    let (key, wrapped) = DataKey::generate(kek, &context).await?;
    let inserted = sqlx::query!(
        "insert into attest.data_keys (org_id, key_id, subject_user_id, kek_provider, kek_version, wrapped)
         values ($1, $2, $3, $4, $5, $6)
         on conflict (org_id, coalesce(subject_user_id, '00000000-0000-0000-0000-000000000000'::uuid))
             where destroyed_at is null
         do nothing",
        org_id.as_uuid(),
        key_id,
        person.map(|p| p.as_uuid()),
        kek.provider(),
        i32::try_from(wrapped.kek_version).unwrap_or(i32::MAX),
        wrapped.ciphertext,
    )
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if inserted == 1 {
        return Ok(key);
    }
    // Another transaction created it first: use theirs.
    load(tx, kek, org_id, person)
        .await?
        .ok_or(StoreError::NotFound)
}

async fn load(
    tx: &mut Tx,
    kek: &dyn KeyEncryptionKey,
    org_id: OrgId,
    person: Option<UserId>,
) -> Result<Option<DataKey>, StoreError> {
    let row = sqlx::query!(
        r#"select key_id, kek_version, wrapped as "wrapped!" from attest.data_keys
           where org_id = $1 and subject_user_id is not distinct from $2 and destroyed_at is null"#,
        org_id.as_uuid(),
        person.map(|p| p.as_uuid()),
    )
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let wrapped = WrappedKey {
        kek_version: u32::try_from(row.kek_version).unwrap_or(0),
        ciphertext: row.wrapped,
    };
    Ok(Some(
        DataKey::unwrap(kek, &wrapped, &context(org_id, row.key_id, person)).await?,
    ))
}

/// The data keys of many people at once (created where missing): one read, one write.
pub async fn person_keys(
    tx: &mut Tx,
    kek: &dyn KeyEncryptionKey,
    org_id: OrgId,
    people: &[UserId],
) -> Result<std::collections::HashMap<UserId, DataKey>, StoreError> {
    let ids: Vec<Uuid> = people.iter().map(|p| p.as_uuid()).collect();
    let rows = sqlx::query!(
        r#"select key_id, subject_user_id as "subject!", kek_version, wrapped as "wrapped!" from attest.data_keys
           where org_id = $1 and subject_user_id = any($2) and destroyed_at is null"#,
        org_id.as_uuid(),
        &ids,
    )
    .fetch_all(&mut **tx)
    .await?;
    let mut keys = std::collections::HashMap::new();
    for row in rows {
        let person = UserId::from(row.subject);
        let wrapped = WrappedKey {
            kek_version: u32::try_from(row.kek_version).unwrap_or(0),
            ciphertext: row.wrapped,
        };
        keys.insert(
            person,
            DataKey::unwrap(kek, &wrapped, &context(org_id, row.key_id, Some(person))).await?,
        );
    }
    let missing: Vec<UserId> = people
        .iter()
        .copied()
        .filter(|p| !keys.contains_key(p))
        .collect();
    let (mut key_ids, mut subjects, mut wrapped_keys, mut versions) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut fresh = Vec::new();
    for person in missing {
        let key_id = Uuid::now_v7();
        let (key, wrapped) = DataKey::generate(kek, &context(org_id, key_id, Some(person))).await?;
        key_ids.push(key_id);
        subjects.push(person.as_uuid());
        versions.push(i32::try_from(wrapped.kek_version).unwrap_or(i32::MAX));
        wrapped_keys.push(wrapped.ciphertext);
        fresh.push((person, key));
    }
    if fresh.is_empty() {
        return Ok(keys);
    }
    let inserted = sqlx::query!(
        "insert into attest.data_keys (org_id, key_id, subject_user_id, kek_provider, kek_version, wrapped)
         select $1, k, s, $2, v, w from unnest($3::uuid[], $4::uuid[], $5::int4[], $6::bytea[]) as t(k, s, v, w)
         on conflict (org_id, coalesce(subject_user_id, '00000000-0000-0000-0000-000000000000'::uuid))
             where destroyed_at is null
         do nothing",
        org_id.as_uuid(),
        kek.provider(),
        &key_ids,
        &subjects,
        &versions,
        &wrapped_keys,
    )
    .execute(&mut **tx)
    .await?
    .rows_affected();
    let raced = usize::try_from(inserted).unwrap_or(0) != fresh.len();
    for (person, key) in fresh {
        // Another transaction may have created some of them first: use theirs.
        let key = if raced {
            person_key(tx, kek, org_id, person).await?
        } else {
            key
        };
        keys.insert(person, key);
    }
    Ok(keys)
}

/// Destroys a person's data key (crypto-shredding). Returns whether there was one.
pub async fn destroy_person_key(
    tx: &mut Tx,
    org_id: OrgId,
    person: UserId,
) -> Result<bool, StoreError> {
    let destroyed = sqlx::query!(
        "update attest.data_keys set wrapped = null, destroyed_at = now()
         where org_id = $1 and subject_user_id = $2 and destroyed_at is null",
        org_id.as_uuid(),
        person.as_uuid(),
    )
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(destroyed > 0)
}

/// How many of the organisation's live data keys are still wrapped by another version than
/// `current` (what a rotation has yet to re-wrap).
pub async fn behind(tx: &mut Tx, org_id: OrgId, current: u32) -> Result<i64, StoreError> {
    let current = i32::try_from(current).unwrap_or(i32::MAX);
    Ok(sqlx::query_scalar!(
        r#"select count(*) as "count!" from attest.data_keys
           where org_id = $1 and destroyed_at is null and kek_version <> $2"#,
        org_id.as_uuid(),
        current,
    )
    .fetch_one(&mut **tx)
    .await?)
}

/// Re-wraps every live data key of the organisation that an older KEK version wrapped.
/// Returns how many were re-wrapped.
pub async fn rewrap_all(
    tx: &mut Tx,
    kek: &dyn KeyEncryptionKey,
    org_id: OrgId,
) -> Result<u64, StoreError> {
    let current = i32::try_from(kek.current_version()).unwrap_or(i32::MAX);
    let rows = sqlx::query!(
        r#"select key_id, subject_user_id, kek_version, wrapped as "wrapped!" from attest.data_keys
           where org_id = $1 and destroyed_at is null and kek_version <> $2
           for update"#,
        org_id.as_uuid(),
        current,
    )
    .fetch_all(&mut **tx)
    .await?;
    let mut count = 0;
    for row in rows {
        let person = row.subject_user_id.map(UserId::from);
        let wrapped = WrappedKey {
            kek_version: u32::try_from(row.kek_version).unwrap_or(0),
            ciphertext: row.wrapped,
        };
        let rewrapped =
            DataKey::rewrap(kek, &wrapped, &context(org_id, row.key_id, person)).await?;
        sqlx::query!(
            "update attest.data_keys set kek_provider = $3, kek_version = $4, wrapped = $5
             where org_id = $1 and key_id = $2",
            org_id.as_uuid(),
            row.key_id,
            kek.provider(),
            i32::try_from(rewrapped.kek_version).unwrap_or(i32::MAX),
            rewrapped.ciphertext,
        )
        .execute(&mut **tx)
        .await?;
        count += 1;
    }
    Ok(count)
}

fn context(org_id: OrgId, key_id: Uuid, person: Option<UserId>) -> DataKeyContext {
    DataKeyContext {
        org_id: org_id.as_uuid(),
        key_id,
        subject: match person {
            Some(p) => DataKeySubject::Person(p.as_uuid()),
            None => DataKeySubject::Organisation,
        },
    }
}
