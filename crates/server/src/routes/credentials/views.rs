//! Response shapes shared by the credential routes, and date parsing.

use crate::validation::Fields;
use attest_core::{CredentialStatus, CredentialTypeCode, DisplayName};
use attest_store::credentials::{Credential, CredentialVersion, PersonalFields};
use serde::Serialize;
use time::Date;
use time::macros::format_description;
use utoipa::ToSchema;
use uuid::Uuid;

/// `YYYY-MM-DD`.
pub(crate) fn date_text(date: Date) -> String {
    date.format(format_description!("[year]-[month]-[day]"))
        .unwrap_or_default()
}

/// Parses a `YYYY-MM-DD` field, recording a problem under `field`.
pub(crate) fn parse_date(fields: &mut Fields, field: &str, value: &str) -> Option<Date> {
    fields.check(
        field,
        Date::parse(value.trim(), format_description!("[year]-[month]-[day]"))
            .map_err(|_| "must be a date as YYYY-MM-DD"),
    )
}

pub(crate) fn parse_name(fields: &mut Fields, field: &str, value: &str) -> Option<DisplayName> {
    fields.check(field, DisplayName::parse(value))
}

pub(crate) fn parse_code(
    fields: &mut Fields,
    field: &str,
    value: &str,
) -> Option<CredentialTypeCode> {
    fields.check(field, CredentialTypeCode::parse(value))
}

/// A credential's personal fields, for those allowed to see them.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PersonalView {
    number: Option<String>,
    notes: Option<String>,
    evidence_id: Option<Uuid>,
}

impl From<PersonalFields> for PersonalView {
    fn from(p: PersonalFields) -> Self {
        Self {
            number: p.number,
            notes: p.notes,
            evidence_id: p.evidence_id.map(|e| e.as_uuid()),
        }
    }
}

/// A credential's current version and status.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CredentialView {
    pub(crate) credential_id: Uuid,
    pub(crate) worker_id: Uuid,
    pub(crate) type_id: Uuid,
    pub(crate) type_code: String,
    pub(crate) type_name: String,
    pub(crate) version: i32,
    pub(crate) issuer: String,
    #[schema(format = Date)]
    pub(crate) issued_on: String,
    #[schema(format = Date)]
    pub(crate) expires_on: Option<String>,
    /// Today's.
    #[schema(value_type = crate::routes::schema::CredentialStatus)]
    pub(crate) status: String,
    /// Why it was suspended or revoked.
    pub(crate) state_reason: Option<String>,
    /// Days until expiry (negative once expired).
    pub(crate) days_left: Option<i64>,
    /// Only for the worker themselves and roles with `credentials.personal.read`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) personal: Option<PersonalView>,
}

impl CredentialView {
    pub(crate) fn new(c: &Credential, today: Date, window_days: i32) -> Self {
        let status = CredentialStatus::on(c.state, c.expires_on, today, i64::from(window_days));
        Self {
            credential_id: c.credential_id.as_uuid(),
            worker_id: c.user_id.as_uuid(),
            type_id: c.type_id.as_uuid(),
            type_code: c.type_code.clone(),
            type_name: c.type_name.clone(),
            version: c.version,
            issuer: c.issuer.clone(),
            issued_on: date_text(c.issued_on),
            expires_on: c.expires_on.map(date_text),
            status: status.as_str().to_owned(),
            state_reason: c.state_reason.clone(),
            days_left: c.expires_on.map(|e| (e - today).whole_days()),
            personal: None,
        }
    }
}

/// One version in a credential's history.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct VersionView {
    version: i32,
    issuer: String,
    #[schema(format = Date)]
    issued_on: String,
    #[schema(format = Date)]
    expires_on: Option<String>,
    recorded_by: Option<Uuid>,
    #[schema(format = DateTime)]
    recorded_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    personal: Option<PersonalView>,
}

impl VersionView {
    pub(crate) fn new(v: CredentialVersion, personal: Option<PersonalFields>) -> Self {
        Self {
            version: v.version,
            issuer: v.issuer,
            issued_on: date_text(v.issued_on),
            expires_on: v.expires_on.map(date_text),
            recorded_by: v.recorded_by.map(|u| u.as_uuid()),
            recorded_at: v
                .recorded_at
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
            personal: personal.map(PersonalView::from),
        }
    }
}
