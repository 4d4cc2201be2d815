//! Reading credentials: only those the caller may see (row-level security).

use crate::{StoreError, Tx};
use attest_core::{CredentialId, CredentialState, CredentialTypeId, UserId};
use serde::Serialize;
use time::{Date, OffsetDateTime};

/// A credential's current version, without its personal fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Credential {
    pub credential_id: CredentialId,
    pub user_id: UserId,
    pub type_id: CredentialTypeId,
    pub type_code: String,
    pub type_name: String,
    pub version: i32,
    pub issuer: String,
    pub issued_on: Date,
    pub expires_on: Option<Date>,
    pub state: CredentialState,
    pub state_reason: Option<String>,
    pub updated_at: OffsetDateTime,
}

/// One version in a credential's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CredentialVersion {
    pub version: i32,
    pub issuer: String,
    pub issued_on: Date,
    pub expires_on: Option<Date>,
    pub recorded_by: Option<UserId>,
    pub recorded_at: OffsetDateTime,
}

struct Row {
    credential_id: uuid::Uuid,
    user_id: uuid::Uuid,
    type_id: uuid::Uuid,
    code: String,
    name: String,
    version: i32,
    issuer: String,
    issued_on: Date,
    expires_on: Option<Date>,
    state: String,
    state_reason: Option<String>,
    updated_at: OffsetDateTime,
}

impl Row {
    fn into_credential(self) -> Result<Credential, StoreError> {
        Ok(Credential {
            credential_id: self.credential_id.into(),
            user_id: self.user_id.into(),
            type_id: self.type_id.into(),
            type_code: self.code,
            type_name: self.name,
            version: self.version,
            issuer: self.issuer,
            issued_on: self.issued_on,
            expires_on: self.expires_on,
            state: self
                .state
                .parse()
                .map_err(|e: attest_core::UnknownState| StoreError::Inconsistent(e.to_string()))?,
            state_reason: self.state_reason,
            updated_at: self.updated_at,
        })
    }
}

/// Credentials the caller may see: all of them, one worker's, or one.
async fn rows(
    tx: &mut Tx,
    worker: Option<UserId>,
    id: Option<CredentialId>,
) -> Result<Vec<Credential>, StoreError> {
    crate::context::plan_for_given_values(tx).await?;
    let rows = sqlx::query_as!(
        Row,
        "select c.credential_id, c.user_id, c.type_id, t.code, t.name, c.version, c.issuer,
                c.issued_on, c.expires_on, c.state, c.state_reason, c.updated_at
         from attest.credentials c
         join attest.credential_types t on t.org_id = c.org_id and t.type_id = c.type_id
         where c.org_id = attest.current_org_id()
           and ($1::uuid is null or c.user_id = $1)
           and ($2::uuid is null or c.credential_id = $2)",
        worker.map(|w| w.as_uuid()),
        id.map(|i| i.as_uuid()),
    )
    .fetch_all(&mut **tx)
    .await?;
    rows.into_iter().map(Row::into_credential).collect()
}

/// Every credential the caller may see, in no particular order.
pub async fn visible(tx: &mut Tx) -> Result<Vec<Credential>, StoreError> {
    rows(tx, None, None).await
}

/// One worker's credentials by type name, if the caller may see them (else none).
pub async fn for_worker(tx: &mut Tx, user: UserId) -> Result<Vec<Credential>, StoreError> {
    let mut list = rows(tx, Some(user), None).await?;
    list.sort_by_key(|c| c.type_name.to_lowercase());
    Ok(list)
}

/// One credential, if the caller may see it.
pub async fn get(tx: &mut Tx, id: CredentialId) -> Result<Credential, StoreError> {
    rows(tx, None, Some(id))
        .await?
        .pop()
        .ok_or(StoreError::NotFound)
}

/// A credential's versions, newest first.
pub async fn history(tx: &mut Tx, id: CredentialId) -> Result<Vec<CredentialVersion>, StoreError> {
    let rows = sqlx::query!(
        "select version, issuer, issued_on, expires_on, recorded_by, recorded_at
         from attest.credential_versions
         where org_id = attest.current_org_id() and credential_id = $1
         order by version desc",
        id.as_uuid(),
    )
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| CredentialVersion {
            version: r.version,
            issuer: r.issuer,
            issued_on: r.issued_on,
            expires_on: r.expires_on,
            recorded_by: r.recorded_by.map(UserId::from),
            recorded_at: r.recorded_at,
        })
        .collect())
}
