//! A version's personal fields (credential number, notes, evidence file), sealed with the
//! person's data key and bound to where they are stored.

use crate::{StoreError, Tx, data_keys};
use attest_core::{CredentialId, EvidenceId, OrgId, UserId};
use attest_crypto::{DataKey, FieldContext, KeyEncryptionKey};
use serde::Serialize;
use std::collections::BTreeMap;

/// Personal fields of one version.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PersonalFields {
    pub number: Option<String>,
    pub notes: Option<String>,
    pub evidence_id: Option<EvidenceId>,
}

impl PersonalFields {
    pub fn is_empty(&self) -> bool {
        self.number.is_none() && self.notes.is_none() && self.evidence_id.is_none()
    }
}

pub(super) struct Sealed {
    pub(super) number: Option<Vec<u8>>,
    pub(super) notes: Option<Vec<u8>>,
}

fn context<'a>(org_id: OrgId, row: &'a str, column: &'a str) -> FieldContext<'a> {
    FieldContext {
        org_id: org_id.as_uuid(),
        table: "credential_personal",
        row,
        column,
    }
}

pub(super) fn seal(
    key: &DataKey,
    org_id: OrgId,
    id: CredentialId,
    version: i32,
    fields: &PersonalFields,
) -> Result<Sealed, StoreError> {
    let row = format!("{id}/{version}");
    let seal = |value: &Option<String>, column| -> Result<Option<Vec<u8>>, StoreError> {
        value
            .as_deref()
            .map(|v| key.seal(v.as_bytes(), &context(org_id, &row, column)))
            .transpose()
            .map_err(StoreError::from)
    };
    Ok(Sealed {
        number: seal(&fields.number, "number")?,
        notes: seal(&fields.notes, "notes")?,
    })
}

/// The personal fields of each version of a credential that the caller may read (the person,
/// or `credentials.personal.read` within what they may see), by version. Empty when row-level
/// security withholds them, or when there are none.
pub async fn personal_fields(
    tx: &mut Tx,
    kek: &dyn KeyEncryptionKey,
    org_id: OrgId,
    id: CredentialId,
) -> Result<BTreeMap<i32, PersonalFields>, StoreError> {
    let rows = sqlx::query!(
        "select version, user_id, number_sealed, notes_sealed, evidence_id from attest.credential_personal
         where org_id = attest.current_org_id() and credential_id = $1",
        id.as_uuid(),
    )
    .fetch_all(&mut **tx)
    .await?;
    let Some(first) = rows.first() else {
        return Ok(BTreeMap::new());
    };
    let key = data_keys::person_key(tx, kek, org_id, UserId::from(first.user_id)).await?;
    let mut out = BTreeMap::new();
    for r in rows {
        let row = format!("{id}/{}", r.version);
        let open = |sealed: Option<Vec<u8>>, column| -> Result<Option<String>, StoreError> {
            sealed
                .map(|s| {
                    let plain = key.open(&s, &context(org_id, &row, column))?;
                    String::from_utf8(plain)
                        .map_err(|_| StoreError::Inconsistent("sealed field is not text".into()))
                })
                .transpose()
        };
        out.insert(
            r.version,
            PersonalFields {
                number: open(r.number_sealed, "number")?,
                notes: open(r.notes_sealed, "notes")?,
                evidence_id: r.evidence_id.map(EvidenceId::from),
            },
        );
    }
    Ok(out)
}
