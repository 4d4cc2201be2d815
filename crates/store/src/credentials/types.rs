//! Credential types: the organisation's catalogue of what it tracks.

use crate::Conflict;
use crate::error::on_conflicts;
use crate::{StoreError, Tx};
use attest_core::{CredentialTypeCode, CredentialTypeId, DisplayName, OrgId, StarterType};
use serde::Serialize;

const CONFLICTS: &[(&str, Conflict)] = &[
    ("credential_types_code_key", Conflict::TypeCodeTaken),
    ("credential_types_name_key", Conflict::TypeNameTaken),
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CredentialType {
    pub type_id: CredentialTypeId,
    pub code: String,
    pub name: String,
    pub description: String,
    pub validity_months: Option<i32>,
    pub archived: bool,
}

/// A type to add.
#[derive(Debug, Clone)]
pub struct NewCredentialType {
    pub code: CredentialTypeCode,
    pub name: DisplayName,
    pub description: String,
    pub validity_months: Option<u16>,
}

impl NewCredentialType {
    /// A starter type as a new type. The starter catalogue is checked by a unit test in
    /// attest-core; a failure here is reported rather than panicking.
    pub fn starter(t: &StarterType) -> Result<Self, StoreError> {
        let invalid = |_| StoreError::Conflict(Conflict::InvalidStarterType);
        Ok(Self {
            code: CredentialTypeCode::parse(t.code).map_err(invalid)?,
            name: DisplayName::parse(t.name)
                .map_err(|_| StoreError::Conflict(Conflict::InvalidStarterType))?,
            description: t.description.to_owned(),
            validity_months: t.validity_months,
        })
    }
}

/// The organisation's types (archived last), by name.
pub async fn list(tx: &mut Tx) -> Result<Vec<CredentialType>, StoreError> {
    let rows = sqlx::query!(
        "select type_id, code, name, description, validity_months, archived
         from attest.credential_types where org_id = attest.current_org_id()
         order by archived, lower(name)"
    )
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| CredentialType {
            type_id: r.type_id.into(),
            code: r.code,
            name: r.name,
            description: r.description,
            validity_months: r.validity_months,
            archived: r.archived,
        })
        .collect())
}

/// One type.
pub async fn get(tx: &mut Tx, type_id: CredentialTypeId) -> Result<CredentialType, StoreError> {
    list(tx)
        .await?
        .into_iter()
        .find(|t| t.type_id == type_id)
        .ok_or(StoreError::NotFound)
}

/// Adds a type. Needs `credentials.manage`.
pub async fn create(
    tx: &mut Tx,
    org_id: OrgId,
    new: &NewCredentialType,
) -> Result<CredentialTypeId, StoreError> {
    let type_id = CredentialTypeId::new();
    sqlx::query!(
        "insert into attest.credential_types (org_id, type_id, code, name, description, validity_months)
         values ($1, $2, $3, $4, $5, $6)",
        org_id.as_uuid(),
        type_id.as_uuid(),
        new.code.as_str(),
        new.name.as_str(),
        new.description,
        new.validity_months.map(i32::from),
    )
    .execute(&mut **tx)
    .await
    .map_err(on_conflicts(CONFLICTS))?;
    Ok(type_id)
}

/// Adds the starter types whose code and name are both still free; returns those added.
pub async fn adopt(
    tx: &mut Tx,
    org_id: OrgId,
    starters: &[&StarterType],
) -> Result<Vec<(CredentialTypeId, String)>, StoreError> {
    let existing = list(tx).await?;
    let mut added = Vec::new();
    for starter in starters {
        let taken = existing.iter().any(|t| {
            t.code == starter.code || t.name.to_lowercase() == starter.name.to_lowercase()
        });
        if !taken {
            let id = create(tx, org_id, &NewCredentialType::starter(starter)?).await?;
            added.push((id, starter.code.to_owned()));
        }
    }
    Ok(added)
}

/// What may change about a type (its code never does: badges carry it).
#[derive(Debug, Clone, Default)]
pub struct TypeChange {
    pub name: Option<DisplayName>,
    pub description: Option<String>,
    /// `Some(None)`: no longer expires.
    pub validity_months: Option<Option<u16>>,
    pub archived: Option<bool>,
}

/// Changes a type. Needs `credentials.manage`.
pub async fn update(
    tx: &mut Tx,
    type_id: CredentialTypeId,
    change: &TypeChange,
) -> Result<(), StoreError> {
    let updated = sqlx::query!(
        "update attest.credential_types set
             name = coalesce($2, name),
             description = coalesce($3, description),
             validity_months = case when $4 then $5 else validity_months end,
             archived = coalesce($6, archived)
         where org_id = attest.current_org_id() and type_id = $1",
        type_id.as_uuid(),
        change.name.as_ref().map(DisplayName::as_str),
        change.description.as_deref(),
        change.validity_months.is_some(),
        change.validity_months.flatten().map(i32::from),
        change.archived,
    )
    .execute(&mut **tx)
    .await
    .map_err(on_conflicts(CONFLICTS))?
    .rows_affected();
    if updated == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}
