//! Recording credentials: the first version, renewals (a new version; the history stays), and
//! suspension or revocation with a reason. Needs `credentials.manage`.

use super::personal::{self, PersonalFields};
use crate::Conflict;
use crate::error::on_conflicts;
use crate::{StoreError, Tx, data_keys};
use attest_core::{CredentialId, CredentialState, CredentialTypeId, OrgId, UserId};
use attest_crypto::KeyEncryptionKey;
use time::{Date, OffsetDateTime};

const CONFLICTS: &[(&str, Conflict)] = &[
    ("credentials_worker_type_key", Conflict::CredentialExists),
    ("credentials_type_fkey", Conflict::UnknownCredentialType),
    ("credentials_user_fkey", Conflict::UnknownWorker),
    (
        "credential_personal_evidence_fkey",
        Conflict::UnknownEvidence,
    ),
];

/// A worker's first credential of a type.
#[derive(Debug, Clone)]
pub struct NewCredential {
    pub user_id: UserId,
    pub type_id: CredentialTypeId,
    pub renewal: Renewal,
}

/// The facts of one version (the first, or a renewal).
#[derive(Debug, Clone)]
pub struct Renewal {
    pub issuer: String,
    pub issued_on: Date,
    pub expires_on: Option<Date>,
    pub personal: PersonalFields,
}

/// Records a credential (version 1).
pub async fn add(
    tx: &mut Tx,
    kek: &dyn KeyEncryptionKey,
    org_id: OrgId,
    recorded_by: Option<UserId>,
    new: &NewCredential,
) -> Result<CredentialId, StoreError> {
    let id = CredentialId::new();
    let v = &new.renewal;
    sqlx::query!(
        "insert into attest.credentials (org_id, credential_id, user_id, type_id, version, issuer, issued_on, expires_on)
         values ($1, $2, $3, $4, 1, $5, $6, $7)",
        org_id.as_uuid(),
        id.as_uuid(),
        new.user_id.as_uuid(),
        new.type_id.as_uuid(),
        v.issuer,
        v.issued_on,
        v.expires_on,
    )
    .execute(&mut **tx)
    .await
    .map_err(on_conflicts(CONFLICTS))?;
    insert_version(tx, kek, org_id, id, new.user_id, 1, recorded_by, v).await?;
    Ok(id)
}

/// Renews a credential: a new version becomes current (and active again); the earlier ones stay
/// in its history. Returns the new version number.
pub async fn renew(
    tx: &mut Tx,
    kek: &dyn KeyEncryptionKey,
    org_id: OrgId,
    id: CredentialId,
    recorded_by: Option<UserId>,
    renewal: &Renewal,
) -> Result<i32, StoreError> {
    let row = sqlx::query!(
        "update attest.credentials set version = version + 1, issuer = $2, issued_on = $3, expires_on = $4,
                state = 'active', state_reason = null, state_changed_at = null, expiry_recorded_on = null,
                updated_at = now()
         where org_id = attest.current_org_id() and credential_id = $1
         returning user_id, version",
        id.as_uuid(),
        renewal.issuer,
        renewal.issued_on,
        renewal.expires_on,
    )
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(StoreError::NotFound)?;
    let user = UserId::from(row.user_id);
    insert_version(tx, kek, org_id, id, user, row.version, recorded_by, renewal).await?;
    Ok(row.version)
}

#[expect(
    clippy::too_many_arguments,
    reason = "one version row and its sealed fields"
)]
async fn insert_version(
    tx: &mut Tx,
    kek: &dyn KeyEncryptionKey,
    org_id: OrgId,
    id: CredentialId,
    user: UserId,
    version: i32,
    recorded_by: Option<UserId>,
    v: &Renewal,
) -> Result<(), StoreError> {
    sqlx::query!(
        "insert into attest.credential_versions (org_id, credential_id, version, issuer, issued_on, expires_on, recorded_by)
         values ($1, $2, $3, $4, $5, $6, $7)",
        org_id.as_uuid(),
        id.as_uuid(),
        version,
        v.issuer,
        v.issued_on,
        v.expires_on,
        recorded_by.map(|u| u.as_uuid()),
    )
    .execute(&mut **tx)
    .await?;
    if v.personal.is_empty() {
        return Ok(());
    }
    let key = data_keys::person_key(tx, kek, org_id, user).await?;
    let sealed = personal::seal(&key, org_id, id, version, &v.personal)?;
    sqlx::query!(
        "insert into attest.credential_personal (org_id, credential_id, version, user_id, number_sealed, notes_sealed, evidence_id)
         values ($1, $2, $3, $4, $5, $6, $7)",
        org_id.as_uuid(),
        id.as_uuid(),
        version,
        user.as_uuid(),
        sealed.number,
        sealed.notes,
        v.personal.evidence_id.map(|e| e.as_uuid()),
    )
    .execute(&mut **tx)
    .await
    .map_err(on_conflicts(CONFLICTS))?;
    Ok(())
}

/// Suspends, revokes or reinstates (`Active`, no reason) a credential.
pub async fn set_state(
    tx: &mut Tx,
    id: CredentialId,
    state: CredentialState,
    reason: Option<&str>,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    let reason = if state == CredentialState::Active {
        None
    } else {
        reason
    };
    let updated = sqlx::query!(
        "update attest.credentials set state = $2, state_reason = $3, state_changed_at = $4, updated_at = $4
         where org_id = attest.current_org_id() and credential_id = $1",
        id.as_uuid(),
        state.as_str(),
        reason,
        now,
    )
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if updated == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}
