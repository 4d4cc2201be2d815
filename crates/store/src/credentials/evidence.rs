//! Evidence files (certificate scans), sealed with the person's data key.

use crate::Conflict;
use crate::error::on_conflicts;
use crate::{StoreError, Tx, data_keys};
use attest_core::{EvidenceId, OrgId, UserId};
use attest_crypto::{FieldContext, KeyEncryptionKey};

/// A file to store. The caller has checked its type (by content) and size.
#[derive(Debug, Clone)]
pub struct NewEvidence<'a> {
    pub user_id: UserId,
    pub content_type: &'static str,
    pub bytes: &'a [u8],
    pub uploaded_by: Option<UserId>,
}

/// A stored file, opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceFile {
    pub evidence_id: EvidenceId,
    pub user_id: UserId,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

fn context(org_id: OrgId, row: &str) -> FieldContext<'_> {
    FieldContext {
        org_id: org_id.as_uuid(),
        table: "credential_evidence",
        row,
        column: "file",
    }
}

/// Seals and stores a file about `user_id`. Needs `credentials.manage`.
pub async fn store_evidence(
    tx: &mut Tx,
    kek: &dyn KeyEncryptionKey,
    org_id: OrgId,
    file: &NewEvidence<'_>,
) -> Result<EvidenceId, StoreError> {
    let id = EvidenceId::new();
    let key = data_keys::person_key(tx, kek, org_id, file.user_id).await?;
    let sealed = key.seal(file.bytes, &context(org_id, &id.to_string()))?;
    sqlx::query!(
        "insert into attest.credential_evidence (org_id, evidence_id, user_id, content_type, size_bytes, sealed, uploaded_by)
         values ($1, $2, $3, $4, $5, $6, $7)",
        org_id.as_uuid(),
        id.as_uuid(),
        file.user_id.as_uuid(),
        file.content_type,
        i32::try_from(file.bytes.len()).unwrap_or(i32::MAX),
        sealed,
        file.uploaded_by.map(|u| u.as_uuid()),
    )
    .execute(&mut **tx)
    .await
    .map_err(on_conflicts(&[("credential_evidence_user_fkey", Conflict::UnknownWorker)]))?;
    Ok(id)
}

/// Opens a stored file, if the caller may read it (the person, or `credentials.personal.read`).
pub async fn read_evidence(
    tx: &mut Tx,
    kek: &dyn KeyEncryptionKey,
    org_id: OrgId,
    id: EvidenceId,
) -> Result<EvidenceFile, StoreError> {
    let row = sqlx::query!(
        "select user_id, content_type, sealed from attest.credential_evidence
         where org_id = attest.current_org_id() and evidence_id = $1",
        id.as_uuid(),
    )
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(StoreError::NotFound)?;
    let user = UserId::from(row.user_id);
    let key = data_keys::person_key(tx, kek, org_id, user).await?;
    let bytes = key.open(&row.sealed, &context(org_id, &id.to_string()))?;
    Ok(EvidenceFile {
        evidence_id: id,
        user_id: user,
        content_type: row.content_type,
        bytes,
    })
}
